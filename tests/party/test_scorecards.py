"""The monthly scorecard on a known data set: every count and every point, for members, zones,
branches; honours and the branch export (issue 8, DESIGN §2 records only)."""

import csv
import io
import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.checkins import CheckIn
from server.models.field.patrols import Patrol
from server.models.party.party_days import Attendance, PartyDay
from server.models.places.posts import Post
from server.models.places.zones import Zone
from server.services.platform.clock import site_today
from tests.conftest import assert_problem
from tests.hazard_helpers import hazard_at

SITE = ZoneInfo("Asia/Shanghai")
MONTH = "2026-10"


def at(day, hour=10, month=10):
    return datetime(2026, month, day, hour, tzinfo=SITE)


def _hazard(zone, reporter, created, status, level="general", **fields):
    return hazard_at(zone, reporter, created, status, level=level, **fields)


@pytest.fixture
def scored(app, world, factory):
    """October 2026 in team A (zone A, head hA) and team B (zone B, head hB); m1 a member."""
    hA, hB = world.people[("zone_head", "A")], world.people[("zone_head", "B")]
    supervisor = world.people[("supervisor", "A")]
    m1 = factory.user("worker", world.teams[0].id, username="member1", party=True)
    zA, zB = world.zones["A"], world.zones["B"]
    numbers = {}
    with app.app_context():
        for zone in (zA, zB):  # both were there the whole month
            db.session.get(Zone, zone.id).created_at = datetime(2026, 9, 1, tzinfo=UTC)
        for user, branch in ((hA, "一支部"), (hB, "二支部"), (m1, "一支部")):
            db.session.get(User, user.id).party_branch = branch
        post = db.session.get(Post, world.posts["A"].id)
        post.members.append(db.session.get(User, m1.id))
        numbers["h1"] = _hazard(
            zA,
            m1,
            at(5),
            "closed",
            assignee_id=hA.id,
            deadline=date(2026, 10, 10),
            closed_at=at(8),
            closed_late=False,
        )
        numbers["h2"] = _hazard(
            zA,
            m1,
            at(6),
            "rectifying",
            "major",
            assignee_id=m1.id,
            deadline=date(2026, 10, 20),
            funds="f",
            contingency_plan="c",
            supervisor_id=supervisor.id,
        )
        numbers["h3"] = _hazard(zA, m1, at(7), "rejected")
        numbers["h4"] = _hazard(zA, m1, at(9), "reported")
        numbers["h5"] = _hazard(
            zA,
            hA,
            at(20, month=9),
            "closed",
            assignee_id=m1.id,
            deadline=date(2026, 10, 3),
            closed_at=at(5, 16),
            closed_late=True,
        )
        numbers["h6"] = _hazard(
            zA, m1, at(31), "verifying", assignee_id=m1.id, fixed_on_spot=True, deadline=date(2026, 10, 31)
        )
        numbers["h7"] = _hazard(zB, m1, at(15), "rectifying", assignee_id=hB.id, deadline=date(2026, 11, 30))
        numbers["h8"] = _hazard(
            zA,
            m1,
            at(2, month=11),
            "closed",
            assignee_id=hA.id,
            deadline=date(2026, 11, 10),
            closed_at=at(3, month=11),
            closed_late=False,
        )
        for who, zone, day in ((hA, zA, 2), (hA, zA, 3), (hA, zA, 16), (supervisor, zA, 10)):
            db.session.add(
                Patrol(
                    user_id=who.id,
                    zone_id=zone.id,
                    created_at=at(day),
                    client_uuid=str(uuid.uuid4()),
                    request_hash="x",
                )
            )
        for who, post, day, hour in (
            (hA, "A", 1, 8),
            (hA, "A", 1, 17),
            (hA, "A", 2, 8),
            (m1, "A", 3, 8),
            (m1, "B", 4, 8),
        ):
            db.session.add(
                CheckIn(
                    user_id=who.id,
                    post_id=world.posts[post].id,
                    created_at=at(day, hour),
                    client_uuid=str(uuid.uuid4()),
                    request_hash="x",
                )
            )
        october = PartyDay(
            theme="安全承诺",
            kind="pledge",
            unit_id=world.teams[0].id,
            branch="一支部",
            place="会议室",
            starts_at=at(20, 14),
            ends_at=at(20, 16),
            organizer_id=hA.id,
        )
        november = PartyDay(
            theme="现场查隐患",
            kind="site_check",
            unit_id=world.teams[0].id,
            branch="一支部",
            place="变电站",
            starts_at=at(2, 14, month=11),
            ends_at=at(2, 16, month=11),
            organizer_id=hA.id,
        )
        db.session.add_all([october, november])
        db.session.flush()
        for who, party_day in ((m1, october), (hA, october), (m1, november)):
            db.session.add(
                Attendance(
                    party_day_id=party_day.id, user_id=who.id, client_uuid=str(uuid.uuid4()), request_hash="x"
                )
            )
        db.session.commit()
    return {"m1": m1, "hA": hA, "hB": hB, "numbers": numbers}


EXPECTED_MEMBERS = {
    # item: (m1, hA, hB) counts
    "found_general": (2, 0, 0),
    "found_major": (1, 0, 0),
    "fixed_on_time": (0, 1, 0),
    "fixed_late": (1, 0, 0),
    "overdue_day": (0, 13, 0),
    "patrol_done": (0, 2, 0),
    "patrol_missed": (0, 3, 5),
    "checkin_day": (1, 2, 0),
    "party_day": (1, 1, 0),
    "rejected_report": (1, 0, 0),
}
WEIGHTS = {
    "found_general": 1.0,
    "found_major": 3.0,
    "fixed_on_time": 2.0,
    "fixed_late": 0.5,
    "overdue_day": -0.2,
    "patrol_done": 1.0,
    "patrol_missed": -1.0,
    "checkin_day": 0.2,
    "party_day": 2.0,
    "rejected_report": -0.5,
}


def test_member_ranking_counts_every_item_exactly(login_as, world, scored):
    body = login_as("admin").get(f"/api/v1/scorecards?unit_id={world.company.id}&month={MONTH}").get_json()
    assert body["weights"] == WEIGHTS and body["month_over"] is True
    rows = {row["user_id"]: row for row in body["rows"]}
    for index, who in enumerate(("m1", "hA", "hB")):
        items = rows[scored[who].id]["items"]
        for item, counts in EXPECTED_MEMBERS.items():
            assert items[item]["count"] == counts[index], (who, item)
            assert items[item]["points"] == round(counts[index] * WEIGHTS[item], 2), (who, item)
    assert [(row["name"], row["score"], row["rank"]) for row in body["rows"]] == [
        (rows[scored["m1"].id]["name"], 7.2, 1),
        (rows[scored["hA"].id]["name"], 0.8, 2),
        (rows[scored["hB"].id]["name"], -5.0, 3),
    ]
    assert [(p["title"], p["key"], p["rank"]) for p in body["proposals"]] == [
        ("excellent_member", str(scored["m1"].id), 1),
        ("excellent_member", str(scored["hA"].id), 2),
    ]


def test_zone_ranking_counts_every_item_exactly(login_as, world, scored):
    body = (
        login_as("admin")
        .get(f"/api/v1/scorecards?unit_id={world.company.id}&month={MONTH}&kind=zone")
        .get_json()
    )
    rows = {row["zone_id"]: row for row in body["rows"]}
    zone_a = {item: entry["count"] for item, entry in rows[world.zones["A"].id]["items"].items()}
    zone_b = {item: entry["count"] for item, entry in rows[world.zones["B"].id]["items"].items()}
    assert zone_a == {
        "found_general": 1,
        "found_major": 1,
        "fixed_on_time": 1,
        "fixed_late": 1,
        "overdue_day": 13,
        "patrol_done": 3,
        "patrol_missed": 2,
        "checkin_day": 3,
        "party_day": 0,
        "rejected_report": 1,
    }
    assert zone_b == {
        "found_general": 1,
        "found_major": 0,
        "fixed_on_time": 0,
        "fixed_late": 0,
        "overdue_day": 0,
        "patrol_done": 0,
        "patrol_missed": 5,
        "checkin_day": 1,
        "party_day": 0,
        "rejected_report": 0,
    }
    assert rows[world.zones["A"].id]["score"] == 5.0 and rows[world.zones["A"].id]["rank"] == 1
    assert rows[world.zones["B"].id]["score"] == -3.8 and rows[world.zones["B"].id]["rank"] == 2
    assert body["proposals"] == []


def test_branch_score_is_the_mean_of_its_members(login_as, world, scored):
    body = (
        login_as("admin")
        .get(f"/api/v1/scorecards?unit_id={world.company.id}&month={MONTH}&kind=branch")
        .get_json()
    )
    assert [(r["name"], r["member_count"], r["score"], r["rank"]) for r in body["rows"]] == [
        ("一支部", 2, 4.0, 1),
        ("二支部", 1, -5.0, 2),
    ]
    assert body["rows"][0]["items"]["party_day"] == {"count": 2, "weight": 2.0, "points": 4.0}
    assert [(p["title"], p["key"]) for p in body["proposals"]] == [("advanced_branch", "一支部")]


def test_every_point_names_the_records_behind_it(app, login_as, world, scored):
    n = scored["numbers"]
    client = app.test_client()
    client.login("member1")
    card = client.get(f"/api/v1/scorecards/members/{scored['m1'].id}?month={MONTH}").get_json()
    labels = {item: [r["label"] for r in entry["records"]] for item, entry in card["items"].items()}
    assert labels["found_general"] == [n["h1"], n["h7"]]
    assert labels["found_major"] == [n["h2"]]
    assert labels["fixed_late"] == [n["h5"]]
    assert labels["rejected_report"] == [n["h3"]]
    assert labels["checkin_day"] == ["2026-10-03"]
    assert labels["party_day"] == ["2026-10-20 安全承诺"]
    head = login_as("zone_head").get(f"/api/v1/scorecards/members/{scored['hA'].id}?month={MONTH}").get_json()
    overdue = head["items"]["overdue_day"]["records"]
    assert [(r["label"], r["count"]) for r in overdue] == [(n["h2"], 11), (n["h5"], 2)]
    windows = [r["label"].split(" ")[1] for r in head["items"]["patrol_missed"]["records"]]
    assert windows == ["2026-10-08/2026-10-14", "2026-10-22/2026-10-28", "2026-10-29/2026-10-31"]
    zone = (
        login_as("zone_head").get(f"/api/v1/scorecards/zones/{world.zones['A'].id}?month={MONTH}").get_json()
    )
    assert zone["score"] == 5.0 and zone["items"]["patrol_done"]["count"] == 3


def _patrol_windows(client, zone_id, month):
    card = client.get(f"/api/v1/scorecards/zones/{zone_id}?month={month}").get_json()
    return [r["label"].split(" ")[1] for r in card["items"]["patrol_missed"]["records"]]


def test_patrols_are_owed_from_the_zones_first_day_and_a_running_window_is_not_missed(
    app, login_as, world, factory
):
    head = world.people[("zone_head", "A")]
    late = factory.zone(world.teams[0].id, head.id, patrol_interval_days=7)
    today = factory.zone(world.teams[0].id, head.id, patrol_interval_days=7)
    with app.app_context():
        db.session.get(Zone, late.id).created_at = at(20)  # 20 October
        db.session.commit()
        this_month = site_today().strftime("%Y-%m")
    client = login_as("admin")
    assert _patrol_windows(client, late.id, "2026-09") == []
    assert _patrol_windows(client, late.id, "2026-10") == ["2026-10-20/2026-10-26", "2026-10-27/2026-10-31"]
    assert _patrol_windows(client, today.id, this_month) == []  # made today: nothing missed yet


def test_a_supervisor_sees_points_earned_elsewhere_but_not_those_hazards(login_as, world, scored):
    n = scored["numbers"]
    card = login_as("supervisor").get(f"/api/v1/scorecards/members/{scored['m1'].id}?month={MONTH}")
    records = card.get_json()["items"]["found_general"]["records"]
    assert [r["label"] for r in records] == [n["h1"], None]  # h7 is in team B's zone
    assert records[1] == {"kind": "hazard_elsewhere", "id": None, "label": None, "count": 1}
    assert card.get_json()["items"]["found_general"]["count"] == 2  # it still counts
    assert n["h7"] not in card.get_data(as_text=True)


def test_cards_are_for_oneself_and_those_above(login_as, world, scored):
    worker = login_as("worker")
    assert_problem(worker.get(f"/api/v1/scorecards?unit_id={world.teams[0].id}&month={MONTH}"), 403)
    assert_problem(worker.get(f"/api/v1/scorecards/members/{scored['hA'].id}?month={MONTH}"), 404)
    assert_problem(worker.get(f"/api/v1/scorecards/zones/{world.zones['A'].id}?month={MONTH}"), 404)
    other = login_as("supervisor", "B")
    assert_problem(other.get(f"/api/v1/scorecards?unit_id={world.teams[0].id}&month={MONTH}"), 403)
    assert_problem(other.get(f"/api/v1/scorecards/members/{scored['m1'].id}?month={MONTH}"), 404)
    assert_problem(other.get(f"/api/v1/scorecards?unit_id={world.teams[0].id}&month=2026-13"), 422)


def test_a_supervisor_confirms_an_honour_once_the_month_is_over(app, login_as, world, scored):
    with app.app_context():
        this_month = site_today().strftime("%Y-%m")  # the site's month, not yet over
    supervisor = login_as("supervisor")
    body = {
        "title": "excellent_member",
        "month": MONTH,
        "unit_id": world.teams[0].id,
        "user_id": scored["m1"].id,
    }
    board = f"/api/v1/scorecards?unit_id={world.teams[0].id}&month={MONTH}"
    assert [p["confirmed"] for p in supervisor.get(board).get_json()["proposals"]] == [False, False]
    response = supervisor.post("/api/v1/honours", json=body)
    assert response.status_code == 201, response.get_json()
    proposals = {p["key"]: p["confirmed"] for p in supervisor.get(board).get_json()["proposals"]}
    assert proposals[str(scored["m1"].id)] is True and list(proposals.values()).count(True) == 1
    honour = response.get_json()
    assert (honour["score"], honour["rank"], honour["user"]["id"]) == (7.2, 1, scored["m1"].id)
    assert_problem(supervisor.post("/api/v1/honours", json=body), 409)
    assert_problem(supervisor.post("/api/v1/honours", json={**body, "month": this_month}), 409)
    stranger = {**body, "user_id": world.people[("worker", "A")].id}
    assert_problem(supervisor.post("/api/v1/honours", json=stranger), 422)
    branch = {"title": "advanced_branch", "month": MONTH, "unit_id": world.teams[0].id, "branch": "一支部"}
    assert supervisor.post("/api/v1/honours", json=branch).status_code == 201
    assert_problem(login_as("zone_head").post("/api/v1/honours", json=body), 403)
    history = login_as("worker").get("/api/v1/honours").get_json()["items"]
    assert [(h["title"], h["month"]) for h in history] == [
        ("excellent_member", MONTH),
        ("advanced_branch", MONTH),
    ]


def test_a_branch_month_exports_for_its_meeting(login_as, world, scored):
    supervisor = login_as("supervisor")
    response = supervisor.get(
        f"/api/v1/scorecards/export.csv?unit_id={world.teams[0].id}&month={MONTH}&branch=一支部"
    )
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["排名", "姓名", "党支部", "得分"] and rows[0][4] == "发现一般隐患"
    assert [row[:4] for row in rows[1:]] == [
        ["1", "Name of worker", "一支部", "7.2"],
        ["2", "Name of zone_head", "一支部", "0.8"],
    ]
    xlsx = supervisor.get(f"/api/v1/scorecards/export.xlsx?unit_id={world.teams[0].id}&month={MONTH}")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
