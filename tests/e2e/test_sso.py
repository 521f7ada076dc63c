"""Single sign-on in the browser (issue 17, item 1), against the real provider (oidc-provider,
tests/sso_provider.py): 用公司账号登录 from a deep link comes back to it signed in; a report
queued with no signal before the session ended is sent after signing in again through the
provider; passwords off keep the admin's form behind a disclosure; a refusal reads as words."""

import re

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from server.services.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import Phone, serve, wait_for_service_worker
from tests.e2e.test_pwa import hazard_by_title, report
from tests.sso_provider import SsoProvider

PEOPLE = {
    "sub-chen": {"preferred_username": "chen", "name": "陈小勇", "unit": "BDZ"},
    "sub-stranger": {"preferred_username": "nobody-here", "name": "陌生人", "unit": "BDZ"},
}


def _serve_with_provider(database, tmp_path_factory, **settings):
    """The app with the demo company, and a provider whose one client is that app."""
    provider = SsoProvider(tmp_path_factory.mktemp("sso"), "http://127.0.0.1", PEOPLE)
    served = serve(database, tmp_path_factory, **provider.app_settings(**settings))
    server = next(served)
    provider.app_url = server.url  # the app's port is known once it listens
    provider.start()
    server.provider = provider
    yield server
    provider.stop()
    next(served, None)


@pytest.fixture(scope="module")
def server(database, tmp_path_factory):
    yield from _serve_with_provider(database, tmp_path_factory)


@pytest.fixture(scope="module")
def sso_only_server(database, tmp_path_factory):
    yield from _serve_with_provider(database, tmp_path_factory, PASSWORD_LOGIN=False)


def sign_in_at_provider(page, login):
    """devInteractions' sign-in page: any password; the login is the person's `sub`."""
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any")
    page.click("button[type=submit]")


def _hazard(server, zone_code):
    with server.app.app_context():
        zone = db.session.scalar(select(Zone).where(Zone.code == zone_code))
        hazard = db.session.scalar(select(Hazard).where(Hazard.zone_id == zone.id).order_by(Hazard.id))
        return zone.id, hazard.id, hazard.number


def test_company_sign_in_from_a_deep_link_comes_back_to_it_signed_in(server, phone):
    _, hazard_id, number = _hazard(server, "BDZ-01")
    worker = phone()
    page = worker.page
    worker.go(f"/hazards/{hazard_id}")
    button = page.wait_for_selector("a:has-text('用公司账号登录')")
    assert page.is_visible("input[name=password]")  # passwords are on here: both ways
    assert button.bounding_box()["width"] > 300  # a full-width tap target at 360 px
    worker.shot("sso-login")
    button.click()
    sign_in_at_provider(page, "sub-chen")
    page.wait_for_url(re.compile(rf"{re.escape(server.url)}/hazards/{hazard_id}$"))
    page.wait_for_selector("nav.tabs")
    page.wait_for_selector(f"text={number}")


def test_a_report_queued_before_the_session_ended_is_sent_after_signing_in_through_the_provider(
    server, phone, photo_file
):
    zone_id, _, _ = _hazard(server, "BDZ-02")
    worker = phone()
    page = worker.page
    worker.go(f"/zones/{zone_id}")
    page.click("a:has-text('用公司账号登录')")
    sign_in_at_provider(page, "sub-chen")
    page.wait_for_selector("a:has-text('上报隐患')")
    wait_for_service_worker(page)
    worker.context.set_offline(True)
    page.click("a:has-text('上报隐患')")
    page.wait_for_selector("text=类别")
    report(page, "电缆沟盖板缺失（统一认证）", photo_file)
    page.wait_for_url(re.compile(rf"/zones/{zone_id}$"))
    with server.app.app_context():  # meanwhile the session ends (signed out elsewhere, or expired)
        db.session.scalar(select(User).where(User.username == "chen")).end_sessions()
        db.session.commit()
    worker.context.set_offline(False)
    worker.go("/outbox")  # a fresh start: the server no longer knows the session
    page.click("a:has-text('用公司账号登录')")
    # The provider's own session is still on: it sends the browser straight back.
    page.wait_for_url(re.compile(rf"{re.escape(server.url)}/outbox$"))
    page.wait_for_selector(".outbox-item.state-sent")
    hazards, photos = hazard_by_title(server, "电缆沟盖板缺失（统一认证）")
    assert len(hazards) == 1 and photos == 1


def test_someone_the_app_does_not_know_reads_why(server, phone):
    stranger = phone()
    page = stranger.page
    stranger.go("/")
    page.click("a:has-text('用公司账号登录')")
    sign_in_at_provider(page, "sub-stranger")
    page.wait_for_selector("text=本系统还没有你的账号")
    assert page.url.startswith(f"{server.url}/?sso_error=unknown_user")
    stranger.shot("sso-unknown-user")


def test_with_passwords_off_the_form_is_the_admins_behind_a_disclosure(sso_only_server, browser):
    admin = Phone(browser, sso_only_server)
    page = admin.page
    admin.go("/")
    page.wait_for_selector("a:has-text('用公司账号登录')")
    page.wait_for_selector("summary:has-text('管理员登录')")
    assert not page.is_visible("input[name=password]")
    admin.shot("sso-only-login")
    page.click("summary:has-text('管理员登录')")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_selector("nav.tabs")
    admin.close()


def test_signing_out_ends_the_providers_session_too_and_comes_back_to_sign_in(server, phone):
    worker = phone()
    page = worker.page
    worker.go("/me")
    page.click("a:has-text('用公司账号登录')")
    sign_in_at_provider(page, "sub-chen")
    page.wait_for_url(re.compile(rf"{re.escape(server.url)}/me$"))
    page.wait_for_selector("button:has-text('退出登录')")
    assert not page.is_visible("text=修改密码")  # a company account's password is the platform's
    page.click("button:has-text('退出登录')")
    # Its page asks for a web font from outside: waiting for "load" would wait out that request.
    page.wait_for_url(re.compile(rf"{re.escape(server.provider.issuer)}/session/end"), wait_until="commit")
    page.click("button:has-text('Yes, sign me out')")
    page.wait_for_url(re.compile(rf"{re.escape(server.url)}/(\?state=.*)?$"))  # the logout's own state
    page.wait_for_selector("a:has-text('用公司账号登录')")
    # The provider's session has ended as well: signing in again asks for the login there.
    page.click("a:has-text('用公司账号登录')")
    page.wait_for_selector("input[name=login]")
