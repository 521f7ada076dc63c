"""One Alembic chain that builds exactly the models' schema, on both engines."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from server.extensions import db
from server.models.base import Base, include_in_autogenerate


def test_migrations_have_a_single_head(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


# Indexes on expressions are left out of the comparison (include_in_autogenerate).
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        opts = {"compare_type": True, "include_object": include_in_autogenerate}
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_nothing_and_upgrade_again(app):
    with app.app_context():
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() in ([], ["alembic_version"])
        upgrade()
        assert "hazard_event" in inspect(db.engine).get_table_names()


def _one_event(factory, world):
    with factory.app.app_context():
        db.session.execute(
            text(
                "INSERT INTO hazard (number, zone_id, reporter_id, title, description, category, level,"
                " status, fixed_on_spot, created_at, updated_at, version, client_uuid, request_hash)"
                " VALUES ('YH-2026-000001', :zone, :user, 't', 'd', 'fire', 'general', 'reported',"
                " false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, 'u', 'h')"
            ),
            {"zone": world.zones["A"].id, "user": world.people[("worker", "A")].id},
        )
        db.session.execute(
            text(
                "INSERT INTO hazard_event (hazard_id, actor_id, action, to_status, changes, created_at, hash)"
                " SELECT id, reporter_id, 'report', 'reported', '{}', CURRENT_TIMESTAMP, 'h' FROM hazard"
            )
        )
        db.session.commit()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE hazard_event SET comment = 'rewritten'", "DELETE FROM hazard_event", "TRUNCATE hazard_event"],
)
def test_the_database_refuses_to_change_hazard_history(app, factory, world, statement):
    _one_event(factory, world)
    with app.app_context():
        if statement.startswith("TRUNCATE") and db.engine.dialect.name == "sqlite":
            pytest.skip("SQLite has no TRUNCATE")
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
        assert db.session.execute(text("SELECT count(*) FROM hazard_event")).scalar() == 1


CONFIRMED = "assignee_id = reporter_id, deadline = '2026-12-01', measures = 'm', confirmed_at = created_at"


@pytest.mark.parametrize(
    ("assignments", "constraint"),
    [
        (f"status = 'closed', closed_late = false, {CONFIRMED}", "ck_hazard_closed_at"),
        (f"status = 'closed', closed_at = created_at, {CONFIRMED}", "ck_hazard_closed_late"),
        ("status = 'rejected'", "ck_hazard_rejected_at"),
        ("status = 'rectifying'", "ck_hazard_confirmed_fields"),
        (f"status = 'verifying', {CONFIRMED}", "ck_hazard_verifying_submitter"),
        (f"status = 'rectifying', level = 'major', {CONFIRMED}", "ck_hazard_major_plan"),
        ("status = 'done'", "ck_hazard_status"),
        ("level = 'minor'", "ck_hazard_level"),
    ],
)
def test_check_constraints_tie_status_to_its_columns(app, factory, world, assignments, constraint):
    _one_event(factory, world)
    with app.app_context():
        with pytest.raises(DBAPIError, match=constraint):
            db.session.execute(text(f"UPDATE hazard SET {assignments}"))
        db.session.rollback()
