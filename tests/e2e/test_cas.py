"""Single sign-on through CAS in the browser, against the real CAS server (django-cas-server,
tests/cas_server.py): 用公司账号登录 goes to the CAS login (the start named by /auth/methods),
comes back to the deep link signed in; sign-out ends the CAS session too; a refusal reads as words."""

import re

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from tests.cas_server import PASSWORD, CasServer
from tests.e2e.conftest import serve

PEOPLE = {"chen": {"name": "陈小勇", "unit": "BDZ"}, "nobody-here": {"name": "陌生人", "unit": "BDZ"}}


@pytest.fixture(scope="module")
def server(database, tmp_path_factory):
    """The app with the demo company and CAS on, and a CAS server whose one service is that app."""
    cas = CasServer(tmp_path_factory.mktemp("cas"), "http://127.0.0.1", PEOPLE)
    served = serve(database, tmp_path_factory, **cas.app_settings())
    app = next(served)
    cas.app_url = app.url  # the app's port is known once it listens
    app.cas = cas.start()
    yield app
    cas.stop()
    next(served, None)


def sign_in_at_cas(page, login):
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def _hazard(server, zone_code):
    with server.app.app_context():
        zone = db.session.scalar(select(Zone).where(Zone.code == zone_code))
        hazard = db.session.scalar(select(Hazard).where(Hazard.zone_id == zone.id).order_by(Hazard.id))
        return hazard.id, hazard.number


def test_company_sign_in_through_cas_comes_back_to_the_deep_link_and_signs_out_there_too(server, phone):
    hazard_id, number = _hazard(server, "BDZ-01")
    worker = phone()
    page = worker.page
    worker.go(f"/hazards/{hazard_id}")
    page.click("a:has-text('用公司账号登录')")
    page.wait_for_url(re.compile(rf"{re.escape(server.cas.url)}login\?service="), wait_until="commit")
    sign_in_at_cas(page, "chen")
    page.wait_for_url(re.compile(rf"{re.escape(server.url)}/hazards/{hazard_id}$"))
    page.wait_for_selector(f"text={number}")
    worker.go("/me")
    page.click("button:has-text('退出登录')")
    # Through the CAS server's sign-out, which sends the browser back to the app's home.
    page.wait_for_url(re.compile(rf"{re.escape(server.url)}/$"))
    page.click("a:has-text('用公司账号登录')")
    page.wait_for_selector("input[name=username]")  # the CAS session has ended: it asks again


def test_someone_the_app_does_not_know_reads_why(server, phone):
    stranger = phone()
    page = stranger.page
    stranger.go("/")
    page.click("a:has-text('用公司账号登录')")
    sign_in_at_cas(page, "nobody-here")
    page.wait_for_selector("text=本系统还没有你的账号")
    assert page.url.startswith(f"{server.url}/?sso_error=unknown_user")
    stranger.shot("cas-unknown-user")
