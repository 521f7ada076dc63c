"""The public zone board, guest reports and receipts: no account needed, nothing more shown than
the sign itself, rate-limited per address and per zone."""

import io
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from server.services.loop.guest_reports import receipt_code
from tests.conftest import assert_problem
from tests.hazard_helpers import place_hazard
from tests.images import jpeg


def _open_zone(app, zone_id, **fields):
    with app.app_context():
        zone = db.session.get(Zone, zone_id)
        zone.guest_reports = True
        for key, value in fields.items():
            setattr(zone, key, value)
        db.session.commit()
        return zone.qr_token


def _guest_report(client, token, photos=1, **fields):
    data = {"client_uuid": str(uuid.uuid4()), "title": "电缆沟盖板破损", "phone": "13800138000", **fields}
    data["photos"] = [(io.BytesIO(jpeg(320, 240)), f"p{i}.jpg") for i in range(photos)]
    return client.post(
        f"/api/v1/public/zones/{token}/reports", data=data, content_type="multipart/form-data"
    ), data


def test_the_board_shows_counts_and_the_head_only_when_allowed(app, make_app, world):
    token = _open_zone(app, world.zones["A"].id)
    place_hazard(app, world.zones["A"], world.people[("worker", "A")], "reported")
    board = app.test_client().get(f"/api/v1/public/zones/{token}").get_json()
    assert board["open"] == 1 and board["overdue"] == 0 and board["head_name"] is None
    named = make_app(PUBLIC_HEAD_NAMES=True).test_client().get(f"/api/v1/public/zones/{token}").get_json()
    assert named["head_name"] == "Name of zone_head"
    assert_problem(app.test_client().get("/api/v1/public/zones/unknown-token"), 404)


def test_a_guest_report_lands_reported_and_its_receipt_shows_only_it(app, world, login_as):
    token = _open_zone(app, world.zones["A"].id)
    guest = app.test_client()
    response, data = _guest_report(guest, token, photos=2)
    assert response.status_code == 201, response.get_json()
    receipt = response.get_json()
    assert receipt["status"] == "reported"
    with app.app_context():
        assert receipt["receipt"] == receipt_code(data["client_uuid"])
    code = receipt["receipt"]
    followed = guest.get(f"/api/v1/public/receipts/{code.lower().replace('-', '')}").get_json()
    assert set(followed) == {
        "number",
        "zone_name",
        "title",
        "status",
        "reported_at",
        "confirmed_at",
        "deadline",
        "overdue",
        "closed_at",
        "rejected_at",
    }
    head = login_as("zone_head")
    listed = head.get("/api/v1/hazards").get_json()["items"]
    assert [(h["number"], h["guest"], h["status"]) for h in listed] == [(receipt["number"], True, "reported")]
    detail = head.get(f"/api/v1/hazards/{listed[0]['id']}").get_json()
    assert detail["guest_phone"] == "13800138000" and len(detail["photos"]) == 2
    assert "hazard_reported" in [n["kind"] for n in head.get("/api/v1/notifications").get_json()["items"]]
    assert_problem(guest.get("/api/v1/public/receipts/AAAA-BBBB-CCCC-DDDD"), 404)
    assert_problem(guest.get(f"/api/v1/hazards/{listed[0]['id']}"), 401)
    assert_problem(guest.get(f"/api/v1/photos/{detail['photos'][0]['id']}/thumb.jpg"), 401)


def test_a_retried_guest_report_gives_the_same_receipt_and_one_hazard(app, world):
    token = _open_zone(app, world.zones["A"].id)
    guest = app.test_client()
    first, data = _guest_report(guest, token)
    data["photos"] = [(io.BytesIO(jpeg(320, 240)), "p0.jpg")]
    again = guest.post(f"/api/v1/public/zones/{token}/reports", data=data, content_type="multipart/form-data")
    assert again.status_code == 200 and again.get_json()["receipt"] == first.get_json()["receipt"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Hazard)) == 1
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 1


def test_a_refused_guest_report_leaves_no_photo_file_behind(app, world):
    token = _open_zone(app, world.zones["A"].id)
    guest = app.test_client()
    _, data = _guest_report(guest, token)
    files = sorted(Path(app.config["PHOTO_DIR"]).rglob("*.jpg"))
    # The same client UUID with another title and two new photos: refused after they were stored.
    data.update(title="另一条", photos=[(io.BytesIO(jpeg(330 + i, 240)), f"q{i}.jpg") for i in range(2)])
    again = guest.post(f"/api/v1/public/zones/{token}/reports", data=data, content_type="multipart/form-data")
    assert_problem(again, 422)
    assert sorted(Path(app.config["PHOTO_DIR"]).rglob("*.jpg")) == files


@pytest.mark.parametrize(
    "fields, photos, status",
    [
        ({}, 0, 422),
        ({}, 4, 422),
        ({"title": ""}, 1, 422),
        ({"phone": "call me <script>"}, 1, 422),
        ({"category": "nonsense"}, 1, 422),
    ],
)
def test_bad_guest_reports_are_refused_and_leave_nothing(app, world, fields, photos, status):
    token = _open_zone(app, world.zones["A"].id)
    response, _ = _guest_report(app.test_client(), token, photos=photos, **fields)
    assert_problem(response, status)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Hazard)) == 0


def test_guests_report_only_where_the_zone_allows_and_a_fake_photo_is_refused(app, world):
    closed = app.test_client().post(
        f"/api/v1/public/zones/{_zone_token(app, world.zones['B'].id)}/reports",
        data={
            "client_uuid": str(uuid.uuid4()),
            "title": "x",
            "photos": [(io.BytesIO(jpeg(32, 32)), "p.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert_problem(closed, 403)
    token = _open_zone(app, world.zones["A"].id)
    fake = app.test_client().post(
        f"/api/v1/public/zones/{token}/reports",
        data={"client_uuid": str(uuid.uuid4()), "title": "x", "photos": [(io.BytesIO(b"<html>"), "p.jpg")]},
        content_type="multipart/form-data",
    )
    assert_problem(fake, 415)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 0


def _zone_token(app, zone_id):
    with app.app_context():
        return db.session.get(Zone, zone_id).qr_token


def test_guest_reports_are_limited_per_address_and_per_zone(make_app, world):
    app = make_app(
        RATELIMIT_ENABLED=True,
        GUEST_REPORT_LIMIT_PER_ADDRESS="2 per hour",
        GUEST_REPORT_LIMIT_PER_ZONE="3 per day",
    )
    token = _open_zone(app, world.zones["A"].id)
    client = app.test_client()
    assert [_guest_report(client, token)[0].status_code for _ in range(2)] == [201, 201]
    assert_problem(_guest_report(client, token)[0], 429)
    other = app.test_client()
    other.environ_base = {"REMOTE_ADDR": "10.0.0.9"}
    assert _guest_report(other, token)[0].status_code == 201
    limited = _guest_report(other, token)[0]
    assert_problem(limited, 429)
    assert limited.headers.get("Retry-After")


def test_an_admin_opens_a_zone_to_guest_reports(app, login_as, world):
    token = _zone_token(app, world.zones["B"].id)
    assert app.test_client().get(f"/api/v1/public/zones/{token}").get_json()["guest_reports"] is False
    assert_problem(
        login_as("zone_head", "B").patch(
            f"/api/v1/zones/{world.zones['B'].id}", json={"guest_reports": True}
        ),
        403,
    )
    opened = login_as("admin").patch(f"/api/v1/zones/{world.zones['B'].id}", json={"guest_reports": True})
    assert opened.status_code == 200 and opened.get_json()["guest_reports"] is True
    assert app.test_client().get(f"/api/v1/public/zones/{token}").get_json()["guest_reports"] is True


def test_a_guests_phone_number_is_for_the_zone_head_and_supervisors_only(app, world, login_as):
    token = _open_zone(app, world.zones["A"].id)
    _guest_report(app.test_client(), token)
    seen = {}
    for role in ("worker", "zone_head", "supervisor", "admin"):
        client = login_as(role)
        hazard_id = client.get("/api/v1/hazards").get_json()["items"][0]["id"]
        seen[role] = client.get(f"/api/v1/hazards/{hazard_id}").get_json()["guest_phone"]
    assert seen == {"worker": None, "zone_head": "13800138000", "supervisor": "13800138000", "admin": None}


def test_a_guest_report_from_another_sites_page_is_refused(app, world):
    token = _open_zone(app, world.zones["A"].id)
    data = {"client_uuid": str(uuid.uuid4()), "title": "x", "photos": [(io.BytesIO(jpeg(32, 32)), "p.jpg")]}
    foreign = app.test_client().post(
        f"/api/v1/public/zones/{token}/reports",
        data=data,
        content_type="multipart/form-data",
        headers={"Origin": "https://evil.example"},
    )
    assert_problem(foreign, 403)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Hazard)) == 0


def test_the_guest_account_is_not_an_admins_to_change(app, world, login_as):
    token = _open_zone(app, world.zones["A"].id)
    _guest_report(app.test_client(), token)
    with app.app_context():
        guest_id = db.session.scalar(select(Hazard.reporter_id))
    admin = login_as("admin")
    assert_problem(admin.get(f"/api/v1/users/{guest_id}"), 404)
    assert_problem(admin.patch(f"/api/v1/users/{guest_id}", json={"active": True}), 404)
    assert_problem(admin.post(f"/api/v1/users/{guest_id}/reset-password"), 404)
