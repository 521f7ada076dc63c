"""Repeat hazards (issue 19) on the phone: a worker writing a report is shown what in the zone
looks like it; the zone head triaging a repeat rejects it as one in one tap, and the server
records which hazard it repeats."""

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from server.extensions import db
from server.models.loop.hazards import Hazard
from server.services.loop import recurrence
from tests.e2e.conftest import api_client, ok, wait_for_js
from tests.e2e.test_pwa import wait_until_sent
from tests.hazard_helpers import report

CATALOG = json.loads((Path(__file__).parents[2] / "pwa/src/i18n/zh-CN.json").read_text(encoding="utf-8"))


def _original(server):
    """An open hazard of a zone the demo zone head (zhang) heads, and that zone."""
    head = api_client(server.app, "zhang")
    zone = ok(head.get("/api/v1/zones?mine=true"))["items"][0]
    hazards = ok(head.get(f"/api/v1/hazards?zone_id={zone['id']}&status=rectifying&status=reported"))["items"]
    return zone, hazards[-1]


def test_a_worker_writing_a_report_sees_what_the_zone_already_has(server, phone):
    zone, original = _original(server)
    worker = phone("chen", f"/zones/{zone['id']}/report")
    page = worker.page
    page.click(f"button.choice:has-text('{CATALOG['category.' + original['category']]}')")
    page.fill("input[maxlength='100']", original["title"])
    note = page.locator(".alike-note")
    note.wait_for()
    assert "这个责任区可能已有人报过" in note.inner_text() and original["number"] in note.inner_text()
    worker.shot("report-look-alikes")


def test_the_zone_head_rejects_a_repeat_in_one_tap(server, phone):
    zone, original = _original(server)
    worker_api = api_client(server.app, "chen")
    fields = {
        "title": original["title"],
        "description": original["description"],
        "category": original["category"],
    }
    repeat = ok(report(worker_api, zone["id"], **fields))
    head = phone("zhang", f"/hazards/{repeat['id']}")
    page = head.page
    page.on("dialog", lambda dialog: dialog.accept())
    row = page.locator(f".alike:has-text('{original['number']}')")
    row.wait_for()
    head.shot("hazard-look-alikes")
    row.locator("button:has-text('作为重复驳回')").click()
    wait_until_sent(head)
    rejected = ok(api_client(server.app, "zhang").get(f"/api/v1/hazards/{repeat['id']}"))
    assert rejected["status"] == "rejected" and rejected["duplicate_of_id"] == original["id"]


def test_the_dashboards_repeat_count_opens_exactly_those_hazards(server, phone):
    supervisor = phone("jiandu", "/dashboard")
    page = supervisor.page
    figure = page.locator(".figure:has-text('重复隐患')")
    figure.wait_for()
    shown = int(figure.locator("strong").inner_text())
    figure.click()
    page.wait_for_url(re.compile(r"/hazards\?.*recurring=true"))
    page.wait_for_selector("button.chip.on:has-text('重复隐患')")
    since = datetime.fromisoformat(parse_qs(urlsplit(page.url).query)["from"][0].replace("Z", "+00:00"))
    with server.app.app_context():
        expected = sorted(
            db.session.scalars(select(Hazard.number).where(recurrence.counted(), Hazard.created_at >= since))
        )
    assert shown == len(expected) > 0  # the demo company reports some zones' categories twice
    end = "!!document.querySelector('.empty, .muted.center.small')"
    wait_for_js(page, f"document.querySelectorAll('.card').length === {len(expected)} && {end}")
    assert sorted(meta.split(" · ")[0] for meta in page.locator(".card-meta").all_inner_texts()) == expected
