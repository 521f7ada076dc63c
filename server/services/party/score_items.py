"""The scorecard's items, counted from the records of one month (definitions: scorecards.py).

A Card holds, item by item, the records behind each point; member_cards and zone_cards build
the cards of many members or zones with a handful of queries.
"""

from calendar import monthrange
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.checkins import CheckIn
from server.models.field.patrols import Patrol
from server.models.loop.hazards import Hazard
from server.models.party.party_days import Attendance, PartyDay
from server.models.places.posts import Post, post_member
from server.models.places.zones import Zone
from server.services.platform.clock import site_today, site_zone
from server.vocabulary import CONFIRMED_STATUSES

ITEMS = (
    "found_general",
    "found_major",
    "fixed_on_time",
    "fixed_late",
    "overdue_day",
    "patrol_done",
    "patrol_missed",
    "checkin_day",
    "party_day",
    "rejected_report",
)


class Month:
    """A calendar month at the site: its bounds in UTC and the days that have begun."""

    def __init__(self, text):
        year, number = (int(part) for part in text.split("-"))
        self.text = text
        self.first = date(year, number, 1)
        self.last = date(year, number, monthrange(year, number)[1])
        zone = site_zone()
        self.start = datetime.combine(self.first, time(), zone)
        self.end = datetime.combine(self.last + timedelta(days=1), time(), zone)
        self.today = site_today()
        self.last_begun = min(self.last, self.today)

    @property
    def over(self):
        return self.today > self.last

    def day(self, moment):
        return moment.astimezone(site_zone()).date()


def _ref(kind, record_id, label, count=1):
    return {"kind": kind, "id": record_id, "label": label, "count": count}


class Card:
    """Counts and the records behind them, item by item."""

    def __init__(self):
        self.records = {item: [] for item in ITEMS}

    def add(self, item, ref):
        self.records[item].append(ref)

    def summary(self, weights, with_records=False):
        items = {}
        for item in ITEMS:
            count = sum(ref["count"] for ref in self.records[item])
            items[item] = {"count": count, "weight": weights[item], "points": round(count * weights[item], 2)}
            if with_records:
                items[item]["records"] = self.records[item]
        return items, round(sum(entry["points"] for entry in items.values()), 2)


def _accepted(hazard):
    if hazard.fixed_on_spot:
        return hazard.status == "closed"
    return hazard.status in CONFIRMED_STATUSES


def _hazard_items(cards, month, hazards, key_of, field):
    """found / fixed / rejected items from hazards, credited to key_of(hazard, field)."""
    for hazard in hazards:
        label = hazard.number
        if field != "assignee" and month.start <= hazard.created_at < month.end:
            card = cards.get(key_of(hazard, "reporter"))
            if card is not None and _accepted(hazard):
                card.add(f"found_{hazard.level}", _ref("hazard", hazard.id, label))
            if card is not None and hazard.status == "rejected":
                card.add("rejected_report", _ref("hazard", hazard.id, label))
        if field != "reporter" and hazard.closed_at and month.start <= hazard.closed_at < month.end:
            card = cards.get(key_of(hazard, "assignee"))
            if card is not None:
                item = "fixed_late" if hazard.closed_late else "fixed_on_time"
                card.add(item, _ref("hazard", hazard.id, label))


def _overdue_days(hazard, month):
    """Days of the month after the deadline day when the hazard was open at the start of the day."""
    if hazard.deadline is None:
        return 0
    first = max(hazard.deadline + timedelta(days=1), month.first)
    last = month.day(hazard.closed_at) if hazard.closed_at else month.today
    last = min(last, month.last_begun)
    return max((last - first).days + 1, 0)


def _zone_items(card, month, zone, hazards, patrols, patroller=None):
    """overdue days and patrol windows of one zone (patrols by patroller only, if given). The
    windows start on the zone's first day (nothing was owed before it existed); a window still
    running is not missed yet."""
    for hazard in hazards:
        days = _overdue_days(hazard, month)
        if days:
            card.add("overdue_day", _ref("hazard", hazard.id, hazard.number, days))
    interval = zone.patrol_interval_days
    window_start = max(month.first, month.day(zone.created_at))
    while window_start <= month.last_begun:
        window_end = min(window_start + timedelta(days=interval - 1), month.last)
        done = next(
            (
                p
                for p in patrols
                if p.zone_id == zone.id
                and (patroller is None or p.user_id == patroller)
                and window_start <= month.day(p.created_at) <= window_end
            ),
            None,
        )
        label = f"{zone.code} {window_start.isoformat()}/{window_end.isoformat()}"
        if done is not None:
            card.add("patrol_done", _ref("patrol", done.id, label))
        elif window_end < month.today:
            card.add("patrol_missed", _ref("zone", zone.id, label))
        window_start = window_end + timedelta(days=1)


def _hazards_touching(month, zone_ids):
    """Hazards of the zones reported or closed in the month, or overdue during it."""
    return db.session.scalars(
        select(Hazard)
        .where(
            Hazard.zone_id.in_(zone_ids),
            ((Hazard.created_at >= month.start) & (Hazard.created_at < month.end))
            | ((Hazard.closed_at >= month.start) & (Hazard.closed_at < month.end))
            | (
                (Hazard.deadline < month.last)
                & (Hazard.created_at < month.end)
                & (Hazard.closed_at.is_(None) | (Hazard.closed_at >= month.start))
                & (Hazard.status != "rejected")
            ),
        )
        .order_by(Hazard.id)
    ).all()


def _in_month(column, month):
    return (column >= month.start) & (column < month.end)


def member_cards(units, month, members=None):
    """{user_id: Card} for the active Party members of the units (or the given ones)."""
    if members is None:
        members = db.session.scalars(
            select(User).where(User.unit_id.in_(units), User.active, User.is_party_member).order_by(User.id)
        ).all()
    cards = {member.id: Card() for member in members}
    ids = list(cards)
    zones = db.session.scalars(select(Zone).where(Zone.head_id.in_(ids), Zone.active).order_by(Zone.id)).all()
    hazards = db.session.scalars(
        select(Hazard)
        .where(
            (Hazard.reporter_id.in_(ids) & _in_month(Hazard.created_at, month))
            | (Hazard.assignee_id.in_(ids) & _in_month(Hazard.closed_at, month))
        )
        .order_by(Hazard.id)
    ).all()
    _hazard_items(
        cards,
        month,
        hazards,
        lambda h, field: h.reporter_id if field == "reporter" else h.assignee_id,
        "both",
    )
    zone_hazards = _hazards_touching(month, [z.id for z in zones])
    patrols = _patrols(month, [z.id for z in zones])
    for zone in zones:
        mine = [h for h in zone_hazards if h.zone_id == zone.id]
        _zone_items(cards[zone.head_id], month, zone, mine, patrols, patroller=zone.head_id)
    _checkin_items(cards, month, ids)
    for party_day_id, user_id, theme, starts_at in db.session.execute(
        select(PartyDay.id, Attendance.user_id, PartyDay.theme, PartyDay.starts_at)
        .join(PartyDay, PartyDay.id == Attendance.party_day_id)
        .where(
            Attendance.user_id.in_(ids),
            _in_month(PartyDay.starts_at, month),
            Attendance.within_geofence.is_not(False),  # flagged outside its range: no point
        )
        .order_by(Attendance.id)
    ):
        cards[user_id].add("party_day", _ref("party_day", party_day_id, f"{month.day(starts_at)} {theme}"))
    return members, cards


def _patrols(month, zone_ids):
    return db.session.scalars(
        select(Patrol)
        .where(Patrol.zone_id.in_(zone_ids), _in_month(Patrol.created_at, month))
        .order_by(Patrol.id)
    ).all()


def _checkin_items(cards, month, user_ids):
    """One point-day per site day with a check-in at a post the member holds or belongs to."""
    rows = db.session.execute(
        select(CheckIn.id, CheckIn.user_id, CheckIn.created_at, CheckIn.post_id)
        .where(CheckIn.user_id.in_(user_ids), _in_month(CheckIn.created_at, month))
        .order_by(CheckIn.id)
    ).all()
    allowed = _posts_of(user_ids)
    seen = set()
    for checkin_id, user_id, created_at, post_id in rows:
        day = month.day(created_at)
        if post_id in allowed.get(user_id, ()) and (user_id, day) not in seen:
            seen.add((user_id, day))
            cards[user_id].add("checkin_day", _ref("checkin", checkin_id, day.isoformat()))


def _posts_of(user_ids):
    posts = {}
    for post_id, holder_id in db.session.execute(
        select(Post.id, Post.holder_id).where(Post.holder_id.in_(user_ids))
    ):
        posts.setdefault(holder_id, set()).add(post_id)
    for post_id, user_id in db.session.execute(
        select(post_member.c.post_id, post_member.c.user_id).where(post_member.c.user_id.in_(user_ids))
    ):
        posts.setdefault(user_id, set()).add(post_id)
    return posts


def zone_cards(units, month, zones=None):
    """{zone_id: Card} for the active zones of the units (or the given ones)."""
    if zones is None:
        zones = db.session.scalars(
            select(Zone)
            .options(selectinload(Zone.head))  # the ranking names each zone's head
            .where(Zone.unit_id.in_(units), Zone.active)
            .order_by(Zone.id)
        ).all()
    cards = {zone.id: Card() for zone in zones}
    hazards = _hazards_touching(month, list(cards))
    _hazard_items(cards, month, hazards, lambda h, _field: h.zone_id, "both")
    patrols = _patrols(month, list(cards))
    for zone in zones:
        _zone_items(cards[zone.id], month, zone, [h for h in hazards if h.zone_id == zone.id], patrols)
    seen = set()
    for checkin_id, zone_id, created_at in db.session.execute(
        select(CheckIn.id, Post.zone_id, CheckIn.created_at)
        .join(Post, Post.id == CheckIn.post_id)
        .where(Post.zone_id.in_(list(cards)), _in_month(CheckIn.created_at, month))
        .order_by(CheckIn.id)
    ):
        day = month.day(created_at)
        if (zone_id, day) not in seen:
            seen.add((zone_id, day))
            cards[zone_id].add("checkin_day", _ref("checkin", checkin_id, day.isoformat()))
    return zones, cards
