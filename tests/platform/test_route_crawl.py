"""Every API route, taken from the app's URL map so a new route cannot be forgotten: anonymous
→ 401, signed in without the CSRF header → 403 on unsafe methods, strict headers everywhere."""

import re

import pytest

from server import create_app
from server.security import PUBLIC_ENDPOINTS
from tests.conftest import TEST_SETTINGS, assert_problem

pytestmark = pytest.mark.slow  # a sweep; the authz matrix checks each route's 401 in the fast run
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


APP = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def api_routes(public):
    """(method, path, endpoint) of every API route, signed-in ones or public ones."""
    routes = []
    for rule in APP.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or (rule.endpoint in PUBLIC_ENDPOINTS) != public:
            continue
        path = re.sub(r"<int:[^>]+>", "1", rule.rule)
        path = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", path)
        path = re.sub(r"<[^>]+>", "x", path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, path, rule.endpoint))
    return routes


CRAWLED, PUBLIC = api_routes(public=False), api_routes(public=True)
ROUTES = [(method, path) for method, path, _ in CRAWLED]


def test_the_crawl_sees_every_api_blueprint():
    blueprints = {endpoint.split(".")[0] for _, _, endpoint in CRAWLED + PUBLIC}
    assert {"party_days", "letters", "scorecards", "honours", "public", "hazards"} <= blueprints
    for name in blueprints - {"api-docs"}:
        assert APP.blueprints[name].url_prefix.startswith("/api/v1/"), name
    assert blueprints == {name for name in APP.blueprints if name != "pages"}


@pytest.mark.parametrize(("method", "path"), [(method, path) for method, path, _ in PUBLIC])
def test_public_routes_answer_anonymous_callers(app, method, path):
    response = app.test_client().open(path, method=method, json={} if method in UNSAFE else None)
    assert response.status_code != 401 and response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_requests_are_401(app, method, path):
    response = app.test_client().open(path, method=method, json={} if method in UNSAFE else None)
    assert_problem(response, 401, "unauthorized")


@pytest.mark.parametrize(("method", "path"), [route for route in ROUTES if route[0] in UNSAFE])
def test_unsafe_requests_without_the_csrf_header_are_403(login_as, method, path):
    client = login_as("admin")
    client.csrf_token = None
    assert_problem(client.open(path, method=method, json={}), 403, "csrf")


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_answer_has_strict_headers(login_as, method, path):
    response = login_as("supervisor").open(path, method=method, json={} if method in UNSAFE else None)
    assert response.status_code < 500, response.get_data(as_text=True)
    headers = response.headers
    assert "unsafe-inline" not in headers["Content-Security-Policy"] or path.endswith(".svg")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    if response.mimetype in ("application/json", "application/problem+json"):
        assert headers["Cache-Control"] == "no-store"
