"""Single sign-on against a real CAS 3 server (django-cas-server, tests/cas_server.py): the app's
test client on one side, a requests session as the browser at the CAS server."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from tests.cas_server import CasServer, sign_in_at_cas
from tests.conftest import TEST_SETTINGS

pytestmark = pytest.mark.slow  # starts the CAS server

APP = TEST_SETTINGS["PUBLIC_BASE_URL"]
PEOPLE = {
    "worker-a": {"name": "Worker A", "unit": "A"},
    "new-1": {"name": "新员工", "unit": "B"},
    "new-2": {"name": "No unit", "unit": "ZZ"},
}


@pytest.fixture(scope="module")
def cas_server(tmp_path_factory):
    server = CasServer(tmp_path_factory.mktemp("cas"), APP, PEOPLE).start()
    yield server
    server.stop()


@pytest.fixture
def cas_app(make_app, cas_server, world):
    def build(**settings):
        return make_app(**cas_server.app_settings(**settings))

    return build


def start(client, next_path=None):
    query = f"?{urlencode({'next': next_path})}" if next_path else ""
    answer = client.get("/api/v1/auth/cas/start" + query)
    assert answer.status_code == 302
    return answer.headers["Location"]


def back_at_app(client, url):
    """The browser arriving at the app's callback: answers the app's redirect."""
    assert url.startswith(APP + "/api/v1/auth/cas/callback?"), url
    answer = client.get(url.removeprefix(APP))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return answer.headers["Location"]


def sign_in(client, login, next_path=None, browser=None):
    """The whole round trip as `login`; answers (where the app sent the browser, the callback URL)."""
    callback = sign_in_at_cas(browser or requests.Session(), start(client, next_path), login)
    return back_at_app(client, callback), callback


def me(client):
    return client.get("/api/v1/auth/me")


def user_named(app, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def test_start_sends_the_browser_to_the_cas_login_with_the_service(cas_app, cas_server):
    url = urlsplit(start(cas_app().test_client(), "/inbox"))
    assert f"{url.scheme}://{url.netloc}{url.path}" == cas_server.url + "login"
    assert parse_qs(url.query) == {"service": [f"{APP}/api/v1/auth/cas/callback?next=%2Finbox"]}


def test_first_sign_in_links_the_cas_user_and_comes_back_to_the_deep_link(cas_app, world):
    app = cas_app()
    client = app.test_client()
    zone = world.zones["A"].id
    assert sign_in(client, "worker-a", f"/zones/{zone}")[0] == f"/zones/{zone}"
    body = me(client).get_json()
    assert (body["user"]["username"], body["sso"]) == ("worker-a", True)
    assert user_named(app, "worker-a").sso_subject == "cas:worker-a"
    again = app.test_client()
    assert sign_in(again, "worker-a")[0] == "/"  # now by the linked subject
    assert me(again).status_code == 200


def test_an_unknown_user_is_refused(cas_app):
    app = cas_app()
    client = app.test_client()
    assert sign_in(client, "new-1", "/inbox")[0] == "/?sso_error=unknown_user&next=%2Finbox"
    assert me(client).status_code == 401
    assert user_named(app, "new-1") is None


def test_a_wrong_password_at_the_cas_server_never_reaches_the_app(cas_app):
    page = sign_in_at_cas(requests.Session(), start(cas_app().test_client()), "worker-a", "wrong")
    assert page.status_code == 200
    assert 'name="lt"' in page.text  # the login form again, and no ticket


def test_just_in_time_creates_a_worker_in_the_unit_of_the_attribute(cas_app, world):
    app = cas_app(CAS_CREATE_USERS=True)
    client = app.test_client()
    assert sign_in(client, "new-1")[0] == "/"
    body = me(client).get_json()["user"]
    assert (body["username"], body["name"], body["role"], body["unit"]["id"]) == (
        "new-1",
        "新员工",
        "worker",
        world.teams[1].id,
    )
    assert sign_in(app.test_client(), "new-2")[0] == "/?sso_error=unknown_unit"


def test_a_replayed_ticket_is_refused(cas_app):
    app = cas_app()
    _, callback = sign_in(app.test_client(), "worker-a")
    other = app.test_client()
    assert back_at_app(other, callback) == "/?sso_error=failed"  # the CAS server spent it
    assert me(other).status_code == 401


def test_a_tampered_ticket_or_next_is_refused(cas_app):
    app = cas_app()
    client = app.test_client()
    callback = sign_in_at_cas(requests.Session(), start(client, "/inbox"), "worker-a")
    ticket = parse_qs(urlsplit(callback).query)["ticket"][0]
    forged_ticket = ticket[:-4] + "AAAA"
    forged = f"{APP}/api/v1/auth/cas/callback?" + urlencode({"next": "/inbox", "ticket": forged_ticket})
    assert back_at_app(client, forged) == "/?sso_error=failed&next=%2Finbox"
    # The ticket is for the service with next=/inbox; another next is another service.
    moved = f"{APP}/api/v1/auth/cas/callback?" + urlencode({"next": "/zones", "ticket": ticket})
    assert back_at_app(client, moved) == "/?sso_error=failed&next=%2Fzones"
    missing = f"{APP}/api/v1/auth/cas/callback?next=%2Finbox"
    assert back_at_app(client, missing) == "/?sso_error=failed&next=%2Finbox"
    assert me(client).status_code == 401


def test_a_cas_server_that_does_not_answer_is_unavailable(make_app, world):
    client = make_app(CAS_SERVER_URL="http://127.0.0.1:9/cas/").test_client()
    callback = f"{APP}/api/v1/auth/cas/callback?ticket=ST-1"
    assert back_at_app(client, callback) == "/?sso_error=unavailable"


def test_sign_out_of_a_cas_session_answers_the_cas_sign_out(cas_app, cas_server):
    app = cas_app()
    client = app.test_client()
    browser = requests.Session()
    sign_in(client, "worker-a", browser=browser)
    # The CAS server's session is on: another start comes straight back with a ticket.
    assert browser.get(start(client), allow_redirects=False, timeout=10).status_code == 302
    client.csrf_token = me(client).get_json()["csrf_token"]
    answer = client.post("/api/v1/auth/logout")
    assert answer.status_code == 200
    logout = answer.get_json()["end_session_url"]
    assert logout == f"{cas_server.url}logout?" + urlencode({"service": f"{APP}/"})
    at_cas = browser.get(logout, timeout=10, allow_redirects=False)
    assert (at_cas.status_code, at_cas.headers["Location"]) == (302, f"{APP}/")
    assert me(client).status_code == 401
    again = browser.get(start(client), allow_redirects=False, timeout=10)
    assert again.status_code == 200 and 'name="lt"' in again.text  # it asks for the password again
    password_client = app.test_client()
    assert password_client.login("worker-a").get_json()["sso"] is False
    assert password_client.post("/api/v1/auth/logout").status_code == 204


def test_methods_name_the_cas_start_and_its_label(cas_app):
    app = cas_app(CAS_BUTTON_LABEL="用统一身份认证登录")
    assert app.test_client().get("/api/v1/auth/methods").get_json() == {
        "password": True,
        "sso": True,
        "sso_label": "用统一身份认证登录",
        "sso_start": "/api/v1/auth/cas/start",
    }


def test_oidc_and_cas_together_refuse_to_start(make_app):
    both = {"CAS_SERVER_URL": "https://cas.example.cn/cas/", "OIDC_METADATA_URL": "https://id.example.cn/x"}
    with pytest.raises(RuntimeError, match="not both"):
        make_app(**both, OIDC_CLIENT_ID="app")


@pytest.mark.parametrize(("setting", "value"), [("CAS_DEFAULT_ROLE", "admin"), ("CAS_VERSION", 1)])
def test_an_admin_just_in_time_or_an_unknown_cas_version_refuses_to_start(make_app, setting, value):
    with pytest.raises(RuntimeError, match=setting):
        make_app(CAS_SERVER_URL="https://cas.example.cn/cas/", **{setting: value})


def test_without_configuration_cas_start_comes_back_unavailable(app):
    answer = app.test_client().get("/api/v1/auth/cas/start?next=/inbox")
    assert (answer.status_code, answer.headers["Location"]) == (302, "/?sso_error=unavailable&next=%2Finbox")


def test_cas_2_validates_at_service_validate(cas_app):
    client = cas_app(CAS_VERSION=2).test_client()
    assert sign_in(client, "worker-a", "/inbox")[0] == "/inbox"
    assert me(client).get_json()["user"]["username"] == "worker-a"


def test_a_link_made_through_openid_connect_is_replaced_but_another_cas_users_is_not(cas_app, world):
    app = cas_app()
    worker = world.people[("worker", "A")].id
    for subject, outcome in (("oidc-sub-1", "/"), ("cas:someone-else", "/?sso_error=linked_elsewhere")):
        with app.app_context():
            db.session.get(User, worker).sso_subject = subject
            db.session.commit()
        assert sign_in(app.test_client(), "worker-a")[0] == outcome
    assert user_named(app, "worker-a").sso_subject == "cas:someone-else"
