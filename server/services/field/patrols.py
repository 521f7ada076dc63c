"""Zone patrols (责任区巡查): by the zone's head or a supervisor over its unit."""

from sqlalchemy import select

from server.extensions import db
from server.models.field.patrols import Patrol
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from server.services.field.photos import take_photos
from server.services.places.common import get_place
from server.services.platform.authz import may_patrol, patrol_scope, require_capability, visible
from server.services.platform.described import Described
from server.services.platform.errors import Conflict, Forbidden
from server.services.platform.idempotency import create_once, request_hash
from server.services.platform.pagination import keyset_page


def create_patrol(actor, data):
    """(patrol, created): idempotent by client_uuid; photos taken on the round are attached."""
    require_capability(actor, "patrol")
    payload_hash = request_hash(data)
    zone = get_place(Zone, data["zone_id"])

    def build():
        if not may_patrol(actor, zone):
            raise Forbidden("errors.patrol_not_yours")
        if not zone.active:
            raise Conflict("errors.zone_inactive")
        patrol = Patrol(
            user_id=actor.id,
            zone_id=zone.id,
            client_uuid=data["client_uuid"],
            request_hash=payload_hash,
            client_at=data.get("client_at"),
            checklist=data["checklist"],
            note=data.get("note"),
        )
        db.session.add(patrol)
        db.session.flush()
        take_photos(actor, data.get("photo_ids", []), patrol_id=patrol.id)
        return patrol

    patrol, created = create_once(Patrol, Patrol.user_id, actor.id, data["client_uuid"], payload_hash, build)
    return describe_patrols([patrol])[0], created


def list_patrols(actor, zone_id=None, since=None, until=None, limit=50, cursor=None):
    require_capability(actor, "see_patrols")
    query = select(Patrol).where(patrol_scope(actor))
    if zone_id is not None:
        query = query.where(Patrol.zone_id == zone_id)
    if since is not None:
        query = query.where(Patrol.created_at >= since)
    if until is not None:
        query = query.where(Patrol.created_at < until)
    rows, next_cursor = keyset_page(query, Patrol.id, limit, cursor)
    return describe_patrols(rows), next_cursor


def get_patrol(actor, patrol_id):
    require_capability(actor, "see_patrols")
    return describe_patrols([visible(Patrol, patrol_scope, actor, patrol_id)])[0]


def describe_patrols(patrols):
    """Each patrol with the hazards reported during it and its photos."""
    ids = [p.id for p in patrols]
    hazards, photos = {}, {}
    if ids:
        for patrol_id, hazard_id in db.session.execute(
            select(Hazard.patrol_id, Hazard.id).where(Hazard.patrol_id.in_(ids)).order_by(Hazard.id)
        ):
            hazards.setdefault(patrol_id, []).append(hazard_id)
        for patrol_id, photo_id in db.session.execute(
            select(Photo.patrol_id, Photo.id).where(Photo.patrol_id.in_(ids)).order_by(Photo.id)
        ):
            photos.setdefault(patrol_id, []).append(photo_id)
    return [Described(p, hazard_ids=hazards.get(p.id, []), photo_ids=photos.get(p.id, [])) for p in patrols]
