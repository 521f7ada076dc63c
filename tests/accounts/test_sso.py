"""Single sign-on against a real OpenID Connect provider (oidc-provider, tests/sso_provider.py):
the app's test client on one side, a requests session as the browser at the provider."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from sqlalchemy import select

from server.extensions import db
from server.models.accounts.admin_events import AdminEvent
from server.models.accounts.users import User
from server.services.accounts.sso import ERROR_CODES
from tests.conftest import TEST_SETTINGS, assert_problem
from tests.sso_provider import SsoProvider, cancel_at_provider, follow_at_provider, sign_in_at_provider

pytestmark = pytest.mark.slow  # starts node

APP = TEST_SETTINGS["PUBLIC_BASE_URL"]
CATALOGS = Path(__file__).resolve().parents[2] / "pwa" / "src" / "i18n"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    server = SsoProvider(tmp_path_factory.mktemp("sso"), APP, {}).start()
    yield server
    server.stop()


@pytest.fixture
def people(provider, world):
    """Who the provider knows: worker-a under their 工号, and strangers."""
    accounts = {
        "sub-worker": {"preferred_username": "worker-a", "name": "Worker A", "unit": "A"},
        "sub-admin": {"preferred_username": "admin", "name": "Admin", "unit": "CO"},
        "sub-stranger": {"preferred_username": "new-1", "name": "新员工", "unit": "B"},
        "sub-nowhere": {"preferred_username": "new-2", "name": "No unit", "unit": "ZZ"},
        "sub-impostor": {"preferred_username": "worker-a", "name": "Impostor", "unit": "A"},
    }
    provider.set_accounts(accounts)
    return accounts


@pytest.fixture
def sso_app(make_app, provider, people):
    def build(**settings):
        return make_app(**provider.app_settings(**settings))

    return build


def start(client, next_path=None):
    query = f"?{urlencode({'next': next_path})}" if next_path else ""
    answer = client.get("/api/v1/auth/sso/start" + query)
    assert answer.status_code == 302
    return answer.headers["Location"]


def back_at_app(client, url):
    """The browser arriving at the app's callback: answers the app's redirect."""
    answer = client.get(url.removeprefix(APP))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return answer.headers["Location"]


def sign_in(client, login, next_path=None, browser=None):
    """The whole round trip as `login`; answers (where the app sent the browser, the callback URL)."""
    browser = browser or requests.Session()
    page = follow_at_provider(browser, start(client, next_path), APP)
    callback = page if isinstance(page, str) else sign_in_at_provider(browser, page, login, APP)
    return back_at_app(client, callback), callback


def user_named(app, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def me(client):
    return client.get("/api/v1/auth/me")


def test_first_sign_in_links_the_subject_and_comes_back_to_the_deep_link(sso_app, world):
    app = sso_app()
    client = app.test_client()
    zone = world.zones["A"].id
    assert sign_in(client, "sub-worker", f"/zones/{zone}")[0] == f"/zones/{zone}"
    assert me(client).get_json()["user"]["username"] == "worker-a"
    assert me(client).get_json()["sso"] is True  # the app offers no password change then
    assert user_named(app, "worker-a").sso_subject == "sub-worker"


def test_a_changed_username_claim_still_signs_in_the_linked_person(sso_app, provider, people):
    app = sso_app()
    sign_in(app.test_client(), "sub-worker")
    provider.set_accounts({**people, "sub-worker": {**people["sub-worker"], "preferred_username": "W-9001"}})
    client = app.test_client()
    assert sign_in(client, "sub-worker")[0] == "/"
    assert me(client).get_json()["user"]["username"] == "worker-a"


def test_another_identity_claiming_a_linked_account_is_refused(sso_app):
    app = sso_app()
    sign_in(app.test_client(), "sub-worker")
    client = app.test_client()
    assert sign_in(client, "sub-impostor")[0] == "/?sso_error=linked_elsewhere"
    assert me(client).status_code == 401


def test_unknown_user_is_refused_and_the_login_screen_has_words_for_it(sso_app):
    app = sso_app()
    client = app.test_client()
    assert sign_in(client, "sub-stranger", "/inbox")[0] == "/?sso_error=unknown_user&next=%2Finbox"
    assert me(client).status_code == 401
    assert user_named(app, "new-1") is None
    for language in ("zh-CN", "en"):
        catalog = json.loads((CATALOGS / f"{language}.json").read_text())
        assert all(catalog.get(f"login.sso_error.{code}") for code in ERROR_CODES)


def test_an_inactive_user_is_refused(sso_app, factory, world):
    app = sso_app()
    with app.app_context():
        db.session.get(User, world.people[("worker", "A")].id).active = False
        db.session.commit()
    assert sign_in(app.test_client(), "sub-worker")[0] == "/?sso_error=inactive"


def test_just_in_time_creates_a_worker_in_the_unit_of_the_claim(sso_app, world):
    app = sso_app(OIDC_CREATE_USERS=True)
    client = app.test_client()
    assert sign_in(client, "sub-stranger")[0] == "/"
    body = me(client).get_json()["user"]
    assert (body["username"], body["name"], body["role"], body["unit"]["id"]) == (
        "new-1",
        "新员工",
        "worker",
        world.teams[1].id,
    )
    with app.app_context():
        event = db.session.scalar(select(AdminEvent).where(AdminEvent.action == "user_created_by_sso"))
        assert (event.actor_id, event.target_id) == (None, body["id"])


def test_just_in_time_with_an_unknown_unit_is_refused(sso_app):
    app = sso_app(OIDC_CREATE_USERS=True)
    assert sign_in(app.test_client(), "sub-nowhere")[0] == "/?sso_error=unknown_unit"
    assert user_named(app, "new-2") is None


def test_a_tampered_state_is_refused(sso_app):
    app = sso_app()
    client = app.test_client()
    browser = requests.Session()
    page = follow_at_provider(browser, start(client), APP)
    callback = sign_in_at_provider(browser, page, "sub-worker", APP)
    query = parse_qs(urlsplit(callback).query)
    tampered = f"{APP}/api/v1/auth/sso/callback?" + urlencode({"code": query["code"][0], "state": "forged"})
    assert back_at_app(client, tampered) == "/?sso_error=failed"
    assert me(client).status_code == 401


def test_a_replayed_code_is_refused(sso_app):
    app = sso_app()
    client = app.test_client()
    _, callback = sign_in(client, "sub-worker")
    assert back_at_app(client, callback) == "/?sso_error=failed"  # its state is spent
    # The same code under a fresh state of the victim's: the provider has spent the code.
    other = app.test_client()
    state = parse_qs(urlsplit(start(other)).query)["state"][0]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    replay = f"{APP}/api/v1/auth/sso/callback?" + urlencode({"code": code, "state": state})
    assert back_at_app(other, replay) == "/?sso_error=failed"
    assert me(other).status_code == 401


def test_cancelling_at_the_provider_comes_back_cancelled(sso_app):
    app = sso_app()
    client = app.test_client()
    browser = requests.Session()
    callback = cancel_at_provider(browser, follow_at_provider(browser, start(client, "/inbox"), APP), APP)
    assert "error=access_denied" in callback
    assert back_at_app(client, callback) == "/?sso_error=cancelled&next=%2Finbox"


def test_no_session_at_the_provider_for_a_silent_sign_in_is_refused_cleanly(sso_app):
    """prompt=none where the provider's session has ended: login_required comes back."""
    app = sso_app()
    client = app.test_client()
    callback = follow_at_provider(requests.Session(), start(client) + "&prompt=none", APP)
    assert "error=login_required" in callback
    assert back_at_app(client, callback) == "/?sso_error=provider"


def test_a_provider_that_does_not_answer_is_unavailable(make_app, provider):
    dead = provider.app_settings(OIDC_METADATA_URL="http://127.0.0.1:9/.well-known/openid-configuration")
    client = make_app(**dead).test_client()
    answer = client.get("/api/v1/auth/sso/start?next=/inbox")
    assert (answer.status_code, answer.headers["Location"]) == (302, "/?sso_error=unavailable&next=%2Finbox")


def test_without_configuration_start_comes_back_unavailable_and_methods_say_so(app):
    answer = app.test_client().get("/api/v1/auth/sso/start")
    assert (answer.status_code, answer.headers["Location"]) == (302, "/?sso_error=unavailable")
    methods = app.test_client().get("/api/v1/auth/methods")
    assert methods.get_json() == {"password": True, "sso": False, "sso_label": None, "sso_start": None}


def test_a_foreign_next_comes_back_to_the_home_screen(sso_app):
    assert sign_in(sso_app().test_client(), "sub-worker", "https://evil.example/x")[0] == "/"


def test_with_passwords_off_only_admins_sign_in_with_one(sso_app, world):
    app = sso_app(PASSWORD_LOGIN=False, OIDC_BUTTON_LABEL="用统一身份认证登录")
    assert app.test_client().get("/api/v1/auth/methods").get_json() == {
        "password": False,
        "sso": True,
        "sso_label": "用统一身份认证登录",
        "sso_start": "/api/v1/auth/sso/start",
    }
    worker = world.people[("worker", "A")]
    answer = app.test_client().post(
        "/api/v1/auth/login", json={"username": worker.username, "password": worker.password}
    )
    assert_problem(answer, 403)
    assert answer.get_json()["detail"] == "本单位已关闭密码登录，请用公司账号登录（统一身份认证）。"
    app.test_client().login("admin")  # the break-glass way in
    client = app.test_client()
    assert sign_in(client, "sub-worker")[0] == "/"  # the worker's way in
    assert me(client).status_code == 200


def test_sign_out_of_a_provider_session_answers_the_providers_sign_out(sso_app, provider, world):
    app = sso_app()
    client = app.test_client()
    sign_in(client, "sub-worker")
    client.csrf_token = me(client).get_json()["csrf_token"]
    answer = client.post("/api/v1/auth/logout")
    assert answer.status_code == 200
    url = urlsplit(answer.get_json()["end_session_url"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider.issuer}/session/end"
    assert query["post_logout_redirect_uri"] == [f"{APP}/"]
    assert query["id_token_hint"][0].count(".") == 2
    # The provider accepts them: its sign-out confirmation, not an error page.
    assert requests.get(answer.get_json()["end_session_url"], timeout=10).status_code == 200
    assert me(client).status_code == 401
    password_client = app.test_client()
    assert password_client.login("worker-a").get_json()["sso"] is False
    assert password_client.post("/api/v1/auth/logout").status_code == 204  # as before
