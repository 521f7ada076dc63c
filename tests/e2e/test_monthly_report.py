"""The monthly safety report (issue 16 item 5): opened from the dashboard at 360 px, its figures
are the API's, its charts drawn; printed, it is A4 without the app's frame, titled with the unit
and the month. UPDATE_SCREENSHOTS=1 also writes the README's picture of it."""

import math
import os
import re
from pathlib import Path

from tests.e2e.conftest import SCREENSHOTS, save_readme_shot, wait_for_js

ROOT = Path(__file__).resolve().parents[2]
README_SHOT = ROOT / "docs/screenshots/monthly-report.png"
A4 = {"width": 794, "height": 1123}  # CSS pixels at 96 per inch
HEADINGS = ("本月概况", "每周趋势", "按类别", "超期最久的隐患", "重复发生的类别（按责任区）",
            "巡查到位（按责任区）", "示范岗打卡（按岗位）", "党员贡献（一体化考核）")  # fmt: skip


def percent(value):
    return "—" if value is None else f"{math.floor(value * 100 + 0.5)}%"  # JavaScript's Math.round


def charts_drawn(page):
    for kind in ("trend", "categories"):
        page.wait_for_selector(f".report .chart[data-drawn={kind}] canvas[role=img]")
    wait_for_js(page, "[...document.querySelectorAll('.report .chart canvas')].every((c) => c.width > 0)")


def check_figures(page, report):
    """The title block, the headline figures and the tables hold the API's answer."""
    title = page.inner_text(".report-title")
    assert report["unit"]["name"] in title and report["month"] in title
    for key in ("reported", "confirmed", "closed", "closed_on_time", "overdue"):
        figure = page.locator(f"[data-figure={key}]")
        assert figure.locator("strong").inner_text() == str(report[key])
        assert figure.locator(".small").inner_text() == f"上月 {report['previous'][key]}"
    for key in ("rectification_rate", "on_time_rate"):
        assert page.inner_text(f"[data-figure={key}] strong") == percent(report[key])
    sections = {name: page.locator(f"section:has(h2:text-is('{name}'))") for name in HEADINGS}
    rows = lambda name: sections[name].locator("tbody tr")  # noqa: E731
    assert rows("超期最久的隐患").count() == len(report["worst_overdue"])
    for hazard, row in zip(report["worst_overdue"], rows("超期最久的隐患").all(), strict=True):
        cells = row.locator("td").all_inner_texts()
        assert hazard["number"] in cells[0] and cells[1] == str(hazard["days_overdue"])
    assert rows("巡查到位（按责任区）").count() == len(report["patrols"]) > 0
    for patrol, row in zip(report["patrols"], rows("巡查到位（按责任区）").all(), strict=True):
        assert row.locator("td").all_inner_texts()[1:] == [
            f"{patrol['done']}/{patrol['due']}",
            percent(patrol["rate"]),
        ]
    assert rows("示范岗打卡（按岗位）").count() == len(report["checkins"])
    assert rows("党员贡献（一体化考核）").count() == len(report["members"]) > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_monthly_report_shows_the_apis_figures_and_prints_on_a4(server, phone):
    # A phone at the site: its "last month" is the site's (in UTC, 16:00–24:00 on a month's last
    # day is already the next month in China, and the demo's new posts have no month before).
    supervisor = phone(timezone_id="Asia/Shanghai")
    page = supervisor.page
    supervisor.sign_in("jiandu")
    supervisor.go("/dashboard")
    with page.expect_response(lambda response: "/api/v1/reports/monthly" in response.url) as answer:
        page.click("a:has-text('月度安全分析')")
    assert answer.value.status == 200
    last_month = answer.value.json()
    charts_drawn(page)
    assert last_month["reported"] > 0  # the demo company reported hazards last month
    check_figures(page, last_month)

    # This month (the demo's zones and posts are new: it has their patrols and check-ins)
    year, month = (int(part) for part in last_month["month"].split("-"))
    this_month = f"{year + month // 12}-{month % 12 + 1:02d}"
    with page.expect_response(lambda response: f"month={this_month}" in response.url) as answer:
        page.fill("input[type=month]", this_month)
    report = answer.value.json()
    wait_for_js(page, f"document.querySelector('.report-title').textContent.includes('{this_month}')")
    charts_drawn(page)
    check_figures(page, report)
    # In a month's first hours the demo's check-ins and overdue hazards all lie in the last one.
    assert (report["checkins"] or last_month["checkins"]) and (
        report["worst_overdue"] or last_month["worst_overdue"]
    )
    page.evaluate("document.activeElement.blur(); scrollTo(0, 0)")  # no focus ring in the picture
    supervisor.shot("monthly-report")
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        save_readme_shot(page, README_SHOT, "section:has(.chart[data-drawn=trend])")

    # Printed: the page as wide as A4, the charts redrawn to it, then print media.
    page.set_viewport_size(A4)
    wait_for_js(
        page,
        "[...document.querySelectorAll('.report .chart canvas')]"
        ".every((c) => c.getBoundingClientRect().width > 600)",
    )
    page.emulate_media(media="print")
    hidden = page.eval_on_selector_all(
        ".topbar, nav.tabs, .filters, .report details",
        "elements => elements.map((e) => getComputedStyle(e).display)",
    )
    assert hidden and set(hidden) == {"none"}
    printed = page.inner_text(".report")
    assert all(heading in printed for heading in HEADINGS) and report["unit"]["name"] in printed
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "monthly-report-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 1
