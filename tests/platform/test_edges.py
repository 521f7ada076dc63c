"""Edge cases found in review: each once reached a 500, a leak or a stuck loop."""

import uuid
from datetime import timedelta

import pytest

from server.services.platform.clock import site_today
from tests.conftest import assert_problem
from tests.hazard_helpers import place_hazard, report, upload_photo


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/hazards/9223372036854775808",
        "/api/v1/zones/99999999999999999999",
        "/api/v1/photos/2147483648/full.jpg",
    ],
)
def test_ids_past_the_database_range_are_404(login_as, path):
    assert_problem(login_as("worker").get(path), 404)


def test_a_cursor_past_the_id_range_is_422(login_as):
    from server.services.platform.pagination import encode_cursor

    assert_problem(login_as("admin").get(f"/api/v1/hazards?cursor={encode_cursor(2**70)}"), 422)


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "1970-01-01T00:00:00Z"]
)
def test_implausible_times_are_422(login_as, world, moment):
    assert_problem(report(login_as("worker"), world.zones["A"].id, client_at=moment), 422)
    assert_problem(login_as("admin").get(f"/api/v1/hazards?from={moment}"), 422)


@pytest.mark.parametrize("text", ["a\x01b", "tab\there is fine\x0b", "\x1f"])
def test_control_characters_are_refused(login_as, world, text):
    assert_problem(report(login_as("worker"), world.zones["A"].id, title=text), 422)


def test_newlines_and_tabs_are_kept(login_as, world):
    body = report(login_as("worker"), world.zones["A"].id, description="第一行\n第二行\t完").get_json()
    assert body["description"] == "第一行\n第二行\t完"


def test_patching_away_half_a_location_is_422(login_as, world):
    client = login_as("admin")
    client.patch(f"/api/v1/zones/{world.zones['A'].id}", json={"lat": 30.1, "lng": 120.1})
    assert (
        "lat"
        in assert_problem(client.patch(f"/api/v1/zones/{world.zones['A'].id}", json={"lat": None}), 422)[
            "errors"
        ]
    )
    assert (
        client.patch(f"/api/v1/zones/{world.zones['A'].id}", json={"lat": None, "lng": None}).status_code
        == 200
    )


def test_a_hazard_cannot_be_assigned_outside_its_zones_unit(login_as, world, app):
    hazard = report(login_as("worker"), world.zones["A"].id).get_json()
    with app.app_context():
        deadline = (site_today() + timedelta(days=3)).isoformat()
    body = {"version": 1, "deadline": deadline, "level": "general", "measures": "m"}
    outsider = world.people[("worker", "B")].id
    response = login_as("zone_head").post(
        f"/api/v1/hazards/{hazard['id']}/actions/confirm", json={**body, "assignee_id": outsider}
    )
    assert "assignee_id" in assert_problem(response, 422)["errors"]
    people = login_as("zone_head").get(f"/api/v1/hazards/{hazard['id']}/assignees").get_json()["items"]
    assert outsider not in {p["id"] for p in people} and world.people[("worker", "A")].id in {
        p["id"] for p in people
    }


def test_a_one_time_password_must_be_changed_before_anything_else(app, login_as, world):
    one_time = (
        login_as("admin").post(f"/api/v1/users/{world.people[('worker', 'A')].id}/reset-password").get_json()
    )
    client = app.test_client()
    client.login("worker-a", one_time["one_time_password"])
    assert client.get("/api/v1/auth/me").status_code == 200
    assert_problem(client.get("/api/v1/hazards"), 403)
    response = client.post(
        "/api/v1/auth/password",
        json={"current_password": one_time["one_time_password"], "new_password": "my-own-password"},
    )
    client.csrf_token = response.get_json()["csrf_token"]
    assert client.get("/api/v1/hazards").status_code == 200


def test_a_fix_only_its_submitter_could_verify_is_refused(app, factory, world):
    lone = factory.unit("LONE", "Lone team", None)
    boss = factory.user("supervisor", lone.id, party=True)
    head = factory.user("zone_head", lone.id)
    zone = factory.zone(lone.id, head.id)
    client = app.test_client()
    client.login(boss.username)
    fix = {"note": "当场处理", "photo_ids": [upload_photo(client)]}
    response = report(client, zone.id, level="major", fixed_on_spot=fix)
    assert_problem(response, 422)  # nobody but the reporter could accept it: the loop would be stuck


def test_submitting_a_fix_settles_a_pending_extension_request(app, login_as, world):
    worker = world.people[("worker", "A")]
    with app.app_context():
        pending = {"extension_deadline": site_today() + timedelta(days=30), "extension_reason": "备件"}
    hazard_id = place_hazard(app, world.zones["A"], worker, "rectifying", assignee=worker, **pending)
    client = login_as("worker")
    answer = client.post(
        f"/api/v1/hazards/{hazard_id}/actions/submit",
        json={"version": 1, "note": "done", "photo_ids": [upload_photo(client)]},
    ).get_json()
    assert answer["status"] == "verifying" and answer["extension_deadline"] is None


def test_an_admin_cannot_fix_on_the_spot(login_as, world):
    admin = login_as("admin")
    response = report(
        admin, world.zones["A"].id, fixed_on_spot={"note": "x", "photo_ids": [upload_photo(admin)]}
    )
    assert_problem(response, 403)


def test_a_blank_major_plan_is_422(app, login_as, world):
    hazard = report(login_as("worker"), world.zones["A"].id).get_json()
    with app.app_context():
        deadline = (site_today() + timedelta(days=3)).isoformat()
    body = {
        "version": 1, "assignee_id": world.people[("worker", "A")].id, "deadline": deadline, "level": "major",
        "measures": "m", "funds": "   ", "contingency_plan": "\n",
    }  # fmt: skip
    response = login_as("zone_head").post(f"/api/v1/hazards/{hazard['id']}/actions/confirm", json=body)
    assert set(assert_problem(response, 422)["errors"]) == {"funds", "contingency_plan"}


def test_a_bad_action_body_on_an_invisible_hazard_is_404_not_422(app, login_as, world):
    hidden = place_hazard(app, world.zones["B"], world.people[("worker", "B")], "reported")
    response = login_as("worker").post(
        f"/api/v1/hazards/{hidden}/actions/confirm", json={"version": "x", "bogus": 1}
    )
    assert_problem(response, 404)


def test_a_zone_head_cannot_be_moved_to_another_unit_while_heading(login_as, world):
    head_id = world.people[("zone_head", "A")].id
    response = login_as("admin").patch(f"/api/v1/users/{head_id}", json={"unit_id": world.teams[1].id})
    assert_problem(response, 409)


def test_replaying_an_idempotency_key_on_another_hazard_is_422(login_as, world):
    client = login_as("worker")
    first, second = (report(client, world.zones["A"].id).get_json() for _ in range(2))
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert (
        client.post(
            f"/api/v1/hazards/{first['id']}/actions/comment", json={"text": "a"}, headers=key
        ).status_code
        == 200
    )
    assert_problem(
        client.post(f"/api/v1/hazards/{second['id']}/actions/comment", json={"text": "a"}, headers=key), 422
    )
