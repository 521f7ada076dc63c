"""The dashboard's charts (issue 16): drawn at 360 px by the chart chunk, which the home and report
screens never load; each chart's data table holds the API's own figures, and its canvas is an
image with a summary. UPDATE_SCREENSHOTS=1 also writes the README's picture of the dashboard."""

import json
import math
import os
from datetime import date
from pathlib import Path

from sqlalchemy import select

from server.extensions import db
from server.models.places.zones import Zone
from tests.e2e.conftest import PWA_DIST, save_readme_shot, wait_for_js

ROOT = Path(__file__).resolve().parents[2]
ZH = json.loads((ROOT / "pwa/src/i18n/zh-CN.json").read_text(encoding="utf-8"))
README_SHOT = ROOT / "docs/screenshots/dashboard.png"
CHARTS = ("trend", "rates", "categories")


def chart_chunk():
    """The URL of the built chunk holding uPlot."""
    outputs = json.loads((PWA_DIST / "meta.json").read_text())["metafile"]["outputs"]
    (file,) = [
        file
        for file, out in outputs.items()
        if file.endswith(".js") and any("uplot" in name for name in out["inputs"])
    ]
    return "/" + file[file.index("assets/") :]


def week(monday):
    """A week's Monday as the table writes it in Chinese: the year only for another year's."""
    day = date.fromisoformat(monday)
    return (
        f"{day.month}月{day.day}日"
        if day.year == date.today().year
        else f"{day.year}年{day.month}月{day.day}日"
    )


def percent(value):
    return "—" if value is None else f"{math.floor(value * 100 + 0.5)}%"  # JavaScript's Math.round


def table(page, kind):
    """The rows of a chart's data table, opened as a reader of it would."""
    section = page.locator(f"section:has(.chart[data-drawn={kind}])")
    section.locator("summary:has-text('显示数据表')").click()
    rows = section.locator("details.chart-data tbody tr")
    return [[cell.strip() for cell in row.split("\t")] for row in rows.all_inner_texts()]


def test_the_dashboard_draws_its_charts_from_a_lazy_chunk_and_tables_them(server, phone):
    with server.app.app_context():
        zone_id = db.session.scalar(select(Zone.id).order_by(Zone.id).limit(1))
    supervisor = phone()
    page = supervisor.page
    requested = []
    page.on("request", lambda request: requested.append(request.url.removeprefix(server.url)))
    supervisor.sign_in("jiandu")
    supervisor.go(f"/zones/{zone_id}/report")
    page.wait_for_selector("form")
    chunk = chart_chunk()
    assert requested and chunk not in requested  # neither home nor the report screen loads it

    with page.expect_response(lambda response: "/api/v1/dashboard/summary" in response.url) as answer:
        page.click("nav.tabs a:has-text('首页')")
        page.click("a:has-text('统计看板')")
    figures = answer.value.json()
    for kind in CHARTS:
        page.wait_for_selector(f".chart[data-drawn={kind}] canvas[role=img]")
    assert chunk in requested
    labels = page.eval_on_selector_all(
        ".chart canvas", "canvases => canvases.map((c) => c.getAttribute('aria-label'))"
    )
    assert [label.split("：")[0] for label in labels] == [
        "每周上报与闭环图",
        "每周整改率与按期率图",
        "按类别上报图",
    ]
    wait_for_js(page, "[...document.querySelectorAll('.chart canvas')].every((c) => c.width > 0)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    weeks = figures["weekly_trend"]
    assert sum(w["reported"] for w in weeks) > 0  # the demo company has hazards in the period
    assert table(page, "trend") == [[week(w["week"]), str(w["reported"]), str(w["closed"])] for w in weeks]
    assert table(page, "rates") == [
        [week(w["week"]), percent(w["rectification_rate"]), percent(w["on_time_rate"])] for w in weeks
    ]
    categories = sorted(figures["by_category"].items(), key=lambda item: -item[1])  # stable, as JS sorts
    assert table(page, "categories") == [[ZH[f"category.{name}"], str(count)] for name, count in categories]
    page.evaluate("scrollTo(0, 0)")  # the sticky title bar at the top of the picture, not over a chart
    supervisor.shot("dashboard-charts")
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        page.evaluate("document.querySelectorAll('details.chart-data').forEach((d) => { d.open = false; })")
        save_readme_shot(page, README_SHOT, "section:has(.chart[data-drawn=categories])")


def test_another_period_redraws_the_charts_with_its_weeks(server, phone):
    supervisor = phone("jiandu", "/dashboard")
    page = supervisor.page
    page.wait_for_selector(".chart[data-drawn=trend]")
    with page.expect_response(lambda response: "/api/v1/dashboard/summary" in response.url) as answer:
        page.click("button:has-text('365 天')")
    weeks = answer.value.json()["weekly_trend"]
    assert len(weeks) >= 52
    for kind in ("trend", "rates"):
        page.wait_for_selector(f".chart[data-drawn={kind}][data-count='{len(weeks)}']")
    assert len(table(page, "trend")) == len(weeks)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.evaluate("document.querySelectorAll('details.chart-data').forEach((d) => { d.open = false; })")
    page.evaluate("scrollTo(0, 0)")
    supervisor.shot("dashboard-charts-year")
