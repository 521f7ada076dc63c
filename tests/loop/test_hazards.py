"""Reporting hazards, who sees them, and the list (DESIGN §3, §5; HARDENING §8.1, §9)."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event, select

from server.extensions import db
from server.models.loop.hazards import Hazard
from tests.conftest import assert_problem
from tests.hazard_helpers import counts, hazard_body, photo_stages, place_hazard, report, upload_photo
from tests.images import exif_block, jpeg


def test_a_worker_reports_a_hazard_with_a_photo(app, login_as, world):
    response = report(login_as("worker"), world.zones["A"].id, lat=30.27, lng=120.15)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "reported" and body["number"].startswith(f"YH-{datetime.now(UTC).year}-")
    assert body["photos"] == [
        {"id": body["photos"][0]["id"], "stage": "report", "taken_at": None, "gps": False}
    ]
    assert [e["action"] for e in body["events"]] == ["report"]
    assert body["allowed_actions"] == ["comment"] and body["version"] == 1
    head_inbox = login_as("zone_head").get("/api/v1/notifications").get_json()
    assert [n["kind"] for n in head_inbox["items"]] == ["hazard_reported"] and head_inbox["unread_count"] == 1


def test_each_photo_answers_its_capture_time_and_whether_it_had_gps(login_as, world):
    worker = login_as("worker")
    exif = exif_block(taken="2026:11:20 09:30:00", lat=30.27, lng=120.15)
    photo = upload_photo(worker, jpeg(320, 240, exif=exif))
    hazard = report(worker, world.zones["A"].id, photo_ids=[photo]).get_json()
    expected = [{"id": photo, "stage": "report", "taken_at": "2026-11-20T01:30:00+00:00", "gps": True}]
    assert hazard["photos"] == expected
    assert worker.get(f"/api/v1/hazards/{hazard['id']}").get_json()["photos"] == expected


def test_anyone_may_report_in_any_active_zone(login_as, world):
    assert report(login_as("worker", "B"), world.zones["A"].id).status_code == 201


def test_reporting_in_an_inactive_zone_is_409(login_as, world):
    login_as("admin").patch(f"/api/v1/zones/{world.zones['A'].id}", json={"active": False})
    assert_problem(report(login_as("worker"), world.zones["A"].id), 409)


def test_a_report_needs_a_photo(login_as, world):
    assert (
        "photo_ids"
        in assert_problem(report(login_as("worker"), world.zones["A"].id, photos=0), 422)["errors"]
    )


def test_someone_elses_or_a_used_photo_is_refused(login_as, world):
    worker, other = login_as("worker"), login_as("zone_head")
    foreign = upload_photo(other)
    assert_problem(report(worker, world.zones["A"].id, photos=0, photo_ids=[foreign]), 422)
    first = report(worker, world.zones["A"].id).get_json()
    used = first["photos"][0]["id"]
    assert_problem(report(worker, world.zones["A"].id, photos=0, photo_ids=[used]), 422)


def test_replays_return_the_first_report(app, login_as, world):
    client = login_as("worker")
    photo = upload_photo(client)
    body = hazard_body(
        world.zones["A"].id, [photo], title="灭火器过期", description="灭火器压力不足", category="fire"
    )
    first, again = client.post("/api/v1/hazards", json=body), client.post("/api/v1/hazards", json=body)
    assert (first.status_code, again.status_code) == (201, 200) and again.get_json()[
        "id"
    ] == first.get_json()["id"]
    assert_problem(client.post("/api/v1/hazards", json={**body, "title": "别的"}), 422)
    other = login_as("worker", "B")
    other_body = {**body, "photo_ids": [upload_photo(other)]}
    assert other.post("/api/v1/hazards", json=other_body).get_json()["id"] != first.get_json()["id"]


def test_racing_replays_create_one_hazard(app, world):
    clients = [app.test_client() for _ in range(4)]
    for client in clients:
        client.login("worker-a")
    body = hazard_body(
        world.zones["A"].id, [upload_photo(clients[0])], title="t", description="d", category="fire"
    )
    statuses = []
    threads = [
        threading.Thread(target=lambda c=c: statuses.append(c.post("/api/v1/hazards", json=body).status_code))
        for c in clients
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 201]


def test_concurrent_reports_get_unique_gapless_numbers(app, factory, world):
    writers = 12
    clients = []
    for _ in range(writers):
        user = factory.user("worker", world.teams[0].id)
        client = app.test_client()
        client.login(user.username)
        clients.append((client, upload_photo(client)))
    results = []

    def send(client, photo):
        body = hazard_body(world.zones["A"].id, [photo], title="t", description="d", category="other")
        response = client.post("/api/v1/hazards", json=body)
        results.append((response.status_code, response.get_json().get("number")))

    threads = [threading.Thread(target=send, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [201] * writers
    sequence = sorted(int(number.rsplit("-", 1)[1]) for _, number in results)
    assert sequence == list(range(1, writers + 1))


def test_fixed_on_the_spot_goes_straight_to_verification(app, login_as, world):
    worker = login_as("worker")
    fix_photo = upload_photo(worker)
    body = report(
        worker, world.zones["A"].id, fixed_on_spot={"note": "已当场关门上锁", "photo_ids": [fix_photo]}
    ).get_json()
    assert body["status"] == "verifying" and body["fixed_on_spot"] is True
    assert body["assignee_id"] == world.people[("worker", "A")].id and body["measures"] == "已当场关门上锁"
    assert [e["action"] for e in body["events"]] == ["report", "submit"]
    assert photo_stages(app, body["id"]) == ["rectification", "report"]
    assert "accept" not in body["allowed_actions"]  # the reporter can never accept their own fix
    head = login_as("zone_head")
    assert head.get(f"/api/v1/hazards/{body['id']}").get_json()["allowed_actions"] == [
        "accept",
        "return",
        "comment",
    ]
    assert [n["kind"] for n in head.get("/api/v1/notifications").get_json()["items"]] == ["hazard_submitted"]


def test_fixed_on_the_spot_needs_its_photos(login_as, world):
    response = report(
        login_as("worker"), world.zones["A"].id, fixed_on_spot={"note": "done", "photo_ids": []}
    )
    assert "fixed_on_spot" in assert_problem(response, 422)["errors"]


def test_a_patrol_links_its_hazards(login_as, world):
    head = login_as("zone_head")
    patrol = head.post(
        "/api/v1/patrols",
        json={
            "client_uuid": str(uuid.uuid4()),
            "zone_id": world.zones["A"].id,
            "checklist": [{"item": "fire", "ok": False}],
        },
    ).get_json()
    hazard = report(head, world.zones["A"].id, patrol_id=patrol["id"]).get_json()
    assert hazard["patrol_id"] == patrol["id"]
    assert head.get(f"/api/v1/patrols/{patrol['id']}").get_json()["hazard_ids"] == [hazard["id"]]
    assert_problem(report(login_as("worker"), world.zones["A"].id, patrol_id=patrol["id"]), 422)


@pytest.mark.parametrize(
    "fields",
    [
        {"zone_id": "1"},
        {"zone_id": 1.5},
        {"zone_id": True},
        {"zone_id": -1},
        {"zone_id": 2**70},
        {"title": ""},
        {"title": "x" * 101},
        {"title": "a\x00b"},
        {"description": "x" * 2001},
        {"category": "weather"},
        {"level": "minor"},
        {"lat": 91, "lng": 1},
        {"status": "closed"},
        {"reporter_id": 1},
        {"version": 3},
        {"supervised": True},
        {"client_uuid": "nope"},
        {"client_at": "2026-01-01"},
    ],
)
def test_bad_reports_are_422(login_as, world, fields):
    assert_problem(report(login_as("worker"), world.zones["A"].id, **fields), 422)


def test_unknown_zone_is_404(login_as, world):
    assert_problem(report(login_as("worker"), 999_999), 404)


def test_text_is_stored_exactly(login_as, world):
    title = "<script>alert(1)</script> 🦺 ‮RTL %s{0.__class__}"
    body = report(
        login_as("worker"), world.zones["A"].id, title=title[:100], description="'; DROP TABLE hazard; --"
    ).get_json()
    assert body["title"] == title[:100] and body["description"] == "'; DROP TABLE hazard; --"


@pytest.fixture
def spread(app, factory, world):
    """Hazards in zones A and B, plus two in zone B that worker A reported or is assigned to."""
    a, b = world.zones["A"], world.zones["B"]
    worker_a, worker_b = world.people[("worker", "A")], world.people[("worker", "B")]
    return {
        "a": place_hazard(app, a, worker_a, "reported"),
        "b": place_hazard(app, b, worker_b, "reported"),
        "b_assigned_to_a": place_hazard(app, b, worker_b, "rectifying", assignee=worker_a),
        "b_reported_by_a": place_hazard(app, b, worker_a, "reported"),
    }


@pytest.mark.parametrize(
    ("role", "team", "sees"),
    [
        ("worker", "A", {"a", "b_assigned_to_a", "b_reported_by_a"}),
        ("worker", "B", {"b", "b_assigned_to_a", "b_reported_by_a"}),
        ("zone_head", "A", {"a"}),
        ("supervisor", "A", {"a"}),
        ("supervisor", "B", {"b", "b_assigned_to_a", "b_reported_by_a"}),
        ("admin", "CO", {"a", "b", "b_assigned_to_a", "b_reported_by_a"}),
    ],
)
def test_who_sees_which_hazards(login_as, spread, role, team, sees):
    client = login_as(role, team)
    listed = {item["id"] for item in client.get("/api/v1/hazards").get_json()["items"]}
    assert listed == {spread[name] for name in sees}
    for name, hazard_id in spread.items():
        response = client.get(f"/api/v1/hazards/{hazard_id}")
        if name in sees:
            assert response.status_code == 200
        else:
            assert assert_problem(response, 404) == assert_problem(client.get("/api/v1/hazards/999999"), 404)


def test_a_company_supervisor_sees_the_whole_subtree(app, factory, world, spread):
    boss = factory.user("supervisor", world.company.id)
    client = app.test_client()
    client.login(boss.username)
    assert len(client.get("/api/v1/hazards").get_json()["items"]) == 4
    assert len(client.get(f"/api/v1/hazards?unit_id={world.teams[1].id}").get_json()["items"]) == 3
    assert_problem(login_as_supervisor_a(app, world).get(f"/api/v1/hazards?unit_id={world.company.id}"), 403)


def login_as_supervisor_a(app, world):
    client = app.test_client()
    client.login(world.people[("supervisor", "A")].username)
    return client


def test_list_filters(app, login_as, world):
    worker_a = world.people[("worker", "A")]
    zone = world.zones["A"]
    ids = {
        "reported": place_hazard(app, zone, worker_a, "reported"),
        "closed": place_hazard(app, zone, worker_a, "closed", assignee=worker_a),
        "major": place_hazard(
            app,
            zone,
            worker_a,
            "rectifying",
            "major",
            worker_a,
            supervisor_id=world.people[("supervisor", "A")].id,
        ),
    }
    client = login_as("admin")

    def listed(query):
        return {item["id"] for item in client.get(f"/api/v1/hazards?{query}").get_json()["items"]}

    assert listed("status=closed&status=reported") == {ids["closed"], ids["reported"]}
    assert listed("level=major") == {ids["major"]} == listed("supervised=true")
    assert listed("assignee=me") == set()
    assert listed(f"zone_id={zone.id}&category=height") == set(ids.values())
    assert listed("q=%25") == set() and listed("q=护栏") == set(ids.values())
    assert listed("from=2099-01-01T00:00:00Z") == set()
    for bad in ("status=open", "limit=0", "limit=201", "cursor=xyz!", "q=" + "x" * 101, "assignee=you"):
        assert_problem(client.get(f"/api/v1/hazards?{bad}"), 422)


def test_keyset_pages_are_stable_while_reports_arrive(app, login_as, world):
    worker = world.people[("worker", "A")]
    for _ in range(5):
        place_hazard(app, world.zones["A"], worker, "reported")
    client = login_as("zone_head")
    first = client.get("/api/v1/hazards?limit=2").get_json()
    place_hazard(app, world.zones["A"], worker, "reported")  # a new report while paging
    second = client.get(f"/api/v1/hazards?limit=2&cursor={first['next_cursor']}").get_json()
    third = client.get(f"/api/v1/hazards?limit=2&cursor={second['next_cursor']}").get_json()
    seen = [item["id"] for page in (first, second, third) for item in page["items"]]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 5 and third["next_cursor"] is None


def test_overdue_starts_after_midnight_at_the_site(app, login_as, world):
    worker = world.people[("worker", "A")]
    hazard_id = place_hazard(app, world.zones["A"], worker, "rectifying", assignee=worker)
    with app.app_context():
        deadline = db.session.get(Hazard, hazard_id).deadline
    client = login_as("zone_head")
    # 23:59 on the deadline in Shanghai is 15:59 UTC: still due today, not overdue.
    last_minute = datetime(deadline.year, deadline.month, deadline.day, 15, 59, tzinfo=UTC)
    with time_machine.travel(last_minute, tick=False):
        assert client.get(f"/api/v1/hazards/{hazard_id}").get_json()["overdue"] is False
        assert client.get("/api/v1/hazards?overdue=true").get_json()["items"] == []
    with time_machine.travel(last_minute + timedelta(minutes=2), tick=False):
        assert client.get(f"/api/v1/hazards/{hazard_id}").get_json()["overdue"] is True
        assert [i["id"] for i in client.get("/api/v1/hazards?overdue=true").get_json()["items"]] == [
            hazard_id
        ]
        zone = client.get(f"/api/v1/zones/{world.zones['A'].id}").get_json()
        assert zone["overdue_count"] == 1 and zone["open_count"] == 1


def test_numbers_use_the_site_year(app, login_as, world):
    # 2026-12-31 17:00 UTC is already 2027-01-01 in Shanghai.
    with time_machine.travel(datetime(2026, 12, 31, 17, 0, tzinfo=UTC), tick=False):
        body = report(login_as("worker"), world.zones["A"].id).get_json()
    assert body["number"] == "YH-2027-000001"


def test_admin_sees_every_hazard_but_only_comments(app, login_as, world):
    worker = world.people[("worker", "A")]
    hazard_id = place_hazard(app, world.zones["B"], world.people[("worker", "B")], "reported")
    admin = login_as("admin")
    assert admin.get(f"/api/v1/hazards/{hazard_id}").get_json()["allowed_actions"] == ["comment"]
    response = admin.post(f"/api/v1/hazards/{hazard_id}/actions/comment", json={"text": "请尽快处理"})
    assert response.status_code == 200 and counts(app, hazard_id)[1] == 1
    assert worker.id  # the world is unchanged otherwise


def test_hazard_rows_match_the_database(app, login_as, world):
    body = report(login_as("worker"), world.zones["A"].id).get_json()
    with app.app_context():
        row = db.session.scalar(select(Hazard).where(Hazard.id == body["id"]))
        assert row.number == body["number"] and row.reporter_id == world.people[("worker", "A")].id


def _statements(app, send):
    """What send() answers, and the statements it sent, transaction control left out (SQLite's
    BEGIN IMMEDIATE is a statement, PostgreSQL's BEGIN is not)."""
    with app.app_context():
        engine = db.engine
    sent = []

    def record(_connection, _cursor, statement, *_):
        if statement.split()[0] not in ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT"):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        return send(), sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_report_costs_at_most_its_counted_statements(app, login_as, world):
    """The statements of a report as the phone sends it (DESIGN §8: a report's CPU is mostly
    statements): a new one is a choice, made here, not by accident. A unit with no outside
    channels reads no phones and writes no text for them."""
    client = login_as("worker")
    upload_photo(client)  # the first request of a client loads more (its user's first session)
    photo_id, photo_sql = _statements(app, lambda: upload_photo(client))
    answer, hazard_sql = _statements(app, lambda: report(client, world.zones["A"].id, photo_ids=[photo_id]))
    assert answer.status_code == 201, answer.get_json()
    assert len(photo_sql) <= 4, photo_sql  # user; the key; the day's quota; the photo
    # user; zone; the key; number; repeat?; hazard; dashboard day; photos taken; event; inbox;
    # outside channels; dashboard version; search entry; the answer's photos and timeline
    assert len(hazard_sql) <= 16, hazard_sql
    assert not any("user_account.phone" in statement for statement in hazard_sql[2:])
