"""Zones (责任区): admin set-up, and the figures every user sees on a zone."""

from datetime import timedelta

from sqlalchemy import func, select

from server.extensions import db
from server.models.base import now_utc
from server.models.field.patrols import Patrol
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from server.schemas.places.zones import ZoneInSchema
from server.services.accounts.admin_log import difference, record_admin_change
from server.services.loop.overdue import overdue_condition
from server.services.places import common
from server.services.places.qr import sign_url
from server.services.platform.authz import (
    patrol_zone_scope,
    require_capability,
    supervised_units,
    zone_actions,
)
from server.services.platform.csv_import import import_rows, read_csv
from server.services.platform.described import Described
from server.services.platform.pagination import keyset_page
from server.vocabulary import OPEN_STATUSES


def list_zones(unit_id=None, head_id=None, active=None, q=None, limit=50, cursor=None):
    query = select(Zone)
    if unit_id is not None:
        query = query.where(Zone.unit_id == unit_id)
    if head_id is not None:
        query = query.where(Zone.head_id == head_id)
    if active is not None:
        query = query.where(Zone.active == active)
    if q:
        query = query.where(Zone.code.icontains(q, autoescape=True) | Zone.name.icontains(q, autoescape=True))
    return keyset_page(query, Zone.id, limit, cursor, descending=False)


def get_zone(zone_id):
    return common.get_place(Zone, zone_id)


def _check(data, zone=None):
    common.check_location(zone, data)
    if "code" in data:
        common.check_code_free(Zone, data["code"], zone and zone.id)
    if "unit_id" in data:
        common.check_unit(data["unit_id"])
    if zone is None or {"head_id", "unit_id"} & data.keys():
        head_id, unit_id = common.merged(zone, data, "head_id", "unit_id")
        common.check_party_member("head_id", head_id, unit_id, role="zone_head")


def create_zone(actor, data):
    """A new zone (admin); its head is an active Party member who covers its unit."""
    require_capability(actor, "manage_places")
    zone = _add_zone(data)
    record_admin_change(actor, "zone_created", zone, {"head_id": zone.head_id})
    return zone


def import_zones(actor, raw):
    """Zones from a CSV file (admin): all rows or none."""
    require_capability(actor, "manage_places")
    return len(import_rows(read_csv(raw), ZoneInSchema(), _add_zone))


def _add_zone(data):
    _check(data)
    zone = Zone(**data)
    db.session.add(zone)
    db.session.flush()
    return zone


def update_zone(actor, zone_id, data):
    """Change a zone (admin); deactivating it stops new reports there."""
    require_capability(actor, "manage_places")
    zone = get_zone(zone_id)
    _check(data, zone)
    record_admin_change(actor, "zone_changed", zone, difference(zone, data))
    return common.apply_changes(zone, data)


def rotate_zone_token(actor, zone_id):
    """A new QR token (admin): the old printed sign stops working."""
    require_capability(actor, "manage_places")
    zone = common.rotate_token(get_zone(zone_id))
    record_admin_change(actor, "token_rotated", zone)
    return zone


def describe_zones(actor, zones):
    """Each zone with its figures and sign URL, for the zone schema."""
    figures, supervised = zone_figures(zones), supervised_units(actor)
    return [
        Described(
            zone,
            sign_url=sign_url("zone", zone.qr_token),
            allowed_actions=zone_actions(actor, zone, supervised),
            **figures[zone.id],
        )
        for zone in zones
    ]


def zones_due_for_patrol(actor):
    """Active zones past their patrol interval, never-patrolled and oldest first (own or subtree)."""
    require_capability(actor, "see_patrols")
    query = select(Zone).where(Zone.active, patrol_zone_scope(actor))
    due = [zone for zone in describe_zones(actor, db.session.scalars(query).all()) if zone.patrol_due]
    return sorted(due, key=lambda zone: (zone.last_patrol_at is not None, zone.last_patrol_at or now_utc()))


def open_counts(zone_ids):
    """{zone_id: (open, overdue)} now, for zones with open hazards."""
    # Grouped by status too, the order of the (status, zone_id, id, deadline) index: read from it
    # alone. Grouped by zone only, SQLite walked every hazard by the zone index (1.6 s at 1M).
    rows = db.session.execute(
        select(Hazard.zone_id, func.count(), func.count().filter(overdue_condition()))
        .where(Hazard.status.in_(OPEN_STATUSES), Hazard.zone_id.in_(zone_ids))
        .group_by(Hazard.status, Hazard.zone_id)
    )
    counts = {}
    for zone_id, open_count, overdue_count in rows:
        before = counts.get(zone_id, (0, 0))
        counts[zone_id] = (before[0] + open_count, before[1] + overdue_count)
    return counts


def zone_figures(zones, counts=None):
    """{zone_id: {open_count, overdue_count, last_patrol_at, patrol_due}} in two queries (one when
    the caller already has the open counts)."""
    ids = [zone.id for zone in zones]
    if not ids:
        return {}
    by_zone = open_counts(ids) if counts is None else counts
    last_patrols = dict(
        db.session.execute(
            select(Patrol.zone_id, func.max(Patrol.created_at))
            .where(Patrol.zone_id.in_(ids))
            .group_by(Patrol.zone_id)
        ).all()
    )
    now = now_utc()
    figures = {}
    for zone in zones:
        open_count, overdue_count = by_zone.get(zone.id, (0, 0))
        last = last_patrols.get(zone.id)
        figures[zone.id] = {
            "open_count": open_count,
            "overdue_count": overdue_count,
            "last_patrol_at": last,
            "patrol_due": last is None or now - last > timedelta(days=zone.patrol_interval_days),
        }
    return figures
