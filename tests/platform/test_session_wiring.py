"""The app's session hooks reach db.session and no other session, and on SQLite a request begins
its transactions as a reader until the request guard starts writing (create_app wires both)."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from server.extensions import db
from server.models.insight.rollup import dashboard_day
from server.models.loop.hazards import Hazard
from server.models.platform.counters import NamedCounter
from server.services.insight import rollup
from server.services.loop import chain_anchor
from tests.hazard_helpers import place_hazard

HOOKS = [
    ("after_flush", rollup._after_flush),
    ("do_orm_execute", rollup._on_orm_execute),
    ("before_commit", rollup._before_commit),
    ("after_soft_rollback", rollup._after_rollback),
    ("after_commit", chain_anchor._anchor_committed),
]


@pytest.mark.parametrize(("name", "listener"), HOOKS)
def test_session_hooks_listen_on_the_apps_session_only(app, name, listener):
    assert event.contains(db.session, name, listener)
    assert not event.contains(Session, name, listener)


def reported_and_version(app):
    with app.app_context():
        reported = db.session.scalar(select(func.coalesce(func.sum(dashboard_day.c.reported), 0)))
        version = db.session.scalar(select(NamedCounter.value).where(NamedCounter.name == rollup.VERSION))
    return reported, version or 0


def test_a_session_of_its_own_leaves_the_rollup_alone(app, world):
    worker = world.people[("worker", "A")]
    before = reported_and_version(app)
    with app.app_context(), Session(db.engine) as session:
        session.add(
            Hazard(
                number="YH-1999-000001",
                zone_id=world.zones["A"].id,
                reporter_id=worker.id,
                client_uuid=str(uuid.uuid4()),
                request_hash="x",
                title="护栏缺失",
                description="高处平台护栏缺失",
                category="height",
                level="general",
                status="reported",
                created_at=datetime.now(UTC),
            )
        )
        session.commit()
    assert reported_and_version(app) == before
    place_hazard(app, world.zones["A"], worker, "reported")  # through db.session
    assert reported_and_version(app) == (before[0] + 1, before[1] + 1)


def test_on_sqlite_a_request_reads_until_the_guard_starts_writing(app, world, login_as):
    worker = world.people[("worker", "A")]
    hazard_id = place_hazard(app, world.zones["A"], worker, "reported")
    client = login_as("worker")
    begins = []

    def record(_connection, _cursor, statement, *_):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL takes row locks as it writes")
        event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/api/v1/auth/me").status_code == 200
        assert begins == ["BEGIN"]
        begins.clear()
        comment = client.post(f"/api/v1/hazards/{hazard_id}/actions/comment", json={"text": "评论"})
        assert comment.status_code == 200, comment.get_json()
        assert begins[0] == "BEGIN" and set(begins[1:]) == {"BEGIN IMMEDIATE"}  # the guard, the view
        begins.clear()
        with app.app_context():  # a command or script: every transaction may write
            db.session.scalar(select(func.count()).select_from(Hazard))
        assert begins == ["BEGIN IMMEDIATE"]
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", record)
