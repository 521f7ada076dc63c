"""Outside notifications (issue 17): every channel against its real local receiver, durable
delivery with retries and dead letters, the admin's API, and a worker killed mid-batch."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from server.extensions import db
from server.models.accounts.users import User
from server.models.base import now_utc
from server.models.platform.deliveries import Delivery
from server.services.loop.digests import make_due_digests
from tests.conftest import assert_problem
from tests.hazard_helpers import place_hazard, report
from tests.receivers import DINGTALK_SECRET, WEBHOOK_SECRET, HttpReceiver, SmtpReceiver

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def receivers():
    http, smtp = HttpReceiver().start(), SmtpReceiver().start()
    yield http, smtp
    http.stop()
    smtp.stop()


@pytest.fixture
def notify_app(make_app, receivers):
    http, smtp = receivers
    return make_app(NOTIFY_ENDPOINTS=http.endpoints(), NOTIFY_SMTP_URL=smtp.url, NOTIFY_MAX_ATTEMPTS=2)


def _client(app, world, role, team="A"):
    user = world.people[(role, "CO" if role == "admin" else team)]
    client = app.test_client()
    client.login(user.username, user.password)
    return client


def _channel(admin, unit_id, kind, target, **fields):
    answer = admin.post(
        "/api/v1/channels", json={"unit_id": unit_id, "kind": kind, "name": kind, "target": target, **fields}
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _deliver(app):
    result = app.test_cli_runner().invoke(args=["notify", "deliver", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def world_with_phone(notify_app, world):
    head = world.people[("zone_head", "A")]
    with notify_app.app_context():
        db.session.execute(update(User).where(User.id == head.id).values(phone="13900000001"))
        db.session.commit()
    return world


def test_a_report_reaches_every_channel_of_its_unit_and_the_units_above(
    notify_app, world_with_phone, receivers
):
    http, smtp = receivers
    world, admin = world_with_phone, _client(notify_app, world_with_phone, "admin")
    team, company = world.teams[0].id, world.company.id
    _channel(admin, team, "wecom", "wecom-key-0001")
    _channel(admin, team, "dingtalk", "dingtalk0token1", secret=DINGTALK_SECRET)
    _channel(admin, team, "feishu", "feishu-token-01")
    _channel(admin, company, "webhook", f"{http.url}/hook", secret=WEBHOOK_SECRET)  # the unit above
    _channel(admin, company, "email", "safety@example.cn")
    _channel(admin, world.teams[1].id, "wecom", "other-team-key")  # another team: not told
    answer = report(_client(notify_app, world, "worker"), world.zones["A"].id)
    number, hazard_id = answer.get_json()["number"], answer.get_json()["id"]

    assert "Sent 5, failed 0." in _deliver(notify_app)
    by_path = {entry["path"].split("/")[1]: entry for entry in http.received}
    assert sorted(by_path) == ["dingtalk", "feishu", "hook", "wecom"]
    link = f"https://safety.example.cn/hazards/{hazard_id}"
    text = f"【新隐患待确认】{number} 配电箱门未关闭 {link}"
    assert by_path["wecom"]["json"]["text"]["content"] == text
    assert by_path["wecom"]["query"]["key"] == ["wecom-key-0001"]
    assert by_path["feishu"]["json"]["content"]["text"] == text
    dingtalk = by_path["dingtalk"]
    assert dingtalk["signed"] and dingtalk["json"]["at"]["atMobiles"] == ["13900000001"]
    hook = by_path["hook"]
    assert hook["signed"] and hook["json"]["text"] == text and hook["json"]["kind"] == "hazard_reported"
    assert hook["headers"]["X-Event-Id"] == hook["json"]["event_id"]
    assert smtp.messages == [(["safety@example.cn"], f"【新隐患待确认】{number} 配电箱门未关闭", text)]
    assert "Sent 0, failed 0." in _deliver(notify_app)  # nothing twice


def test_a_channel_takes_only_the_kinds_it_chose_and_a_switched_off_one_nothing(notify_app, world, receivers):
    http, _ = receivers
    admin = _client(notify_app, world, "admin")
    _channel(admin, world.teams[0].id, "webhook", f"{http.url}/hook", kinds=["hazard_closed"])
    off = _channel(admin, world.teams[0].id, "webhook", f"{http.url}/hook")
    assert admin.patch(f"/api/v1/channels/{off['id']}", json={"active": False}).status_code == 200
    report(_client(notify_app, world, "worker"), world.zones["A"].id)
    assert "Sent 0" in _deliver(notify_app) and http.received == []


def test_a_failing_channel_is_retried_then_dead_and_an_admin_sends_it_again(notify_app, world, receivers):
    http, _ = receivers
    admin = _client(notify_app, world, "admin")
    _channel(admin, world.teams[0].id, "webhook", f"{http.url}/hook", secret=WEBHOOK_SECRET)
    report(_client(notify_app, world, "worker"), world.zones["A"].id)
    http.fail = True
    assert "Sent 0, failed 1." in _deliver(notify_app)
    [first] = admin.get("/api/v1/deliveries").get_json()["items"]
    assert (first["status"], first["attempts"], first["last_error"]) == ("pending", 1, "webhook answered 500")
    assert "Sent 0, failed 0." in _deliver(notify_app)  # its pause has not passed: left alone
    with notify_app.app_context():  # the pause passes
        db.session.execute(update(Delivery).values(next_attempt_at=now_utc() - timedelta(seconds=1)))
        db.session.commit()
    assert "failed 1" in _deliver(notify_app)
    [dead] = admin.get("/api/v1/deliveries?status=dead").get_json()["items"]
    assert dead["attempts"] == 2 and dead["id"] == first["id"]

    http.fail = False
    again = admin.post(f"/api/v1/deliveries/{dead['id']}/retry")
    assert again.status_code == 200 and again.get_json()["status"] == "pending"
    assert "Sent 1, failed 0." in _deliver(notify_app)
    assert admin.get("/api/v1/deliveries?status=sent").get_json()["items"][0]["id"] == dead["id"]
    assert len(http.received) == 3 and len({entry["json"]["event_id"] for entry in http.received}) == 1


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("webhook", "ftp://example.cn/x"),
        ("email", "not-an-address"),
        ("dingtalk", "short"),
        ("wecom", "含中文的key1234"),
    ],
)
def test_a_target_that_does_not_fit_its_kind_is_422_in_words(app, world, kind, target):
    admin = _client(app, world, "admin")
    answer = admin.post(
        "/api/v1/channels", json={"unit_id": world.company.id, "kind": kind, "name": "x", "target": target}
    )
    body = assert_problem(answer, 422)
    assert list(body["errors"]) == ["target"] and "errors." not in body["errors"]["target"][0]


def test_a_new_target_must_fit_the_channels_kind(app, world):
    admin = _client(app, world, "admin")
    channel = _channel(admin, world.company.id, "webhook", "https://hooks.example.cn/x")
    body = assert_problem(
        admin.patch(f"/api/v1/channels/{channel['id']}", json={"target": "ftp://nope"}), 422
    )
    assert list(body["errors"]) == ["target"]
    assert admin.get("/api/v1/channels").get_json()["items"][0]["target"] == "https://hooks.example.cn/x"


@pytest.mark.parametrize("role", ["worker", "zone_head", "supervisor"])
def test_only_an_admin_sees_or_sets_channels_and_deliveries(app, world, role):
    client = _client(app, world, role)
    assert_problem(client.get("/api/v1/channels"), 403)
    assert_problem(client.get("/api/v1/deliveries"), 403)
    body = {"unit_id": world.company.id, "kind": "email", "name": "x", "target": "a@example.cn"}
    assert_problem(client.post("/api/v1/channels", json=body), 403)


def test_the_secret_is_never_shown_back(app, world):
    admin = _client(app, world, "admin")
    channel = _channel(admin, world.company.id, "webhook", "https://hooks.example.cn/x", secret="s3cret")
    assert channel["has_secret"] is True and "secret" not in channel
    assert "s3cret" not in admin.get("/api/v1/channels").get_data(as_text=True)


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_more_than_twice(
    notify_app, world, receivers, database_url, tmp_path
):
    http, _ = receivers
    admin = _client(notify_app, world, "admin")
    _channel(admin, world.teams[0].id, "webhook", f"{http.url}/hook", secret=WEBHOOK_SECRET)
    worker = _client(notify_app, world, "worker")
    for _ in range(12):
        assert report(worker, world.zones["A"].id).status_code == 201
    with notify_app.app_context():
        expected = set(db.session.scalars(select(Delivery.event_id)))
    assert len(expected) == 12
    env = {
        **os.environ,
        "FLASK_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_SECRET_KEY": "kill-test-secret-key-that-is-long-enough-0123",
        "FLASK_PHOTO_DIR": str(tmp_path / "photos"),
        "FLASK_AUDIT_ANCHOR": str(tmp_path / "anchor.log"),
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "notify", "deliver", "--once", "--batch", "5"]
    http.delay = 0.3
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    deadline = time.monotonic() + 60
    while len(http.received) < 3:  # mid-batch: some sent, the rest of its claim still held
        assert time.monotonic() < deadline and first.poll() is None, "the worker sent nothing"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    http.delay = 0.0
    with notify_app.app_context():  # the dead worker's lease lapses
        lapsed = now_utc() - timedelta(seconds=1)
        db.session.execute(update(Delivery).where(Delivery.claim.is_not(None)).values(claimed_until=lapsed))
        db.session.commit()
    both = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE) for _ in range(2)]  # noqa: S603
    for process in both:  # two at once: safe
        assert process.wait(timeout=120) == 0
    seen = [entry["json"]["event_id"] for entry in http.received]
    assert set(seen) == expected
    assert max(seen.count(event) for event in expected) <= 2
    with notify_app.app_context():
        statuses = db.session.execute(select(Delivery.status, func.count()).group_by(Delivery.status)).all()
    assert statuses == [("sent", 12)]


def _at(hour, minute, days=0):
    """A moment today (site time), `days` later."""
    zone = ZoneInfo("Asia/Shanghai")
    return datetime.combine(datetime.now(zone).date() + timedelta(days=days), time_of_day(hour, minute), zone)


def test_a_digest_channel_gets_one_summary_a_day_per_person_after_its_time(
    notify_app, world_with_phone, receivers
):
    http, _ = receivers
    world, admin = world_with_phone, _client(notify_app, world_with_phone, "admin")
    _channel(
        admin, world.teams[0].id, "dingtalk", "dingtalk0token1", secret=DINGTALK_SECRET, digest_at="08:00"
    )
    head, reporter = world.people[("zone_head", "A")], world.people[("worker", "A")]
    today = _at(12, 0).date()
    with notify_app.app_context():
        place_hazard(
            notify_app,
            world.zones["A"],
            reporter,
            "rectifying",
            assignee=head,
            deadline=today - timedelta(days=2),
        )
        place_hazard(notify_app, world.zones["A"], reporter, "rectifying", assignee=head, deadline=today)
        place_hazard(notify_app, world.zones["A"], reporter, "verifying", assignee=head, submitted_by=head)
    report(_client(notify_app, world, "worker"), world.zones["A"].id)  # a message the digest replaces
    with notify_app.app_context():
        assert make_due_digests(_at(7, 59)) == 0  # not yet
        assert make_due_digests(_at(8, 1)) == 2  # the zone head and team A's supervisor
        db.session.commit()  # as the worker does
        assert make_due_digests(_at(9, 0)) == 0  # once a day
        db.session.commit()
        texts = db.session.scalars(select(Delivery.text).order_by(Delivery.id)).all()
    assert texts[0] == (
        "【每日隐患提醒】Name of zone_head：超期 1 条，今日到期 1 条，待验收 1 条 https://safety.example.cn/"
    )
    assert len(texts) == 2  # no per-hazard message for the new report
    assert "Sent 2, failed 0." in _deliver(notify_app)
    assert [entry["json"]["at"]["atMobiles"] for entry in http.received] == [["13900000001"], []]
    with notify_app.app_context():
        assert make_due_digests(_at(8, 1, days=1)) == 2  # the next day, again
