"""Check-ins at demonstration posts: who may, the geofence policies, replays, the month calendar."""

import uuid

import pytest
from sqlalchemy import update

from server.extensions import db
from server.models.field.checkins import CheckIn
from server.models.places.posts import Post
from tests.conftest import assert_problem
from tests.hazard_helpers import upload_photo

POST_LAT, POST_LNG = 30.27410, 120.15510


@pytest.fixture
def fenced(app, world):
    """Team A's post at a known place with a 100 m fence; returns a function to set its policy."""

    def set_policy(policy="flag", located=True):
        with app.app_context():
            values = {"lat": POST_LAT, "lng": POST_LNG, "radius_m": 100} if located else {}
            db.session.execute(
                update(Post).where(Post.id == world.posts["A"].id).values(geofence_policy=policy, **values)
            )
            db.session.commit()
        return world.posts["A"].id

    return set_policy


def checkin(client, post, **fields):
    return client.post(
        "/api/v1/checkins",
        json={
            "client_uuid": str(uuid.uuid4()),
            "post_id": post,
            "client_at": "2026-11-24T08:00:00+08:00",
            **fields,
        },
    )


def test_the_holder_checks_in_inside_the_fence(login_as, fenced):
    post_id = fenced("require")
    response = checkin(login_as("zone_head"), post_id, lat=POST_LAT + 0.0003, lng=POST_LNG, accuracy_m=12)
    assert response.status_code == 201
    body = response.get_json()
    assert 30 < body["distance_m"] < 40 and body["within_geofence"] is True
    assert body["user"]["id"] and body["post_id"] == post_id


def test_flag_policy_accepts_outside_and_unknown_locations_marked(login_as, fenced):
    post_id = fenced("flag")
    client = login_as("zone_head")
    outside = checkin(client, post_id, lat=POST_LAT + 0.01, lng=POST_LNG).get_json()
    assert outside["within_geofence"] is False and outside["distance_m"] > 1000
    unknown = checkin(client, post_id).get_json()
    assert unknown["within_geofence"] is None and unknown["distance_m"] is None


def test_require_policy_refuses_outside_and_unknown_locations(app, login_as, fenced):
    post_id = fenced("require")
    client = login_as("zone_head")
    body = assert_problem(checkin(client, post_id, lat=POST_LAT + 0.01, lng=POST_LNG), 422)
    assert "1112" in body["detail"]  # metres, told to the user
    assert_problem(checkin(client, post_id), 422)
    assert client.get("/api/v1/checkins").get_json()["items"] == []


def test_a_post_without_a_location_cannot_fence(login_as, fenced):
    post_id = fenced("require", located=False)
    body = checkin(login_as("zone_head"), post_id, lat=POST_LAT, lng=POST_LNG).get_json()
    assert body["within_geofence"] is None


def test_only_the_holder_and_assigned_party_members_check_in(app, login_as, factory, world, fenced):
    post_id = fenced("flag")
    worker = login_as("worker")
    assert "党员" in assert_problem(checkin(worker, post_id), 403)["detail"]  # not a Party member
    assert worker.get(f"/api/v1/posts/{post_id}").get_json()["check_in_refusal"] == (
        "errors.checkin_not_party_member"
    )
    member = factory.user("worker", world.teams[0].id, party=True)
    member_client = app.test_client()
    member_client.login(member.username)
    assert_problem(checkin(member_client, post_id), 403)  # a member of the Party, not of this post
    refused = member_client.get(f"/api/v1/posts/{post_id}").get_json()
    assert refused["allowed_actions"] == [] and refused["check_in_refusal"] == "errors.checkin_not_member"
    assert (
        login_as("admin").patch(f"/api/v1/posts/{post_id}", json={"member_ids": [member.id]}).status_code
        == 200
    )
    allowed = member_client.get(f"/api/v1/posts/{post_id}").get_json()
    assert allowed["allowed_actions"] == ["check_in"] and allowed["check_in_refusal"] is None
    assert checkin(member_client, post_id).status_code == 201
    outsider = factory.user("worker", world.teams[0].id, party=False)
    response = login_as("admin").patch(f"/api/v1/posts/{post_id}", json={"member_ids": [outsider.id]})
    assert "member_ids" in assert_problem(response, 422)["errors"]


def test_an_inactive_post_is_409(login_as, fenced):
    post_id = fenced("flag")
    login_as("admin").patch(f"/api/v1/posts/{post_id}", json={"active": False})
    holder = login_as("zone_head")
    assert_problem(checkin(holder, post_id), 409)
    assert holder.get(f"/api/v1/posts/{post_id}").get_json()["check_in_refusal"] == "errors.post_inactive"


def test_replays_return_the_first_check_in(login_as, fenced):
    post_id = fenced("flag")
    client = login_as("zone_head")
    payload = {"client_uuid": str(uuid.uuid4()), "post_id": post_id, "note": "早班打卡"}
    first = client.post("/api/v1/checkins", json=payload)
    again = client.post("/api/v1/checkins", json=payload)
    assert (first.status_code, again.status_code) == (201, 200) and first.get_json() == again.get_json()
    assert_problem(client.post("/api/v1/checkins", json={**payload, "note": "改了"}), 422)
    assert len(client.get("/api/v1/checkins").get_json()["items"]) == 1


def test_a_check_in_photo_is_attached_once(login_as, fenced):
    post_id = fenced("flag")
    client = login_as("zone_head")
    photo = {"id": upload_photo(client)}
    assert checkin(client, post_id, photo_id=photo["id"]).status_code == 201
    assert "photo_id" in assert_problem(checkin(client, post_id, photo_id=photo["id"]), 422)["errors"]
    # The supervisor of the unit now sees it, through the check-in.
    assert login_as("supervisor").get(f"/api/v1/photos/{photo['id']}/thumb.jpg").status_code == 200
    assert_problem(login_as("supervisor", "B").get(f"/api/v1/photos/{photo['id']}/thumb.jpg"), 404)


def test_someone_elses_photo_cannot_be_taken(login_as, fenced):
    post_id = fenced("flag")
    other = login_as("worker")
    photo = {"id": upload_photo(other)}
    assert_problem(checkin(login_as("zone_head"), post_id, photo_id=photo["id"]), 422)


@pytest.mark.parametrize(
    "fields",
    [
        {"lat": 91, "lng": 120},
        {"lat": 30},
        {"accuracy_m": -5},
        {"post_id": "1"},
        {"post_id": 2**40},
        {"note": "x" * 501},
        {"client_at": "2026-11-24T08:00:00"},
        {"distance_m": 1},
    ],
)
def test_bad_check_in_fields_are_422(login_as, fenced, fields):
    post_id = fenced("flag")
    assert_problem(checkin(login_as("zone_head"), post_id, **fields), 422)


def test_unknown_post_is_404(login_as, world):
    assert_problem(checkin(login_as("zone_head"), 999999), 404)


def test_who_sees_which_check_ins(login_as, fenced, world):
    post_id = fenced("flag")
    checkin(login_as("zone_head"), post_id)
    assert len(login_as("zone_head").get("/api/v1/checkins").get_json()["items"]) == 1
    assert len(login_as("supervisor").get("/api/v1/checkins").get_json()["items"]) == 1
    assert login_as("supervisor", "B").get("/api/v1/checkins").get_json()["items"] == []
    assert login_as("worker").get("/api/v1/checkins").get_json()["items"] == []
    assert len(login_as("admin").get(f"/api/v1/checkins?post_id={post_id}").get_json()["items"]) == 1


def test_month_calendar_counts_days_in_site_time(app, login_as, fenced, world):
    post_id = fenced("flag")
    client = login_as("zone_head")
    for _ in range(2):
        checkin(client, post_id)
    with app.app_context():
        # 2026-11-02 23:30 UTC is 2026-11-03 07:30 in Asia/Shanghai.
        from datetime import UTC, datetime

        db.session.execute(
            update(CheckIn)
            .where(CheckIn.id == 1)
            .values(created_at=datetime(2026, 11, 2, 23, 30, tzinfo=UTC))
        )
        db.session.execute(
            update(CheckIn).where(CheckIn.id == 2).values(created_at=datetime(2026, 11, 5, 1, 0, tzinfo=UTC))
        )
        db.session.commit()
    stats = login_as("zone_head").get(f"/api/v1/posts/{post_id}/stats?month=2026-11").get_json()  # the holder
    assert stats["days_checked_in"] == 2
    assert [d["date"] for d in stats["days"]] == ["2026-11-03", "2026-11-05"]
    assert stats["people"] == [
        {"id": world.people[("zone_head", "A")].id, "name": "Name of zone_head", "days_checked_in": 2}
    ]
    assert login_as("zone_head").get(f"/api/v1/posts/{post_id}/stats?month=2026-10").get_json()["days"] == []
    # Anyone else sees only their own check-ins there: the roster is not public.
    assert (
        login_as("worker", "B").get(f"/api/v1/posts/{post_id}/stats?month=2026-11").get_json()["days"] == []
    )
    assert (
        len(login_as("supervisor").get(f"/api/v1/posts/{post_id}/stats?month=2026-11").get_json()["days"])
        == 2
    )
    for bad in ("2026-13", "0000-01", "9999-12"):
        assert_problem(login_as("worker").get(f"/api/v1/posts/{post_id}/stats?month={bad}"), 422)
