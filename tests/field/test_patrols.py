"""Zone patrols: who may patrol, the checklist, replays, patrol-due lists."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from server.extensions import db
from server.models.field.patrols import Patrol
from tests.conftest import assert_problem
from tests.hazard_helpers import upload_photo

CHECKLIST = [{"item": "fire", "ok": True}, {"item": "配电箱门锁", "ok": False, "note": "锁已坏"}]


def patrol(client, zone, **fields):
    body = {"client_uuid": str(uuid.uuid4()), "zone_id": zone, "checklist": CHECKLIST, **fields}
    return client.post("/api/v1/patrols", json=body)


def test_the_zone_head_patrols_own_zone(login_as, world):
    response = patrol(login_as("zone_head"), world.zones["A"].id, note="例行巡查")
    assert response.status_code == 201
    body = response.get_json()
    assert body["checklist"] == CHECKLIST and body["zone_id"] == world.zones["A"].id
    assert body["hazard_ids"] == [] and body["photo_ids"] == []


@pytest.mark.parametrize(
    ("role", "team", "zone", "status"),
    [
        ("zone_head", "B", "A", 403),  # another zone's head
        ("supervisor", "A", "A", 201),  # supervisor of the unit
        ("supervisor", "B", "A", 403),  # supervisor of another unit
        ("worker", "A", "A", 403),
        ("admin", "A", "A", 403),  # admin is not a workflow actor
    ],
)
def test_who_may_patrol(login_as, world, role, team, zone, status):
    response = patrol(login_as(role, team), world.zones[zone].id)
    if status == 201:
        assert response.status_code == 201
    else:
        assert_problem(response, status)


def test_patrol_photos_are_attached_and_replays_return_the_first(login_as, world):
    client = login_as("zone_head")
    photo = {"id": upload_photo(client)}
    body = {"client_uuid": str(uuid.uuid4()), "zone_id": world.zones["A"].id, "checklist": CHECKLIST}
    first = client.post("/api/v1/patrols", json={**body, "photo_ids": [photo["id"]]})
    again = client.post("/api/v1/patrols", json={**body, "photo_ids": [photo["id"]]})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json() and first.get_json()["photo_ids"] == [photo["id"]]
    assert_problem(client.post("/api/v1/patrols", json={**body, "note": "different"}), 422)


@pytest.mark.parametrize(
    "fields",
    [
        {"checklist": []},
        {"checklist": [{"item": "fire"}]},
        {"checklist": [{"item": "", "ok": True}]},
        {"checklist": [{"item": "x" * 101, "ok": True}]},
        {"checklist": "all fine"},
        {"zone_id": "1"},
        {"note": "\x00"},
        {"photo_ids": [1, 1]},
        {"client_uuid": "123"},
    ],
)
def test_bad_patrols_are_422(login_as, world, fields):
    assert_problem(patrol(login_as("zone_head"), world.zones["A"].id, **fields), 422)


def test_who_sees_patrols(login_as, world):
    patrol(login_as("zone_head"), world.zones["A"].id)
    assert len(login_as("zone_head").get("/api/v1/patrols").get_json()["items"]) == 1
    assert len(login_as("supervisor").get("/api/v1/patrols").get_json()["items"]) == 1
    assert login_as("zone_head", "B").get("/api/v1/patrols").get_json()["items"] == []
    assert login_as("supervisor", "B").get("/api/v1/patrols").get_json()["items"] == []
    assert_problem(login_as("worker").get("/api/v1/patrols"), 403)
    assert len(login_as("admin").get("/api/v1/patrols").get_json()["items"]) == 1  # read like check-ins
    patrol_id = login_as("zone_head").get("/api/v1/patrols").get_json()["items"][0]["id"]
    assert login_as("supervisor").get(f"/api/v1/patrols/{patrol_id}").status_code == 200
    assert login_as("admin").get(f"/api/v1/patrols/{patrol_id}").status_code == 200
    assert_problem(login_as("zone_head", "B").get(f"/api/v1/patrols/{patrol_id}"), 404)


def test_patrol_due_follows_the_interval(app, login_as, world):
    head = login_as("zone_head")
    due = head.get("/api/v1/zones/patrol-due").get_json()["items"]
    assert [z["id"] for z in due] == [world.zones["A"].id]
    patrol(head, world.zones["A"].id)
    assert head.get("/api/v1/zones/patrol-due").get_json()["items"] == []
    zone = head.get(f"/api/v1/zones/{world.zones['A'].id}").get_json()
    assert zone["patrol_due"] is False and zone["last_patrol_at"]
    with app.app_context():
        db.session.execute(update(Patrol).values(created_at=datetime.now(UTC) - timedelta(days=8)))
        db.session.commit()
    assert [z["id"] for z in head.get("/api/v1/zones/patrol-due").get_json()["items"]] == [
        world.zones["A"].id
    ]
    supervisor_due = login_as("supervisor").get("/api/v1/zones/patrol-due").get_json()["items"]
    assert [z["id"] for z in supervisor_due] == [world.zones["A"].id]
    assert len(login_as("admin").get("/api/v1/zones/patrol-due").get_json()["items"]) == 2
    assert_problem(login_as("worker").get("/api/v1/zones/patrol-due"), 403)


def test_zone_checklist_has_a_default_and_admins_edit_it(login_as, world):
    zone_url = f"/api/v1/zones/{world.zones['A'].id}"
    assert "electrical" in login_as("worker").get(zone_url).get_json()["patrol_checklist"]
    client = login_as("admin")
    updated = client.patch(zone_url, json={"patrol_checklist": ["接地线", "fire"]}).get_json()
    assert updated["patrol_checklist"] == ["接地线", "fire"]
    assert_problem(client.patch(zone_url, json={"patrol_checklist": []}), 422)


def test_a_zone_says_who_may_patrol_it(login_as, world):
    """The PWA shows the patrol button from this answer, never from a role check of its own."""
    url = f"/api/v1/zones/{world.zones['A'].id}"
    expected = {
        ("zone_head", "A"): ["report", "patrol"],
        ("supervisor", "A"): ["report", "patrol"],
        ("zone_head", "B"): ["report"],  # heads another zone
        ("supervisor", "B"): ["report"],  # supervises another branch of the tree
        ("worker", "A"): ["report"],
        ("admin", "A"): ["report"],
    }
    for (role, team), actions in expected.items():
        assert login_as(role, team).get(url).get_json()["allowed_actions"] == actions, (role, team)
    listed = login_as("supervisor", "B").get("/api/v1/zones").get_json()["items"]
    assert {z["id"]: z["allowed_actions"] for z in listed}[world.zones["B"].id] == ["report", "patrol"]
