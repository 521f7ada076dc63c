"""Check-ins at demonstration posts."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.extensions import db
from server.schemas.field.checkins import (
    CheckInInSchema,
    CheckInPageSchema,
    CheckInQuerySchema,
    CheckInSchema,
)
from server.services.field import checkins
from server.services.platform.pagination import page

blp = Blueprint("checkins", __name__, url_prefix="/api/v1/checkins", description="Post check-ins (打卡)")


@blp.route("", methods=["POST"])
@blp.arguments(CheckInInSchema)
@blp.response(201, CheckInSchema)
@blp.alt_response(200, schema=CheckInSchema, description="A replay of the same client_uuid")
def create_checkin(data):
    """Check in at a post; the server measures the distance to it and applies its geofence policy."""
    checkin, created = checkins.create_checkin(current_user, data)
    db.session.commit()
    return checkin, 201 if created else 200


@blp.route("", methods=["GET"])
@blp.arguments(CheckInQuerySchema, location="query")
@blp.response(200, CheckInPageSchema)
def list_checkins(args):
    """Own check-ins; supervisors see their subtree's posts."""
    return page(*checkins.list_checkins(current_user, **args))
