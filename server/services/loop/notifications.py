"""The per-user inbox: the workflow writes entries; users list them and mark them read."""

from sqlalchemy import func, select, update

from server.extensions import db
from server.models.accounts.users import User
from server.models.base import now_utc
from server.models.loop.notifications import Notification
from server.models.places.units import Unit
from server.services.platform.authz import supervisors_of
from server.services.platform.errors import NotFound
from server.services.platform.pagination import keyset_page


def notify(user_ids, kind, hazard, actor=None):
    """One entry per recipient; nobody is told about what they did themselves."""
    recipients = {user_id for user_id in user_ids if user_id is not None}
    if actor is not None:
        recipients.discard(actor.id)
    for user_id in sorted(recipients):
        db.session.add(
            Notification(
                user_id=user_id,
                hazard_id=hazard.id,
                kind=kind,
                data={"number": hazard.number, "title": hazard.title},
            )
        )


def nearest_supervisors(unit_id, exclude=()):
    """Active supervisors of the unit, else of the nearest unit above that has any (not excluded)."""
    while unit_id is not None:
        found = db.session.scalars(
            select(User.id).where(supervisors_of(unit_id), User.id.not_in(exclude)).order_by(User.id)
        ).all()
        if found:
            return found
        unit_id = db.session.scalar(select(Unit.parent_id).where(Unit.id == unit_id))
    return []


def list_notifications(actor, unread=None, limit=50, cursor=None):
    query = select(Notification).where(Notification.user_id == actor.id)
    if unread is not None:
        query = query.where(Notification.read_at.is_(None) if unread else Notification.read_at.is_not(None))
    return keyset_page(query, Notification.id, limit, cursor)


def unread_count(actor):
    return db.session.scalar(
        select(func.count()).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
    )


def mark_read(actor, notification_id):
    """Another user's entry is 404, like a missing one."""
    entry = db.session.scalar(
        select(Notification).where(Notification.id == notification_id, Notification.user_id == actor.id)
    )
    if entry is None:
        raise NotFound("errors.not_found")
    entry.read_at = entry.read_at or now_utc()
    db.session.flush()
    return entry


def mark_all_read(actor):
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=now_utc())
    )
