"""Safety-themed Party days: planned by zone heads and supervisors, attended by QR."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.places.signs import sign_image
from server.api.platform.capability import needs
from server.extensions import db
from server.schemas.party.party_days import (
    AttendanceInSchema,
    AttendanceSchema,
    PartyDayDetailSchema,
    PartyDayInSchema,
    PartyDayPageSchema,
    PartyDayQuerySchema,
)
from server.services.party import party_days
from server.services.platform.pagination import page

blp = Blueprint(
    "party_days", __name__, url_prefix="/api/v1/party-days", description="Safety-themed Party days (主题党日)"
)


def _detail(party_day):
    return party_days.describe_party_day(current_user, party_day)


@blp.route("", methods=["GET"])
@blp.arguments(PartyDayQuerySchema, location="query")
@blp.response(200, PartyDayPageSchema)
def list_party_days(args):
    """Activities of the caller's unit, the units above it and below it, newest first."""
    return page(*party_days.list_party_days(current_user, **args))


@blp.route("", methods=["POST"])
@needs("organize_party_days")
@blp.arguments(PartyDayInSchema)
@blp.response(201, PartyDayDetailSchema)
def plan_party_day(data):
    """Plan an activity (zone head or supervisor, for a unit of their subtree); it gets a QR code."""
    party_day = party_days.plan_party_day(current_user, data)
    db.session.commit()
    return _detail(party_day)


@blp.route("/<int:party_day_id>", methods=["GET"])
@blp.response(200, PartyDayDetailSchema)
def get_party_day(party_day_id):
    """One activity; its organizer and supervisors also see who came and who did not."""
    return _detail(party_days.get_party_day(party_day_id))


@blp.route("/<int:party_day_id>/qr.<any(svg, png):image_format>", methods=["GET"])
@blp.response(200, content_type="image/svg+xml")
def qr_image(party_day_id, image_format):
    """The activity's QR code, for its organizer and supervisors to show or print."""
    return sign_image("party_day", party_days.party_day_for_qr(current_user, party_day_id), image_format)


@blp.route("/attendances", methods=["POST"])
@blp.arguments(AttendanceInSchema)
@blp.response(201, AttendanceSchema)
@blp.alt_response(200, schema=AttendanceSchema, description="Already checked in: the first check-in")
def check_in(data):
    """Check in by the token of the activity's QR code: once per member, within its time window."""
    attendance, created = party_days.check_in(current_user, data)
    db.session.commit()
    return attendance, 201 if created else 200
