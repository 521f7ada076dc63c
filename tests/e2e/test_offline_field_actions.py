"""The rest of the field's actions with no signal (issue 15): a hazard fixed on the spot, a patrol
round of a zone the head's phone never opened (its tile says the patrol is due, from the pack)."""

import re
import uuid

from sqlalchemy import func, select

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.patrols import Patrol
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from tests.e2e.test_offline_pack import assert_no_browser_words, place, sign_in_and_keep_the_pack
from tests.e2e.test_offline_party_and_home import FORGET_SAVED_LISTS
from tests.e2e.test_pwa import wait_until_sent


def test_a_hazard_fixed_on_the_spot_offline_arrives_fixed_with_both_photos(server, phone, photo_file):
    zone_id, token = place(server, Zone, "BDZ-03")
    worker = phone()
    page = sign_in_and_keep_the_pack(worker, "liu")
    worker.context.set_offline(True)
    worker.go(f"/z/{token}")
    page.wait_for_url(re.compile(rf"/zones/{zone_id}$"))
    page.click("a:has-text('上报隐患')")
    page.wait_for_selector("text=类别")
    page.click("button.choice:has-text('设备')")
    page.fill("input[maxlength='100']", "警示牌破损已当场更换")
    pickers = page.locator(".photo-picker")
    pickers.nth(0).locator("input[type=file]").set_input_files(photo_file)
    pickers.nth(0).locator("figure img").wait_for()
    page.check("label.switch input")
    page.fill("textarea[required]", "已当场更换破损的警示牌")
    pickers.nth(1).locator("input[type=file]").set_input_files(photo_file)
    pickers.nth(1).locator("figure img").wait_for()
    worker.shot("offline-fixed-on-the-spot")
    page.click("button:has-text('提交上报')")
    page.wait_for_selector("text=已保存，将自动发送")
    assert_no_browser_words(page)
    worker.context.set_offline(False)
    wait_until_sent(worker)
    with server.app.app_context():
        hazard = db.session.scalar(select(Hazard).where(Hazard.title == "警示牌破损已当场更换"))
        stages = dict(
            db.session.execute(
                select(Photo.stage, func.count()).where(Photo.hazard_id == hazard.id).group_by(Photo.stage)
            ).all()
        )
        assert (hazard.zone_id, hazard.fixed_on_spot, hazard.status) == (zone_id, True, "verifying")
        assert stages == {"report": 1, "rectification": 1}


def a_zone_never_patrolled(server, head_username):
    """A new zone of the head's unit, with no patrol yet: due for one."""
    suffix = uuid.uuid4().hex[:6].upper()
    with server.app.app_context():
        head = db.session.scalar(select(User).where(User.username == head_username))
        zone = Zone(code=f"XC-{suffix}", name=f"巡查测试区{suffix}", unit_id=head.unit_id, head_id=head.id,
                    patrol_checklist=["安全围栏", "警示标志"])  # fmt: skip
        db.session.add(zone)
        db.session.commit()
        return zone.id, zone.name


def test_a_patrol_due_shows_from_the_pack_and_the_round_is_sent_later(server, phone):
    zone_id, name = a_zone_never_patrolled(server, "li")
    head = phone()
    page = sign_in_and_keep_the_pack(head, "li")
    assert page.evaluate(FORGET_SAVED_LISTS)
    head.context.set_offline(True)
    head.go("/")
    tile = f".tile:has-text('{name}')"
    page.wait_for_selector(f"{tile} .badge:has-text('待巡查')")
    head.shot("offline-home-patrol-due")
    page.click(tile)
    page.wait_for_url(re.compile(rf"/zones/{zone_id}$"))
    page.click("a:has-text('开始巡查')")
    page.wait_for_selector("ul.checklist li:has-text('警示标志')")
    page.click("ul.checklist li:has-text('警示标志') button:has-text('有问题')")
    page.fill("textarea", "警示标志褪色")
    head.shot("offline-patrol-checklist")
    page.click("button:has-text('提交巡查')")
    page.wait_for_selector("text=巡查已保存，将自动发送")
    assert_no_browser_words(page)
    head.context.set_offline(False)
    wait_until_sent(head)
    with server.app.app_context():
        patrols = db.session.scalars(select(Patrol).where(Patrol.zone_id == zone_id)).all()
        assert [(p.checklist, p.note) for p in patrols] == [
            ([{"item": "安全围栏", "ok": True}, {"item": "警示标志", "ok": False}], "警示标志褪色")
        ]
