"""The dashboard's weekly trend (definitions in services/insight/dashboard.py): per week, Monday
site time, hazards reported and hazards closed in it, and the rectification and on-time rates of
the hazards reported in it, defined as the summary's rates are for the whole period.

Whole site days come from the rollup, the last partial day from the hazard table.
"""

from collections import Counter, defaultdict
from datetime import datetime, time, timedelta
from functools import reduce
from operator import add

from sqlalchemy import func, select

from server.extensions import db
from server.models.insight.rollup import dashboard_day
from server.models.loop.hazards import Hazard
from server.services.platform.clock import site_datetime, site_zone
from server.vocabulary import CONFIRMED_STATUSES

# What a week sums, each from a rollup column or columns: reported and closed counted on the
# day they happened; the rates' parts on the day the hazard was reported.
SUMS = {
    "reported": ("reported",),
    "closed": ("closed",),
    "closed_of_reported": ("status_closed",),
    "confirmed": tuple(f"status_{status}" for status in CONFIRMED_STATUSES),
    "closed_on_time": ("closed_on_time",),
}


def ratio(part, whole):
    return round(part / whole, 4) if whole else None


def _rollup_weeks(zones, monday, last):
    """{week number: Counter of SUMS} over the whole days [monday, last)."""
    day = dashboard_day.c.day
    sums = [func.sum(reduce(add, (dashboard_day.c[name] for name in columns))) for columns in SUMS.values()]
    rows = db.session.execute(
        select(day, *sums)
        .where(dashboard_day.c.zone_id.in_(zones), day >= monday.date(), day < last.date())
        .group_by(day)
    )
    weeks = defaultdict(Counter)
    for row_day, *values in rows:
        weeks[(row_day - monday.date()).days // 7].update(dict(zip(SUMS, values, strict=True)))
    return weeks


def _live_day(zones, start, end):
    """The SUMS of [start, end), less than a day, from the hazard table: read by the time index,
    zones checked here (with the zone list in SQL, SQLite walked the zone index instead)."""
    in_scope, tally = set(zones), Counter()
    reported = db.session.execute(
        select(Hazard.zone_id, Hazard.status, Hazard.closed_late).where(
            Hazard.created_at >= start, Hazard.created_at < end
        )
    )
    for zone_id, status, closed_late in reported:
        if zone_id in in_scope:
            tally["reported"] += 1
            tally["confirmed"] += status in CONFIRMED_STATUSES
            tally["closed_of_reported"] += status == "closed"
            tally["closed_on_time"] += status == "closed" and closed_late is False
    closed = db.session.scalars(
        select(Hazard.zone_id).where(Hazard.closed_at >= start, Hazard.closed_at < end)
    )
    tally["closed"] += sum(zone_id in in_scope for zone_id in closed)
    return tally


def weekly(zones, since, until, last):
    """The weeks from the one holding `since` to the one holding `until`, oldest first; `last` is
    the site midnight at or before `until` (whole days before it come from the rollup)."""
    first = site_datetime(since).date()
    monday = datetime.combine(first - timedelta(days=first.weekday()), time(), site_zone())
    last = max(monday, last)
    weeks = _rollup_weeks(zones, monday, last)
    if last < until:
        weeks[(last.date() - monday.date()).days // 7].update(_live_day(zones, last, until))
    span = int((until - monday).total_seconds() // (7 * 86400)) + 1
    return [
        {
            "week": (monday + timedelta(days=7 * n)).date().isoformat(),
            "reported": weeks[n]["reported"],
            "closed": weeks[n]["closed"],
            "rectification_rate": ratio(weeks[n]["closed_of_reported"], weeks[n]["confirmed"]),
            "on_time_rate": ratio(weeks[n]["closed_on_time"], weeks[n]["closed_of_reported"]),
        }
        for n in range(span)
        if monday + timedelta(days=7 * n) < until
    ]
