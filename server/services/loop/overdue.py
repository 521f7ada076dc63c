"""Overdue (DESIGN §3): derived, never stored; and the daily reminders of those concerned, the day
before a deadline and each day after it."""

from datetime import timedelta

from sqlalchemy import select, update

from server.extensions import db
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from server.services.loop.notifications import nearest_supervisors, notify
from server.services.platform.clock import site_today
from server.vocabulary import OPEN_STATUSES


def overdue_condition(today=None):
    """Derived, never stored: open and the due day has ended at the site."""
    return Hazard.status.in_(OPEN_STATUSES) & (Hazard.deadline < (today or site_today()))


def due_condition(day):
    """Being rectified and due on `day`: what the assignee still has to finish by then."""
    return (Hazard.status == "rectifying") & (Hazard.deadline == day)


def is_overdue(hazard, today):
    return hazard.status in OPEN_STATUSES and hazard.deadline is not None and hazard.deadline < today


def _claim(condition, reminded_on, today):
    """The hazards meeting `condition` not yet reminded today, marked as reminded now. One
    UPDATE … RETURNING, so two runs never remind twice; it leaves the hazard's version alone
    (phones keep theirs)."""
    claimed = db.session.scalars(
        update(Hazard)
        .where(condition, reminded_on.is_(None) | (reminded_on < today))
        .values({reminded_on: today, Hazard.updated_at: Hazard.updated_at})
        .returning(Hazard.id)
    ).all()
    return db.session.scalars(select(Hazard).where(Hazard.id.in_(claimed)).order_by(Hazard.id)).all()


def remind_overdue(today):
    """Tell each overdue hazard's assignee, zone head and supervisors, once a day. Safe to run
    every few minutes."""
    hazards = _claim(overdue_condition(today), Hazard.overdue_notified_on, today)
    for hazard in hazards:
        zone = db.session.get(Zone, hazard.zone_id)
        notify(
            [hazard.assignee_id, zone.head_id, *nearest_supervisors(zone.unit_id)], "hazard_overdue", hazard
        )
    db.session.flush()
    return len(hazards)


def remind_due_tomorrow(today):
    """Tell the assignee and the zone head of each hazard being rectified and due tomorrow, once
    (a deadline moved by an extension is reminded again the day before the new one)."""
    hazards = _claim(due_condition(today + timedelta(days=1)), Hazard.due_notified_on, today)
    for hazard in hazards:
        notify(
            [hazard.assignee_id, db.session.get(Zone, hazard.zone_id).head_id], "hazard_due_tomorrow", hazard
        )
    db.session.flush()
    return len(hazards)
