"""Overdue (DESIGN §3): derived, never stored, and the daily reminder of those concerned."""

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


def is_overdue(hazard, today):
    return hazard.status in OPEN_STATUSES and hazard.deadline is not None and hazard.deadline < today


def remind_overdue(today):
    """Claim each overdue hazard not yet reminded today, and tell its assignee, zone head and
    supervisors. Safe to run every few minutes: the claim is one UPDATE … RETURNING, so two
    runs never remind twice, and it leaves the hazard's version alone (phones keep theirs)."""
    claimed = db.session.scalars(
        update(Hazard)
        .where(
            overdue_condition(today),
            Hazard.overdue_notified_on.is_(None) | (Hazard.overdue_notified_on < today),
        )
        .values(overdue_notified_on=today, updated_at=Hazard.updated_at)
        .returning(Hazard.id)
    ).all()
    hazards = db.session.scalars(select(Hazard).where(Hazard.id.in_(claimed))).all()
    for hazard in hazards:
        zone = db.session.get(Zone, hazard.zone_id)
        notify(
            [hazard.assignee_id, zone.head_id, *nearest_supervisors(zone.unit_id)], "hazard_overdue", hazard
        )
    db.session.flush()
    return len(hazards)
