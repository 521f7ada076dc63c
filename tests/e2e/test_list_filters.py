"""The hazard list's filters and the ledger (台账) from the app (issue 16): a supervisor narrows the
list by zone, category, level and reporting dates; the Excel and CSV files hold exactly what the
filters show; a worker is not offered them."""

import csv
import io
import re
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import func, select

from server.extensions import db
from server.models.loop.hazards import Hazard, HazardEvent
from server.models.places.zones import Zone
from tests.e2e.conftest import wait_for_js

SITE = ZoneInfo("Asia/Shanghai")


def _closed(server):
    with server.app.app_context():
        return db.session.scalar(select(func.count()).select_from(Hazard).where(Hazard.status == "closed"))


def test_a_supervisor_downloads_the_ledger_of_what_the_filters_show(server, phone):
    supervisor = phone("jiandu")
    page = supervisor.page
    page.click("nav.tabs a:has-text('隐患')")
    page.click("button.chip:has-text('已闭环')")
    page.wait_for_selector("a:has-text('导出台账（Excel）')[href*='status=closed']")
    supervisor.shot("list-ledger-export")
    with page.expect_download() as excel:
        page.click("a:has-text('导出台账（Excel）')")
    sheet = load_workbook(io.BytesIO(excel.value.path().read_bytes())).active
    records = list(sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1, values_only=True))
    assert len(records) == _closed(server) and {row[13] for row in records} == {"已闭环"}
    assert sheet.freeze_panes == "A2"
    with page.expect_download() as text:
        page.click("a:has-text('导出台账（CSV）')")
    rows = list(csv.reader(io.StringIO(text.value.path().read_text(encoding="utf-8-sig"))))
    assert [row[0] for row in rows[1:-1]] == [row[0] for row in records]


def test_a_worker_is_not_offered_the_ledger(server, phone):
    worker = phone("chen")
    page = worker.page
    page.click("nav.tabs a:has-text('隐患')")
    page.wait_for_url(re.compile(r"/hazards"))
    page.wait_for_selector(".card")
    assert page.locator("a:has-text('导出台账')").count() == 0


def test_a_word_typed_in_the_search_box_finds_the_hazards_that_hold_it(server, phone):
    word = "破损"  # two characters: one demo title says 电缆外皮破损, another 安全帽帽衬破损
    with server.app.app_context():
        said = select(HazardEvent.hazard_id).where(HazardEvent.comment.contains(word))
        expected = sorted(
            db.session.scalars(
                select(Hazard.number).where(
                    Hazard.title.contains(word) | Hazard.description.contains(word) | Hazard.id.in_(said)
                )
            )
        )
    assert len(expected) >= 2
    supervisor = phone("jiandu")
    page = supervisor.page
    page.click("nav.tabs a:has-text('隐患')")
    page.fill("input[type=search]", word)
    # The signal goes and comes back before Enter: the screen renders twice, and what was typed
    # stays (it was once wiped by any render between typing and Enter, e.g. the first page arriving).
    supervisor.context.set_offline(True)
    page.wait_for_selector("a:has-text('导出台账（CSV）')", state="detached")
    supervisor.context.set_offline(False)
    page.wait_for_selector("a:has-text('导出台账（CSV）')")
    assert page.input_value("input[type=search]") == word
    page.press("input[type=search]", "Enter")
    page.wait_for_selector("a:has-text('导出台账（CSV）')[href*='q=']")
    end = "!!document.querySelector('.empty, .muted.center.small')"
    wait_for_js(page, f"document.querySelectorAll('.card').length === {len(expected)} && {end}")
    assert sorted(meta.split(" · ")[0] for meta in page.locator(".card-meta").all_inner_texts()) == expected
    assert _csv_numbers(page, "a:has-text('导出台账（CSV）')") == expected


def _busiest_zone_and_category(server):
    """The zone and category with the most hazards in the demo data, its hazards, and their zone."""
    with server.app.app_context():
        hazards = db.session.scalars(select(Hazard)).all()
        (zone_id, category), _ = Counter((h.zone_id, h.category) for h in hazards).most_common(1)[0]
        chosen = [h for h in hazards if (h.zone_id, h.category) == (zone_id, category)]
        return db.session.get(Zone, zone_id).name, category, chosen


def _csv_numbers(page, link):
    with page.expect_download() as text:
        page.click(link)
    rows = list(csv.reader(io.StringIO(text.value.path().read_text(encoding="utf-8-sig"))))
    return sorted(row[0] for row in rows[1:-1])


def test_a_supervisor_narrows_the_list_and_exports_exactly_it(server, phone):
    zone_name, category, chosen = _busiest_zone_and_category(server)
    day = min(h.created_at for h in chosen).astimezone(SITE).date()
    start = datetime.combine(day, datetime.min.time(), SITE)
    expected = sorted(h.number for h in chosen if start <= h.created_at < start + timedelta(days=1))
    supervisor = phone("jiandu", timezone_id="Asia/Shanghai")
    page = supervisor.page
    page.click("nav.tabs a:has-text('隐患')")
    page.click("summary:has-text('更多筛选')")
    page.select_option(".more-filters select >> nth=0", label=zone_name)
    page.select_option(".more-filters select >> nth=1", value=category)
    page.fill("input[type=date] >> nth=0", day.isoformat())
    page.wait_for_selector("summary:has-text('更多筛选（3）')")
    page.fill("input[type=date] >> nth=1", day.isoformat())
    page.wait_for_selector("summary:has-text('更多筛选（4）')")
    page.wait_for_selector("a:has-text('导出台账（CSV）')[href*='category=']")
    end = "!!document.querySelector('.empty, .muted.center.small')"
    wait_for_js(page, f"document.querySelectorAll('.card').length === {len(expected)} && {end}")
    shown = sorted(meta.split(" · ")[0] for meta in page.locator(".card-meta").all_inner_texts())
    assert shown == expected
    supervisor.shot("list-filters")
    assert _csv_numbers(page, "a:has-text('导出台账（CSV）')") == expected
    page.click("button:has-text('清除这些筛选')")
    page.wait_for_selector("summary:text-is('更多筛选')")
    assert "category=" not in page.get_attribute("a:has-text('导出台账（CSV）')", "href")
