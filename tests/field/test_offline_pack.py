"""The offline pack (DESIGN §6): which zones, posts, tasks and Party days each user gets, in a
constant number of queries, with an ETag that answers 304 while nothing changed."""

import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from server.extensions import db
from server.models.accounts.users import User
from server.models.party.party_days import PartyDay
from server.models.places.posts import Post
from server.services.field import offline_pack
from server.services.party.party_days import branch_members
from server.services.platform.authz import attendable_party_days, may_attend
from tests.conftest import assert_problem
from tests.hazard_helpers import place_hazard, report

PACK = "/api/v1/offline-pack"


def _pack(client, **headers):
    response = client.get(PACK, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _codes(pack, kind="zones"):
    return sorted(item["code"] for item in pack[kind])


def test_signing_in_is_needed(app, world):
    assert_problem(app.test_client().get(PACK), 401)


def test_a_worker_gets_the_zones_and_posts_of_their_unit_with_sign_tokens(login_as, world):
    pack = _pack(login_as("worker"))
    zone_a, post_a = world.zones["A"], world.posts["A"]
    assert _codes(pack) == [zone_a.code] and _codes(pack, "posts") == [post_a.code]
    zone = pack["zones"][0]
    assert zone["qr_token"] == zone_a.qr_token and zone["allowed_actions"] == ["report"]
    assert zone["unit"] == {"id": world.teams[0].id, "code": "A", "name": "Team A"}
    assert zone["head"]["id"] == world.people[("zone_head", "A")].id
    assert zone["patrol_checklist"] and zone["patrol_interval_days"] == 7
    assert (zone["open_count"], zone["overdue_count"]) == (0, 0)
    post = pack["posts"][0]
    assert post["qr_token"] == post_a.qr_token and post["zone_id"] == zone_a.id
    assert post["holder"] == {"id": world.people[("zone_head", "A")].id, "name": "Name of zone_head"}
    assert post["allowed_actions"] == []  # not a Party member of the post
    assert pack["tasks"] == [] and pack["party_days"] == [] and pack["user_id"]
    assert datetime.fromisoformat(pack["generated_at"]) <= datetime.now(UTC)


def test_a_worker_also_gets_every_zone_they_were_sent_to(app, login_as, world, factory):
    worker = login_as("worker")
    report(worker, world.zones["B"].id)  # reported once in another team's zone
    elsewhere = factory.zone(world.teams[1].id, world.people[("zone_head", "B")].id)
    place_hazard(
        app, elsewhere, world.people[("worker", "B")], "rectifying", assignee=world.people[("worker", "A")]
    )
    pack = _pack(worker)
    assert _codes(pack) == sorted([world.zones["A"].code, world.zones["B"].code, elsewhere.code])
    assert world.posts["B"].code in _codes(pack, "posts")  # the post in a zone of the pack


def test_inactive_places_are_left_out(login_as, world, factory):
    factory.zone(world.teams[0].id, world.people[("zone_head", "A")].id, active=False)
    factory.post(world.teams[0].id, world.people[("zone_head", "A")].id, active=False)
    pack = _pack(login_as("worker"))
    assert _codes(pack) == [world.zones["A"].code] and _codes(pack, "posts") == [world.posts["A"].code]


def test_a_zone_head_gets_the_zones_they_head_with_patrol_and_checks_in_at_their_post(
    login_as, world, factory
):
    head_a = world.people[("zone_head", "A")]
    moved = factory.zone(world.teams[1].id, head_a.id)  # headed from before a move to team A
    pack = _pack(login_as("zone_head"))
    zones = {zone["code"]: zone for zone in pack["zones"]}
    assert sorted(zones) == sorted([world.zones["A"].code, moved.code])
    assert zones[world.zones["A"].code]["allowed_actions"] == ["report", "patrol"]
    posts = {post["code"]: post for post in pack["posts"]}
    assert posts[world.posts["A"].code]["allowed_actions"] == ["check_in"]


def test_supervisors_get_their_subtree_and_a_company_supervisor_everything(login_as, world, factory):
    assert _codes(_pack(login_as("supervisor"))) == [world.zones["A"].code]
    boss = factory.user("supervisor", world.company.id, username="boss")
    client = login_as("worker")
    client.login(boss.username)
    pack = _pack(client)
    assert _codes(pack) == sorted(zone.code for zone in world.zones.values())
    assert all(zone["allowed_actions"] == ["report", "patrol"] for zone in pack["zones"])


def test_post_members_check_in_from_the_pack(app, login_as, world, factory):
    member = factory.user("worker", world.teams[1].id, username="member", party=True)
    with app.app_context():
        post = db.session.get(Post, world.posts["A"].id)
        post.members.append(db.session.get(User, member.id))
        db.session.commit()
    client = login_as("worker")
    client.login("member")
    posts = {post["code"]: post for post in _pack(client)["posts"]}
    assert posts[world.posts["A"].code]["allowed_actions"] == ["check_in"]  # another team's post


def test_tasks_are_open_hazards_with_a_step_to_take_newest_first(app, login_as, world):
    worker, head = world.people[("worker", "A")], world.people[("zone_head", "A")]
    zone = world.zones["A"]
    fixing = place_hazard(app, zone, head, "rectifying", assignee=worker)
    reported_by_worker = report(login_as("worker"), zone.id).get_json()["id"]
    place_hazard(app, zone, head, "closed", assignee=worker)
    newer = place_hazard(app, zone, head, "rectifying", assignee=worker)
    tasks = _pack(login_as("worker"))["tasks"]
    assert [task["id"] for task in tasks] == [newer, fixing]
    task = tasks[0]
    assert "submit" in task["allowed_actions"] and task["zone"]["code"] == zone.code
    assert task["assignee"] == {"id": worker.id, "name": worker.name} and task["measures"] == "加装护栏"
    assert task["version"] == 1 and task["number"].startswith("YH-") and task["photos"] == []
    head_tasks = {task["id"]: task for task in _pack(login_as("zone_head"))["tasks"]}
    assert head_tasks[reported_by_worker]["allowed_actions"] == ["confirm", "reject", "comment"]
    assert {fixing, newer} <= set(head_tasks)  # the head may submit or reassign them
    assert _pack(login_as("admin"))["tasks"] == []  # admins comment, they have no step to take


def test_tasks_stop_at_the_limit_reading_candidates_in_batches(app, login_as, world, monkeypatch):
    monkeypatch.setattr(offline_pack, "MAX_TASKS", 3)
    monkeypatch.setattr(offline_pack, "TASK_BATCH", 2)
    worker, head, zone = world.people[("worker", "A")], world.people[("zone_head", "A")], world.zones["A"]
    ids = []
    for _ in range(4):
        ids.append(place_hazard(app, zone, head, "rectifying", assignee=worker))
        place_hazard(app, zone, worker, "reported")  # reported by the worker: nothing to do but comment
    tasks = _pack(login_as("worker"))["tasks"]
    assert [task["id"] for task in tasks] == sorted(ids, reverse=True)[:3]


@pytest.fixture
def party_days(app, world):
    """Worker A in branch 一支部; days of team A's branch (going on, ended, another branch) and
    one of the company above team A."""
    now = datetime.now(UTC)
    with app.app_context():
        worker = db.session.get(User, world.people[("worker", "A")].id)
        worker.is_party_member, worker.party_branch = True, "一支部"
        days = {}
        for name, unit, branch, starts in (
            ("now", world.teams[0].id, "一支部", now - timedelta(minutes=5)),
            ("later", world.company.id, "一支部", now + timedelta(days=2)),
            ("other_branch", world.teams[0].id, "二支部", now + timedelta(days=1)),
            ("ended", world.teams[0].id, "一支部", now - timedelta(days=3)),
            ("team_b", world.teams[1].id, "一支部", now + timedelta(days=1)),
        ):
            ends = starts + timedelta(hours=2)
            organizer = world.people[("zone_head", "A")].id
            day = PartyDay(theme=name, kind="study", unit_id=unit, branch=branch, place="会议室",
                           starts_at=starts, ends_at=ends, organizer_id=organizer)  # fmt: skip
            db.session.add(day)
            db.session.flush()
            days[name] = day.id
        db.session.commit()
        return days


def test_party_days_not_yet_ended_with_attend_for_their_branch(login_as, world, party_days):
    pack = _pack(login_as("worker"))
    listed = {day["theme"]: day["allowed_actions"] for day in pack["party_days"]}
    assert listed == {"now": ["attend"], "other_branch": [], "later": ["attend"]}
    assert [day["theme"] for day in pack["party_days"]] == ["now", "other_branch", "later"]  # soonest first
    organizer = {day["theme"]: day["allowed_actions"] for day in _pack(login_as("zone_head"))["party_days"]}
    assert organizer["other_branch"] == ["attend"]  # its organizer checks in at any of its days


def test_the_list_rule_for_attending_is_may_attend(app, world, party_days):
    with app.app_context():
        for key in (("worker", "A"), ("zone_head", "A"), ("worker", "B"), ("supervisor", "A")):
            user = db.session.get(User, world.people[key].id)
            listed = set(db.session.scalars(db.select(PartyDay.id).where(attendable_party_days(user))))
            for day in db.session.scalars(db.select(PartyDay)):
                assert (day.id in listed) == may_attend(user, day, branch_members(day)), (key, day.theme)


def test_an_unchanged_pack_is_304_and_a_change_a_new_etag(login_as, world, factory):
    client = login_as("worker")
    first = client.get(PACK)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(PACK, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    factory.zone(world.teams[0].id, world.people[("zone_head", "A")].id)
    changed = client.get(PACK, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert len(changed.get_json()["zones"]) == 2
    assert client.get(PACK, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_the_gzipped_pack_and_its_tag_answer_304_too(login_as, world, factory):
    for _ in range(8):  # over COMPRESS_MIN_BYTES
        factory.zone(world.teams[0].id, world.people[("zone_head", "A")].id, responsibilities="巡视" * 40)
    client = login_as("worker")
    zipped = client.get(PACK, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and zipped.headers["ETag"].endswith('-gzip"')
    assert len(json.loads(gzip.decompress(zipped.data))["zones"]) == 9
    again = client.get(PACK, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_each_user_gets_their_own_pack_and_tag(login_as, world):
    worker, head = login_as("worker"), login_as("zone_head")
    etag = worker.get(PACK).headers["ETag"]
    assert head.get(PACK, headers={"If-None-Match": etag}).status_code == 200


def _queries(app, client):
    with app.app_context():
        engine = db.engine
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(PACK).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_the_pack_takes_as_many_queries_for_many_zones_as_for_one(app, login_as, world, factory):
    head = world.people[("zone_head", "A")]
    client = login_as("zone_head")
    place_hazard(app, world.zones["A"], world.people[("worker", "A")], "reported")
    few = _queries(app, client)
    for _ in range(12):
        zone = factory.zone(world.teams[0].id, head.id)
        factory.post(world.teams[0].id, head.id, zone_id=zone.id)
        place_hazard(app, zone, world.people[("worker", "A")], "reported")
    assert _queries(app, client) == few
