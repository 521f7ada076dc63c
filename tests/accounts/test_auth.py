"""Sign-in, sessions, CSRF and the login limit (DESIGN §9 Accounts and sessions)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from server.extensions import db
from server.models.accounts.users import User
from tests.conftest import PASSWORD, assert_problem

LOGIN = "/api/v1/auth/login"


def test_login_answers_the_user_and_a_csrf_token(app, world):
    client = app.test_client()
    response = client.post(LOGIN, json={"username": "zone_head-a", "password": PASSWORD})
    assert response.status_code == 200
    body = response.get_json()
    assert body["csrf_token"]
    assert body["user"] == {
        "id": world.people[("zone_head", "A")].id,
        "username": "zone_head-a",
        "name": "Name of zone_head",
        "role": "zone_head",
        "is_party_member": True,
        "party_branch": None,
        "phone": None,
        "unit": {"id": world.teams[0].id, "code": "A", "name": "Team A"},
        "zone_ids": [world.zones["A"].id],
        "may": ["act_in_loop", "be_assigned", "organize_party_days", "patrol", "see_patrols"],
        "must_change_password": False,
    }
    text = response.get_data(as_text=True)
    assert "password_hash" not in text and "nonce" not in text


def test_session_cookie_is_httponly_and_samesite_lax(app, world):
    response = app.test_client().post(LOGIN, json={"username": "worker-a", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in development


def test_secure_cookies_use_the_host_prefix(make_app, world):
    app = make_app(SECURE_COOKIES=True)
    response = app.test_client().post(
        LOGIN, json={"username": "worker-a", "password": PASSWORD}, base_url="https://localhost"
    )
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_unknown_user_and_wrong_password_look_the_same(app, world):
    client = app.test_client()
    unknown = client.post(LOGIN, json={"username": "nobody", "password": PASSWORD})
    wrong = client.post(LOGIN, json={"username": "worker-a", "password": "wrong-password"})
    assert assert_problem(unknown, 401) == assert_problem(wrong, 401)


def test_username_is_case_insensitive(app, world):
    assert (
        app.test_client().post(LOGIN, json={"username": "WORKER-A", "password": PASSWORD}).status_code == 200
    )


def test_inactive_user_cannot_sign_in(app, factory, world):
    user = factory.user(active=False)
    assert_problem(app.test_client().post(LOGIN, json={"username": user.username, "password": PASSWORD}), 401)


@pytest.mark.parametrize(
    "body",
    [{}, {"username": "worker-a"}, {"username": 1, "password": PASSWORD}, {"username": "a", "password": ""}],
)
def test_malformed_login_is_422(app, world, body):
    assert_problem(app.test_client().post(LOGIN, json=body), 422, "validation")


def test_password_hash_is_argon2id_with_owasp_parameters(make_app, factory):
    app = make_app(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=19456)
    with app.app_context():
        from server.services.accounts.passwords import hash_password

        assert hash_password("x" * 10).startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_login_rehashes_an_outdated_hash(make_app, world):
    app = make_app(ARGON2_TIME_COST=2)
    app.test_client().login("worker-a")
    with app.app_context():
        assert ",t=2," in db.session.get(User, world.people[("worker", "A")].id).password_hash


def test_anonymous_api_requests_are_401(app):
    assert_problem(app.test_client().get("/api/v1/auth/me"), 401, "unauthorized")


def test_me_returns_the_user_and_a_fresh_csrf_token(login_as):
    response = login_as("worker").get("/api/v1/auth/me")
    assert response.status_code == 200
    assert response.get_json()["user"]["role"] == "worker"
    assert response.get_json()["csrf_token"]
    assert response.headers["Cache-Control"] == "no-store"


def test_a_new_session_at_login(app, world):
    client = app.test_client()
    client.get("/api/v1/auth/me")
    before = client.get_cookie("session")
    client.login("worker-a")
    assert client.get_cookie("session").value != (before.value if before else None)


def test_unsafe_request_without_csrf_header_is_403(login_as):
    client = login_as("worker")
    client.csrf_token = None
    assert_problem(client.post("/api/v1/auth/logout"), 403, "csrf")


def test_csrf_token_of_another_session_is_refused(app, login_as):
    mine, other = login_as("worker"), login_as("zone_head")
    mine.csrf_token = other.csrf_token
    assert_problem(mine.post("/api/v1/auth/logout"), 403, "csrf")


def test_cross_site_unsafe_request_is_refused(login_as):
    response = login_as("worker").post("/api/v1/auth/logout", headers={"Sec-Fetch-Site": "cross-site"})
    assert_problem(response, 403, "forbidden")


def test_a_copied_cookie_stops_working_after_logout(app, login_as):
    client = login_as("worker")
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/api/v1/auth/me").status_code == 200
    response = client.post("/api/v1/auth/logout")
    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == '"cache"'
    assert_problem(copy.get("/api/v1/auth/me"), 401)
    assert_problem(client.get("/api/v1/auth/me"), 401)


def test_password_change_ends_other_sessions_and_keeps_this_one(app, login_as):
    phone_a, phone_b = login_as("worker"), login_as("worker")
    response = phone_a.post(
        "/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": "a-new-long-password"}
    )
    assert response.status_code == 200
    phone_a.csrf_token = response.get_json()["csrf_token"]
    assert phone_a.get("/api/v1/auth/me").status_code == 200
    assert_problem(phone_b.get("/api/v1/auth/me"), 401)
    app.test_client().login("worker-a", "a-new-long-password")


@pytest.mark.parametrize(
    ("new_password", "accepted"),
    [
        ("short7!", False),
        ("password123", False),
        ("x" * 129, False),
        ("eight-ch", True),
        ("长城安全口令很长", True),
        (" " * 8, False),
        ("aaaaaaaa", False),
        ("12345678", False),
        ("qwertyuiop", False),
        ("my-worker-a-pass", False),  # the username inside it
        ("Worker-A-2026-x", False),
    ],
)
def test_password_policy(login_as, new_password, accepted):
    response = login_as("worker").post(
        "/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": new_password}
    )
    if accepted:
        assert response.status_code == 200
    else:
        assert "new_password" in assert_problem(response, 422)["errors"]


def test_wrong_current_password_is_422(login_as):
    response = login_as("worker").post(
        "/api/v1/auth/password",
        json={"current_password": "not-it-at-all", "new_password": "a-new-long-password"},
    )
    assert "current_password" in assert_problem(response, 422)["errors"]


def test_deactivated_user_is_signed_out_at_the_next_request(app, login_as, world):
    worker = login_as("worker")
    admin = login_as("admin")
    assert (
        admin.patch(f"/api/v1/users/{world.people[('worker', 'A')].id}", json={"active": False}).status_code
        == 200
    )
    assert_problem(worker.get("/api/v1/auth/me"), 401)


def test_session_ends_after_the_absolute_limit(app, world):
    client = app.test_client()
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        client.login("worker-a")
        traveller.shift(timedelta(days=6))
        assert client.get("/api/v1/auth/me").status_code == 200  # refreshes the 7-day idle limit
        traveller.shift(timedelta(days=6))
        assert client.get("/api/v1/auth/me").status_code == 200
        traveller.shift(timedelta(days=19))
        assert_problem(client.get("/api/v1/auth/me"), 401)
