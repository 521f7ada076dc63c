"""Safety-themed Party days: planning, QR check-in (window, geofence, idempotent), attendance per
member and branch, and hazards found during an on-site check linked to the activity."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.extensions import db
from server.models.accounts.users import User
from server.models.party.party_days import PartyDay
from tests.conftest import assert_problem
from tests.hazard_helpers import report


def _plan(client, world, **fields):
    now = datetime.now(UTC)
    body = {
        "theme": "反违章现场查隐患",
        "kind": "site_check",
        "unit_id": world.teams[0].id,
        "branch": "一支部",
        "place": "110kV 变电站",
        "starts_at": (now - timedelta(minutes=10)).isoformat(),
        "ends_at": (now + timedelta(hours=2)).isoformat(),
        **fields,
    }
    return client.post("/api/v1/party-days", json=body)


@pytest.fixture
def branch(app, world):
    """Zone head A and worker A are members of 一支部; worker A becomes a Party member."""
    with app.app_context():
        for key in (("zone_head", "A"), ("worker", "A")):
            user = db.session.get(User, world.people[key].id)
            user.party_branch, user.is_party_member = "一支部", True
        db.session.commit()


def _check_in(client, token, **fields):
    return client.post(
        "/api/v1/party-days/attendances", json={"client_uuid": str(uuid.uuid4()), "token": token, **fields}
    )


def test_a_member_checks_in_by_the_qr_once_and_the_organizer_sees_who_came(login_as, world, branch):
    head = login_as("zone_head")
    planned = _plan(head, world)
    assert planned.status_code == 201, planned.get_json()
    party_day = planned.get_json()
    assert party_day["qr_token"] and party_day["check_in_open"] is True and party_day["expected_count"] == 2
    worker = login_as("worker")
    scanned = worker.get(f"/api/v1/scan/{party_day['qr_token']}").get_json()
    assert scanned == {"kind": "party_day", "id": party_day["id"], "code": None, "name": "反违章现场查隐患"}
    first = _check_in(worker, party_day["qr_token"])
    assert first.status_code == 201
    again = _check_in(worker, party_day["qr_token"])
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    seen = head.get(f"/api/v1/party-days/{party_day['id']}").get_json()
    assert (seen["attendance_count"], seen["expected_attended"]) == (1, 1)
    assert [a["user"]["id"] for a in seen["attendees"]] == [world.people[("worker", "A")].id]
    assert [u["id"] for u in seen["absentees"]] == [world.people[("zone_head", "A")].id]
    mine = worker.get(f"/api/v1/party-days/{party_day['id']}").get_json()
    assert (
        mine["attendees"] is None
        and mine["qr_token"] is None
        and mine["my_attendance"]["id"] == first.get_json()["id"]
    )
    assert_problem(worker.get(f"/api/v1/party-days/{party_day['id']}/qr.svg"), 404)
    assert head.get(f"/api/v1/party-days/{party_day['id']}/qr.svg").mimetype == "image/svg+xml"


def test_check_in_keeps_to_its_window_members_and_geofence(app, login_as, world, branch):
    head = login_as("zone_head")
    later = _plan(
        head,
        world,
        starts_at=(datetime.now(UTC) + timedelta(hours=3)).isoformat(),
        ends_at=(datetime.now(UTC) + timedelta(hours=4)).isoformat(),
    ).get_json()
    assert_problem(_check_in(login_as("worker"), later["qr_token"]), 409)
    fenced = _plan(head, world, lat=30.0, lng=120.0, radius_m=200, geofence_required=True).get_json()
    assert_problem(_check_in(login_as("worker"), fenced["qr_token"]), 422)
    far = assert_problem(_check_in(login_as("worker"), fenced["qr_token"], lat=30.01, lng=120.0), 422)
    assert "1112" in far["detail"] or "1,112" in far["detail"]
    assert _check_in(login_as("worker"), fenced["qr_token"], lat=30.0005, lng=120.0).status_code == 201
    assert_problem(_check_in(login_as("worker", "B"), fenced["qr_token"]), 403)
    assert_problem(_check_in(login_as("worker"), "no-such-token"), 404)


def test_only_its_branch_and_its_organizer_check_in(app, login_as, world, branch, factory):
    party_day = _plan(login_as("supervisor"), world).get_json()
    with app.app_context():
        for key, branch_name in ((("zone_head", "B"), "一支部"), (("supervisor", "A"), "二支部")):
            user = db.session.get(User, world.people[key].id)
            user.party_branch, user.is_party_member = branch_name, True
        db.session.commit()
    # Same branch name, another team's unit: not the members this activity is for.
    day_url = f"/api/v1/party-days/{party_day['id']}"
    other_team = login_as("zone_head", "B").get(day_url).get_json()
    assert (
        other_team["allowed_actions"] == []
        and other_team["attend_refusal"] == "errors.attendance_not_in_branch"
    )
    outsider = app.test_client()
    outsider.login(factory.user("worker", world.teams[0].id, party=False).username)
    assert outsider.get(day_url).get_json()["attend_refusal"] == "errors.attendance_not_member"
    own = login_as("zone_head").get(day_url).get_json()
    assert own["allowed_actions"] == ["attend"] and own["attend_refusal"] is None
    body = assert_problem(_check_in(login_as("zone_head", "B"), party_day["qr_token"]), 403)
    assert "一支部" in body["detail"]
    assert _check_in(login_as("supervisor"), party_day["qr_token"]).status_code == 201  # its organizer
    assert _check_in(login_as("zone_head"), party_day["qr_token"]).status_code == 201


def test_only_organizers_of_their_own_subtree_plan(login_as, world):
    assert_problem(_plan(login_as("worker"), world), 403)
    assert_problem(_plan(login_as("zone_head", "B"), world), 403)
    assert_problem(_plan(login_as("supervisor"), world, ends_at="2020-01-01T00:00:00+00:00"), 422)
    assert_problem(_plan(login_as("supervisor"), world, geofence_required=True), 422)
    assert _plan(login_as("supervisor"), world).status_code == 201


def test_a_hazard_found_on_the_site_check_links_to_it(login_as, world, branch):
    head = login_as("zone_head")
    party_day = _plan(head, world).get_json()
    worker = login_as("worker")
    assert_problem(report(worker, world.zones["A"].id, party_day_id=party_day["id"]), 422)
    _check_in(worker, party_day["qr_token"])
    hazard = report(worker, world.zones["A"].id, party_day_id=party_day["id"])
    assert hazard.status_code == 201 and hazard.get_json()["party_day_id"] == party_day["id"]
    assert head.get(f"/api/v1/party-days/{party_day['id']}").get_json()["hazard_count"] == 1


def test_members_see_activities_of_their_unit_and_above(app, login_as, world, branch):
    _plan(login_as("supervisor"), world)
    assert len(login_as("worker").get("/api/v1/party-days").get_json()["items"]) == 1
    assert login_as("worker", "B").get("/api/v1/party-days").get_json()["items"] == []
    with app.app_context():
        assert db.session.query(PartyDay).count() == 1
