"""The monthly scorecard (一体化考核): points per Party member, per zone and per Party branch,
computed only from records, each point traceable to the record behind it.

Definitions (README "Scorecard" repeats them); the month is a calendar month in site time and
"days so far" stops at today for the current month. Each item is count × weight (SCORE_WEIGHTS).

- found_general / found_major: hazards the member reported this month that were accepted as
  real: confirmed by someone (now rectifying, verifying or closed), or, for a report fixed on the
  spot, accepted (closed). Weighted by the hazard's level.
- fixed_on_time / fixed_late: hazards assigned to the member that closed this month, by whether
  the deadline day had ended when they closed.
- overdue_day: in zones the member heads, each day after a hazard's deadline day on which it was
  still open at the start of the day (up to today).
- patrol_done / patrol_missed: each zone the member heads splits the month into windows of its
  patrol interval from the 1st; a window (started by today) is done when the member patrolled it.
- checkin_day: days with a check-in by the member at a post they hold or belong to.
- party_day: Party days of the month the member checked in at.
- rejected_report: reports the member filed this month that were rejected.

A zone's card uses the same items over the zone (any reporter, any assignee, any patrol; check-ins
at the zone's posts). A branch's score is the mean of its members' scores; its items are sums.
"""

from flask import current_app
from sqlalchemy import select

from server.extensions import db
from server.i18n import translate
from server.models.accounts.users import User
from server.models.loop.hazards import Hazard
from server.models.party.honours import Honour
from server.models.places.zones import Zone
from server.services.party.score_items import ITEMS, Month, member_cards, zone_cards
from server.services.platform.authz import hazard_scope, require_capability, require_oversight, units_within
from server.services.platform.errors import NotFound
from server.services.platform.spreadsheets import LOCALE, safe_cell


def _ranked_units(actor, unit_id):
    """The units a ranking covers: supervision only, within the caller's scope (the authz policy)."""
    require_capability(actor, "supervise")
    units = units_within(actor, unit_id)
    if not units:
        raise NotFound("errors.not_found")
    return units


def _ranked(rows):
    """Highest score first; equal scores share a rank (1, 2, 2, 4)."""
    rows.sort(key=lambda row: (-row["score"], row["name"]))
    for index, row in enumerate(rows):
        tied = index and rows[index - 1]["score"] == row["score"]
        row["rank"] = rows[index - 1]["rank"] if tied else index + 1
    return rows


def _weights():
    return current_app.config["SCORE_WEIGHTS"]


def _member_row(member, card, weights, with_records=False):
    items, score = card.summary(weights, with_records)
    return {
        "kind": "member",
        "key": str(member.id),
        "user_id": member.id,
        "name": member.name,
        "branch": member.party_branch,
        "score": score,
        "items": items,
    }


def ranking(actor, unit_id, month_text, kind, branch=None):
    """The unit's ranking for a month: members, zones or branches, with honours proposed."""
    units = _ranked_units(actor, unit_id)
    month, weights = Month(month_text), _weights()
    if kind == "zone":
        zones, cards = zone_cards(units, month)
        rows = []
        for zone in zones:
            items, score = cards[zone.id].summary(weights)
            rows.append(
                {
                    "kind": "zone",
                    "key": str(zone.id),
                    "zone_id": zone.id,
                    "name": f"{zone.code} {zone.name}",
                    "head_name": zone.head.name,
                    "score": score,
                    "items": items,
                }
            )
    else:
        members, cards = member_cards(units, month)
        if branch is not None:
            members = [m for m in members if m.party_branch == branch]
        rows = [_member_row(m, cards[m.id], weights) for m in members]
        if kind == "branch":
            rows = _branch_rows(rows, weights)
    rows = _ranked(rows)
    return {
        "month": month.text,
        "unit_id": unit_id,
        "kind": kind,
        "weights": weights,
        "month_over": month.over,
        "rows": rows,
        "proposals": _proposals(kind, rows, month.text, unit_id),
    }


def _branch_rows(member_rows, weights):
    branches = {}
    for row in member_rows:
        if row["branch"]:
            branches.setdefault(row["branch"], []).append(row)
    rows = []
    for name, members in branches.items():
        items = {
            item: {
                "count": sum(m["items"][item]["count"] for m in members),
                "weight": weights[item],
                "points": round(sum(m["items"][item]["points"] for m in members), 2),
            }
            for item in ITEMS
        }
        score = round(sum(m["score"] for m in members) / len(members), 2)
        rows.append(
            {
                "kind": "branch",
                "key": name,
                "name": name,
                "branch": name,
                "member_count": len(members),
                "score": score,
                "items": items,
            }
        )
    return rows


PROPOSED = {"member": ("excellent_member", 3), "branch": ("advanced_branch", 1)}


def honour_subject(title, key):
    """How an honour names what it honours: a member by id, a branch by name."""
    return f"user:{key}" if title == "excellent_member" else f"branch:{key}"


def _proposals(kind, rows, month, unit_id):
    """The top of the ranking with a positive score, proposed for an honour; `confirmed` once a
    supervisor has recorded it."""
    if kind not in PROPOSED:
        return []
    title, places = PROPOSED[kind]
    recorded = select(Honour.subject).where(Honour.title == title, Honour.month == month)
    confirmed = set(db.session.scalars(recorded.where(Honour.unit_id == unit_id)))
    return [
        {
            "title": title,
            "key": row["key"],
            "name": row["name"],
            "score": row["score"],
            "rank": row["rank"],
            "confirmed": honour_subject(title, row["key"]) in confirmed,
        }
        for row in rows
        if row["rank"] <= places and row["score"] > 0
    ]


def member_card(actor, user_id, month_text):
    """One member's card with every record behind it: their own, or a supervisor's subtree's."""
    member = db.session.get(User, user_id)
    if member is None or not member.is_party_member:
        raise NotFound("errors.not_found")
    if member.id != actor.id:
        require_oversight(actor, member.unit_id)
    month = Month(month_text)
    _, cards = member_cards(None, month, members=[member])
    row = _member_row(member, cards[member.id], _weights(), with_records=True)
    _hide_outside_scope(actor, row["items"])
    return {"month": month.text, **row}


def zone_card(actor, zone_id, month_text):
    """One zone's card with its records: for its head, supervisors over it, admins."""
    zone = db.session.get(Zone, zone_id)
    if zone is None:
        raise NotFound("errors.not_found")
    if zone.head_id != actor.id:
        require_oversight(actor, zone.unit_id)
    month = Month(month_text)
    _, cards = zone_cards(None, month, zones=[zone])
    items, score = cards[zone.id].summary(_weights(), with_records=True)
    _hide_outside_scope(actor, items)
    return {
        "month": month.text,
        "kind": "zone",
        "key": str(zone.id),
        "zone_id": zone.id,
        "name": f"{zone.code} {zone.name}",
        "head_name": zone.head.name,
        "score": score,
        "items": items,
    }


def _hide_outside_scope(actor, items):
    """A member earns points anywhere, but a viewer sees only the hazards in their own scope:
    the others still count and show as "a hazard elsewhere", with no number and no link."""
    ids = {r["id"] for entry in items.values() for r in entry["records"] if r["kind"] == "hazard"}
    if not ids:
        return
    seen = set(db.session.scalars(select(Hazard.id).where(Hazard.id.in_(ids), hazard_scope(actor))))
    for entry in items.values():
        entry["records"] = [
            {**r, "kind": "hazard_elsewhere", "id": None, "label": None}
            if r["kind"] == "hazard" and r["id"] not in seen
            else r
            for r in entry["records"]
        ]


def export_rows(actor, unit_id, month, branch=None):
    """Header, then a branch's (or the unit's) members as ranked, each item's count and points."""
    board = ranking(actor, unit_id, month, "member", branch)
    header = [translate(f"score.{key}", LOCALE) for key in ("rank", "name", "branch", "score")]
    for item in ITEMS:
        label = translate(f"score.items.{item}", LOCALE)
        header += [label, f"{label}{translate('score.points', LOCALE)}"]
    rows = [header]
    for row in board["rows"]:
        cells = [row["rank"], row["name"], row["branch"], row["score"]]
        for item in ITEMS:
            cells += [row["items"][item]["count"], row["items"][item]["points"]]
        rows.append([safe_cell(cell) for cell in cells])
    return rows
