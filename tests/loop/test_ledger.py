"""The hazard ledger exports, the rectification notice, and the inbox with deadline reminders."""

import csv
import io
from datetime import datetime, time, timedelta

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select, update

from server.extensions import db
from server.models.loop.hazards import Hazard
from server.models.platform.deliveries import Delivery
from server.services.loop.chain_anchor import anchor_head
from server.services.platform.clock import site_today
from tests.conftest import assert_problem
from tests.hazard_helpers import counts, place_hazard, report

HEADERS = [
    "编号", "隐患标题", "责任区", "发现人", "发现时间", "隐患描述", "类别", "等级", "整改措施", "整改责任人",
    "整改期限", "资金", "应急预案", "状态", "验收人", "验收时间", "是否超期",
]  # fmt: skip


def test_demo_ledger_opens_in_a_spreadsheet_with_one_row_per_hazard(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    client = app.test_client()
    client.login("admin", "safe-zone-2026")
    response = client.get("/api/v1/hazards/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    listed = client.get("/api/v1/hazards?limit=200").get_json()["items"]
    hazards, anchor = rows[1:-1], rows[-1]
    assert sorted(row[0] for row in hazards) == sorted(h["number"] for h in listed) and len(listed) >= 40
    assert {row[13] for row in hazards} == {"待确认", "已驳回", "整改中", "待验收", "已闭环"}
    assert "是" in {row[16] for row in hazards}
    assert len(anchor) == 1 and anchor[0].startswith("审计锚点：")


def test_csv_has_a_bom_chinese_headers_and_the_list_filters(app, login_as, world):
    worker = world.people[("worker", "A")]
    place_hazard(app, world.zones["A"], worker, "reported")
    place_hazard(app, world.zones["A"], worker, "closed", assignee=worker)
    response = login_as("supervisor").get("/api/v1/hazards/export.csv?status=closed")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS and len(rows) == 3 and rows[1][13] == "已闭环"
    with app.app_context():
        lines, digest = anchor_head()  # what `flask audit verify` prints: the export pins the history
    assert rows[2] == [f"审计锚点：{lines} 行，SHA-256 {digest}"]


def test_the_workbook_has_titles_a_frozen_filtered_header_widths_and_real_dates(app, login_as, world):
    worker = world.people[("worker", "A")]
    place_hazard(app, world.zones["A"], worker, "closed", assignee=worker)
    report(login_as("worker"), world.zones["A"].id, title="接地线松动的长标题" * 3)
    data = login_as("supervisor").get("/api/v1/hazards/export.xlsx").data
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "隐患台账" and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{sheet.max_row - 1}"  # the records, not the anchor line
    assert sheet.column_dimensions["B"].width == 30 and sheet.column_dimensions["F"].width == 40
    rows = list(sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1))
    assert "接地线松动的长标题" * 3 in {row[1].value for row in rows}
    closed = next(row for row in rows if row[13].value == "已闭环")
    reported_at, deadline, closed_at = closed[4], closed[10], closed[15]
    assert isinstance(reported_at.value, datetime) and reported_at.number_format == "yyyy-mm-dd hh:mm"
    assert isinstance(closed_at.value, datetime) and isinstance(deadline.value, datetime)
    assert deadline.number_format == "yyyy-mm-dd" and deadline.value.time() == time()
    csv_rows = list(
        csv.reader(
            io.StringIO(login_as("supervisor").get("/api/v1/hazards/export.csv").data.decode("utf-8-sig"))
        )
    )
    when = next(row for row in csv_rows[1:-1] if row[13] == "已闭环")[4]
    assert len(when) == 16 and when[4] == "-" and when[13] == ":"  # 2026-11-30 08:15, the site's time


def test_cells_that_look_like_formulas_are_neutralised(app, login_as, world):
    client = login_as("worker")
    for text in ('=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", "\tx"):
        report(client, world.zones["A"].id, description=text)
    rows = list(
        csv.reader(io.StringIO(login_as("admin").get("/api/v1/hazards/export.csv").data.decode("utf-8-sig")))
    )
    neutralised = {'\'=HYPERLINK("http://evil")', "'+1", "'-2", "'@SUM(A1)", "'\tx"}
    assert {row[5] for row in rows[1:-1]} == neutralised
    sheet = load_workbook(io.BytesIO(login_as("admin").get("/api/v1/hazards/export.xlsx").data)).active
    assert all(not str(row[5].value).startswith("=") for row in sheet.iter_rows(min_row=2))


@pytest.mark.parametrize("role", ["worker", "zone_head"])
def test_only_supervisors_and_admins_export(login_as, world, role):
    assert_problem(login_as(role).get("/api/v1/hazards/export.csv"), 403)
    assert_problem(login_as(role).get("/api/v1/hazards/export.xlsx"), 403)


def test_export_outside_ones_subtree_is_403(login_as, world):
    assert_problem(login_as("supervisor").get(f"/api/v1/hazards/export.csv?unit_id={world.teams[1].id}"), 403)


def test_the_rectification_notice_prints_a_confirmed_hazard(app, login_as, world):
    worker = world.people[("worker", "A")]
    reported = place_hazard(app, world.zones["A"], worker, "reported")
    confirmed = place_hazard(app, world.zones["A"], worker, "rectifying", assignee=worker)
    client = login_as("zone_head")
    assert_problem(client.get(f"/hazards/{reported}/notice"), 409)
    response = client.get(f"/hazards/{confirmed}/notice")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    html = response.get_data(as_text=True)
    assert "隐患整改通知单" in html and "加装护栏" in html and "<svg" in html and "<script" not in html
    assert_problem(login_as("zone_head", "B").get(f"/hazards/{confirmed}/notice"), 404)


def test_notifications_are_private_and_can_be_read(app, login_as, world):
    report(login_as("worker"), world.zones["A"].id)
    report(login_as("worker"), world.zones["A"].id)
    head = login_as("zone_head")
    inbox = head.get("/api/v1/notifications").get_json()
    assert inbox["unread_count"] == 2
    first = inbox["items"][0]["id"]
    assert_problem(login_as("zone_head", "B").post(f"/api/v1/notifications/{first}/read"), 404)
    assert head.post(f"/api/v1/notifications/{first}/read").get_json()["read_at"]
    assert head.get("/api/v1/notifications?unread=true").get_json()["unread_count"] == 1
    assert head.post("/api/v1/notifications/read-all").status_code == 204
    assert head.get("/api/v1/notifications").get_json()["unread_count"] == 0


def test_overdue_reminders_go_out_once_a_day_and_leave_versions_alone(app, login_as, world):
    worker = world.people[("worker", "A")]
    hazard_id = place_hazard(app, world.zones["A"], worker, "rectifying", assignee=worker)
    with app.app_context():
        db.session.execute(update(Hazard).values(deadline=site_today() - timedelta(days=1)))
        db.session.commit()
    runner = app.test_cli_runner()
    assert "1 overdue" in runner.invoke(args=["hazards", "notify-deadlines"]).output
    assert "0 overdue" in runner.invoke(args=["hazards", "notify-deadlines"]).output
    assert counts(app, hazard_id)[1] == 1  # the version a phone holds stays valid
    for role in ("worker", "zone_head", "supervisor"):
        kinds = [n["kind"] for n in login_as(role).get("/api/v1/notifications").get_json()["items"]]
        assert kinds == ["hazard_overdue"], role
    with time_machine.travel(timedelta(days=1)):
        assert "1 overdue" in runner.invoke(args=["hazards", "notify-deadlines"]).output


def test_the_day_before_a_deadline_the_assignee_and_zone_head_are_reminded_once(app, login_as, world):
    worker = world.people[("worker", "A")]
    hazard_id = place_hazard(app, world.zones["A"], worker, "rectifying", assignee=worker)
    with app.app_context():
        db.session.execute(update(Hazard).values(deadline=site_today() + timedelta(days=1)))
        db.session.commit()
    admin = login_as("admin")  # a unit's channel that carries these reminders out
    channel = {"unit_id": world.zones["A"].unit_id, "kind": "webhook", "name": "班组群",
               "target": "https://hooks.example.cn/due", "kinds": ["hazard_due_tomorrow"]}  # fmt: skip
    assert admin.post("/api/v1/channels", json=channel).status_code == 201
    runner = app.test_cli_runner()
    assert "1 due tomorrow, 0 overdue" in runner.invoke(args=["hazards", "notify-deadlines"]).output
    assert "0 due tomorrow" in runner.invoke(args=["hazards", "notify-deadlines"]).output
    assert counts(app, hazard_id)[1] == 1  # the version a phone holds stays valid
    for role, expected in (
        ("worker", ["hazard_due_tomorrow"]),
        ("zone_head", ["hazard_due_tomorrow"]),
        ("supervisor", []),
    ):
        assert [
            n["kind"] for n in login_as(role).get("/api/v1/notifications").get_json()["items"]
        ] == expected, role
    with app.app_context():
        sent = db.session.scalars(select(Delivery.text).where(Delivery.kind == "hazard_due_tomorrow")).all()
    assert sent and all("明日到期" in text for text in sent)
    with time_machine.travel(timedelta(days=1)):  # due today: neither due tomorrow nor overdue yet
        assert "0 due tomorrow, 0 overdue" in runner.invoke(args=["hazards", "notify-deadlines"]).output
    with app.app_context():  # an extension moves the deadline: reminded again the day before it
        db.session.execute(update(Hazard).values(deadline=site_today() + timedelta(days=3)))
        db.session.commit()
    with time_machine.travel(timedelta(days=2)):
        assert "1 due tomorrow" in runner.invoke(args=["hazards", "notify-deadlines"]).output
