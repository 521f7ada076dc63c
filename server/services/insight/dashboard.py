"""The supervisors' dashboard: every figure defined once, here (and in README, "Dashboard").

Scope: hazards of zones in the chosen unit's subtree (default: the caller's unit; an admin without
a unit: everything). Period: [from, to), reported hazards by `created_at`.

- by_status / by_level / by_category: hazards reported in the period, by their current value.
- repeats: hazards reported in the period that repeat one of the same zone and category reported
  in the 90 days before, not rejected (services/loop/recurrence.py).
- open, overdue: right now (not limited to the period): open = reported/rectifying/verifying;
  overdue = open and the deadline day has ended at the site.
- rectification_rate = closed ÷ confirmed, of the hazards reported in the period (confirmed =
  ever reached rectifying: rectifying, verifying or closed).
- on_time_rate = closed by the end of the deadline day ÷ closed, same hazards.
- median_days_to_close: median of (closed_at − created_at) in days, same closed hazards.
- weekly_trend: per week (Monday, site time) in the period: hazards reported, hazards closed, and
  the rectification and on-time rates (as above) of the hazards reported in that week
  (services/insight/trend.py).
- patrol_compliance = active zones patrolled within their interval now ÷ active zones (the
  zones of the per-zone table).
- checkin_rate = post-days with at least one check-in ÷ (active posts × days in the period).

How (not what): counts of hazards reported or closed in the period come from the rollup table
(services/insight/rollup.py) for whole site days and from the hazard table for the partial days at either
end; open, overdue and the median are read live through indexes. A computed summary is kept per
app process until any input changes (the "dashboard" counter), a zone's patrol falls due or the
site day ends, so sixteen supervisors opening the dashboard cost one computation.
"""

from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import and_, func, select

from server.extensions import db
from server.models.accounts.users import User
from server.models.base import days_between, now_utc, whole_days_between
from server.models.insight.rollup import REPORTED_MEASURES, dashboard_close_days, dashboard_day
from server.models.loop.hazards import Hazard
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.field import checkins
from server.services.insight.rollup import Deltas, version
from server.services.insight.trend import ratio, weekly
from server.services.places.zones import open_counts, zone_figures
from server.services.platform.authz import require_capability, units_seen
from server.services.platform.clock import site_datetime, site_today, site_zone
from server.vocabulary import CATEGORIES, CONFIRMED_STATUSES, LEVELS, STATUSES

CACHE_SIZE = 256


def _period(since, until):
    """Defaults: the last 30 days up to the end of today, site time."""
    zone = site_zone()
    until = until or datetime.combine(site_today() + timedelta(days=1), time(), zone)
    since = since or until - timedelta(days=30)
    return since, until


def _median(in_period, close_days, count):
    """The median days to close, exactly: the histogram finds the bucket (whole days) of the
    middle hazard(s) and its rank there; only that bucket's hazards are read, by index."""
    if not count:
        return None
    middle = []
    for rank in sorted({(count - 1) // 2, count // 2}):
        below = 0
        for days in sorted(close_days):
            if below + close_days[days] > rank:
                break
            below += close_days[days]
        took = days_between(Hazard.closed_at, Hazard.created_at)
        in_bucket = whole_days_between(Hazard.closed_at, Hazard.created_at) == days
        query = select(took).where(in_period, in_bucket).order_by(took)  # a bucket: closed ones
        middle.append(db.session.scalar(query.offset(rank - below).limit(1)))
    return round(sum(middle) / len(middle), 2)


def _midnight(moment, later=False):
    """The site midnight at or before `moment` (at or after it with later=True)."""
    local = site_datetime(moment)
    midnight = datetime.combine(local.date(), time(), site_zone())
    return midnight + timedelta(days=1) if later and midnight < moment else midnight


def summary(actor, unit_id=None, since=None, until=None):
    """The figures, from this process's cache while none of their inputs has changed."""
    require_capability(actor, "supervise")
    units = units_seen(actor, unit_id)
    since, until = _period(since, until)
    cache = current_app.extensions.setdefault("dashboard_summaries", {})
    key = (None if units is None else tuple(sorted(units)), unit_id, since, until)
    stamp, now = version(db.session.connection()), now_utc()
    hit = cache.get(key) if current_app.config["DASHBOARD_CACHE"] else None
    if hit and hit[0] == stamp and now < hit[1]:
        return hit[2]
    figures, expires = compute_summary(units, unit_id, since, until)
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = (stamp, expires, figures)
    return figures


def compute_summary(units, unit_id, since, until):
    """The figures for zones of `units` (None: all) and [since, until), and until when they hold."""
    zone_rows = db.session.execute(
        select(Zone.id, Zone.unit_id)
        if units is None
        else select(Zone.id, Zone.unit_id).where(Zone.unit_id.in_(units))
    ).all()
    zones = [zone_id for zone_id, _ in zone_rows]
    tallies, close_days = _period_tallies(zones, since, until)
    total = sum(tallies.values(), Counter())
    by_status = {status: total[f"status_{status}"] for status in STATUSES}
    confirmed = sum(by_status[s] for s in CONFIRMED_STATUSES)
    closed = by_status["closed"]
    in_period = and_(Hazard.zone_id.in_(zones), Hazard.created_at >= since, Hazard.created_at < until)
    counts = open_counts(zones)
    zones_rows, expires = _per_zone(units, tallies, counts)
    return {
        "unit_id": unit_id,
        "since": since,
        "until": until,
        "by_status": by_status,
        "by_level": {level: total[f"level_{level}"] for level in LEVELS},
        "by_category": {category: total[f"category_{category}"] for category in CATEGORIES},
        "reported": total["reported"],
        "repeats": total["repeats"],
        "open": sum(open_count for open_count, _ in counts.values()),
        "overdue": sum(overdue for _, overdue in counts.values()),
        "rectification_rate": ratio(closed, confirmed),
        "on_time_rate": ratio(total["closed_on_time"], closed),
        "median_days_to_close": _median(in_period, close_days, closed),
        "zones": zones_rows,
        "units": _per_unit(units, zone_rows, tallies, counts),
        "weekly_trend": weekly(zones, since, until, _midnight(until)),
        "patrol_compliance": ratio(sum(not z["patrol_due"] for z in zones_rows), len(zones_rows)),
        "checkin_rate": ratio(*checkins.post_days(units, since, until)),
    }, min(expires, _midnight(now_utc(), later=True))


def _live_tallies(zones, start, end, tallies, close_days):
    """Add hazards reported in [start, end) in `zones`, counted from the hazard table."""
    took = whole_days_between(Hazard.closed_at, Hazard.created_at)
    columns = (
        Hazard.zone_id,
        Hazard.status,
        Hazard.level,
        Hazard.category,
        Hazard.closed_late,
        Hazard.recurs,
        took,
    )
    rows = db.session.execute(
        select(*columns, func.count())
        .where(Hazard.zone_id.in_(zones), Hazard.created_at >= start, Hazard.created_at < end)
        .group_by(*columns)
    )
    for zone_id, status, level, category, closed_late, recurs, days, count in rows:
        deltas = Deltas(site_zone())
        state = {"zone_id": zone_id, "created_at": start, "status": status, "level": level, "recurs": recurs}
        deltas.add({**state, "category": category, "closed_late": closed_late, "close_days": days}, count)
        for tally in deltas.values():
            tallies[zone_id].update(tally)
        if status == "closed":
            close_days[days] += count


def _period_tallies(zones, since, until):
    """({zone_id: Counter of REPORTED_MEASURES}, {whole days to close: hazards}) of hazards reported
    in [since, until): whole site days from the rollup, the partial days at either end from the
    hazard table."""
    tallies, close_days = defaultdict(Counter), Counter()
    first, last = _midnight(since, later=True), _midnight(until)
    edges = [(since, until)]
    if first < last:
        day = dashboard_day.c.day
        sums = db.session.execute(
            select(dashboard_day.c.zone_id, *(func.sum(dashboard_day.c[m]) for m in REPORTED_MEASURES))
            .where(dashboard_day.c.zone_id.in_(zones), day >= first.date(), day < last.date())
            .group_by(dashboard_day.c.zone_id)
        )
        for zone_id, *values in sums:
            tallies[zone_id].update(dict(zip(REPORTED_MEASURES, values, strict=True)))
        histogram = dashboard_close_days.c
        close_days.update(
            dict(
                db.session.execute(
                    select(histogram.days, func.sum(histogram.closed))
                    .where(
                        histogram.zone_id.in_(zones),
                        histogram.day >= first.date(),
                        histogram.day < last.date(),
                    )
                    .group_by(histogram.days)
                ).all()
            )
        )
        edges = [(since, first), (last, until)]
    for start, end in edges:
        if start < end:
            _live_tallies(zones, start, end, tallies, close_days)
    return tallies, close_days


def _per_zone(units, tallies, counts):
    """Each active zone in scope: its head, reported and closed in the period, open and overdue
    now; and the next moment a zone's patrol falls due (the figures hold until then)."""
    query = select(Zone, User.name).join(User, User.id == Zone.head_id).where(Zone.active).order_by(Zone.code)
    if units is not None:
        query = query.where(Zone.unit_id.in_(units))
    rows = db.session.execute(query).all()
    figures = zone_figures([zone for zone, _ in rows], counts)
    now = now_utc()
    flips = [
        figures[zone.id]["last_patrol_at"] + timedelta(days=zone.patrol_interval_days)
        for zone, _ in rows
        if figures[zone.id]["last_patrol_at"] is not None
    ]
    return [
        {
            "id": zone.id,
            "code": zone.code,
            "name": zone.name,
            "head_name": head_name,
            "reported": tallies[zone.id]["reported"],
            "closed": tallies[zone.id]["status_closed"],
            "open": figures[zone.id]["open_count"],
            "overdue": figures[zone.id]["overdue_count"],
            "patrol_due": figures[zone.id]["patrol_due"],
        }
        for zone, head_name in rows
    ], min((flip for flip in flips if flip >= now), default=datetime.max.replace(tzinfo=UTC))


def _per_unit(units, zone_rows, tallies, counts):
    """Each unit in scope: hazards reported in the period in its own zones, and open and overdue now."""
    query = select(Unit).order_by(Unit.id)
    if units is not None:
        query = query.where(Unit.id.in_(units))
    sums = defaultdict(Counter)
    for zone_id, zone_unit in zone_rows:
        open_count, overdue = counts.get(zone_id, (0, 0))
        sums[zone_unit].update(reported=tallies[zone_id]["reported"], open=open_count, overdue=overdue)
    return [
        {
            "id": unit.id,
            "code": unit.code,
            "name": unit.name,
            **{k: sums[unit.id][k] for k in ("reported", "open", "overdue")},
        }
        for unit in db.session.scalars(query)
    ]
