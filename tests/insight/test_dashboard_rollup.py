"""The dashboard rollup stays equal to the hazard table: after a random mix of reports (API and
direct), transitions (API, ORM and bulk statements) and a rebuild, the summary matches figures
recomputed here straight from the hazard rows (the weekly trend's rates too), for periods on and
off site midnights."""

import random
import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from server.extensions import db
from server.models.insight.rollup import dashboard_day
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from server.services.insight.dashboard import compute_summary
from server.services.insight.rollup import rebuild_rollup
from server.services.insight.trend import ratio
from server.services.platform.clock import site_datetime, site_today, site_zone
from server.vocabulary import CONFIRMED_STATUSES
from tests.hazard_helpers import hazard_at, place_hazard, report

NOW = datetime.now(UTC)
STATUSES = ("reported", "rejected", "rectifying", "verifying", "closed")


def direct(app, since, until):
    """The summary's period figures by their definitions, from every hazard row in Python."""
    with app.app_context():
        rows = db.session.execute(
            select(Hazard.zone_id, Hazard.created_at, Hazard.status, Hazard.level, Hazard.category,
                   Hazard.closed_late, Hazard.closed_at)
        ).all()  # fmt: skip
        first = site_datetime(since).date()
        monday = datetime.combine(first - timedelta(days=first.weekday()), time(), site_zone())
    period = [row for row in rows if since <= row.created_at < until]
    closed = [row for row in period if row.status == "closed"]
    weeks = Counter()
    for label, column in (("reported", 1), ("closed", 6)):
        for row in rows:
            if row[column] is not None and monday <= row[column] < until:
                weeks[((row[column] - monday) // timedelta(days=7), label)] += 1
    reported_weeks = defaultdict(Counter)  # the week's rates are of the hazards reported in it
    for row in (row for row in rows if monday <= row.created_at < until):
        reported_weeks[(row.created_at - monday) // timedelta(days=7)].update(
            confirmed=row.status in CONFIRMED_STATUSES,
            closed=row.status == "closed",
            on_time=row.status == "closed" and row.closed_late is False,
        )
    rates = {
        n: (ratio(week["closed"], week["confirmed"]), ratio(week["on_time"], week["closed"]))
        for n, week in reported_weeks.items()
    }
    return {
        "by_status": Counter(row.status for row in period),
        "by_level": Counter(row.level for row in period),
        "by_category": Counter(row.category for row in period),
        "on_time": sum(1 for row in closed if row.closed_late is False),
        "median": round(
            statistics.median((r.closed_at - r.created_at) / timedelta(days=1) for r in closed), 2
        )
        if closed
        else None,
        "zones": Counter(row.zone_id for row in period),
        "zones_closed": Counter(row.zone_id for row in closed),
        "weeks": weeks,
        "week_rates": {n: pair for n, pair in rates.items() if pair != (None, None)},
    }


def rollup_based(app, since, until):
    with app.app_context():
        figures, _ = compute_summary(None, None, since, until)
    closed = figures["by_status"]["closed"]
    return {
        "by_status": Counter({k: v for k, v in figures["by_status"].items() if v}),
        "by_level": Counter({k: v for k, v in figures["by_level"].items() if v}),
        "by_category": Counter({k: v for k, v in figures["by_category"].items() if v}),
        "on_time": round(figures["on_time_rate"] * closed) if closed else 0,
        "median": figures["median_days_to_close"],
        "zones": Counter({z["id"]: z["reported"] for z in figures["zones"] if z["reported"]}),
        "zones_closed": Counter({z["id"]: z["closed"] for z in figures["zones"] if z["closed"]}),
        "weeks": Counter(
            {
                (n, label): week[label]
                for n, week in enumerate(figures["weekly_trend"])
                for label in ("reported", "closed")
                if week[label]
            }
        ),  # fmt: skip
        "week_rates": {
            n: (week["rectification_rate"], week["on_time_rate"])
            for n, week in enumerate(figures["weekly_trend"])
            if (week["rectification_rate"], week["on_time_rate"]) != (None, None)
        },
    }


def periods(app):
    with app.app_context():
        zone = site_zone()
    midnight = datetime.combine(NOW.astimezone(zone).date() + timedelta(days=1), time(), zone)
    return [
        (midnight - timedelta(days=30), midnight),  # the default: whole site days
        (midnight - timedelta(days=365), midnight),
        (NOW - timedelta(days=40, hours=5), NOW),  # partial days at both ends
        (NOW - timedelta(hours=7), NOW + timedelta(hours=1)),  # inside one day
    ]


def scramble(app, world, login_as, rng):
    """Reports through the API, hazards placed in every status, ORM and bulk changes."""
    zones = [world.zones["A"], world.zones["B"]]
    workers = [world.people[("worker", "A")], world.people[("worker", "B")]]
    for _ in range(3):
        assert report(login_as("worker"), world.zones["A"].id).status_code == 201
    ids = [
        place_hazard(app, zones[i % 2], workers[i % 2], rng.choice(STATUSES), assignee=workers[i % 2])
        for i in range(24)
    ]
    with app.app_context():
        for hazard_id in rng.sample(ids, 12):  # one at a time, as the services do
            hazard = db.session.get(Hazard, hazard_id)
            hazard.created_at = NOW - timedelta(days=rng.uniform(0, 400))
            if hazard.status == "verifying":
                hazard.status, hazard.closed_late = "closed", rng.random() < 0.5
                hazard.closed_at = hazard.created_at + timedelta(days=rng.uniform(0, 30))
            elif hazard.status == "reported":
                hazard.category, hazard.level = "fire", "major"
            db.session.commit()
        for hazard_id in rng.sample(ids, 6):  # bulk statements, as scripts and fixtures do
            db.session.execute(
                update(Hazard)
                .where(Hazard.id == hazard_id)
                .values(created_at=NOW - timedelta(days=rng.uniform(0, 60), hours=rng.uniform(0, 24)))
            )
        db.session.execute(update(Hazard).where(Hazard.status == "reported").values(zone_id=zones[1].id))
        db.session.commit()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_rollup_summary_equals_a_recomputation_from_hazards(app, world, login_as, seed):
    scramble(app, world, login_as, random.Random(seed))
    for since, until in periods(app):
        assert rollup_based(app, since, until) == direct(app, since, until), (since, until)
    with app.app_context():
        before = sorted(tuple(row) for row in db.session.execute(select(dashboard_day)) if any(row[2:]))
        rebuild_rollup(db.session.connection(), site_zone())
        db.session.commit()
        assert sorted(tuple(row) for row in db.session.execute(select(dashboard_day))) == before
    for since, until in periods(app):
        assert rollup_based(app, since, until) == direct(app, since, until), (since, until)


def test_the_summary_cache_sees_every_change(app, world, login_as):
    """A cached summary is replaced as soon as a hazard changes, even by a bulk statement."""
    client = login_as("admin")
    first = client.get("/api/v1/dashboard/summary").get_json()
    assert client.get("/api/v1/dashboard/summary").get_json() == first
    hazard_id = place_hazard(app, world.zones["A"], world.people[("worker", "A")], "reported")
    assert client.get("/api/v1/dashboard/summary").get_json()["reported"] == first["reported"] + 1
    with app.app_context():
        db.session.execute(
            update(Hazard).where(Hazard.id == hazard_id).values(created_at=NOW - timedelta(days=90))
        )
        db.session.execute(update(Zone).values(name="改名"))
        db.session.commit()
        assert site_today()
    figures = client.get("/api/v1/dashboard/summary").get_json()
    assert figures["reported"] == first["reported"] and {z["name"] for z in figures["zones"]} == {"改名"}


def test_a_savepoint_rolled_back_does_not_hide_the_change_before_it_from_the_cache(app, world, login_as):
    client = login_as("admin")
    first = client.get("/api/v1/dashboard/summary").get_json()["reported"]
    with app.app_context():
        hazard_at(world.zones["A"], world.people[("worker", "A")], datetime.now(UTC), "reported")
        savepoint = db.session.begin_nested()  # as idempotency's around an insert that may clash
        db.session.execute(update(Zone).values(name="改名"))
        savepoint.rollback()
        db.session.commit()
    assert client.get("/api/v1/dashboard/summary").get_json()["reported"] == first + 1


def test_rebuild_rollup_command_recounts_from_hazards(app, world):
    place_hazard(
        app, world.zones["A"], world.people[("worker", "A")], "closed", assignee=world.people[("worker", "A")]
    )
    with app.app_context():
        db.session.execute(dashboard_day.delete())
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["dashboard", "rebuild-rollup"])
    assert result.exit_code == 0 and "from 1 hazards" in result.output
    with app.app_context():
        assert db.session.scalar(select(dashboard_day.c.reported)) == 1
