"""The dashboard's figures on a known data set: every number checked exactly."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from server.extensions import db
from server.models.field.checkins import CheckIn
from server.models.field.patrols import Patrol
from server.models.loop.hazards import Hazard
from server.services.platform.clock import site_datetime, site_today
from tests.conftest import assert_problem
from tests.hazard_helpers import place_hazard

NOW = datetime.now(UTC)


@pytest.fixture
def known(app, factory, world):
    """Zone A (team A): 1 reported, 1 overdue rectifying, 2 closed (one late; 2 and 4 days to
    close), 1 rejected, and 1 rectifying reported 60 days ago; zone B (team B): 1 reported."""
    a, b = world.zones["A"], world.zones["B"]
    worker_a, worker_b = world.people[("worker", "A")], world.people[("worker", "B")]
    with app.app_context():
        today = site_today()
    ids = {
        "reported": place_hazard(app, a, worker_a, "reported"),
        "overdue": place_hazard(app, a, worker_a, "rectifying", assignee=worker_a),
        "closed_on_time": place_hazard(app, a, worker_a, "closed", assignee=worker_a),
        "closed_late": place_hazard(app, a, worker_a, "closed", assignee=worker_a),
        "rejected": place_hazard(app, a, worker_a, "rejected"),
        "old": place_hazard(app, a, worker_a, "rectifying", assignee=worker_a),
        "b": place_hazard(app, b, worker_b, "reported"),
    }
    created = NOW - timedelta(days=10)
    with app.app_context():

        def set_(name, **values):
            db.session.execute(update(Hazard).where(Hazard.id == ids[name]).values(**values))

        for name in ids:
            set_(name, created_at=created)
        set_("overdue", deadline=today - timedelta(days=1))
        set_("closed_on_time", closed_at=created + timedelta(days=2), closed_late=False)
        set_("closed_late", closed_at=created + timedelta(days=4), closed_late=True)
        set_("old", created_at=NOW - timedelta(days=60))
        db.session.add(
            Patrol(
                user_id=world.people[("zone_head", "A")].id,
                zone_id=a.id,
                client_uuid=str(uuid.uuid4()),
                request_hash="x",
                checklist=[{"item": "fire", "ok": True}],
                created_at=NOW - timedelta(days=1),
            )
        )
        for days_ago in (1, 1, 5):
            db.session.add(
                CheckIn(
                    user_id=world.people[("zone_head", "A")].id,
                    post_id=world.posts["A"].id,
                    client_uuid=str(uuid.uuid4()),
                    request_hash="x",
                    created_at=NOW - timedelta(days=days_ago, hours=1),
                )
            )
        db.session.commit()
    return ids


def period():
    since, until = (moment.isoformat().replace("+", "%2B") for moment in (NOW - timedelta(days=30), NOW))
    return f"from={since}&to={until}"


def test_company_figures(app, factory, world, known):
    boss = factory.user("supervisor", world.company.id)
    client = app.test_client()
    client.login(boss.username)
    figures = client.get(f"/api/v1/dashboard/summary?{period()}").get_json()
    assert figures["by_status"] == {
        "reported": 2,
        "rejected": 1,
        "rectifying": 1,
        "verifying": 0,
        "closed": 2,
    }
    assert figures["reported"] == 6  # the 60-day-old one is outside the period
    assert figures["by_level"] == {"general": 6, "major": 0}
    assert figures["by_category"]["height"] == 6
    assert figures["open"] == 4 and figures["overdue"] == 1  # now, whatever the period
    assert figures["rectification_rate"] == round(2 / 3, 4)  # closed ÷ confirmed
    assert figures["on_time_rate"] == 0.5
    assert figures["median_days_to_close"] == 3.0
    assert figures["patrol_compliance"] == 0.5  # zone A patrolled yesterday, zone B never
    assert figures["checkin_rate"] == round(2 / (2 * 30), 4)  # 2 post-days of 2 posts × 30 days
    zone_a = next(z for z in figures["zones"] if z["id"] == world.zones["A"].id)
    assert zone_a == {
        "id": world.zones["A"].id, "code": world.zones["A"].code, "name": world.zones["A"].name,
        "head_name": "Name of zone_head", "reported": 5, "closed": 2, "open": 3, "overdue": 1,
        "patrol_due": False,
    }  # fmt: skip
    units = {u["code"]: u for u in figures["units"]}
    assert (units["A"]["reported"], units["A"]["open"], units["A"]["overdue"]) == (5, 3, 1)
    assert (units["B"]["reported"], units["B"]["open"], units["B"]["overdue"]) == (1, 1, 0)
    assert sum(week["reported"] for week in figures["weekly_trend"]) == 6
    assert sum(week["closed"] for week in figures["weekly_trend"]) == 2


def test_the_weekly_trend_has_each_weeks_rates(app, factory, world, known):
    """The week the six were reported holds their rates; the other weeks, with none confirmed or
    closed, have none (not 0%)."""
    boss = factory.user("supervisor", world.company.id)
    client = app.test_client()
    client.login(boss.username)
    answer = client.get(f"/api/v1/dashboard/summary?{period()}")
    assert answer.status_code == 200 and answer.content_type == "application/json"
    weeks = answer.get_json()["weekly_trend"]
    with app.app_context():
        reported_on, *closed_on = (site_datetime(NOW - timedelta(days=days)).date() for days in (10, 8, 6))
    monday = reported_on - timedelta(days=reported_on.weekday())
    week = next(week for week in weeks if week["week"] == monday.isoformat())
    assert week == {
        "week": monday.isoformat(), "reported": 6,
        "closed": sum(monday <= day < monday + timedelta(days=7) for day in closed_on),  # closed that week
        "rectification_rate": round(2 / 3, 4), "on_time_rate": 0.5,  # of the week's reported ones
    }  # fmt: skip
    others = [w for w in weeks if w["week"] != monday.isoformat()]
    assert others and all(w["rectification_rate"] is None and w["on_time_rate"] is None for w in others)


def test_a_team_supervisor_sees_only_the_team(login_as, world, known):
    figures = login_as("supervisor").get(f"/api/v1/dashboard/summary?{period()}").get_json()
    assert figures["reported"] == 5 and [z["code"] for z in figures["zones"]] == [world.zones["A"].code]
    assert_problem(login_as("supervisor").get(f"/api/v1/dashboard/summary?unit_id={world.teams[1].id}"), 403)


@pytest.mark.parametrize("role", ["worker", "zone_head"])
def test_only_supervisors_and_admins_see_the_dashboard(login_as, world, role):
    assert_problem(login_as(role).get("/api/v1/dashboard/summary"), 403)


def test_an_empty_scope_has_no_rates(login_as, world):
    figures = login_as("admin").get(f"/api/v1/dashboard/summary?{period()}").get_json()
    assert (
        figures["reported"] == 0
        and figures["rectification_rate"] is None
        and figures["median_days_to_close"] is None
    )
