"""Hostile text in every kind of free-text field, on both engines: NUL and 100 KB strings are a
422 (PostgreSQL would turn both into a 500), while SQL metacharacters, emoji and mixed scripts
are stored exactly as sent."""

import uuid

import pytest

from tests.conftest import assert_problem
from tests.hazard_helpers import place_hazard, report

HUGE = "x" * 100_000  # 100 KB, under the 256 KiB JSON cap, over every column
EXACT = "'; DROP TABLE hazard; -- \" \\ %_ 🦺⚡ עברית العربية ‮RTL 隐患 Ωmega"


def _report(client, world, field, value):
    return report(client, world.zones["A"].id, **{field: value})


def _comment(client, world, app, value):
    hazard = place_hazard(app, world.zones["A"], world.people[("worker", "A")], "reported")
    return client.post(f"/api/v1/hazards/{hazard}/actions/comment", json={"text": value})


def _zone(client, world, field, value):
    return client.patch(f"/api/v1/zones/{world.zones['A'].id}", json={field: value})


def _checkin(client, world, value):
    body = {"client_uuid": str(uuid.uuid4()), "post_id": world.posts["A"].id, "note": value}
    return client.post("/api/v1/checkins", json=body)


def _patrol(client, world, value):
    body = {"client_uuid": str(uuid.uuid4()), "zone_id": world.zones["A"].id, "note": value,
            "checklist": [{"item": value[:100], "ok": True}]}  # fmt: skip
    return client.post("/api/v1/patrols", json=body)


def _duties(body):
    return body["responsibilities"]


# (name, role, send(client, world, app, value), where the stored value comes back in the answer)
FIELDS = [
    ("hazard title", "worker", lambda c, w, a, v: _report(c, w, "title", v), lambda b: b["title"]),
    ("hazard text", "worker", lambda c, w, a, v: _report(c, w, "description", v), lambda b: b["description"]),
    ("comment", "worker", lambda c, w, a, v: _comment(c, w, a, v), lambda b: b["events"][-1]["comment"]),
    ("zone name", "admin", lambda c, w, a, v: _zone(c, w, "name", v), lambda b: b["name"]),
    ("zone duties", "admin", lambda c, w, a, v: _zone(c, w, "responsibilities", v), _duties),
    ("check-in note", "zone_head", lambda c, w, a, v: _checkin(c, w, v), lambda b: b["note"]),
    ("patrol note", "zone_head", lambda c, w, a, v: _patrol(c, w, v), lambda b: b["note"]),
]  # fmt: skip
IDS = [field[0] for field in FIELDS]


@pytest.mark.parametrize("value", ["NUL\x00inside", HUGE], ids=["nul", "100kb"])
@pytest.mark.parametrize(("name", "role", "send", "read"), FIELDS, ids=IDS)
def test_nul_and_huge_strings_are_422(app, login_as, world, name, role, send, read, value):
    assert_problem(send(login_as(role), world, app, value), 422, "validation")


@pytest.mark.parametrize(("name", "role", "send", "read"), FIELDS, ids=IDS)
def test_metacharacters_emoji_and_mixed_scripts_are_stored_exactly(
    app, login_as, world, name, role, send, read
):
    response = send(login_as(role), world, app, EXACT)
    assert response.status_code in (200, 201), response.get_json()
    assert read(response.get_json()) == EXACT
