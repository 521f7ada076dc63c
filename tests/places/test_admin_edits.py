"""What the admin's edit screens send (issue 16): a zone's, a post's and a user's fields, changed
one PATCH at a time, in the admin's own unit and another; others are refused before their body
is read; a bad value is a 422 naming the field in the user's language."""

import pytest

from tests.conftest import assert_problem

ZONE_EDIT = {
    "name": "1号主变区域",
    "responsibilities": "设备巡视",
    "radius_m": 150,
    "patrol_interval_days": 14,
    "patrol_checklist": ["electrical", "接地线"],
    "guest_reports": True,
    "lat": 30.2741,
    "lng": 120.1551,
}


@pytest.mark.parametrize("team", ["A", "B"])
def test_admin_changes_every_field_of_the_zone_form(login_as, world, team):
    response = login_as("admin").patch(f"/api/v1/zones/{world.zones[team].id}", json=ZONE_EDIT)
    assert response.status_code == 200
    zone = response.get_json()
    assert {key: zone[key] for key in ZONE_EDIT} == ZONE_EDIT
    assert (
        zone["head"]["id"] == world.people[("zone_head", team)].id and zone["code"] == world.zones[team].code
    )


@pytest.mark.parametrize("role", ["worker", "zone_head", "supervisor"])
@pytest.mark.parametrize("team", ["A", "B"])
def test_only_an_admin_edits_a_zone_a_post_or_a_user(login_as, world, role, team):
    client = login_as(role)
    for path, body in (
        (f"/api/v1/zones/{world.zones[team].id}", {"radius_m": 1}),
        (f"/api/v1/posts/{world.posts[team].id}", {"radius_m": 1}),
        (f"/api/v1/users/{world.people[('worker', team)].id}", {"phone": "1"}),
    ):
        assert_problem(client.patch(path, json=body), 403, "forbidden")
    zone = login_as("admin").get(f"/api/v1/zones/{world.zones[team].id}").get_json()
    assert zone["radius_m"] != 1


def test_a_location_is_cleared_whole_or_refused_naming_latitude(login_as, world):
    client = login_as("admin")
    path = f"/api/v1/zones/{world.zones['A'].id}"
    client.patch(path, json={"lat": 30.1, "lng": 120.1, "radius_m": 80})
    half = assert_problem(client.patch(path, json={"lat": None}), 422)["errors"]
    assert half == {"lat": ["纬度和经度必须同时填写。"]}
    cleared = client.patch(path, json={"lat": None, "lng": None, "radius_m": None}).get_json()
    assert (cleared["lat"], cleared["lng"], cleared["radius_m"]) == (None, None, None)


def test_bad_numbers_from_the_form_are_422_naming_the_field(login_as, world):
    client = login_as("admin")
    path = f"/api/v1/zones/{world.zones['B'].id}"
    for body in (
        {"radius_m": "abc"},
        {"radius_m": 1.5},
        {"patrol_interval_days": 0},
        {"patrol_checklist": []},
    ):
        errors = assert_problem(client.patch(path, json=body), 422)["errors"]
        assert list(errors) == list(body)


def test_a_post_holder_who_is_not_a_party_member_is_refused(login_as, factory, world):
    outsider = factory.user("worker", world.teams[1].id, party=False)
    client = login_as("admin")
    path = f"/api/v1/posts/{world.posts['B'].id}"
    errors = assert_problem(client.patch(path, json={"holder_id": outsider.id}), 422)["errors"]
    assert errors == {"holder_id": ["责任区长和示范岗岗长必须是党员。"]}
    changed = client.patch(path, json={"name": "新岗名", "geofence_policy": "require", "active": False})
    post = changed.get_json()
    assert changed.status_code == 200 and (post["name"], post["geofence_policy"], post["active"]) == (
        "新岗名",
        "require",
        False,
    )
    assert post["holder"]["id"] == world.people[("zone_head", "B")].id


@pytest.mark.parametrize("team", ["A", "B"])
def test_admin_changes_a_users_phone_and_party_branch(login_as, world, team):
    user_id = world.people[("worker", team)].id
    response = login_as("admin").patch(
        f"/api/v1/users/{user_id}",
        json={"phone": "13912345678", "is_party_member": True, "party_branch": "变电党支部"},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["phone"], body["is_party_member"], body["party_branch"]) == (
        "13912345678",
        True,
        "变电党支部",
    )
    cleared = login_as("admin").patch(f"/api/v1/users/{user_id}", json={"phone": None}).get_json()
    assert cleared["phone"] is None
