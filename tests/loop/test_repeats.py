"""Repeat hazards (issue 19): the hazards of a zone that look like a report being written, or like
one being triaged, for those who may see them."""

from datetime import UTC, datetime, timedelta

from server.extensions import db
from server.services.loop.repeats import grams
from tests.conftest import assert_problem
from tests.hazard_helpers import hazard_at


def _client(app, world, role, team="A"):
    user = world.people[(role, "CO" if role == "admin" else team)]
    client = app.test_client()
    client.login(user.username, user.password)
    return client


def _place(app, world):
    """Zone A: two electrical hazards about the distribution box, one about a guardrail, one
    closed long ago and one rejected; zone B: the same words."""
    now, reporter = datetime.now(UTC), world.people[("worker", "A")]
    zone_a, zone_b = world.zones["A"], world.zones["B"]
    door, long_ago = "配电箱门未关闭", now - timedelta(days=200)
    closed = {
        "closed_late": False,
        "assignee_id": world.people[("zone_head", "A")].id,
        "deadline": now.date(),
    }
    with app.app_context():
        made = {
            "door": hazard_at(zone_a, reporter, now, "reported", title=door, description="无警示"),
            "earth": hazard_at(zone_a, reporter, now, "closed", title="配电箱接地线松动",
                               description="接地不良", closed_at=now - timedelta(days=3), **closed),
            "rail": hazard_at(zone_a, reporter, now, "reported", title="平台护栏缺失", category="height"),
            "old": hazard_at(zone_a, reporter, long_ago, "closed", title=door, closed_at=long_ago, **closed),
            "rejected": hazard_at(zone_a, reporter, now, "rejected", title=door),
            "other_zone": hazard_at(zone_b, world.people[("worker", "B")], now, "reported", title=door),
        }  # fmt: skip
        db.session.commit()
    return made


def _numbers(answer):
    assert answer.status_code == 200, answer.get_json()
    return [item["number"] for item in answer.get_json()["items"]]


def test_chinese_is_compared_by_its_two_character_words_and_numbers_as_words():
    assert grams("配电箱门") == {"配电", "电箱", "箱门"}
    assert grams("10kV 线路 YH-2026-000123") == {"10kv", "线路", "yh-2026-000123"}
    assert grams("门") == {"门"}


def test_a_report_being_written_sees_the_zones_alike_hazards_same_category_first(app, world):
    made = _place(app, world)
    zone = world.zones["A"].id
    worker = _client(app, world, "worker")
    found = _numbers(
        worker.get(f"/api/v1/hazards/similar?zone_id={zone}&category=electrical&text=配电箱门没关")
    )
    assert found == [made["door"], made["earth"]]  # the rail is another category and other words
    # no category chosen yet: the words alone find the box's door
    assert (
        _numbers(worker.get(f"/api/v1/hazards/similar?zone_id={zone}&text=配电箱门没关"))[0] == made["door"]
    )


def test_triage_sees_the_alike_hazards_but_not_the_hazard_itself(app, world):
    made = _place(app, world)
    head = _client(app, world, "zone_head")
    door_id = head.get("/api/v1/hazards?q=配电箱门未关闭&status=reported").get_json()["items"][0]["id"]
    assert _numbers(head.get(f"/api/v1/hazards/{door_id}/similar")) == [made["earth"]]


def test_only_hazards_the_caller_may_see_are_offered(app, world):
    _place(app, world)
    other = _client(app, world, "worker", "B")
    zone = world.zones["A"].id
    assert (
        _numbers(other.get(f"/api/v1/hazards/similar?zone_id={zone}&category=electrical&text=配电箱")) == []
    )
    door_id = (
        _client(app, world, "zone_head").get("/api/v1/hazards?status=reported").get_json()["items"][-1]["id"]
    )
    assert_problem(other.get(f"/api/v1/hazards/{door_id}/similar"), 404)


def test_the_zone_is_required_and_the_text_bounded(app, world):
    worker = _client(app, world, "worker")
    assert_problem(worker.get("/api/v1/hazards/similar?text=x"), 422)
    assert_problem(
        worker.get(f"/api/v1/hazards/similar?zone_id={world.zones['A'].id}&text={'长' * 2201}"), 422
    )
