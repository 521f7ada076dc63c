"""Every (status, action, actor, level) of the loop against a hand-written expectation (HARDENING §8.3).

The expectation below is written from DESIGN §3 by hand, not from services/loop/workflow.py, so a
wrong table fails here.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from server.services.platform.clock import site_today
from tests.conftest import Factory, assert_problem, build_app, build_world, dispose, fresh_database_url
from tests.hazard_helpers import counts, place_hazard, upload_photo

STATUSES = ("reported", "rectifying", "verifying", "closed", "rejected")
ACTIONS = (
    "confirm", "reject", "submit", "accept", "return", "extend",
    "request_extension", "deny_extension", "reassign", "comment",
)  # fmt: skip
# actor → (role, team) of the user acting; the hazard is always in team A's zone.
ACTORS = {
    "reporter": ("worker", "A"),
    "assignee": ("worker", "A"),
    "worker_in_scope": ("worker", "A"),
    "worker_out_of_scope": ("worker", "B"),
    "zone_head": ("zone_head", "A"),
    "other_zone_head": ("zone_head", "B"),
    "supervisor": ("supervisor", "A"),
    "other_supervisor": ("supervisor", "B"),
    "admin": ("admin", "CO"),
    "zone_head_who_submitted": ("zone_head", "A"),
    "supervisor_after_zone_head_fixed": ("supervisor", "A"),
}
NEXT = {
    ("reported", "confirm"): "rectifying",
    ("reported", "reject"): "rejected",
    ("rectifying", "submit"): "verifying",
    ("verifying", "accept"): "closed",
    ("verifying", "return"): "rectifying",
}


def expected(status, action, actor, level, pending=False):
    """The answer DESIGN §3 and HARDENING §8 give, checked in HARDENING's order."""
    if actor in ("worker_out_of_scope", "other_zone_head", "other_supervisor"):
        return 404
    if actor == "admin":
        return 200 if action == "comment" else 403
    if action == "comment":
        return 200
    legal = {
        "reported": {"confirm", "reject"},
        "rectifying": {"submit", "extend", "reassign"}
        | ({"deny_extension"} if pending else {"request_extension"}),
        "verifying": {"accept", "return"},
    }.get(status, set())
    if action not in legal:
        return 409
    head = actor in ("zone_head", "zone_head_who_submitted")
    supervisor = actor in ("supervisor", "supervisor_after_zone_head_fixed")
    # A supervisor verifies major hazards, and general ones whose fix the zone head submitted.
    verifier = supervisor if level == "major" else actor in ("zone_head", "supervisor_after_zone_head_fixed")
    may = {
        "confirm": head or supervisor,
        "reject": head or supervisor,
        "reassign": head or supervisor,
        "submit": head or actor == "assignee",
        "request_extension": head or actor == "assignee",
        "extend": supervisor,
        "deny_extension": supervisor,
        "accept": verifier,
        "return": verifier,
    }[action]
    return 200 if may else 403


def _people(factory, world):
    people = {name: world.people[spec] if name != "assignee" else None for name, spec in ACTORS.items()}
    people["reporter"] = world.people[("worker", "A")]
    people["assignee"] = factory.user("worker", world.teams[0].id, username="assignee-a")
    people["worker_in_scope"] = factory.user("worker", world.teams[0].id, username="bystander-a")
    people["zone_head_who_submitted"] = world.people[("zone_head", "A")]
    people["supervisor_after_zone_head_fixed"] = world.people[("supervisor", "A")]
    return SimpleNamespace(**people)


def _body(action, level, people, today):
    later = today + timedelta(days=30)
    bodies = {
        "confirm": {
            "assignee_id": people.assignee.id,
            "deadline": (today + timedelta(days=7)).isoformat(),
            "level": level,
            "measures": "加装护栏",
            **({"funds": "2 万元", "contingency_plan": "设置隔离区"} if level == "major" else {}),
        },
        "reject": {"reason": "不属于隐患"},
        "submit": {"note": "已整改", "photo_ids": []},
        "accept": {"comment": "复查合格"},
        "return": {"reason": "整改不到位"},
        "extend": {"deadline": later.isoformat(), "reason": "材料未到"},
        "request_extension": {"deadline": later.isoformat(), "reason": "材料未到"},
        "deny_extension": {"reason": "不同意"},
        "reassign": {"assignee_id": people.worker_in_scope.id, "reason": "换人"},
        "comment": {"text": "注意安全"},
    }
    return bodies[action]


ROWS = [
    (status, action, actor, "general", False) for status in STATUSES for action in ACTIONS for actor in ACTORS
]
ROWS += [
    (status, action, actor, "major", False)
    for status in STATUSES
    for action in ("confirm", "accept", "return")
    for actor in ACTORS
]
ROWS += [
    ("rectifying", action, actor, "general", True)
    for action in ("deny_extension", "request_extension")
    for actor in ACTORS
]


@pytest.fixture(scope="module")
def matrix(database, tmp_path_factory):
    """One app, company and set of signed-in clients for the whole matrix: each row places its
    own hazard, so rows stay independent while the module runs in seconds, not minutes."""
    directory = tmp_path_factory.mktemp("matrix")
    app = build_app(fresh_database_url(database, directory), directory)
    factory = Factory(app)
    world = build_world(factory)
    people = _people(factory, world)
    with app.app_context():
        people.today = site_today()
    clients = {}
    for actor in ACTORS:
        user = getattr(people, actor)
        clients[actor] = clients.get(user.username) or app.test_client()
        clients[actor].csrf_token or clients[actor].login(user.username)
        clients[user.username] = clients[actor]
    yield SimpleNamespace(app=app, world=world, people=people, clients=clients)
    dispose(app)


def _setup(matrix, status, level, actor, pending):
    app, world, people = matrix.app, matrix.world, matrix.people
    fixed_by_head = actor in ("zone_head_who_submitted", "supervisor_after_zone_head_fixed")
    submitted_by = people.zone_head if fixed_by_head else None
    extra = (
        {"supervisor_id": world.people[("supervisor", "A")].id}
        if level == "major" and status != "reported"
        else {}
    )
    if pending:
        extra.update(extension_deadline=people.today + timedelta(days=20), extension_reason="材料未到")
    hazard_id = place_hazard(
        app, world.zones["A"], people.reporter, status, level, people.assignee, submitted_by, **extra
    )
    return people, hazard_id, matrix.clients[actor]


@pytest.mark.parametrize(("status", "action", "actor", "level", "pending"), ROWS)
def test_transition(matrix, status, action, actor, level, pending):
    app = matrix.app
    people, hazard_id, client = _setup(matrix, status, level, actor, pending)
    want = expected(status, action, actor, level, pending)
    before = counts(app, hazard_id)
    body = _body(action, level, people, people.today)
    if action == "submit" and want == 200:
        body["photo_ids"] = [upload_photo(client)]
    response = client.post(
        f"/api/v1/hazards/{hazard_id}/actions/{action}", json={"version": before[1], **body}
    )
    if want != 200:
        assert_problem(response, want)
        assert counts(app, hazard_id) == before  # nothing changed, nothing recorded, nobody told
        return
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    status_after, version_after, events_after, _ = counts(app, hazard_id)
    assert status_after == NEXT.get((status, action), status) == answer["status"]
    assert events_after == before[2] + 1
    assert (
        answer["events"][-1]["action"] == action
        and answer["events"][-1]["actor"]["id"] == getattr(people, actor).id
    )
    assert version_after == before[1] + (0 if action == "comment" else 1) == answer["version"]


ALLOWED_ROWS = [
    (status, actor, level, pending)
    for status in STATUSES
    for actor in ACTORS
    for level in ("general", "major")
    for pending in ((False, True) if status == "rectifying" else (False,))
    if expected(status, "comment", actor, level) != 404
]


@pytest.mark.parametrize(("status", "actor", "level", "pending"), ALLOWED_ROWS)
def test_allowed_actions_are_exactly_what_the_server_accepts(matrix, status, actor, level, pending):
    _, hazard_id, client = _setup(matrix, status, level, actor, pending)
    answer = client.get(f"/api/v1/hazards/{hazard_id}").get_json()
    want = [action for action in ACTIONS if expected(status, action, actor, level, pending) == 200]
    assert answer["allowed_actions"] == want
