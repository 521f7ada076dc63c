"""The ledger (台账) from the app (issue 16): a supervisor's hazard list offers it as Excel and CSV,
and the file holds exactly what the list's filters show; a worker is not offered it."""

import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from server.extensions import db
from server.models.loop.hazards import Hazard


def _closed(server):
    with server.app.app_context():
        return db.session.scalar(select(func.count()).select_from(Hazard).where(Hazard.status == "closed"))


def test_a_supervisor_downloads_the_ledger_of_what_the_filters_show(server, phone):
    supervisor = phone()
    page = supervisor.page
    supervisor.sign_in("jiandu")
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
    worker = phone()
    page = worker.page
    worker.sign_in("chen")
    page.click("nav.tabs a:has-text('隐患')")
    page.wait_for_url(re.compile(r"/hazards"))
    page.wait_for_selector(".card")
    assert page.locator("a:has-text('导出台账')").count() == 0
