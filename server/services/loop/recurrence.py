"""Repeat hazards as the dashboard counts them (重复隐患, issue 19): a hazard is a repeat when, as
it was reported, a hazard of the same zone and category, not rejected, had been reported in the
90 days before. Decided once, when the report is filed, and kept on the hazard (`recurs`), so the
rollup counts repeats per day and zone like any other figure; a repeat rejected later is no
longer counted (as a duplicate, it was the same hazard, not a second one).

The look-alikes a report's form and a triage show (services/loop/repeats.py) use the same window."""

from datetime import timedelta
from functools import cache

from sqlalchemy import bindparam, select, update

from server.extensions import db
from server.models.loop.hazards import Hazard

RECURRENCE = timedelta(days=90)
_CHUNK = 5_000


@cache
def _earlier_alike():
    """Whether a hazard of the zone and category, not rejected, was reported in [:since, :until).
    Built once: building it cost more CPU than running it, on every report."""
    earlier = select(Hazard.id).where(
        Hazard.zone_id == bindparam("zone_id"),
        Hazard.category == bindparam("category"),
        Hazard.created_at >= bindparam("since"),
        Hazard.created_at < bindparam("until"),
        Hazard.status != "rejected",
    )
    return select(earlier.exists())


def recurs(zone_id, category, moment):
    """Whether a hazard reported at `moment` in this zone and category is a repeat."""
    values = {"zone_id": zone_id, "category": category, "since": moment - RECURRENCE, "until": moment}
    return db.session.scalar(_earlier_alike(), values)


def counted():
    """A condition on Hazard: a repeat the dashboard counts (not rejected)."""
    return Hazard.recurs & (Hazard.status != "rejected")


def mark_all(executor):
    """Decide `recurs` for every hazard from the table, in one pass per zone and category (the
    migration, and seeds that insert hazards out of time order). `executor` is a session (its
    rollup follows the updates) or a connection (rebuild the rollup afterwards). Returns how many
    are repeats."""
    rows = executor.execute(
        select(Hazard.id, Hazard.zone_id, Hazard.category, Hazard.created_at, Hazard.status).order_by(
            Hazard.zone_id, Hazard.category, Hazard.created_at, Hazard.id
        )
    )
    repeats, last_key, last_kept = [], None, None
    for hazard_id, zone_id, category, created_at, status in rows:
        if (zone_id, category) != last_key:
            last_key, last_kept = (zone_id, category), None
        if last_kept is not None and last_kept < created_at <= last_kept + RECURRENCE:
            repeats.append(hazard_id)
        if status != "rejected":
            last_kept = created_at
    # As the overdue reminders' claim: a mark is no edit of the hazard (phones keep their copy).
    unchanged = {Hazard.updated_at: Hazard.updated_at}
    executor.execute(update(Hazard).where(Hazard.recurs).values({Hazard.recurs: False, **unchanged}))
    for start in range(0, len(repeats), _CHUNK):
        chunk = repeats[start : start + _CHUNK]
        executor.execute(
            update(Hazard).where(Hazard.id.in_(chunk)).values({Hazard.recurs: True, **unchanged})
        )
    return len(repeats)
