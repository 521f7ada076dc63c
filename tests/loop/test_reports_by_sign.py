"""A report that names its zone by the sign's token (made offline at a sign the phone did not know):
resolved when it arrives; a sign that no longer resolves is a clear 422; replays still hold."""

import pytest

from server.extensions import db
from server.models.places.zones import Zone
from tests.conftest import assert_problem
from tests.hazard_helpers import hazard_body, upload_photo


def _token(app, zone):
    with app.app_context():
        return db.session.get(Zone, zone.id).qr_token


def _by_sign(client, token, **fields):
    body = hazard_body(None, [upload_photo(client)], **fields)
    del body["zone_id"]
    return body | {"zone_token": token}


@pytest.mark.parametrize("team", ["A", "B"])
def test_a_report_by_sign_token_is_filed_in_the_zone_of_the_sign(app, login_as, world, team):
    client = login_as("worker")
    zone = world.zones[team]
    response = client.post("/api/v1/hazards", json=_by_sign(client, _token(app, zone)))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["zone_id"] == zone.id and body["zone"]["code"] == zone.code
    assert body["status"] == "reported" and len(body["photos"]) == 1


def test_a_rotated_sign_is_422_on_zone_token_saying_what_to_do(app, login_as, world):
    client = login_as("worker")
    old = _token(app, world.zones["A"])
    login_as("admin").post(f"/api/v1/zones/{world.zones['A'].id}/rotate-token")
    body = _by_sign(client, old)
    problem = assert_problem(client.post("/api/v1/hazards", json=body), 422)
    assert problem["detail"] == problem["errors"]["zone_token"][0]
    assert "二维码标牌已失效" in problem["detail"] and "重新上报" in problem["detail"]
    english = client.post("/api/v1/hazards", json=body, headers={"Accept-Language": "en"})
    detail = assert_problem(english, 422)["detail"]
    assert detail.startswith("This QR sign is no longer valid") and "report again" in detail


@pytest.mark.parametrize("what", ["inactive zone", "post", "party day or nonsense"])
def test_a_sign_that_is_not_an_active_zone_is_422(app, login_as, world, what):
    client = login_as("worker")
    if what == "inactive zone":
        token = _token(app, world.zones["A"])
        login_as("admin").patch(f"/api/v1/zones/{world.zones['A'].id}", json={"active": False})
    elif what == "post":
        token = world.posts["A"].qr_token
    else:
        token = "no-such-sign-token-at-all"
    problem = assert_problem(client.post("/api/v1/hazards", json=_by_sign(client, token)), 422)
    assert list(problem["errors"]) == ["zone_token"]


@pytest.mark.parametrize(
    "zone", [{"both": True}, {"neither": True}, {"zone_token": None}, {"zone_token": "a b"}]
)
def test_a_report_names_its_zone_exactly_once(app, login_as, world, zone):
    client = login_as("worker")
    body = _by_sign(client, _token(app, world.zones["A"]))
    if "both" in zone:
        body["zone_id"] = world.zones["A"].id
    elif "neither" in zone:
        del body["zone_token"]
    else:
        body.update(zone)
    problem = assert_problem(client.post("/api/v1/hazards", json=body), 422)
    assert set(problem["errors"]) <= {"zone_id", "zone_token"}


def test_a_report_by_sign_is_idempotent_even_after_the_sign_was_rotated(app, login_as, world):
    client = login_as("worker")
    body = _by_sign(client, _token(app, world.zones["A"]))
    first = client.post("/api/v1/hazards", json=body)
    assert first.status_code == 201
    again = client.post("/api/v1/hazards", json=body)
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    # The answer was lost and the sign replaced meanwhile: the phone's retry gets the first report.
    login_as("admin").post(f"/api/v1/zones/{world.zones['A'].id}/rotate-token")
    late = client.post("/api/v1/hazards", json=body)
    assert late.status_code == 200 and late.get_json()["id"] == first.get_json()["id"]
    assert_problem(client.post("/api/v1/hazards", json={**body, "title": "另一份"}), 422)
    listed = client.get(f"/api/v1/hazards?zone_id={world.zones['A'].id}").get_json()["items"]
    assert [h["id"] for h in listed] == [first.get_json()["id"]]
