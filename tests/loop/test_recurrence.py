"""Repeat hazards as the dashboard counts them (issue 19): reported while one of the same zone and
category, not rejected, had been reported in the 90 days before; decided when filed, counted by
the rollup, listed by `recurring=true`, and no longer counted once rejected."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from server.extensions import db
from server.models.loop.hazards import Hazard
from server.services.loop import recurrence
from tests.hazard_helpers import hazard_at, report


def _filed(client, zone, category):
    answer = report(client, zone.id, category=category)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _listed(client, query=""):
    answer = client.get(f"/api/v1/hazards?recurring=true&limit=200{query}")
    assert answer.status_code == 200, answer.get_json()
    return {item["id"] for item in answer.get_json()["items"]}


def _repeats_on_the_dashboard(client, before=timedelta(days=7), after=timedelta(0)):
    """The figure for a period around now: whole site days come from the rollup, a part of a day
    from the hazard table (a period within one day is all such a part)."""
    now = datetime.now(UTC)
    since, until = ((now + delta).strftime("%Y-%m-%dT%H:%M:%SZ") for delta in (-before, after))
    query = f"from={since}" + (f"&to={until}" if after else "")
    answer = client.get(f"/api/v1/dashboard/summary?{query}")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["repeats"]


def test_a_second_report_of_a_zone_and_category_within_90_days_is_a_repeat(app, login_as, world):
    worker, zone_a, zone_b = world.people[("worker", "A")], world.zones["A"], world.zones["B"]
    now = datetime.now(UTC)
    with app.app_context():  # long ago, and recently but rejected: neither makes a repeat
        hazard_at(zone_a, worker, now - timedelta(days=100), "reported", category="fire")
        hazard_at(zone_a, worker, now - timedelta(days=20), "rejected", category="fire")
        db.session.commit()
    client = login_as("worker")
    first = _filed(client, zone_a, "fire")
    second = _filed(client, zone_a, "fire")
    other_category = _filed(client, zone_a, "height")
    other_zone = _filed(login_as("worker", "B"), zone_b, "fire")
    with app.app_context():
        marked = set(db.session.scalars(select(Hazard.id).where(Hazard.recurs)))
    assert second["id"] in marked
    assert not {first["id"], other_category["id"], other_zone["id"]} & marked
    supervisor = login_as("supervisor")
    assert _listed(supervisor) == {second["id"]}
    assert _repeats_on_the_dashboard(supervisor) == 1
    assert _repeats_on_the_dashboard(supervisor, timedelta(minutes=5), timedelta(minutes=5)) == 1


def test_a_repeat_rejected_as_a_duplicate_is_no_longer_counted(app, login_as, world):
    client, zone = login_as("worker"), world.zones["A"]
    first = _filed(client, zone, "electrical")
    second = _filed(client, zone, "electrical")
    head, supervisor = login_as("zone_head"), login_as("supervisor")
    assert _repeats_on_the_dashboard(supervisor) == 1
    answer = head.post(
        f"/api/v1/hazards/{second['id']}/actions/reject",
        json={"version": second["version"], "reason": "重复上报", "duplicate_of": first["id"]},
    )
    assert answer.status_code == 200, answer.get_json()
    assert _repeats_on_the_dashboard(supervisor) == 0
    assert _listed(supervisor) == set()
    assert second["id"] in {
        item["id"] for item in supervisor.get("/api/v1/hazards?recurring=false").get_json()["items"]
    }


def test_marking_the_whole_table_agrees_with_the_decisions_made_when_filed(app, login_as, world):
    client, zone = login_as("worker"), world.zones["A"]
    for category in ("fire", "fire", "height", "fire"):
        _filed(client, zone, category)
    with app.app_context():
        filed = set(db.session.scalars(select(Hazard.id).where(Hazard.recurs)))
        assert recurrence.mark_all(db.session) == len(filed) == 2
        db.session.commit()
        assert set(db.session.scalars(select(Hazard.id).where(Hazard.recurs))) == filed
