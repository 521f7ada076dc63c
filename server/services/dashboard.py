"""The supervisors' dashboard: every figure defined once, here (and in README, "Dashboard").

Scope: hazards of zones in the chosen unit's subtree (default: the caller's unit; an admin without
a unit: everything). Period: [from, to), reported hazards by `created_at`.

- by_status / by_level / by_category: hazards reported in the period, by their current value.
- open, overdue: right now (not limited to the period): open = reported/rectifying/verifying;
  overdue = open and the deadline day has ended at the site.
- rectification_rate = closed ÷ confirmed, of the hazards reported in the period (confirmed =
  ever reached rectifying: rectifying, verifying or closed).
- on_time_rate = closed by the end of the deadline day ÷ closed, same hazards.
- median_days_to_close: median of (closed_at − created_at) in days, same closed hazards.
- weekly_trend: per week (Monday, site time) in the period: hazards reported, hazards closed.
- patrol_compliance = active zones patrolled within their interval now ÷ active zones (the
  zones of the per-zone table).
- checkin_rate = post-days with at least one check-in ÷ (active posts × days in the period).
"""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Integer, and_, func, literal, select

from server.extensions import db
from server.models import CheckIn, Hazard, Post, Unit, User, Zone
from server.services.access import require_role, unit_subtree_ids
from server.services.clock import site_datetime, site_today, site_zone
from server.services.errors import Forbidden
from server.services.hazards import overdue_condition
from server.services.zones import zone_figures
from server.vocabulary import CATEGORIES, LEVELS, OPEN_STATUSES, STATUSES

CONFIRMED = ("rectifying", "verifying", "closed")


def _scope_units(actor, unit_id):
    if unit_id is None:
        return None if actor.role == "admin" else unit_subtree_ids(actor.unit_id)
    if actor.role != "admin" and unit_id not in unit_subtree_ids(actor.unit_id):
        raise Forbidden("errors.unit_outside_scope")
    return unit_subtree_ids(unit_id)


def _period(since, until):
    """Defaults: the last 30 days up to the end of today, site time."""
    zone = site_zone()
    until = until or datetime.combine(site_today() + timedelta(days=1), time(), zone)
    since = since or until - timedelta(days=30)
    return since, until


def _ratio(part, whole):
    return round(part / whole, 4) if whole else None


def _days(column_a, column_b):
    """Days between two timestamps (columns, or a Python datetime as the second), on either engine."""
    if not hasattr(column_b, "type"):
        column_b = literal(column_b, Hazard.created_at.type)
    if db.session.get_bind().dialect.name == "sqlite":
        return func.julianday(column_a) - func.julianday(column_b)
    return func.extract("epoch", column_a - column_b) / 86400.0


def _median(query_of_days, count):
    if not count:
        return None
    ordered = query_of_days.order_by(query_of_days.selected_columns[0])
    middle = db.session.scalars(ordered.offset((count - 1) // 2).limit(2 - count % 2)).all()
    return round(sum(middle) / len(middle), 2)


def summary(actor, unit_id=None, since=None, until=None):
    require_role(actor, "supervisor", "admin")
    units = _scope_units(actor, unit_id)
    since, until = _period(since, until)
    zones = select(Zone.id) if units is None else select(Zone.id).where(Zone.unit_id.in_(units))
    in_scope = Hazard.zone_id.in_(zones)
    in_period = and_(in_scope, Hazard.created_at >= since, Hazard.created_at < until)
    today = site_today()

    def grouped(column, values):
        rows = dict(db.session.execute(select(column, func.count()).where(in_period).group_by(column)).all())
        return {value: rows.get(value, 0) for value in values}

    by_status = grouped(Hazard.status, STATUSES)
    confirmed = sum(by_status[s] for s in CONFIRMED)
    closed = by_status["closed"]
    on_time = db.session.scalar(
        select(func.count()).where(in_period, Hazard.status == "closed", ~Hazard.closed_late)
    )
    durations = select(_days(Hazard.closed_at, Hazard.created_at)).where(in_period, Hazard.status == "closed")
    open_now = db.session.scalar(select(func.count()).where(in_scope, Hazard.status.in_(OPEN_STATUSES)))
    overdue_now = db.session.scalar(select(func.count()).where(in_scope, overdue_condition(today)))
    zones_rows = _per_zone(units, in_period)
    return {
        "unit_id": unit_id,
        "since": since,
        "until": until,
        "by_status": by_status,
        "by_level": grouped(Hazard.level, LEVELS),
        "by_category": grouped(Hazard.category, CATEGORIES),
        "reported": sum(by_status.values()),
        "open": open_now,
        "overdue": overdue_now,
        "rectification_rate": _ratio(closed, confirmed),
        "on_time_rate": _ratio(on_time, closed),
        "median_days_to_close": _median(durations, closed),
        "zones": zones_rows,
        "units": _per_unit(units, in_period, today),
        "weekly_trend": _weekly(in_scope, since, until),
        "patrol_compliance": _ratio(sum(not z["patrol_due"] for z in zones_rows), len(zones_rows)),
        "checkin_rate": _checkin_rate(units, since, until),
    }


def _per_zone(units, in_period):
    """Each zone in scope: its head, reported and closed in the period, open and overdue now."""
    query = select(Zone, User.name).join(User, User.id == Zone.head_id).where(Zone.active).order_by(Zone.code)
    if units is not None:
        query = query.where(Zone.unit_id.in_(units))
    rows = db.session.execute(query).all()
    period = dict(
        db.session.execute(
            select(Hazard.zone_id, func.count()).where(in_period).group_by(Hazard.zone_id)
        ).all()
    )
    closed = dict(
        db.session.execute(
            select(Hazard.zone_id, func.count())
            .where(in_period, Hazard.status == "closed")
            .group_by(Hazard.zone_id)
        ).all()
    )
    figures = zone_figures([zone for zone, _ in rows])
    return [
        {
            "id": zone.id,
            "code": zone.code,
            "name": zone.name,
            "head_name": head_name,
            "reported": period.get(zone.id, 0),
            "closed": closed.get(zone.id, 0),
            "open": figures[zone.id]["open_count"],
            "overdue": figures[zone.id]["overdue_count"],
            "patrol_due": figures[zone.id]["patrol_due"],
        }
        for zone, head_name in rows
    ]


def _per_unit(units, in_period, today):
    """Each unit in scope: hazards reported in the period in its own zones, and open and overdue now."""
    query = select(Unit).order_by(Unit.id)
    if units is not None:
        query = query.where(Unit.id.in_(units))
    counts = {}
    for label, condition in (
        ("reported", in_period),
        ("open", Hazard.status.in_(OPEN_STATUSES)),
        ("overdue", overdue_condition(today)),
    ):
        rows = db.session.execute(
            select(Zone.unit_id, func.count())
            .join(Hazard, Hazard.zone_id == Zone.id)
            .where(condition)
            .group_by(Zone.unit_id)
        ).all()
        counts[label] = dict(rows)
    return [
        {
            "id": unit.id,
            "code": unit.code,
            "name": unit.name,
            **{k: counts[k].get(unit.id, 0) for k in counts},
        }
        for unit in db.session.scalars(query)
    ]


def _weekly(in_scope, since, until):
    """Reported and closed per week (weeks start on Monday, site time), oldest first: one grouped
    query per measure, bucketing by whole weeks since the first Monday."""
    first = site_datetime(since).date()
    monday = datetime.combine(first - timedelta(days=first.weekday()), time(), site_zone())
    weeks = {}
    for label, column in (("reported", Hazard.created_at), ("closed", Hazard.closed_at)):
        bucket = func.cast(_days(column, monday.astimezone(UTC)) / 7, Integer)
        rows = db.session.execute(
            select(bucket, func.count()).where(in_scope, column >= monday, column < until).group_by(bucket)
        )
        for week, count in rows:
            weeks.setdefault(int(week), {})[label] = count
    span = int((until - monday).total_seconds() // (7 * 86400)) + 1
    return [
        {
            "week": (monday + timedelta(days=7 * n)).date().isoformat(),
            "reported": weeks.get(n, {}).get("reported", 0),
            "closed": weeks.get(n, {}).get("closed", 0),
        }
        for n in range(span)
        if monday + timedelta(days=7 * n) < until
    ]


def _checkin_rate(units, since, until):
    posts = select(Post.id).where(Post.active)
    if units is not None:
        posts = posts.where(Post.unit_id.in_(units))
    post_ids = db.session.scalars(posts).all()
    days = max(1, round((until - since).total_seconds() / 86400))
    if not post_ids:
        return None
    zone = site_zone()
    moments = db.session.execute(
        select(CheckIn.post_id, CheckIn.created_at).where(
            CheckIn.post_id.in_(post_ids), CheckIn.created_at >= since, CheckIn.created_at < until
        )
    ).all()
    post_days = {(post_id, moment.astimezone(zone).date()) for post_id, moment in moments}
    return _ratio(len(post_days), len(post_ids) * days)
