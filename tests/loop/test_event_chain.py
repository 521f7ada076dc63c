"""The hazard history (issue 20): a keyed chain, its heads anchored outside the database, and a
replay that must give the hazard row. Each rewrite below passed the unkeyed, unanchored check."""

import hashlib
import importlib
from contextlib import contextmanager
from datetime import timedelta

import pytest
from alembic import command
from alembic.migration import MigrationContext
from alembic.operations import Operations
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from server.extensions import db
from server.models.base import now_utc
from server.models.loop.hazards import Hazard, HazardEvent
from server.services.loop import event_chain
from server.services.platform.clock import site_today
from tests.hazard_helpers import report, upload_photo

initial = importlib.import_module("migrations.versions.0001_initial_schema")


@pytest.fixture
def loop(app, login_as, world):
    """A hazard taken round the loop through the API (report, confirm, comment, submit, accept)."""
    worker, head = login_as("worker"), login_as("zone_head")
    hazard = report(worker, world.zones["A"].id).get_json()
    with app.app_context():
        deadline = (site_today() + timedelta(days=5)).isoformat()
    url = f"/api/v1/hazards/{hazard['id']}/actions"
    body = {
        "assignee_id": world.people[("worker", "A")].id,
        "deadline": deadline,
        "level": "general",
        "measures": "m",
    }
    answers = [
        head.post(f"{url}/confirm", json={"version": 1, **body}),
        worker.post(f"{url}/comment", json={"text": "马上处理"}),
        worker.post(f"{url}/submit", json={"version": 2, "note": "ok", "photo_ids": [upload_photo(worker)]}),
        head.post(f"{url}/accept", json={"version": 3}),
    ]
    assert [answer.status_code for answer in answers] == [200] * 4
    return hazard


def verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def events_of(app, hazard_id):
    with app.app_context():
        return db.session.scalars(
            select(HazardEvent).where(HazardEvent.hazard_id == hazard_id).order_by(HazardEvent.id)
        ).all()


def _migration_op(function):
    """Run a trigger helper of migration 0001 on the session's connection (the names it uses)."""
    with Operations.context(MigrationContext.configure(db.session.connection())):
        function()


@contextmanager
def triggers_dropped(app):
    """A session with the append-only triggers dropped, as anyone with the database file or a
    superuser role can; restored afterwards, since PostgreSQL keeps its schema between tests."""
    with app.app_context():
        _migration_op(initial.drop_append_only_triggers)
        try:
            yield db.session
        finally:
            _migration_op(initial.create_append_only_triggers)
            db.session.commit()


def reseal_plainly(session, hazard_id, start):
    """Recompute a hazard's chain from event `start` on the old way: sha256(prev_hash + canonical
    event), with no key; the events before it keep their seals."""
    previous = None
    events = session.scalars(select(HazardEvent).where(HazardEvent.hazard_id == hazard_id).order_by("id"))
    for event in events:
        if event.id >= start:
            event.prev_hash = previous
            event.hash = hashlib.sha256(
                ((previous or "") + event_chain.canonical(event)).encode()
            ).hexdigest()
        previous = event.hash


def test_a_normal_loop_is_sealed_with_the_key_anchored_and_verifies(app, loop):
    events = events_of(app, loop["id"])
    assert [e.action for e in events] == ["report", "confirm", "comment", "submit", "accept"]
    assert events[0].prev_hash is None
    assert all(e.prev_hash == p.hash for p, e in zip(events, events[1:], strict=False))
    assert events[-1].state["status"] == "closed" and events[1].state["status"] == "rectifying"
    with app.app_context():
        plain = hashlib.sha256(event_chain.canonical(events[0]).encode()).hexdigest()
        anchored = event_chain.chain_anchor.read_anchor().heads[loop["id"]]
    assert events[0].hash != plain  # keyed: an unkeyed recomputation is not a seal
    assert (anchored.event_id, anchored.hash) == (events[-1].id, events[-1].hash)
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "intact" in result.output and "Anchor head: 5 lines, sha256 " in result.output


def test_an_edited_comment_resealed_with_plain_sha256_is_named(app, loop):
    comment = next(e for e in events_of(app, loop["id"]) if e.action == "comment")
    with triggers_dropped(app) as session:
        session.execute(text(f"UPDATE hazard_event SET comment = '从未说过' WHERE id = {comment.id}"))
        session.expire_all()
        reseal_plainly(session, loop["id"], comment.id)
        session.flush()
    result = verify(app)
    assert result.exit_code == 1
    assert f"hazard {loop['number']}: event {comment.id}: content does not match its seal" in result.output
    assert "differs from its anchored head" in result.output  # the rehashed head is not the anchored one


def test_a_deleted_last_event_is_named(app, loop, login_as):
    """The last event is a comment, so the row still matches what is left: only the anchor knows."""
    login_as("worker").post(f"/api/v1/hazards/{loop['id']}/actions/comment", json={"text": "复查完毕"})
    *_, kept, last = events_of(app, loop["id"])
    with triggers_dropped(app) as session:
        session.execute(text(f"DELETE FROM hazard_event WHERE id = {last.id}"))
    result = verify(app)
    assert result.exit_code == 1
    assert f"hazard {loop['number']}: its history ends at event {kept.id}, short of its anchored head" in (
        result.output
    )
    assert "in the row" not in result.output


def test_a_forged_event_with_an_unkeyed_hash_is_named(app, loop, world):
    """A forged extension, with the row changed to match it: the chain links, the replay agrees."""
    head = events_of(app, loop["id"])[-1]
    with triggers_dropped(app) as session:
        later = site_today() + timedelta(days=30)
        hazard = session.get(Hazard, loop["id"])
        forged = HazardEvent(
            hazard_id=loop["id"],
            actor_id=world.people[("supervisor", "A")].id,
            action="extend",
            from_status="closed",
            to_status="closed",
            comment="批准延期",
            changes={"deadline": [hazard.deadline.isoformat(), later.isoformat()]},
            created_at=now_utc(),
            prev_hash=head.hash,
        )
        forged.hash = hashlib.sha256((head.hash + event_chain.canonical(forged)).encode()).hexdigest()
        session.add(forged)
        session.execute(text(f"UPDATE hazard SET deadline = '{later.isoformat()}' WHERE id = {loop['id']}"))
        session.flush()
        forged_id = forged.id
    result = verify(app)
    assert result.exit_code == 1
    assert f"hazard {loop['number']}: event {forged_id}: content does not match its seal" in result.output


def test_a_deadline_and_assignee_changed_in_the_table_are_named(app, loop, world):
    other = world.people[("zone_head", "A")].id
    with triggers_dropped(app) as session:
        session.execute(
            text(f"UPDATE hazard SET deadline = '2099-12-31', assignee_id = {other} WHERE id = {loop['id']}")
        )
    result = verify(app)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(f"hazard {loop['number']}:")]
    assert len(lines) == 2
    assert any("deadline is '2099-12-31' in the row" in line for line in lines)
    assert any(f"assignee_id is {other} in the row" in line for line in lines)


def test_a_swapped_photo_is_named(app, loop):
    with triggers_dropped(app) as session:
        session.execute(text(f"UPDATE photo SET sha256 = '{'f' * 64}' WHERE stage = 'rectification'"))
    result = verify(app)
    assert result.exit_code == 1 and "a photo it names is missing or altered" in result.output


def test_the_anchor_command_fills_gaps_and_a_rebase_accepts_a_restore(app, loop, login_as):
    runner = app.test_cli_runner()
    anchor = event_chain.chain_anchor
    with app.app_context():
        anchor.anchor_path().unlink()  # as if the app had crashed between the commit and the write
    assert "is not anchored" in verify(app).output
    assert runner.invoke(args=["audit", "anchor"]).exit_code == 0
    assert verify(app).exit_code == 0
    login_as("worker").post(f"/api/v1/hazards/{loop['id']}/actions/comment", json={"text": "x"})
    last = events_of(app, loop["id"])[-1]
    with triggers_dropped(app) as session:  # the history as an older backup holds it
        session.execute(text(f"DELETE FROM hazard_event WHERE id = {last.id}"))
    refused = runner.invoke(args=["audit", "anchor"])
    assert refused.exit_code == 1 and loop["number"] in refused.output
    assert runner.invoke(args=["audit", "anchor", "--rebase"]).exit_code == 0
    assert verify(app).exit_code == 0
    with app.app_context():
        lines = anchor.anchor_path().read_text().splitlines()
    # The lost head stays on record above the rebase line.
    assert [line.split()[1] for line in lines] == ["head", "head", "rebase", "head"]


def test_production_seals_only_with_its_own_key(make_app):
    with pytest.raises(RuntimeError, match="FLASK_AUDIT_KEY"):  # it does not even start without it
        make_app(ENVIRONMENT="production", SECRET_KEY="k" * 40)
    app = make_app(ENVIRONMENT="production", SECRET_KEY="k" * 40, AUDIT_KEY="a" * 40)
    with app.app_context():
        assert event_chain.audit_key() == b"a" * 40


def test_the_upgrade_reseals_a_verified_history_and_refuses_a_broken_one(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    assert verify(app).exit_code == 0
    with app.app_context():
        db.session.remove()  # end this read, or the migration waits on its lock
        downgrade(revision="0010")  # the unkeyed chain of 0006
        event = db.session.scalars(select(HazardEvent.id).order_by(HazardEvent.id).limit(1)).one()
        db.session.remove()
    with triggers_dropped(app) as session:
        session.execute(text(f"UPDATE hazard_event SET comment = 'rewritten' WHERE id = {event}"))
    with app.app_context(), pytest.raises(RuntimeError, match=f"hazard_event {event} .*nothing was changed"):
        command.upgrade(app.extensions["migrate"].migrate.get_config(), "head")
    with triggers_dropped(app) as session:
        session.execute(text(f"UPDATE hazard_event SET comment = NULL WHERE id = {event}"))
    with app.app_context():
        db.session.remove()
        upgrade()
        db.session.remove()
    # The downgrade dropped each event's sealed state, so the anchored heads moved: on record.
    assert "differs from its anchored head" in verify(app).output
    assert app.test_cli_runner().invoke(args=["audit", "anchor", "--rebase"]).exit_code == 0
    assert verify(app).exit_code == 0
