"""Flask serves the app shell on exactly the router's paths: the routes of pwa/src/routes.json, the
one table the router and the service worker read too (pwa/test/routes.test.js checks their side)."""

import json
import re

import pytest

from server.pages import ROUTE_TABLE, app_shell

ROUTES = json.loads(ROUTE_TABLE.read_text())
NOT_ROUTES = ("/nowhere", "/zones/1/report/more", "/scorecards/members", "/admin", "/admin/other", "/r/1/2")


def sample(pattern):
    """A path of the route, each parameter filled in: /zones/:id/report is /zones/1/report."""
    return re.sub(r":\w+", "1", pattern)


@pytest.fixture
def app(make_app, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>shell</title>")
    return make_app(PWA_DIST=str(dist))


def test_the_shell_rules_are_the_routes_of_the_router(app):
    shell = {rule.rule for rule in app.url_map.iter_rules() if app.view_functions[rule.endpoint] is app_shell}
    assert shell == {re.sub(r":(\w+)", r"<\1>", pattern) for pattern, _ in ROUTES}


@pytest.mark.parametrize("pattern", [pattern for pattern, _ in ROUTES])
def test_every_route_of_the_router_serves_the_shell(app, pattern):
    client = app.test_client()
    for path in {sample(pattern), sample(pattern).rstrip("/") + "/"}:  # the router ignores a trailing slash
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.get_data(as_text=True) == "<!doctype html><title>shell</title>"


@pytest.mark.parametrize("path", NOT_ROUTES)
def test_a_path_that_is_no_route_is_404(app, path):
    assert app.test_client().get(path).status_code == 404
