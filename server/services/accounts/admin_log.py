"""The record of admin changes to who may do what (models/accounts/admin_events.py)."""

from datetime import date, datetime

from server.extensions import db
from server.models.accounts.admin_events import AdminEvent

KINDS = {"User": "user", "Zone": "zone", "Post": "post", "Unit": "unit"}


def plain(value):
    """A value as it is written into a JSON change record."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def difference(obj, data):
    """{field: [old, new]} for the columns data would change on obj (never a password)."""
    return {
        key: [plain(getattr(obj, key)), plain(value)]
        for key, value in data.items()
        if hasattr(type(obj), key) and getattr(obj, key) != value and key != "password_hash"
    }


def record_admin_change(actor, action, target, changes=None):
    """Append one admin change; the database refuses to alter it afterwards. No actor: the app
    itself (a just-in-time account from single sign-on)."""
    db.session.add(
        AdminEvent(
            actor_id=actor.id if actor else None,
            action=action,
            target_type=KINDS[type(target).__name__],
            target_id=target.id,
            changes=changes or {},
        )
    )
