"""The monthly safety report (月度安全分析) on a known October 2026: every figure checked exactly,
its scope and its refusals (issue 16 item 5)."""

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from server.extensions import db
from server.models.field.checkins import CheckIn
from server.models.field.patrols import Patrol
from server.models.places.posts import Post
from server.models.places.zones import Zone
from tests.conftest import assert_problem
from tests.hazard_helpers import hazard_at

SITE = ZoneInfo("Asia/Shanghai")


def at(day, month=10, hour=10):
    return datetime(2026, month, day, hour, tzinfo=SITE)


def _hazard(zone, reporter, created, status, category="electrical", **fields):
    return hazard_at(
        zone, reporter, created, status, category=category, title=f"隐患 {created.day}", **fields
    )


@pytest.fixture
def october(app, world, factory):
    """Team A's zone A and post A, there since September; m1 a Party member of team A."""
    head = world.people[("zone_head", "A")]
    m1 = factory.user("worker", world.teams[0].id, username="member1", party=True)
    zone_a, zone_b = world.zones["A"], world.zones["B"]
    n = {}
    with app.app_context():
        db.session.get(Zone, zone_a.id).created_at = datetime(2026, 9, 1, tzinfo=UTC)
        db.session.get(Post, world.posts["A"].id).created_at = datetime(2026, 9, 1, tzinfo=UTC)
        closed = {"status": "closed", "assignee_id": head.id}
        n["h1"] = _hazard(
            zone_a, m1, at(5), **closed, deadline=date(2026, 10, 10), closed_at=at(8), closed_late=False
        )
        n["h2"] = _hazard(zone_a, m1, at(6), "rectifying", assignee_id=m1.id, deadline=date(2026, 10, 20))
        n["h3"] = _hazard(zone_a, m1, at(7), "rejected")
        n["h4"] = _hazard(zone_a, m1, at(9), "reported", category="fire")
        n["h5"] = _hazard(
            zone_a, head, at(20, 9), "closed", assignee_id=m1.id, deadline=date(2026, 10, 3),
            closed_at=at(5, hour=16), closed_late=True,
        )  # fmt: skip
        n["h6"] = _hazard(
            zone_a, head, at(25, 9), "rectifying", assignee_id=head.id, deadline=date(2026, 9, 28)
        )
        n["b"] = _hazard(zone_b, world.people[("worker", "B")], at(15), "reported")
        n["nov"] = _hazard(zone_a, m1, at(2, 11), "reported")
        for day in (2, 16):
            db.session.add(
                Patrol(
                    user_id=head.id, zone_id=zone_a.id, created_at=at(day),
                    client_uuid=str(uuid.uuid4()), request_hash="x",
                )
            )  # fmt: skip
        for day, hour in ((1, 8), (1, 17), (2, 8)):
            db.session.add(
                CheckIn(
                    user_id=head.id, post_id=world.posts["A"].id, created_at=at(day, hour=hour),
                    client_uuid=str(uuid.uuid4()), request_hash="x",
                )
            )  # fmt: skip
        db.session.commit()
    return {"numbers": n, "m1": m1, "head": head}


def test_a_units_october(login_as, world, october):
    answer = login_as("supervisor").get(f"/api/v1/reports/monthly?unit_id={world.teams[0].id}&month=2026-10")
    assert answer.status_code == 200 and answer.content_type == "application/json"
    report = answer.get_json()
    assert report["unit"] == {"id": world.teams[0].id, "code": "A", "name": "Team A"}
    assert (report["month"], report["month_over"]) == ("2026-10", True)
    # h1–h4 reported (zone B's and November's are not); h1 and h2 confirmed, h1 closed on time;
    # h2 (deadline 20 Oct) and h6 (28 Sep) open past their deadline at the end of October.
    figures = {k: report[k] for k in ("reported", "confirmed", "closed", "closed_on_time", "overdue")}
    assert figures == {"reported": 4, "confirmed": 2, "closed": 1, "closed_on_time": 1, "overdue": 2}
    assert (report["rectification_rate"], report["on_time_rate"]) == (0.5, 1.0)
    # September: h5 (closed late in October) and h6 (overdue since 28 Sep)
    assert report["previous"] == {
        "reported": 2, "confirmed": 2, "closed": 1, "closed_on_time": 0, "overdue": 1,
        "rectification_rate": 0.5, "on_time_rate": 0.0,
    }  # fmt: skip
    assert report["weeks"] == [
        {"first": "2026-10-01", "last": "2026-10-07", "reported": 3, "closed": 1},  # h5 closed 5 Oct
        {"first": "2026-10-08", "last": "2026-10-14", "reported": 1, "closed": 1},  # h1 closed 8 Oct
        {"first": "2026-10-15", "last": "2026-10-21", "reported": 0, "closed": 0},
        {"first": "2026-10-22", "last": "2026-10-28", "reported": 0, "closed": 0},
        {"first": "2026-10-29", "last": "2026-10-31", "reported": 0, "closed": 0},
    ]
    assert {k: v for k, v in report["by_category"].items() if v} == {"electrical": 3, "fire": 1}
    zone = f"{world.zones['A'].code} {world.zones['A'].name}"
    n = october["numbers"]
    assert [
        (h["number"], h["zone"], h["days_overdue"], h["assignee_name"]) for h in report["worst_overdue"]
    ] == [
        (n["h6"], zone, 33, "Name of zone_head"),  # 28 Sep → 31 Oct
        (n["h2"], zone, 11, "Name of worker"),
    ]
    assert (
        report["worst_overdue"][0]["title"] == "隐患 25"
        and report["worst_overdue"][0]["deadline"] == "2026-09-28"
    )
    # electrical in zone A: h1 and h2 (h3 was rejected); fire only once
    assert report["repeats"] == [
        {"zone_id": world.zones["A"].id, "zone": zone, "category": "electrical", "count": 2}
    ]
    # windows of 7 days from 1 Oct: 1–7 and 15–21 patrolled, three missed
    assert report["patrols"] == [
        {"zone_id": world.zones["A"].id, "zone": zone, "head_name": "Name of zone_head", "interval_days": 7,
         "done": 2, "due": 5, "rate": 0.4},
    ]  # fmt: skip
    post = world.posts["A"]
    assert report["checkins"] == [
        {
            "post_id": post.id,
            "post": f"{post.code} {post.name}",
            "days": 2,
            "of": 31,
            "rate": round(2 / 31, 4),
        }
    ]
    members = {m["name"]: m for m in report["members"]}
    assert set(members) == {"Name of worker", "Name of zone_head"}  # m1 and the zone head
    m1, head = members["Name of worker"], members["Name of zone_head"]
    assert (m1["counts"]["found_general"], m1["counts"]["rejected_report"], m1["counts"]["fixed_late"]) == (
        2,
        1,
        1,
    )
    assert (
        head["counts"]["patrol_done"],
        head["counts"]["patrol_missed"],
        head["counts"]["checkin_day"],
    ) == (2, 3, 2)
    assert head["counts"]["overdue_day"] == 11 + 31 + 2  # h2 from 21 Oct, h6 all month, h5 on 4–5 Oct
    ranking = (
        login_as("supervisor").get(f"/api/v1/scorecards?unit_id={world.teams[0].id}&month=2026-10").get_json()
    )
    assert [(m["name"], m["score"], m["rank"]) for m in report["members"]] == [
        (r["name"], r["score"], r["rank"]) for r in ranking["rows"]
    ]


def test_the_company_report_covers_its_teams(login_as, world, october):
    report = (
        login_as("admin").get(f"/api/v1/reports/monthly?unit_id={world.company.id}&month=2026-10").get_json()
    )
    assert report["reported"] == 5 and report["unit"]["name"] == "Company"  # zone B's too
    assert [p["zone_id"] for p in report["patrols"]] == [world.zones["A"].id, world.zones["B"].id]


def test_another_units_report_is_refused(login_as, world, october):
    team_b = world.teams[1].id
    assert_problem(login_as("supervisor").get(f"/api/v1/reports/monthly?unit_id={team_b}&month=2026-10"), 403)
    assert_problem(
        login_as("worker").get(f"/api/v1/reports/monthly?unit_id={world.teams[0].id}&month=2026-10"), 403
    )
    assert (
        login_as("supervisor", "B").get(f"/api/v1/reports/monthly?unit_id={team_b}&month=2026-10").status_code
        == 200
    )


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "october", "", "2099-01"])
def test_a_bad_month_is_a_422(login_as, world, month):
    answer = login_as("supervisor").get(f"/api/v1/reports/monthly?unit_id={world.teams[0].id}&month={month}")
    body = assert_problem(answer, 422)
    assert "month" in body["errors"]


def test_the_unit_is_required(login_as):
    assert_problem(login_as("supervisor").get("/api/v1/reports/monthly?month=2026-10"), 422)


def _queries(app, client, path):
    with app.app_context():
        engine = db.engine
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_many_zones_posts_and_members_take_no_more_queries_than_one(app, login_as, world, factory, october):
    """Aggregates and the scorecard's batched cards: no query per zone, post, member or hazard."""
    client = login_as("supervisor")
    path = f"/api/v1/reports/monthly?unit_id={world.teams[0].id}&month=2026-10"
    few = _queries(app, client, path)
    for number in range(8):
        head = factory.user("zone_head", world.teams[0].id)
        zone = factory.zone(world.teams[0].id, head.id)
        factory.post(world.teams[0].id, head.id, zone_id=zone.id)
        with app.app_context():
            _hazard(zone, head, at(3 + number), "rectifying", assignee_id=head.id, deadline=date(2026, 10, 5))
            _hazard(zone, head, at(4 + number), "reported")
            db.session.commit()
    report = client.get(path).get_json()
    assert len(report["patrols"]) == 9 and len(report["members"]) == 10 and len(report["worst_overdue"]) == 10
    assert _queries(app, client, path) == few
