"""The camera scan (ZXing ponyfill over a fake camera showing a real QR sign) and the update prompt."""

import io
import re
import shutil

import pytest
from PIL import Image
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from server.extensions import db
from server.models.places.zones import Zone
from server.services.demo.seed import DEMO_PASSWORD
from server.services.places.qr import qr_png, sign_url
from tests.e2e.conftest import ARGS, CHROMIUM, PWA_DIST, SCREENSHOTS, STATE_TIMEOUT, wait_for_service_worker


def write_y4m(image, path, frames=30):
    """A raw YUV 4:2:0 video that Chromium's fake camera plays in a loop."""
    width, height = (side - side % 2 for side in image.size)
    ycbcr = image.convert("RGB").resize((width, height)).convert("YCbCr")
    y, cb, cr = ycbcr.split()
    chroma = [channel.resize((width // 2, height // 2)).tobytes() for channel in (cb, cr)]
    frame = b"FRAME\n" + y.tobytes() + chroma[0] + chroma[1]
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * frames)


def test_scanning_a_zone_sign_with_the_camera_opens_the_zone(server, tmp_path):
    with server.app.app_context():
        zone = db.session.scalar(select(Zone).where(Zone.code == "BDZ-03"))
        sign = Image.open(io.BytesIO(qr_png(sign_url("zone", zone.qr_token), box_size=8)))
        zone_id = zone.id
    canvas = Image.new("RGB", (640, 480), "white")
    canvas.paste(sign.convert("RGB").resize((360, 360)), (140, 60))
    video = tmp_path / "sign.y4m"
    write_y4m(canvas, video)
    camera = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS + camera)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
        context.set_default_timeout(STATE_TIMEOUT)
        context.grant_permissions(["camera"], origin=server.url)
        page = context.new_page()
        page.goto(server.url + "/")
        page.fill("input[name=username]", "li")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button:has-text('登录')")
        page.wait_for_selector("nav.tabs")
        page.goto(server.url + "/scan")
        page.wait_for_selector("video")
        page.screenshot(path=str(SCREENSHOTS / "scan-camera.png"))
        page.wait_for_url(re.compile(rf"/zones/{zone_id}$"))
        page.wait_for_selector("text=35kV 西郊变电站")
        assert page.inner_text("header.topbar h1") == "责任区"
        browser.close()


@pytest.fixture
def pwa_copy(tmp_path):
    """A private copy of the built app, so the test can publish a "new version" of it."""
    copy = tmp_path / "dist"
    shutil.copytree(PWA_DIST, copy)
    return copy


def test_an_update_waits_for_the_users_tap(server, browser, pwa_copy):
    server.app.config["PWA_DIST"] = str(pwa_copy)
    try:
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
        context.set_default_timeout(STATE_TIMEOUT)
        page = context.new_page()
        page.goto(server.url + "/")
        page.fill("input[name=username]", "zhao")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button:has-text('登录')")
        page.wait_for_selector("nav.tabs")  # signed in, before the report screen is opened
        wait_for_service_worker(page)
        page.goto(server.url + f"/zones/{_zone_id(server, 'XL-02')}/report")
        page.fill("input[maxlength='100']", "半截写好的上报")
        page.evaluate("window.beforeTheUpdate = true")  # a reload would lose this
        # A new version is deployed while the user is mid-report.
        worker = pwa_copy / "sw.js"
        worker.write_text(worker.read_text() + "\n// next version\n")
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.wait_for_selector("text=新版本已就绪")
        # The page reloads only when a new worker takes control; it must stay waiting until the tap.
        assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.waiting !== null)")
        assert page.evaluate("window.beforeTheUpdate === true")
        assert page.input_value("input[maxlength='100']") == "半截写好的上报"
        page.screenshot(path=str(SCREENSHOTS / "update-ready.png"))
        with page.expect_navigation():
            page.click("button:has-text('立即更新')")
        page.wait_for_selector("nav.tabs")
        context.close()
    finally:
        server.app.config["PWA_DIST"] = str(PWA_DIST)


def test_a_page_loaded_past_an_active_worker_is_claimed(server, phone):
    """A page that loads while the worker activates (its claim passes the page by, as seen in CI
    under load) or that is hard-reloaded is not controlled: it asks the active worker to claim it,
    or it would have no saved answers for its whole life."""
    worker = phone("chen", f"/zones/{_zone_id(server, 'BDZ-01')}")
    wait_for_service_worker(worker.page)
    cdp = worker.context.new_cdp_session(worker.page)
    with worker.page.expect_navigation():
        cdp.send("Page.reload", {"ignoreCache": True})  # shift-reload: the navigation bypasses the worker
    worker.page.wait_for_selector("text=上报隐患")
    wait_for_service_worker(worker.page)


def _zone_id(server, code):
    with server.app.app_context():
        return db.session.scalar(select(Zone.id).where(Zone.code == code))


WECHAT_IOS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/WIFI Language/zh_CN"
)


def test_inside_wechat_on_an_iphone_the_hint_says_how_to_leave_for_safari(server, phone):
    worker = phone(user_agent=WECHAT_IOS)
    worker.sign_in("chen")
    worker.page.wait_for_selector("text=选择“在 Safari 中打开”")
    assert not worker.page.is_visible("text=在 Safari 中点“分享”→“添加到主屏幕”，离线也能使用")
    worker.shot("home-in-wechat-ios")
