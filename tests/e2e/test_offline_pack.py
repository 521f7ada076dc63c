"""Field journeys with no signal, from the offline pack (DESIGN §6, issue 15): the phone signs in
online once and keeps its pack; then, offline, a zone's sign never opened on that phone, a post's
typed code and another unit's sign each open something to act on, and what was done there is
sent once the signal is back."""

import re
import uuid

from sqlalchemy import func, select

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.checkins import CheckIn
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from server.models.places.posts import Post
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.accounts.passwords import hash_password
from tests.e2e.conftest import wait_for_js, wait_for_service_worker
from tests.e2e.test_pwa import report, wait_until_sent

OFFLINE_NOTE = "text=离线：显示的是离线数据"
BROWSER_WORDS = ("Failed to fetch", "NetworkError", "Requested device", "TypeError", "undefined", "null")


def sign_in_and_keep_the_pack(phone, username):
    """Sign in online, then wait (on state) until the service worker runs the app and 我的 shows
    the stored pack."""
    page = phone.page
    phone.sign_in(username)
    wait_for_service_worker(page)
    phone.go("/me")
    page.wait_for_selector("[data-pack-checked]")
    return page


def assert_no_browser_words(page):
    text = page.inner_text("body")
    assert not [word for word in BROWSER_WORDS if word in text], text


def place(server, model, code):
    with server.app.app_context():
        row = db.session.scalar(select(model).where(model.code == code))
        return row.id, row.qr_token


def hazards_titled(server, title):
    """[(zone_id, photos)] of the hazards with this title."""
    with server.app.app_context():
        hazards = db.session.scalars(select(Hazard).where(Hazard.title == title)).all()
        photos = [db.session.scalar(select(func.count()).where(Photo.hazard_id == h.id)) for h in hazards]
        return [(h.zone_id, n) for h, n in zip(hazards, photos, strict=True)]


def zone_of_another_unit(server):
    """A zone of a unit outside the demo teams (with a head of its own): in no demo worker's pack."""
    suffix = uuid.uuid4().hex[:6].upper()
    with server.app.app_context():
        unit = Unit(code=f"QT{suffix}", name="外单位检修班")
        db.session.add(unit)
        db.session.flush()
        head = User(username=f"qt-{suffix}".lower(), name="外单位区长", role="zone_head", unit_id=unit.id,
                    is_party_member=True, password_hash=hash_password("not-used-here-1"))  # fmt: skip
        db.session.add(head)
        db.session.flush()
        zone = Zone(code=f"QT-{suffix}", name="外单位 35kV 开关站", unit_id=unit.id, head_id=head.id)
        db.session.add(zone)
        db.session.commit()
        return zone.id, zone.qr_token


def test_a_zone_sign_never_opened_on_the_phone_opens_from_the_pack_and_takes_a_report(
    server, phone, photo_file
):
    zone_id, token = place(server, Zone, "BDZ-03")  # 李红梅's zone: liu never opened it
    worker = phone()
    page = sign_in_and_keep_the_pack(worker, "liu")
    worker.shot("offline-pack-settings")
    assert page.is_visible("text=立即更新离线数据") and page.is_visible("text=个责任区")
    worker.context.set_offline(True)
    worker.go(f"/z/{token}")  # the phone's camera opens the sign's link
    page.wait_for_url(re.compile(rf"/zones/{zone_id}$"))
    page.wait_for_selector("h2:has-text('35kV 西郊变电站')")
    page.wait_for_selector(OFFLINE_NOTE)
    assert page.is_visible("text=李红梅") and page.is_visible("a:has-text('上报隐患')")
    assert_no_browser_words(page)
    worker.shot("offline-zone-from-pack")
    page.click("a:has-text('上报隐患')")
    page.wait_for_selector("text=类别")
    assert page.is_visible("strong:has-text('35kV 西郊变电站')")
    report(page, "电缆沟盖板破损", photo_file, category="设备")
    page.wait_for_selector("text=已保存，将自动发送")
    worker.go("/outbox")
    page.wait_for_selector("text=等待发送")
    assert hazards_titled(server, "电缆沟盖板破损") == []
    worker.context.set_offline(False)
    wait_until_sent(worker)
    assert hazards_titled(server, "电缆沟盖板破损") == [(zone_id, 1)]


def test_an_own_task_never_opened_opens_from_the_pack_and_takes_a_fix(server, phone, photo_file):
    with server.app.app_context():
        liu = db.session.scalar(select(User.id).where(User.username == "liu"))
        task = db.session.scalar(
            select(Hazard).where(Hazard.assignee_id == liu, Hazard.status == "rectifying").order_by(Hazard.id)
        )
        task_id, title = task.id, task.title
    worker = phone()
    page = sign_in_and_keep_the_pack(worker, "liu")
    worker.context.set_offline(True)
    worker.go(f"/hazards/{task_id}")
    page.wait_for_selector(f"h2:has-text('{title}')")
    page.wait_for_selector(OFFLINE_NOTE)
    page.wait_for_selector("text=处理记录有网后显示")
    assert_no_browser_words(page)
    worker.shot("offline-task-from-pack")
    page.click("button:has-text('提交整改')")
    page.fill(".action-form textarea", "已更换灭火器并检查压力")
    page.set_input_files(".photo-picker input[type=file]", photo_file)
    page.wait_for_selector(".photo-grid figure img")
    page.click(".action-form button.primary")
    page.wait_for_selector("text=操作已保存，将自动发送")
    worker.context.set_offline(False)
    wait_until_sent(worker)
    with server.app.app_context():
        hazard = db.session.get(Hazard, task_id)
        fix_photos = db.session.scalar(
            select(func.count()).where(Photo.hazard_id == task_id, Photo.stage == "rectification")
        )
        assert (hazard.status, fix_photos) == ("verifying", 1)


def test_a_posts_typed_code_opens_the_post_offline_and_checks_in(server, phone):
    post_id, _ = place(server, Post, "SFG-01")
    with server.app.app_context():
        before = db.session.scalar(select(func.count()).where(CheckIn.post_id == post_id))
    holder = phone()
    page = sign_in_and_keep_the_pack(holder, "zhang")
    holder.context.set_offline(True)
    holder.go("/scan")
    page.wait_for_selector("text=或输入标牌上的编码")
    page.wait_for_selector(".note")  # the camera's answer, in our words
    assert_no_browser_words(page)
    holder.shot("offline-scan")
    page.fill("input[placeholder^='编码']", "  sfg-01 ")
    page.click("button:has-text('打开')")
    page.wait_for_url(re.compile(rf"/posts/{post_id}$"))
    page.wait_for_selector("h2:has-text('城东变电站党员示范岗')")
    page.wait_for_selector(OFFLINE_NOTE)
    assert page.is_visible("text=张建国")
    assert_no_browser_words(page)
    holder.shot("offline-post-from-pack")
    page.click("button:has-text('打卡')")
    page.wait_for_selector("text=打卡已保存，将自动发送")
    holder.context.set_offline(False)
    wait_until_sent(holder)
    with server.app.app_context():
        assert db.session.scalar(select(func.count()).where(CheckIn.post_id == post_id)) == before + 1


def test_an_unknown_code_offline_says_what_to_do(server, phone):
    worker = phone()
    page = sign_in_and_keep_the_pack(worker, "liu")
    worker.context.set_offline(True)
    worker.go("/scan")
    page.fill("input[placeholder^='编码']", "NO-SUCH-01")
    page.click("button:has-text('打开')")
    page.wait_for_selector("text=手机上的离线数据里没有这个编码")
    assert_no_browser_words(page)
    worker.shot("offline-scan-unknown-code")
    worker.context.set_offline(False)


def test_another_units_sign_offline_keeps_a_report_that_the_server_resolves(server, phone, photo_file):
    zone_id, token = zone_of_another_unit(server)
    worker = phone()
    page = sign_in_and_keep_the_pack(worker, "liu")
    worker.context.set_offline(True)
    worker.go(f"/z/{token}")
    page.wait_for_selector("h2:has-text('暂时无法显示这个责任区')")
    assert_no_browser_words(page)
    worker.shot("offline-sign-not-in-pack")
    page.click("a:has-text('上报隐患')")
    page.wait_for_url(re.compile(rf"/z/{re.escape(token)}/report$"))
    page.wait_for_selector("text=由服务器按标牌确定责任区")
    worker.shot("offline-report-by-sign")
    report(page, "开关柜门未上锁", photo_file)
    page.wait_for_url(re.compile(r"/outbox$"))
    page.wait_for_selector("text=等待发送")
    worker.context.set_offline(False)
    wait_until_sent(worker)
    assert hazards_titled(server, "开关柜门未上锁") == [(zone_id, 1)]


def test_a_report_by_a_sign_replaced_meanwhile_fails_with_the_servers_reason(server, phone, photo_file):
    zone_id, token = zone_of_another_unit(server)
    worker = phone()
    page = sign_in_and_keep_the_pack(worker, "liu")
    worker.context.set_offline(True)
    worker.go(f"/z/{token}/report")
    page.wait_for_selector("text=由服务器按标牌确定责任区")
    report(page, "标牌已更换的上报", photo_file)
    page.wait_for_selector("text=等待发送")
    with server.app.app_context():  # meanwhile the sign is replaced
        db.session.get(Zone, zone_id).rotate_token()
        db.session.commit()
    worker.context.set_offline(False)
    page.wait_for_selector("text=这块二维码标牌已失效")
    assert page.is_visible("button:has-text('放弃')")
    worker.shot("outbox-sign-no-longer-valid")
    assert hazards_titled(server, "标牌已更换的上报") == []
    wait_for_js(page, "document.querySelectorAll('.outbox-item.state-failed').length === 1")
    # 修改: the worker chooses the zone by hand instead of the dead sign, and the report goes there.
    page.click("a:has-text('修改')")
    page.wait_for_selector("select option:has-text('按原标牌')", state="attached")
    wait_for_js(page, "document.querySelectorAll('form select option').length > 1")
    chosen = page.eval_on_selector("form select", "s => s.options[1].value")
    page.select_option("form select", chosen)
    page.wait_for_selector("text=由服务器按标牌确定责任区", state="detached")
    page.wait_for_selector(".photo-grid figure img")  # the kept photo is shown again
    worker.shot("outbox-edit-choose-zone")
    page.click("button:has-text('提交上报')")
    page.wait_for_url(re.compile(r"/outbox$"))
    wait_until_sent(worker)
    assert hazards_titled(server, "标牌已更换的上报") == [(int(chosen), 1)]
