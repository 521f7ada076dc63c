"""Admin changes to who may do what are recorded, append-only."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from server.extensions import db
from server.models.accounts.admin_events import AdminEvent


def recorded(app):
    with app.app_context():
        return [
            (e.action, e.target_type, e.target_id, e.changes)
            for e in db.session.scalars(select(AdminEvent).order_by(AdminEvent.id))
        ]


def test_role_duty_password_and_token_changes_are_recorded(app, login_as, world):
    admin = login_as("admin")
    worker_id, zone_id = world.people[("worker", "A")].id, world.zones["A"].id
    admin.patch(f"/api/v1/users/{worker_id}", json={"role": "zone_head", "phone": "13900000000"})
    admin.post(f"/api/v1/users/{worker_id}/reset-password")
    admin.post(f"/api/v1/users/{worker_id}/sessions/revoke")
    admin.post(f"/api/v1/zones/{zone_id}/rotate-token")
    admin.patch(f"/api/v1/zones/{zone_id}", json={"active": False})
    events = recorded(app)
    assert [(action, kind) for action, kind, _, _ in events] == [
        ("user_changed", "user"), ("password_reset", "user"), ("sessions_revoked", "user"),
        ("token_rotated", "zone"), ("zone_changed", "zone"),
    ]  # fmt: skip
    assert events[0][3] == {"role": ["worker", "zone_head"], "phone": [None, "13900000000"]}
    assert events[4][3] == {"active": [True, False]}
    with app.app_context():
        assert db.session.scalar(select(AdminEvent.actor_id)) == world.people[("admin", "CO")].id


def test_refused_changes_record_nothing(app, login_as, world):
    login_as("worker").patch(f"/api/v1/users/{world.people[('worker', 'A')].id}", json={"role": "admin"})
    login_as("admin").patch(
        f"/api/v1/users/{world.people[('zone_head', 'A')].id}", json={"active": False}
    )  # 409
    assert recorded(app) == []


@pytest.mark.parametrize("statement", ["UPDATE admin_event SET action = 'x'", "DELETE FROM admin_event"])
def test_the_database_refuses_to_change_the_record(app, login_as, world, statement):
    login_as("admin").post(f"/api/v1/zones/{world.zones['A'].id}/rotate-token")
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
