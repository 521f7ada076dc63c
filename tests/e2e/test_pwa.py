"""The phone app, driven as field users would: the loop across roles, offline, deep links."""

import re

from sqlalchemy import func, select

from server.extensions import db
from server.models.field.checkins import CheckIn
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from server.models.places.posts import Post
from server.models.places.zones import Zone
from tests.e2e.conftest import SCREENSHOTS, wait_for_js, wait_for_service_worker


def zone_id(server, code):
    with server.app.app_context():
        return db.session.scalar(select(Zone.id).where(Zone.code == code))


def hazard_by_title(server, title):
    with server.app.app_context():
        hazards = db.session.scalars(select(Hazard).where(Hazard.title == title)).all()
        photos = db.session.scalar(
            select(func.count()).select_from(Photo).where(Photo.hazard_id.in_([h.id for h in hazards]))
        )
        return hazards, photos


def report(page, title, photo_file, category="电气"):
    page.click(f"button.choice:has-text('{category}')")
    page.fill("input[maxlength='100']", title)
    page.set_input_files(".photo-picker input[type=file]", photo_file)
    page.wait_for_selector(".photo-grid figure img")
    page.click("button:has-text('提交上报')")


ALL_SENT = """() => document.querySelector('.outbox-item.state-sent') !== null &&
  document.querySelectorAll('.outbox-item:not(.state-sent)').length === 0"""


def wait_until_sent(phone):
    """Open the outbox and wait until every item there is sent."""
    phone.go("/outbox")
    wait_for_js(phone.page, ALL_SENT)


def test_the_whole_loop_across_roles(server, phone, photo_file):
    bdz = zone_id(server, "BDZ-01")
    worker = phone()
    worker.sign_in("chen")
    worker.shot("home-worker")
    worker.go(f"/zones/{bdz}")
    worker.page.wait_for_selector("text=上报隐患")
    worker.shot("zone")
    worker.page.click("a:has-text('上报隐患')")
    worker.page.wait_for_selector("text=类别")
    worker.shot("report-empty")
    report(worker.page, "接地线夹松动", photo_file)
    worker.page.wait_for_selector("text=已保存，将自动发送")
    wait_until_sent(worker)
    hazards, photos = hazard_by_title(server, "接地线夹松动")
    assert len(hazards) == 1 and photos == 1
    hazard = hazards[0]
    with server.app.app_context():
        photo = db.session.scalar(select(Photo).where(Photo.hazard_id == hazard.id))
        # 2000×1500 with EXIF orientation 6 → shrunk on the phone, upright: 1200×1600; the
        # capture place read by exifr before the canvas dropped EXIF came along as form fields.
        assert (photo.width, photo.height) == (1200, 1600)
        assert photo.gps_source == "client" and abs(photo.lat - 30.2741) < 1e-3

    head = phone()
    head.sign_in("zhang")
    head.shot("home-zone-head")
    head.go(f"/hazards/{hazard.id}")
    head.page.click("button:has-text('确认')")
    head.page.select_option("select", label="陈小勇")
    head.page.fill("textarea", "紧固线夹，复测接地电阻")
    head.shot("confirm-form")
    head.page.click("button:has-text('提交')")
    head.page.wait_for_selector("text=操作已保存，将自动发送")
    wait_until_sent(head)

    worker.go(f"/hazards/{hazard.id}")
    worker.page.wait_for_selector("text=整改中")
    worker.page.click("button:has-text('提交整改')")
    worker.page.fill("textarea", "已紧固并复测合格")
    worker.page.set_input_files(".photo-picker input[type=file]", photo_file)
    worker.page.wait_for_selector(".photo-grid figure img")
    worker.page.click(".action-form button.primary")
    worker.page.wait_for_selector("text=操作已保存，将自动发送")
    wait_until_sent(worker)

    head.go(f"/hazards/{hazard.id}")
    head.page.wait_for_selector("text=待验收")
    head.shot("hazard-verifying")
    head.page.click("button:has-text('验收通过')")
    head.page.click(".action-form button.primary")
    head.page.wait_for_selector("text=操作已保存，将自动发送")
    wait_until_sent(head)

    supervisor = phone()
    supervisor.sign_in("jiandu")
    supervisor.page.wait_for_selector("text=挂牌督办 >> xpath=../.. >> .hazard-card")
    supervisor.shot("home-supervisor")
    supervisor.go(f"/hazards/{hazard.id}")
    supervisor.page.wait_for_selector(".hazard-head >> text=已闭环")
    supervisor.shot("hazard-closed")
    timeline = supervisor.page.inner_text(".timeline")
    for step in ("上报", "确认", "提交整改", "验收通过"):
        assert step in timeline


def test_an_offline_report_survives_a_reload_and_is_sent_once(server, phone, photo_file):
    bdz = zone_id(server, "BDZ-02")
    worker = phone()
    worker.sign_in("liu")
    worker.go(f"/zones/{bdz}")
    worker.page.wait_for_selector("text=上报隐患")
    wait_for_service_worker(worker.page)
    worker.context.set_offline(True)
    worker.go(f"/zones/{bdz}/report")  # served by the service worker
    worker.page.wait_for_selector("text=类别")
    report(worker.page, "围栏门锁损坏", photo_file, category="设备")
    worker.page.wait_for_selector("text=已保存，将自动发送")
    worker.go("/outbox")
    worker.page.wait_for_selector("text=等待发送")
    worker.shot("outbox-offline")
    worker.page.reload()
    worker.page.wait_for_selector("text=围栏门锁损坏")
    assert hazard_by_title(server, "围栏门锁损坏") == ([], 0)
    worker.context.set_offline(False)
    worker.page.wait_for_selector(".state-sent")
    worker.shot("outbox-sent")
    hazards, photos = hazard_by_title(server, "围栏门锁损坏")
    assert len(hazards) == 1 and photos == 1


def test_a_failed_report_shows_the_servers_reason(server, phone, photo_file):
    zone = zone_id(server, "XL-02")
    worker = phone()
    worker.sign_in("sun")
    worker.go(f"/zones/{zone}")
    worker.page.wait_for_selector("text=上报隐患")
    wait_for_service_worker(worker.page)
    worker.context.set_offline(True)
    worker.go(f"/zones/{zone}/report")
    report(worker.page, "跨越架倾斜", photo_file, category="高处作业")
    worker.page.wait_for_selector("text=已保存，将自动发送")
    with server.app.app_context():  # meanwhile an admin retires the zone
        db.session.get(Zone, zone).active = False
        db.session.commit()
    worker.context.set_offline(False)
    worker.go("/outbox")
    worker.page.wait_for_selector("text=该责任区已停用")
    worker.shot("outbox-failed")
    assert worker.page.is_visible("button:has-text('放弃')")
    with server.app.app_context():
        db.session.get(Zone, zone).active = True
        db.session.commit()


def test_check_in_through_the_posts_deep_link(server, phone):
    with server.app.app_context():
        post = db.session.scalar(select(Post).where(Post.code == "SFG-01"))
        token, post_id = post.qr_token, post.id
        before = db.session.scalar(
            select(func.count()).select_from(CheckIn).where(CheckIn.post_id == post_id)
        )
    holder = phone()
    holder.sign_in("zhang")
    holder.go(f"/p/{token}")
    holder.page.wait_for_url(re.compile(rf"/posts/{post_id}$"))
    holder.page.wait_for_selector("text=本月打卡")
    holder.shot("post")
    holder.page.click("button:has-text('打卡')")
    holder.page.wait_for_selector("text=打卡成功：在岗位范围内，距离 0 米")  # what the server recorded
    wait_until_sent(holder)
    with server.app.app_context():
        checkins = db.session.scalars(
            select(CheckIn).where(CheckIn.post_id == post_id).order_by(CheckIn.id)
        ).all()
        assert len(checkins) == before + 1 and checkins[-1].within_geofence is True


def test_switching_to_english_and_back(server, phone):
    user = phone()
    user.sign_in("wang")
    user.go("/me")
    user.page.click("button:has-text('English')")
    user.page.wait_for_selector("nav.tabs >> text=Hazards")
    user.go("/")  # a new page load keeps the choice
    user.page.wait_for_selector("text=My zones")
    assert user.page.evaluate("document.documentElement.lang") == "en"
    assert user.page.inner_text("header.topbar h1") == "Safety Zones"
    user.shot("home-english")
    user.go("/me")
    user.page.click("button:has-text('中文')")
    user.page.wait_for_selector("nav.tabs >> text=隐患")
    assert user.page.evaluate("document.documentElement.lang") == "zh-CN"


# Each screen: its path, its screenshot, its title, and what shows only once its data is in.
SCREENS = (
    ("/admin/users", "admin-users", "用户", ".rows li"),
    ("/admin/signs", "admin-signs", "二维码标牌", ".rows[data-kind=posts] li"),
    ("/admin/places", "admin-places", "责任区与示范岗", ".rows li"),
    ("/hazards", "list", "隐患列表", ".hazard-card"),
    ("/inbox", "inbox", "消息", "ul.inbox li, .empty"),
    ("/me", "settings", "我的", ".greeting"),
    ("/scan", "scan", "扫码", ".viewfinder, .note-warn"),
)


def test_every_screen_renders_without_script_or_csp_errors(server, phone):
    admin = phone()
    admin.sign_in("admin")
    for path, name, title, loaded in SCREENS:
        admin.go(path)
        admin.page.wait_for_selector(loaded)
        assert admin.page.inner_text("header.topbar h1") == title, path
        assert admin.page.locator("main.content .note-error").count() == 0, path
        assert admin.page.locator("main.content >> text=加载中…").count() == 0, path
        admin.shot(name)


def test_an_admin_adds_a_unit_and_prints_signs(server, phone):
    admin = phone()
    admin.sign_in("admin")
    admin.go("/admin/places")
    admin.page.click("summary:has-text('新建单位')")
    form = admin.page.locator("details[open] form")
    form.locator("input").nth(0).fill("JX")
    form.locator("input").nth(1).fill("检修三班")
    form.locator("button.primary").click()
    admin.page.wait_for_selector(".rows >> text=检修三班")
    admin.go("/admin/signs")
    assert admin.page.locator("button.primary:has-text('打开打印页')").is_disabled()  # nothing picked yet
    admin.page.check(".rows[data-kind=zones] input[type=checkbox] >> nth=0")
    href = admin.page.get_attribute("a:has-text('打开打印页')", "href")
    assert re.fullmatch(r"/signs\?zones=\d+&posts=", href), href
    sheet = admin.context.new_page()
    sheet.goto(server.url + href)
    sheet.wait_for_selector(".sign")
    sheet.screenshot(path=str(SCREENSHOTS / "sign-sheet.png"))
    assert "党员安全责任区" in sheet.inner_text("body")


def test_the_dashboard_links_each_figure_and_works_offline(server, phone):
    supervisor = phone("jiandu")
    wait_for_service_worker(supervisor.page)  # installed before the screens it will serve offline
    supervisor.go("/dashboard")
    supervisor.page.wait_for_selector(".figure >> text=超期")
    supervisor.page.wait_for_selector(".chart[data-drawn=trend] canvas")
    supervisor.shot("dashboard")
    overdue = int(supervisor.page.inner_text(".figure:has-text('超期') strong"))
    supervisor.page.click(".figure:has-text('超期')")
    supervisor.page.wait_for_url(re.compile(r"/hazards\?overdue=true"))
    supervisor.page.wait_for_selector(".hazard-card")
    assert supervisor.page.locator(".hazard-card").count() == overdue
    supervisor.context.set_offline(True)
    supervisor.go("/dashboard")
    supervisor.page.wait_for_selector("text=离线：显示的是上次保存的内容")
    for kind in ("trend", "rates", "categories"):  # the chart chunk is precached
        supervisor.page.wait_for_selector(f".chart[data-drawn={kind}] canvas")
    supervisor.context.set_offline(False)
