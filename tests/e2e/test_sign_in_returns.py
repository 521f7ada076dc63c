"""Sign-in keeps the place (issue 15, item 5): a deep link opened without a session, the public
board of a scanned sign, and a forced password change on the way all end on the screen the link
named, never on Home; a `next` outside the app's own paths is ignored."""

import re
import uuid

from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.loop.hazards import Hazard
from server.models.places.posts import Post
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.accounts.passwords import hash_password
from server.services.demo.seed import DEMO_PASSWORD


def _fill_sign_in(page, username, password=DEMO_PASSWORD):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button:has-text('登录')")


def _row(server, model, code):
    with server.app.app_context():
        row = db.session.scalar(select(model).where(model.code == code))
        return row.id, row.qr_token


def test_a_deep_link_opened_without_a_session_is_where_sign_in_ends(server, phone):
    with server.app.app_context():
        zone = db.session.scalar(select(Zone).where(Zone.code == "BDZ-01"))
        hazard = db.session.scalar(select(Hazard).where(Hazard.zone_id == zone.id).order_by(Hazard.id))
        hazard_id, number = hazard.id, hazard.number
    worker = phone()
    page = worker.page
    worker.go(f"/hazards/{hazard_id}")
    page.wait_for_selector("input[name=username]")
    _fill_sign_in(page, "chen")
    page.wait_for_selector("nav.tabs")
    page.wait_for_selector(f"text={number}")
    assert page.url.endswith(f"/hazards/{hazard_id}")


HOME_WATCH = """window.__homeShown = false;
new MutationObserver(() => {
  if (document.querySelector('a.cta[href="/scan"]')) window.__homeShown = true;
}).observe(document, { childList: true, subtree: true });"""


def test_sign_in_from_a_signs_public_board_opens_the_zone(server, phone):
    zone_id, token = _row(server, Zone, "BDZ-01")
    worker = phone()
    page = worker.page
    # Whether the home screen (its scan button) is ever drawn on the way: it must not flash.
    page.add_init_script(HOME_WATCH)
    worker.go(f"/z/{token}")
    page.wait_for_selector("text=本月已销号")  # what a phone without a session sees: the public board
    page.click("a:has-text('员工登录')")
    page.wait_for_selector("input[name=username]")
    worker.shot("sign-in-from-board")
    _fill_sign_in(page, "chen")
    page.wait_for_url(re.compile(rf"/zones/{zone_id}$"))
    page.wait_for_selector("h2:has-text('110kV 城东变电站主控室')")
    page.wait_for_selector("a:has-text('上报隐患')")
    assert page.evaluate("window.__homeShown") is False


def test_a_forced_password_change_on_the_way_still_ends_on_the_post(server, phone):
    post_id, token = _row(server, Post, "SFG-01")
    username = f"new-{uuid.uuid4().hex[:6]}"
    with server.app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == "BDZ"))
        db.session.add(
            User(
                username=username,
                name="新员工",
                role="worker",
                unit_id=unit.id,
                is_party_member=False,
                password_hash=hash_password("first-time-1"),
                must_change_password=True,
            )
        )
        db.session.commit()
    worker = phone()
    page = worker.page
    worker.go(f"/p/{token}")
    page.wait_for_selector("input[name=username]")
    _fill_sign_in(page, username, "first-time-1")
    page.wait_for_selector("text=首次登录请先修改密码")
    page.fill("input[autocomplete=current-password]", "first-time-1")
    page.fill("input[autocomplete=new-password]", "second-time-2")
    page.click("button:has-text('修改密码')")
    page.wait_for_url(re.compile(rf"/posts/{post_id}$"))
    page.wait_for_selector("h2:has-text('城东变电站党员示范岗')")


def test_a_next_that_is_not_the_apps_own_path_is_ignored(server, phone):
    worker = phone()
    page = worker.page
    worker.go("/?next=https%3A%2F%2Fevil.example%2Fz%2Fabc")
    page.wait_for_selector("input[name=username]")
    _fill_sign_in(page, "chen")
    page.wait_for_selector("nav.tabs")
    page.wait_for_selector("text=陈小勇，您好")
    assert page.url.startswith(worker.server.url + "/")
