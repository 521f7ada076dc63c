"""Every error is problem+json with the right status; headers are strict everywhere."""

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from server.services.places import units
from tests.conftest import assert_problem


def test_405_is_problem_json(login_as):
    assert_problem(login_as("worker").delete("/api/v1/auth/me"), 405, "method-not-allowed")


def test_body_over_the_limit_is_413(login_as, world):
    client = login_as("admin")
    response = client.post(
        "/api/v1/users/import",
        data=b"x" * (8 * 1024 * 1024 + 1),
        content_type="multipart/form-data; boundary=x",
    )
    assert_problem(response, 413, "too-large")


def test_json_over_its_cap_is_413(login_as):
    response = login_as("admin").post("/api/v1/units", json={"code": "A", "name": "x" * 300_000})
    assert_problem(response, 413)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [('{"code": "X", "name": "y"}', "text/plain"), ("code=X&name=y", "application/x-www-form-urlencoded")],
)
def test_json_endpoints_refuse_other_content_types(login_as, data, content_type):
    assert_problem(login_as("admin").post("/api/v1/units", data=data, content_type=content_type), 415)


@pytest.mark.parametrize(
    "body",
    ['{"code": "X", "name": NaN}', '{"code": "X", "name": "y", "name": 1}', "[" * 10_000 + "]" * 10_000, "{"],
)
def test_malformed_json_is_a_4xx_never_a_500(login_as, body):
    response = login_as("admin").post("/api/v1/units", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response.mimetype == "application/problem+json"


def test_an_unexpected_error_is_500_with_an_incident_id_only(login_as, monkeypatch):
    def explode(_actor):
        raise RuntimeError("secret internals /srv/app.py SELECT * FROM user_account")

    monkeypatch.setattr(units, "list_units", explode)
    response = login_as("admin").get("/api/v1/units")
    body = assert_problem(response, 500, "internal")
    assert body["incident"] in body["detail"]
    assert "secret" not in response.get_data(as_text=True) and "SELECT" not in response.get_data(as_text=True)


def test_a_locked_database_is_503_with_retry_after(login_as, monkeypatch):
    def locked(_actor):
        raise OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(units, "list_units", locked)
    response = login_as("admin").get("/api/v1/units")
    assert_problem(response, 503, "busy")
    assert response.headers["Retry-After"] == "1"


@pytest.mark.parametrize("path", ["/", "/health", "/api/v1/auth/me", "/api/v1/nothing", "/signs"])
def test_security_headers_on_every_kind_of_response(app, path):
    headers = app.test_client().get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Permissions-Policy"] == "camera=(self), geolocation=(self), microphone=()"


def test_no_cors_for_a_foreign_origin(login_as):
    response = login_as("worker").get("/api/v1/auth/me", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_errors_follow_the_users_language(app):
    client = app.test_client()
    assert client.get("/api/v1/auth/me").get_json()["detail"] == "请先登录。"
    english = client.get("/api/v1/auth/me", headers={"Accept-Language": "en-US,en;q=0.9"}).get_json()
    assert english["detail"] == "Please sign in." and english["title"] == "Sign-in required"


def test_openapi_document_is_generated_from_the_schemas(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/zones" in spec["paths"] and "/api/v1/auth/login" in spec["paths"]
    assert "ZoneIn" in spec["components"]["schemas"] and "ZoneInPatch" in spec["components"]["schemas"]


SHELL_PATHS = ("/", "/z/sometoken", "/p/sometoken", "/hazards/12", "/zones/3/report", "/outbox", "/me")


def test_shell_routes_say_the_app_is_not_built_yet(make_app, tmp_path):
    app = make_app(PWA_DIST=str(tmp_path / "nothing-built"))
    for path in SHELL_PATHS:
        response = app.test_client().get(path)
        assert response.status_code == 503
        assert "make pwa" in response.get_data(as_text=True)


def test_shell_routes_serve_the_built_shell_revalidated(make_app, tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>shell</title>")
    (tmp_path / "assets" / "app-ABC.js").write_text("export {}")
    (tmp_path / "sw.js").write_text("self.addEventListener('fetch', () => {})")
    client = make_app(PWA_DIST=str(tmp_path)).test_client()
    for path in SHELL_PATHS:
        response = client.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache", path
    asset = client.get("/assets/app-ABC.js")
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    worker = client.get("/sw.js")
    assert worker.mimetype == "text/javascript" and worker.headers["Cache-Control"] == "no-cache"
    assert client.get("/assets/missing.js").status_code == 404
