"""The monthly safety report (月度安全分析) of one unit and its subunits, for the Party committee's
meeting; every figure defined once, here (README "Monthly report" repeats them).

The month is a calendar month in site time (the scorecard's Month). Hazards are those of the
zones of the unit's subtree.

- reported, confirmed, closed, closed_on_time: of the hazards reported in the month: all of them;
  those confirmed as real (now rectifying, verifying or closed); those closed by now; those closed
  by the end of their deadline day. The rates are the dashboard's: rectification_rate = closed ÷
  confirmed, on_time_rate = closed_on_time ÷ closed. `previous` holds the same for the month before.
- overdue: hazards open at the end of the month (now, for the current month), not rejected, whose
  deadline day ended before the month's last day (today): at least one whole day past due.
  worst_overdue: the ten most days past deadline (days counted to that last day).
- weeks: days 1–7, 8–14, … of the month: hazards reported, and hazards closed (whenever reported).
- by_category: hazards reported in the month by category.
- repeats: a zone and category with two or more hazards reported within the month (not rejected).
- patrols: per zone, the scorecard's patrol windows (services/party/score_items.py): done, and due
  = done + missed (a window still running and not yet patrolled is not due yet).
- checkins: per active post, the days with at least one check-in ÷ the days of the month begun
  since the post was created.
- members: the scorecard's member ranking, the top MEMBERS by points, each with their counts.

How: hazard counts from the dashboard rollup (whole site days, kept in the writing transaction)
and aggregate queries on the hazard table; the scorecard's cards for patrols and members.
"""

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from server.extensions import db
from server.models.accounts.users import User
from server.models.base import now_utc
from server.models.insight.rollup import dashboard_day
from server.models.loop.hazards import Hazard
from server.models.places.posts import Post
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.field.checkins import checked_days
from server.services.insight.trend import ratio
from server.services.party import scorecards
from server.services.party.score_items import ITEMS, Month, zone_cards
from server.services.platform.authz import require_capability, units_within
from server.services.platform.clock import site_today
from server.services.platform.errors import NotFound, field_error
from server.vocabulary import CATEGORIES, CONFIRMED_STATUSES

WORST = 10
MEMBERS = 10
SUMMED = ("reported", *(f"status_{s}" for s in CONFIRMED_STATUSES), "closed_on_time", "closed")
SUMMED += tuple(f"category_{c}" for c in CATEGORIES)


def monthly(actor, unit_id, month_text):
    """The report of a unit's subtree for a month: supervisors over the unit and admins (the
    dashboard's scope rule: another branch of the tree is a 403)."""
    require_capability(actor, "supervise")
    units = units_within(actor, unit_id)
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("errors.not_found")
    month = Month(month_text)
    if month.first > site_today():
        raise field_error("month", "errors.month_in_future")
    zones = db.session.scalars(select(Zone.id).where(Zone.unit_id.in_(units))).all()
    days = _daily(zones, month)
    before = _previous(month)
    zone_list, cards = zone_cards(units, month)
    return {
        "unit": {"id": unit.id, "code": unit.code, "name": unit.name},
        "month": month.text,
        "month_over": month.over,
        **_figures(zones, month, days),
        "previous": _figures(zones, before, _daily(zones, before)),
        "weeks": _weeks(days, month),
        "by_category": {c: sum(d[f"category_{c}"] for d in days.values()) for c in CATEGORIES},
        "worst_overdue": _worst_overdue(zones, month),
        "repeats": _repeats(zones, month),
        "patrols": _patrols(zone_list, cards),
        "checkins": _checkins(units, month),
        "members": _members(actor, unit_id, month),
    }


def _previous(month):
    before = month.first - timedelta(days=1)
    return Month(f"{before.year}-{before.month:02d}")


def _daily(zones, month):
    """{site day: {measure: sum over the zones}} from the rollup, days with any hazard only."""
    day = dashboard_day.c.day
    rows = db.session.execute(
        select(day, *(func.sum(dashboard_day.c[m]) for m in SUMMED))
        .where(dashboard_day.c.zone_id.in_(zones), day >= month.first, day <= month.last)
        .group_by(day)
    )
    return {row_day: dict(zip(SUMMED, values, strict=True)) for row_day, *values in rows}


def _figures(zones, month, days):
    total = {m: sum(d[m] for d in days.values()) for m in SUMMED}
    confirmed = sum(total[f"status_{s}"] for s in CONFIRMED_STATUSES)
    closed = total["status_closed"]
    return {
        "reported": total["reported"],
        "confirmed": confirmed,
        "closed": closed,
        "closed_on_time": total["closed_on_time"],
        "overdue": db.session.scalar(select(func.count()).where(*_overdue_at_end(zones, month))),
        "rectification_rate": ratio(closed, confirmed),
        "on_time_rate": ratio(total["closed_on_time"], closed),
    }


def _weeks(days, month):
    """Days 1–7, 8–14, …: what was reported and closed in each."""
    weeks = []
    start = month.first
    while start <= month.last:
        end = min(start + timedelta(days=6), month.last)
        inside = [d for day, d in days.items() if start <= day <= end]
        weeks.append(
            {
                "first": start.isoformat(),
                "last": end.isoformat(),
                "reported": sum(d["reported"] for d in inside),
                "closed": sum(d["closed"] for d in inside),
            }
        )
        start = end + timedelta(days=1)
    return weeks


def _last_day(month):
    """The day overdue is counted to: the month's last day, or today in the current month."""
    return min(month.last, site_today())


def _overdue_at_end(zones, month):
    """Conditions: open at the end of the month (now, if sooner) and past the deadline day."""
    end = min(month.end, now_utc())
    return (
        Hazard.zone_id.in_(zones),
        Hazard.created_at < end,
        Hazard.status != "rejected",
        Hazard.closed_at.is_(None) | (Hazard.closed_at >= end),
        Hazard.deadline < _last_day(month),
    )


def _worst_overdue(zones, month):
    last = _last_day(month)
    rows = db.session.execute(
        select(Hazard.id, Hazard.number, Hazard.title, Hazard.deadline, Zone.code, Zone.name, User.name)
        .join(Zone, Zone.id == Hazard.zone_id)
        .outerjoin(User, User.id == Hazard.assignee_id)
        .where(*_overdue_at_end(zones, month))
        .order_by(Hazard.deadline, Hazard.id)
        .limit(WORST)
    )
    return [
        {
            "id": hazard_id,
            "number": number,
            "title": title,
            "zone": f"{code} {zone_name}",
            "deadline": deadline.isoformat(),
            "days_overdue": (last - deadline).days,
            "assignee_name": assignee,
        }
        for hazard_id, number, title, deadline, code, zone_name, assignee in rows
    ]


def _repeats(zones, month):
    count = func.count(Hazard.id)
    rows = db.session.execute(
        select(Zone.id, Zone.code, Zone.name, Hazard.category, count)
        .join(Zone, Zone.id == Hazard.zone_id)
        .where(
            Hazard.zone_id.in_(zones),
            Hazard.created_at >= month.start,
            Hazard.created_at < month.end,
            Hazard.status != "rejected",
        )
        .group_by(Zone.id, Zone.code, Zone.name, Hazard.category)
        .having(count >= 2)
        .order_by(count.desc(), Zone.code, Hazard.category)
    )
    return [
        {"zone_id": zone_id, "zone": f"{code} {name}", "category": category, "count": n}
        for zone_id, code, name, category, n in rows
    ]


def _patrols(zones, cards):
    rows = []
    for zone in sorted(zones, key=lambda z: z.code):
        items, _ = cards[zone.id].summary(dict.fromkeys(ITEMS, 0))
        done, missed = items["patrol_done"]["count"], items["patrol_missed"]["count"]
        rows.append(
            {
                "zone_id": zone.id,
                "zone": f"{zone.code} {zone.name}",
                "head_name": zone.head.name,
                "interval_days": zone.patrol_interval_days,
                "done": done,
                "due": done + missed,
                "rate": ratio(done, done + missed),
            }
        )
    return rows


def _checkins(units, month):
    posts = db.session.scalars(
        select(Post)
        .where(Post.unit_id.in_(units), Post.active, Post.created_at < month.end)
        .order_by(Post.code)
    ).all()
    checked = Counter(post_id for post_id, _ in checked_days([p.id for p in posts], month.start, month.end))
    rows = []
    for post in posts:
        first = max(month.first, month.day(post.created_at))
        begun = max((month.last_begun - first).days + 1, 0)
        days = checked[post.id]
        rows.append(
            {
                "post_id": post.id,
                "post": f"{post.code} {post.name}",
                "days": days,
                "of": begun,
                "rate": ratio(days, begun),
            }
        )
    return rows


def _members(actor, unit_id, month):
    board = scorecards.ranking(actor, unit_id, month.text, "member")
    return [
        {
            "user_id": row["user_id"],
            "name": row["name"],
            "branch": row["branch"],
            "rank": row["rank"],
            "score": row["score"],
            "counts": {item: entry["count"] for item, entry in row["items"].items()},
        }
        for row in board["rows"][:MEMBERS]
    ]
