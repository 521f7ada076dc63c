"""Drafts (issue 15, item 3): a half-filled report keeps its title and photo across a reload and
leaving the screen, one draft per zone, until it is sent (then the form is empty again) or
discarded; a fix form keeps its note and photo per hazard the same way."""

import re

from sqlalchemy import func, select

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from tests.e2e.conftest import wait_for_js
from tests.e2e.test_pwa import hazard_by_title, wait_until_sent

TITLE = "input[maxlength='100']"
NAVIGATE = "((path) => { history.pushState({}, '', path); dispatchEvent(new PopStateEvent('popstate')); })"


def test_a_report_draft_survives_a_reload_and_is_gone_once_sent(server, phone, photo_file):
    with server.app.app_context():
        zones = dict(
            db.session.execute(select(Zone.code, Zone.id).where(Zone.code.in_(["BDZ-01", "BDZ-02"]))).all()
        )
    worker = phone("chen", f"/zones/{zones['BDZ-01']}/report")
    page = worker.page
    page.wait_for_selector("text=类别")
    page.click("button.choice:has-text('消防')")
    page.fill(TITLE, "2号消防柜灭火器压力不足")
    page.set_input_files(".photo-picker input[type=file]", photo_file)
    page.wait_for_selector(".photo-grid figure img")
    page.wait_for_selector("text=草稿已自动保存在手机上")
    page.reload()  # as after a restart of the app
    wait_for_js(page, f"document.querySelector(\"{TITLE}\")?.value === '2号消防柜灭火器压力不足'")
    page.wait_for_selector(".photo-grid figure img")
    assert page.is_visible("button.choice.selected:has-text('消防')")
    worker.shot("report-draft-restored")
    # Another zone, within the app (the same form, another place): a draft of its own.
    page.evaluate(f"navigate_to('/zones/{zones['BDZ-02']}/report')".replace("navigate_to", NAVIGATE))
    wait_for_js(page, f"document.querySelector(\"{TITLE}\").value === ''")
    page.wait_for_selector("form[data-draft-ready=true]")
    assert page.input_value(TITLE) == "" and page.locator(".photo-grid figure").count() == 0
    page.evaluate(f"navigate_to('/zones/{zones['BDZ-01']}/report')".replace("navigate_to", NAVIGATE))
    wait_for_js(page, f"document.querySelector(\"{TITLE}\")?.value === '2号消防柜灭火器压力不足'")
    page.wait_for_selector(".photo-grid figure img")
    page.click("button:has-text('提交上报')")
    page.wait_for_url(re.compile(rf"/zones/{zones['BDZ-01']}$"))
    wait_until_sent(worker)
    hazards, photos = hazard_by_title(server, "2号消防柜灭火器压力不足")
    assert len(hazards) == 1 and photos == 1
    worker.go(f"/zones/{zones['BDZ-01']}/report")
    page.wait_for_selector("form[data-draft-ready=true]")
    assert page.input_value(TITLE) == "" and page.locator(".photo-grid figure").count() == 0
    assert page.locator("text=放弃草稿").count() == 0


def test_a_discarded_draft_is_gone_after_a_reload(server, phone, photo_file):
    with server.app.app_context():
        zone_id = db.session.scalar(select(Zone.id).where(Zone.code == "BDZ-03"))
    worker = phone("liu", f"/zones/{zone_id}/report")
    page = worker.page
    page.wait_for_selector("text=类别")
    page.fill(TITLE, "围栏缺口")
    page.set_input_files(".photo-picker input[type=file]", photo_file)
    page.wait_for_selector(".photo-grid figure img")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('放弃草稿')")
    wait_for_js(page, f"document.querySelector(\"{TITLE}\").value === ''")
    page.reload()
    page.wait_for_selector("form[data-draft-ready=true]")
    assert page.input_value(TITLE) == "" and page.locator(".photo-grid figure").count() == 0


def test_a_fix_draft_keeps_its_note_and_photo_across_a_reload(server, phone, photo_file):
    with server.app.app_context():
        liu = db.session.scalar(select(User.id).where(User.username == "liu"))
        task = db.session.scalar(
            select(Hazard).where(Hazard.assignee_id == liu, Hazard.status == "rectifying").order_by(Hazard.id)
        )
        task_id, title = task.id, task.title
    worker = phone("liu", f"/hazards/{task_id}")
    page = worker.page
    page.wait_for_selector(f"h2:has-text('{title}')")
    page.click("button:has-text('提交整改')")
    page.fill(".action-form textarea", "已更换接线端子")
    page.set_input_files(".photo-picker input[type=file]", photo_file)
    page.wait_for_selector(".photo-grid figure img")
    page.wait_for_selector("text=草稿已自动保存在手机上")
    worker.shot("fix-draft")
    page.reload()
    page.wait_for_selector(f"h2:has-text('{title}')")
    page.click("button:has-text('提交整改')")
    wait_for_js(page, "document.querySelector('.action-form textarea')?.value === '已更换接线端子'")
    page.wait_for_selector(".action-form .photo-grid figure img")
    page.click(".action-form button.primary")
    page.wait_for_selector("text=操作已保存，将自动发送")
    wait_until_sent(worker)
    with server.app.app_context():
        hazard = db.session.get(Hazard, task_id)
        fix_photos = db.session.scalar(
            select(func.count()).where(Photo.hazard_id == task_id, Photo.stage == "rectification")
        )
        assert (hazard.status, fix_photos) == ("verifying", 1)
