"""The hazard page as its readers need it (issue 16): the facts of the report, each photo's
capture time and location, before and after side by side, the extension granted for the date
asked, and the timeline's old → new deadline; readable at 360 and 320 px."""

from datetime import date, timedelta

from sqlalchemy import select

from server.extensions import db
from server.models.loop.hazards import Hazard
from tests.e2e.conftest import wait_for_js
from tests.e2e.test_pwa import report, wait_until_sent, zone_id

TITLE = "母线桥支撑绝缘子破损"
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def act(person, hazard_id, button, fill):
    """Open the hazard, take one action through its form, and wait until the outbox sent it."""
    person.go(f"/hazards/{hazard_id}")
    person.page.click(f".action-buttons button:text-is('{button}')")
    fill(person.page)
    person.page.click(".action-form button.primary")
    person.page.wait_for_selector("text=操作已保存，将自动发送")
    wait_until_sent(person)


def test_the_hazard_page_shows_the_report_the_photos_and_the_deadlines(server, phone, photo_file):
    first, asked = (date.today() + timedelta(days=n) for n in (7, 14))
    worker = phone()
    worker.sign_in("chen")
    worker.go(f"/zones/{zone_id(server, 'BDZ-01')}")
    worker.page.click("a:has-text('上报隐患')")
    worker.page.click("button:has-text('获取位置')")
    worker.page.wait_for_selector("text=精度约 12 米")
    report(worker.page, TITLE, photo_file)
    worker.page.wait_for_selector("text=已保存，将自动发送")
    wait_until_sent(worker)
    with server.app.app_context():
        hazard_id = db.session.scalar(select(Hazard.id).where(Hazard.title == TITLE))

    def confirm(page):
        page.select_option("select", label="陈小勇")
        page.fill("input[type=date]", first.isoformat())
        page.fill("textarea", "更换绝缘子")

    head = phone()
    head.sign_in("zhang")
    act(head, hazard_id, "确认", confirm)

    def request(page):
        page.fill("input[type=date]", asked.isoformat())
        page.fill("textarea", "备件到货需一周")

    act(worker, hazard_id, "申请延期", request)

    def extend(page):
        # The form starts at the date asked: the supervisor grants it as it is.
        assert page.input_value(".action-form input[type=date]") == asked.isoformat()
        supervisor.shot("hazard-extend-prefilled")
        page.fill(".action-form textarea", "同意")

    supervisor = phone()
    supervisor.sign_in("jiandu")
    act(supervisor, hazard_id, "延期", extend)

    def fix(page):
        page.fill("textarea", "已更换并试验合格")
        page.set_input_files(".photo-picker input[type=file]", photo_file)
        page.wait_for_selector(".photo-grid figure img")

    act(worker, hazard_id, "提交整改", fix)

    head.go(f"/hazards/{hazard_id}")
    page = head.page
    page.wait_for_selector(".hazard-head >> text=待验收")
    facts = page.inner_text(".facts")
    for shown in ("类别", "电气", "等级", "一般", "位置", "30.27410, 120.15510", "上报时间", "陈小勇"):
        assert shown in facts
    assert asked.isoformat() in facts  # the deadline now
    timeline = page.inner_text(".timeline")
    assert f"整改期限 {first.isoformat()} → {asked.isoformat()}" in timeline
    assert timeline.count(f"整改期限 {first.isoformat()}") == 2  # set on confirming, then moved
    assert f"申请延期至 {asked.isoformat()}" in timeline
    grid = page.inner_text(".before-after")
    assert "整改前" in grid and "整改后" in grid
    assert grid.count("拍摄于 2026-11-20") == 2 and grid.count("有定位") == 2
    for width in (360, 320):
        page.set_viewport_size({"width": width, "height": 740})
        wait_for_js(page, f"window.innerWidth === {width}")
        before, after = (page.locator(".before-after .shot").nth(i).bounding_box() for i in (0, 1))
        # Side by side: one row, before on the left, both inside the screen and big enough to read.
        assert abs(before["y"] - after["y"]) < 1 and before["x"] + before["width"] <= after["x"]
        assert after["x"] + after["width"] <= width and before["width"] >= 120
        assert page.evaluate(FITS)
        head.shot(f"hazard-before-after-{width}")
