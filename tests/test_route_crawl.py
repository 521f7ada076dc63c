"""Every API route, taken from the app's URL map so a new route cannot be forgotten: anonymous
→ 401, signed in without the CSRF header → 403 on unsafe methods, strict headers everywhere."""

import re

import pytest

from server import create_app
from server.security import PUBLIC_ENDPOINTS
from tests.conftest import TEST_SETTINGS, assert_problem

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def api_routes():
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = re.sub(r"<int:[^>]+>", "1", rule.rule)
        path = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", path)
        path = re.sub(r"<[^>]+>", "x", path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, path))
    return routes


ROUTES = api_routes()


def test_the_crawl_sees_every_resource():
    paths = {path for _, path in ROUTES}
    for resource in ("units", "users", "zones", "posts", "photos", "hazards", "checkins", "patrols",
                     "notifications", "dashboard", "scan", "auth"):  # fmt: skip
        assert any(path.startswith(f"/api/v1/{resource}") for path in paths), resource


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
