"""The per-user inbox: the workflow writes entries; users list them and mark them read. Each
entry may also go out to the outside channels of the hazard's unit and the units above it
(services/platform/deliveries.py), in the same transaction."""

from flask import current_app
from sqlalchemy import func, select, update

from server.extensions import db
from server.i18n import translate
from server.models.accounts.users import User
from server.models.base import now_utc
from server.models.loop.notifications import Notification
from server.models.places.units import Unit
from server.services.platform import deliveries
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
    if recipients:
        _send_outside(recipients, kind, hazard)


def _send_outside(recipients, kind, hazard):
    """One short message in Chinese for the channels of the hazard's unit and the units above it:
    what happened, the hazard's number and title, and a link back into the app; the people it is
    for @-mentioned by phone. Without such a channel, one statement and nothing more."""
    channels = deliveries.channels_taking(kind, hazard.zone.unit_id)
    if not channels:
        return
    link = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/hazards/{hazard.id}"
    text = translate(f"notify.{kind}", "zh-CN", number=hazard.number, title=hazard.title[:60], link=link)
    phones = db.session.scalars(
        select(User.phone).where(User.id.in_(recipients), User.phone.is_not(None))
    ).all()
    for channel in channels:
        deliveries.enqueue_to(channel, kind, text, hazard.id, phones)


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
