"""The hazard history's hash chain: intact after the loop, and a direct edit is reported."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from server.extensions import db
from server.models import HazardEvent
from server.services.clock import site_today
from tests.hazard_helpers import report, upload_photo


@pytest.fixture
def loop(app, login_as, world):
    """A hazard taken round the loop through the API, with report and fix photos."""
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
    head.post(f"{url}/confirm", json={"version": 1, **body})
    worker.post(f"{url}/comment", json={"text": "马上处理"})
    worker.post(f"{url}/submit", json={"version": 2, "note": "done", "photo_ids": [upload_photo(worker)]})
    head.post(f"{url}/accept", json={"version": 3})
    return hazard["id"]


def verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def tamper(app, statement):
    """Edit the history the way someone with database access could, triggers off."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.session.execute(text("DROP TRIGGER hazard_event_no_update"))
            db.session.execute(text(statement))
            db.session.execute(
                text(
                    "CREATE TRIGGER hazard_event_no_update BEFORE UPDATE ON hazard_event "
                    "BEGIN SELECT RAISE(ABORT, 'hazard_event is append-only'); END"
                )
            )
        else:
            db.session.execute(text("SET session_replication_role = replica"))
            db.session.execute(text(statement))
        db.session.commit()


def test_every_event_is_chained_and_the_history_verifies(app, loop):
    with app.app_context():
        events = db.session.scalars(
            select(HazardEvent).where(HazardEvent.hazard_id == loop).order_by(HazardEvent.id)
        ).all()
    assert [e.action for e in events] == ["report", "confirm", "comment", "submit", "accept"]
    assert events[0].prev_hash is None and all(
        e.prev_hash == p.hash for p, e in zip(events, events[1:], strict=False)
    )
    assert len(events[0].changes["photos"]) == 1 and len(events[3].changes["photos"]) == 1
    result = verify(app)
    assert result.exit_code == 0 and "intact" in result.output


def test_an_edited_comment_is_reported_at_that_event(app, loop):
    with app.app_context():
        comment_id = db.session.scalar(select(HazardEvent.id).where(HazardEvent.action == "comment"))
    tamper(app, f"UPDATE hazard_event SET comment = '从未说过' WHERE id = {comment_id}")
    result = verify(app)
    assert result.exit_code != 0
    assert f"event {comment_id}: content does not match its hash" in result.output


def test_a_rehashed_edit_still_breaks_the_next_link(app, loop):
    with app.app_context():
        first = db.session.scalar(select(HazardEvent.id).where(HazardEvent.action == "report"))
    tamper(app, f"UPDATE hazard_event SET hash = '{'0' * 64}' WHERE id = {first}")
    assert f"event {first}:" in verify(app).output


def test_a_swapped_photo_is_reported(app, loop):
    tamper(app, f"UPDATE photo SET sha256 = '{'f' * 64}' WHERE stage = 'rectification'")
    assert "a photo it names is missing or altered" in verify(app).output


def test_the_demo_history_verifies_and_the_migration_backfills_the_same_chain(app):
    from flask_migrate import downgrade, upgrade

    app.test_cli_runner().invoke(args=["seed-demo"])
    assert verify(app).exit_code == 0
    with app.app_context():
        before = dict(db.session.execute(select(HazardEvent.id, HazardEvent.hash)).all())
        db.session.remove()  # end this read, or the migration waits on its lock
        downgrade(revision="0005")  # the history as it stood before the chain existed
        upgrade()  # 0006 backfills the chain for it
        after = dict(db.session.execute(select(HazardEvent.id, HazardEvent.hash)).all())
        db.session.remove()
    assert after == before and len(after) > 40
    assert verify(app).exit_code == 0
