"""The actions' rules beyond the matrix: fields, versions, replays, races, extensions, notices."""

import threading
import uuid
from datetime import timedelta

import pytest

from server.extensions import db
from server.models.loop.hazards import Hazard
from server.services.platform.clock import site_today
from tests.conftest import assert_problem
from tests.hazard_helpers import counts, place_hazard, report, upload_photo


@pytest.fixture
def today(app):
    with app.app_context():
        return site_today()


@pytest.fixture
def reported(app, login_as, world):
    """A report by worker A in zone A, as the API returned it."""
    return report(login_as("worker"), world.zones["A"].id).get_json()


def act(client, hazard, action, headers=None, **body):
    return client.post(f"/api/v1/hazards/{hazard['id']}/actions/{action}", json=body, headers=headers or {})


def confirm_body(world, today, **fields):
    return {
        "assignee_id": world.people[("worker", "A")].id,
        "deadline": (today + timedelta(days=7)).isoformat(),
        "level": "general",
        "measures": "关门上锁，张贴警示",
        **fields,
    }


@pytest.mark.parametrize("missing", ["assignee_id", "deadline", "level", "measures"])
def test_confirm_needs_each_field(login_as, world, today, reported, missing):
    body = confirm_body(world, today)
    body.pop(missing)
    response = act(login_as("zone_head"), reported, "confirm", version=1, **body)
    assert missing in assert_problem(response, 422)["errors"]


def test_a_major_confirm_needs_the_five_element_plan_and_is_supervised(app, login_as, world, today, reported):
    head = login_as("zone_head")
    response = act(head, reported, "confirm", version=1, **confirm_body(world, today, level="major"))
    assert set(assert_problem(response, 422)["errors"]) == {"funds", "contingency_plan"}
    body = confirm_body(world, today, level="major", funds="2 万元", contingency_plan="设置隔离区，专人监护")
    answer = act(head, reported, "confirm", version=1, **body).get_json()
    assert answer["supervised"] is True and answer["supervisor_id"] == world.people[("supervisor", "A")].id
    kinds = [n["kind"] for n in login_as("supervisor").get("/api/v1/notifications").get_json()["items"]]
    assert kinds == ["hazard_major"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"deadline": "tomorrow"}, "deadline"),
        ({"assignee_id": 999999}, "assignee_id"),
        ({"level": "minor"}, "level"),
        ({"measures": "x" * 2001}, "measures"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_confirm_fields_are_422(login_as, world, today, reported, fields, field):
    response = act(
        login_as("zone_head"), reported, "confirm", version=1, **confirm_body(world, today, **fields)
    )
    assert field in assert_problem(response, 422)["errors"]


def test_an_admin_cannot_be_made_responsible(login_as, world, today, reported):
    body = confirm_body(world, today, assignee_id=world.people[("admin", "CO")].id)
    assert (
        "assignee_id"
        in assert_problem(act(login_as("zone_head"), reported, "confirm", version=1, **body), 422)["errors"]
    )


def test_a_stale_version_is_409_refresh_and_retry(app, login_as, world, today, reported):
    head = login_as("zone_head")
    response = act(head, reported, "confirm", version=2, **confirm_body(world, today))
    assert "刷新" in assert_problem(response, 409, "stale-version")["detail"]  # refresh and retry
    assert counts(app, reported["id"])[:3] == ("reported", 1, 1)
    assert (
        "version"
        in assert_problem(act(head, reported, "confirm", **confirm_body(world, today)), 422)["errors"]
    )
    assert (
        "version"
        in assert_problem(act(head, reported, "confirm", version="1", **confirm_body(world, today)), 422)[
            "errors"
        ]
    )


def test_an_action_replayed_with_its_idempotency_key_answers_the_first_result(
    app, login_as, world, today, reported
):
    head = login_as("zone_head")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = act(head, reported, "confirm", key, version=1, **confirm_body(world, today))
    again = act(head, reported, "confirm", key, version=1, **confirm_body(world, today))
    assert (first.status_code, again.status_code) == (200, 200) and again.get_json() == first.get_json()
    assert counts(app, reported["id"])[:3] == ("rectifying", 2, 2)
    changed = act(head, reported, "confirm", key, version=1, **confirm_body(world, today, measures="别的"))
    assert_problem(changed, 422)
    fresh = act(
        head,
        reported,
        "confirm",
        {"Idempotency-Key": str(uuid.uuid4())},
        version=1,
        **confirm_body(world, today),
    )
    assert_problem(fresh, 409)
    assert_problem(act(head, reported, "comment", {"Idempotency-Key": "bad key!"}, text="x"), 400)


def test_an_unknown_action_is_404(login_as, reported):
    assert_problem(act(login_as("zone_head"), reported, "approve", version=1), 404)


def test_two_simultaneous_accepts_close_the_hazard_once(app, world):
    worker = world.people[("worker", "A")]
    hazard_id = place_hazard(app, world.zones["A"], worker, "verifying", assignee=worker)
    clients = []
    for _ in range(4):
        client = app.test_client()
        client.login(world.people[("zone_head", "A")].username)
        clients.append(client)
    results = []

    def accept(client):
        response = client.post(f"/api/v1/hazards/{hazard_id}/actions/accept", json={"version": 1})
        results.append(response.status_code)

    threads = [threading.Thread(target=accept, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409, 409, 409]
    assert counts(app, hazard_id)[:3] == ("closed", 2, 1)


def test_submit_needs_after_photos_and_a_note(app, login_as, world, today, reported):
    act(login_as("zone_head"), reported, "confirm", version=1, **confirm_body(world, today))
    worker = login_as("worker")
    assert_problem(act(worker, reported, "submit", version=2, note="done", photo_ids=[]), 422)
    assert_problem(act(worker, reported, "submit", version=2, photo_ids=[upload_photo(worker)]), 422)
    answer = act(
        worker, reported, "submit", version=2, note="已上锁", photo_ids=[upload_photo(worker)]
    ).get_json()
    assert answer["status"] == "verifying" and [p["stage"] for p in answer["photos"]] == [
        "report",
        "rectification",
    ]
    assert answer["submitted_by_id"] == world.people[("worker", "A")].id


def test_a_fix_submitted_by_the_zone_head_is_verified_by_a_supervisor(app, login_as, world, today, reported):
    head = login_as("zone_head")
    act(head, reported, "confirm", version=1, **confirm_body(world, today))
    act(head, reported, "submit", version=2, note="我来整改", photo_ids=[upload_photo(head)])
    assert_problem(act(head, reported, "accept", version=3), 403)
    supervisor = login_as("supervisor")
    assert [n["kind"] for n in supervisor.get("/api/v1/notifications").get_json()["items"]] == [
        "hazard_submitted"
    ]
    answer = act(supervisor, reported, "accept", version=3, comment="复查合格").get_json()
    assert answer["status"] == "closed", answer


def test_return_sends_it_back_with_a_reason(login_as, world, today, reported):
    act(login_as("zone_head"), reported, "confirm", version=1, **confirm_body(world, today))
    worker = login_as("worker")
    act(worker, reported, "submit", version=2, note="done", photo_ids=[upload_photo(worker)])
    head = login_as("zone_head")
    assert_problem(act(head, reported, "return", version=3), 422)
    answer = act(head, reported, "return", version=3, reason="警示标识未张贴").get_json()
    assert answer["status"] == "rectifying" and answer["events"][-1]["comment"] == "警示标识未张贴"
    kinds = [n["kind"] for n in worker.get("/api/v1/notifications").get_json()["items"]]
    assert kinds[0] == "hazard_returned"


def test_the_extension_loop(app, login_as, world, today, reported):
    head, supervisor = login_as("zone_head"), login_as("supervisor")
    act(head, reported, "confirm", version=1, **confirm_body(world, today))
    later = (today + timedelta(days=20)).isoformat()
    assert_problem(
        act(
            login_as("worker"),
            reported,
            "request_extension",
            version=2,
            deadline=today.isoformat(),
            reason="r",
        ),
        422,
    )
    asked = act(
        login_as("worker"), reported, "request_extension", version=2, deadline=later, reason="备件未到"
    )
    assert asked.get_json()["extension_deadline"] == later and asked.get_json()["status"] == "rectifying"
    waiting = supervisor.get("/api/v1/hazards?extension_requested=true").get_json()["items"]
    assert [h["id"] for h in waiting] == [reported["id"]]
    assert_problem(
        act(login_as("worker"), reported, "request_extension", version=3, deadline=later, reason="again"), 409
    )
    assert (
        act(supervisor, reported, "deny_extension", version=3, reason="按期完成").get_json()[
            "extension_deadline"
        ]
        is None
    )
    assert_problem(act(supervisor, reported, "deny_extension", version=4, reason="x"), 409)
    assert_problem(
        act(supervisor, reported, "extend", version=4, deadline=today.isoformat(), reason="x"), 422
    )
    extended = act(supervisor, reported, "extend", version=4, deadline=later, reason="同意延期").get_json()
    assert extended["deadline"] == later
    assert_problem(act(head, reported, "extend", version=5, deadline=later, reason="x"), 403)


def test_reject_with_a_duplicate(app, login_as, world, reported):
    head = login_as("zone_head")
    other = report(login_as("worker"), world.zones["A"].id).get_json()
    assert_problem(act(head, other, "reject", version=1), 422)
    assert (
        "duplicate_of"
        in assert_problem(
            act(head, other, "reject", version=1, reason="重复", duplicate_of=other["id"]), 422
        )["errors"]
    )
    hidden = place_hazard(app, world.zones["B"], world.people[("worker", "B")], "reported")
    assert (
        "duplicate_of"
        in assert_problem(act(head, other, "reject", version=1, reason="重复", duplicate_of=hidden), 422)[
            "errors"
        ]
    )
    answer = act(
        head, other, "reject", version=1, reason="与已报隐患重复", duplicate_of=reported["id"]
    ).get_json()
    assert answer["status"] == "rejected" and answer["duplicate_of_id"] == reported["id"]
    kinds = [n["kind"] for n in login_as("worker").get("/api/v1/notifications").get_json()["items"]]
    assert kinds[0] == "hazard_rejected"


def test_reassign(login_as, factory, world, today, reported):
    head = login_as("zone_head")
    act(head, reported, "confirm", version=1, **confirm_body(world, today))
    assert_problem(
        act(head, reported, "reassign", version=2, assignee_id=world.people[("worker", "A")].id), 422
    )
    newcomer = factory.user("worker", world.teams[0].id)
    answer = act(
        head, reported, "reassign", version=2, assignee_id=newcomer.id, reason="原责任人休假"
    ).get_json()
    assert answer["assignee_id"] == newcomer.id and answer["status"] == "rectifying"
    assert answer["events"][-1]["changes"] == {"assignee_id": [world.people[("worker", "A")].id, newcomer.id]}


def test_comments_do_not_move_the_version(app, login_as, reported):
    client = login_as("worker")
    answer = act(client, reported, "comment", text="现场已设围挡").get_json()
    assert answer["version"] == 1 and answer["events"][-1]["comment"] == "现场已设围挡"
    assert_problem(act(client, reported, "comment", text=""), 422)
    assert_problem(act(client, reported, "comment", text="x" * 2001), 422)


def test_the_whole_loop_notifies_each_step(app, login_as, world, today, reported):
    head, worker = login_as("zone_head"), login_as("worker")
    act(head, reported, "confirm", version=1, **confirm_body(world, today))
    act(worker, reported, "submit", version=2, note="done", photo_ids=[upload_photo(worker)])
    act(head, reported, "accept", version=3)
    head_kinds = [n["kind"] for n in head.get("/api/v1/notifications").get_json()["items"]]
    worker_kinds = [n["kind"] for n in worker.get("/api/v1/notifications").get_json()["items"]]
    assert head_kinds == ["hazard_submitted", "hazard_reported"]
    assert worker_kinds == ["hazard_closed", "hazard_assigned"]  # reporter and assignee are one person here
    with app.app_context():
        hazard = db.session.get(Hazard, reported["id"])
        assert hazard.closed_at is not None and hazard.verifier_id == world.people[("zone_head", "A")].id
