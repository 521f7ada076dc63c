"""Zones: every signed-in user reads them; admins set them up."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.places.signs import sign_image
from server.api.platform.capability import needs
from server.api.platform.csv_files import add_import_routes
from server.extensions import db
from server.schemas.places.common import ImportCountSchema
from server.schemas.places.zones import (
    ZoneInSchema,
    ZoneListSchema,
    ZonePageSchema,
    ZoneQuerySchema,
    ZoneSchema,
)
from server.services.places import zones
from server.services.platform.pagination import page

blp = Blueprint("zones", __name__, url_prefix="/api/v1/zones", description="Safety responsibility zones")


def _one(zone):
    return zones.describe_zones(current_user, [zone])[0]


@blp.route("", methods=["GET"])
@blp.arguments(ZoneQuerySchema, location="query")
@blp.response(200, ZonePageSchema)
def list_zones(args):
    """Zones with their head, open and overdue counts and patrol state."""
    if args.pop("mine", False):
        args["head_id"] = current_user.id
    rows, next_cursor = zones.list_zones(**args)
    return page(zones.describe_zones(current_user, rows), next_cursor)


@blp.route("/patrol-due", methods=["GET"])
@needs("see_patrols")
@blp.response(200, ZoneListSchema)
def zones_due_for_patrol():
    """Own (zone head) or subtree (supervisor) zones past their patrol interval, most overdue first."""
    return {"items": zones.zones_due_for_patrol(current_user)}


@blp.route("/<int:zone_id>", methods=["GET"])
@blp.response(200, ZoneSchema)
def get_zone(zone_id):
    """One zone."""
    return _one(zones.get_zone(zone_id))


@blp.route("", methods=["POST"])
@needs("manage_places")
@blp.arguments(ZoneInSchema)
@blp.response(201, ZoneSchema)
def create_zone(data):
    """Add a zone (admin)."""
    zone = zones.create_zone(current_user, data)
    db.session.commit()
    return _one(zone)


@blp.route("/<int:zone_id>", methods=["PATCH"])
@needs("manage_places")
@blp.arguments(ZoneInSchema(partial=True))
@blp.response(200, ZoneSchema)
def update_zone(data, zone_id):
    """Change or deactivate a zone (admin)."""
    zone = zones.update_zone(current_user, zone_id, data)
    db.session.commit()
    return _one(zone)


@blp.route("/<int:zone_id>/rotate-token", methods=["POST"])
@needs("manage_places")
@blp.response(200, ZoneSchema)
def rotate_token(zone_id):
    """Issue a new QR token (admin); signs printed before stop working."""
    zone = zones.rotate_zone_token(current_user, zone_id)
    db.session.commit()
    return _one(zone)


@blp.route("/<int:zone_id>/qr.<any(svg, png):image_format>", methods=["GET"])
@blp.response(200, content_type="image/svg+xml")
def qr_image(zone_id, image_format):
    """The zone's QR sign as SVG or PNG."""
    return sign_image("zone", zones.get_zone(zone_id), image_format)


add_import_routes(
    blp,
    "zones",
    "manage_places",
    lambda actor, raw, dry_run: {"created": zones.import_zones(actor, raw)},
    ImportCountSchema,
    "Zones",
)
