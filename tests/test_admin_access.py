"""Every admin endpoint × every role: anonymous 401, other roles 403, admin succeeds (HARDENING §8.2)."""

import io

import pytest

from tests.conftest import assert_problem

ROLES = ("worker", "zone_head", "supervisor")


def _csv(text):
    return {"file": (io.BytesIO(text.encode()), "data.csv")}


# (name, method, path, body builder(world), expected admin status, a key the admin's answer has)
ENDPOINTS = [
    ("list units", "get", lambda w: "/api/v1/units", None, 200, "items"),
    ("create unit", "post", lambda w: "/api/v1/units", lambda w: {"code": "NEW", "name": "New"}, 201, "code"),
    (
        "update unit",
        "patch",
        lambda w: f"/api/v1/units/{w.teams[0].id}",
        lambda w: {"name": "Renamed"},
        200,
        "name",
    ),
    ("list users", "get", lambda w: "/api/v1/users", None, 200, "items"),
    ("get user", "get", lambda w: f"/api/v1/users/{w.people[('worker', 'A')].id}", None, 200, "username"),
    (
        "create user",
        "post",
        lambda w: "/api/v1/users",
        lambda w: {
            "username": "newbie",
            "name": "新员工",
            "role": "worker",
            "unit_id": w.teams[0].id,
            "password": "a-long-password",
        },
        201,
        "username",
    ),
    (
        "update user",
        "patch",
        lambda w: f"/api/v1/users/{w.people[('worker', 'A')].id}",
        lambda w: {"phone": "13900000000"},
        200,
        "phone",
    ),
    (
        "reset password",
        "post",
        lambda w: f"/api/v1/users/{w.people[('worker', 'A')].id}/reset-password",
        None,
        200,
        "one_time_password",
    ),
    (
        "revoke sessions",
        "post",
        lambda w: f"/api/v1/users/{w.people[('worker', 'A')].id}/sessions/revoke",
        None,
        204,
        None,
    ),
    (
        "import users",
        "post",
        lambda w: "/api/v1/users/import",
        lambda w: _csv("username,name,role,unit_code\nimp1,导入一,worker,A\n"),
        201,
        "passwords",
    ),
    (
        "create zone",
        "post",
        lambda w: "/api/v1/zones",
        lambda w: {
            "code": "Z-NEW",
            "name": "新责任区",
            "unit_id": w.teams[0].id,
            "head_id": w.people[("zone_head", "A")].id,
        },
        201,
        "sign_url",
    ),
    (
        "update zone",
        "patch",
        lambda w: f"/api/v1/zones/{w.zones['A'].id}",
        lambda w: {"name": "改名"},
        200,
        "name",
    ),
    (
        "rotate zone token",
        "post",
        lambda w: f"/api/v1/zones/{w.zones['A'].id}/rotate-token",
        None,
        200,
        "sign_url",
    ),
    (
        "import zones",
        "post",
        lambda w: "/api/v1/zones/import",
        lambda w: _csv("code,name,unit_code,head_username\nZ-IMP,导入区,A,zone_head-a\n"),
        201,
        "created",
    ),
    (
        "create post",
        "post",
        lambda w: "/api/v1/posts",
        lambda w: {
            "code": "P-NEW",
            "name": "新示范岗",
            "unit_id": w.teams[0].id,
            "holder_id": w.people[("zone_head", "A")].id,
        },
        201,
        "sign_url",
    ),
    (
        "update post",
        "patch",
        lambda w: f"/api/v1/posts/{w.posts['A'].id}",
        lambda w: {"geofence_policy": "require"},
        200,
        "geofence_policy",
    ),
    (
        "rotate post token",
        "post",
        lambda w: f"/api/v1/posts/{w.posts['A'].id}/rotate-token",
        None,
        200,
        "sign_url",
    ),
    (
        "import posts",
        "post",
        lambda w: "/api/v1/posts/import",
        lambda w: _csv("code,name,unit_code,holder_username\nP-IMP,导入岗,A,zone_head-a\n"),
        201,
        "created",
    ),
]
IDS = [endpoint[0] for endpoint in ENDPOINTS]
UNSAFE = [endpoint for endpoint in ENDPOINTS if endpoint[1] != "get"]


def _send(client, method, path, body):
    if body is None:
        return getattr(client, method)(path)
    if "file" in body:
        return getattr(client, method)(path, data=body, content_type="multipart/form-data")
    return getattr(client, method)(path, json=body)


@pytest.mark.parametrize(("name", "method", "path", "body", "status", "key"), ENDPOINTS, ids=IDS)
def test_anonymous_gets_401(app, world, name, method, path, body, status, key):
    response = _send(app.test_client(), method, path(world), body and body(world))
    assert_problem(response, 401, "unauthorized")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "body", "status", "key"), ENDPOINTS, ids=IDS)
def test_other_roles_get_403(login_as, world, role, name, method, path, body, status, key):
    response = _send(login_as(role), method, path(world), body and body(world))
    assert_problem(response, 403, "forbidden")


@pytest.mark.parametrize(("name", "method", "path", "body", "status", "key"), ENDPOINTS, ids=IDS)
def test_admin_succeeds(login_as, world, name, method, path, body, status, key):
    response = _send(login_as("admin"), method, path(world), body and body(world))
    assert response.status_code == status, response.get_json()
    if key:
        assert key in response.get_json()
        text = response.get_data(as_text=True)
        assert "password_hash" not in text and "session_nonce" not in text


@pytest.mark.parametrize(
    ("name", "method", "path", "body", "status", "key"), UNSAFE, ids=[e[0] for e in UNSAFE]
)
def test_admin_without_csrf_header_gets_403(login_as, world, name, method, path, body, status, key):
    client = login_as("admin")
    client.csrf_token = None
    assert_problem(_send(client, method, path(world), body and body(world)), 403, "csrf")
