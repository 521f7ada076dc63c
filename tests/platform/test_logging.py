"""Security events as JSON lines, exactly once per scenario, and no secrets in the logs."""

import io
import json
import logging
import uuid

import pytest

from server.access_log import JsonFormatter
from tests.conftest import PASSWORD


@pytest.fixture
def lines():
    """Every log line the app writes during the test, as parsed JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("safety_zones")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def events(lines, name):
    return [line for line in lines() if line["event"] == name]


def test_sign_in_success_and_failure_are_logged_once(app, world, lines):
    client = app.test_client()
    client.post("/api/v1/auth/login", json={"username": "worker-a", "password": "not-the-password"})
    client.post("/api/v1/auth/login", json={"username": "worker-a", "password": PASSWORD})
    (fail,) = events(lines, "authn_login_fail")
    (success,) = events(lines, "authn_login_success")
    assert fail["username"] == "worker-a" and fail["ip"] == "127.0.0.1" and fail["request_id"]
    assert fail["ts"].endswith("Z") and success["level"] == "info"


def test_a_username_with_newlines_stays_one_line(app, world, lines):
    app.test_client().post("/api/v1/auth/login", json={"username": "evil\r\nFAKE LINE", "password": "x"})
    (line,) = events(lines, "authn_login_fail")
    assert line["username"] == "evil\r\nFAKE LINE"


def test_refusals_log_their_event_once(app, login_as, world, lines):
    worker = login_as("worker")
    worker.get("/api/v1/users")  # 403
    worker.post("/api/v1/hazards", json={"zone_id": "x"})  # 422
    worker.post(
        "/api/v1/photos",
        data={"file": (io.BytesIO(b"<html></html>"), "x.jpg"), "client_uuid": str(uuid.uuid4())},
        content_type="multipart/form-data",
    )  # 415
    (authz,) = events(lines, "authz_fail")
    assert authz["user_id"] == world.people[("worker", "A")].id and authz["path"] == "/api/v1/users"
    assert len(events(lines, "input_validation_fail")) == 1
    assert len(events(lines, "upload_validation")) == 1


def test_the_rate_limit_is_logged(make_app, world, lines):
    client = make_app().test_client()
    for _ in range(5):
        client.post("/api/v1/auth/login", json={"username": "worker-b", "password": "wrong-one"})
    assert len(events(lines, "excess_rate_limit_exceeded")) == 1
    (lock,) = events(lines, "authn_login_lock")
    assert lock["username"] == "worker-b" and lock["seconds"] == 60


def test_no_secret_reaches_the_logs(app, world, lines):
    client = app.test_client()
    response = client.post("/api/v1/auth/login", json={"username": "worker-a", "password": PASSWORD})
    token = response.get_json()["csrf_token"]
    cookie = client.get_cookie("session").value
    client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": token})
    client.post("/api/v1/auth/login", json={"username": "worker-a", "password": "wrong-" + PASSWORD})
    text = json.dumps(lines())
    assert lines() and PASSWORD not in text and token not in text and cookie not in text


def test_every_response_carries_a_request_id(app):
    client = app.test_client()
    assert len(client.get("/health").headers["X-Request-Id"]) == 16
    assert (
        client.get("/health", headers={"X-Request-Id": "edge-12345678"}).headers["X-Request-Id"]
        == "edge-12345678"
    )
    assert client.get("/health", headers={"X-Request-Id": "bad id!"}).headers["X-Request-Id"] != "bad id!"


def test_every_request_has_one_access_line_without_receipt_codes(app, world, lines):
    client = app.test_client()
    client.get("/health")
    client.get("/api/v1/public/receipts/SECRETCODE7")
    client.get("/r/SECRETCODE7")
    access = events(lines, "request")
    assert [(line["method"], line["path"], line["status"]) for line in access] == [
        ("GET", "/health", 200),
        ("GET", "/api/v1/public/receipts/…", 404),
        ("GET", "/r/…", 200),
    ]
    assert all(line["ms"] >= 0 and line["request_id"] for line in access)
    assert "SECRETCODE7" not in json.dumps(lines())
