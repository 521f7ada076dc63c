"""The public side of a zone's sign: its board, guest reports and receipts (no account)."""

from flask import current_app, request
from flask_smorest import Blueprint

from server.extensions import db, limiter
from server.network import client_address
from server.schemas.public import (
    BoardSchema,
    GuestPhotosSchema,
    GuestReceiptSchema,
    GuestReportFormSchema,
    ReceiptSchema,
)
from server.services import public
from server.services.errors import field_error

blp = Blueprint(
    "public", __name__, url_prefix="/api/v1/public", description="Public zone board and guest reports"
)


def _address_key():
    return "guest-address:" + client_address()


def _zone_key():
    return "guest-zone:" + str(request.view_args.get("token", ""))


def _new_report(response):
    """Replays of a report already filed (200) do not count against the limits."""
    return response.status_code != 200


@blp.route("/zones/<string:token>", methods=["GET"])
@blp.response(200, BoardSchema)
def zone_board(token):
    """The zone's public board (信息公示栏): name, head if shown, anonymised counts."""
    return public.zone_board(token)


@blp.route("/zones/<string:token>/reports", methods=["POST"])
@limiter.limit(
    lambda: current_app.config["GUEST_REPORT_LIMIT_PER_ADDRESS"],
    key_func=_address_key,
    deduct_when=_new_report,
)
@limiter.limit(
    lambda: current_app.config["GUEST_REPORT_LIMIT_PER_ZONE"], key_func=_zone_key, deduct_when=_new_report
)
@blp.arguments(GuestReportFormSchema, location="form")
@blp.arguments(GuestPhotosSchema, location="files")
@blp.response(201, GuestReceiptSchema)
@blp.alt_response(200, schema=GuestReceiptSchema, description="A replay of the same client_uuid")
def report_as_guest(form, files, token):
    """A guest's hazard report with its photos, where the zone allows it; answers a receipt code."""
    uploads = files["photos"]
    if len(uploads) > current_app.config["GUEST_PHOTOS_MAX"] or not all(hasattr(f, "read") for f in uploads):
        raise field_error("photos", "errors.guest_photos")
    hazard, code, created = public.report_as_guest(token, form, [upload.read() for upload in uploads])
    db.session.commit()
    return {**public.follow_receipt(code), "receipt": code}, 201 if created else 200


@blp.route("/receipts/<string:code>", methods=["GET"])
@limiter.limit(lambda: current_app.config["RECEIPT_LIMIT_PER_ADDRESS"], key_func=_address_key)
@blp.response(200, ReceiptSchema)
def follow_receipt(code):
    """The progress of the one hazard a receipt was given for."""
    return public.follow_receipt(code)
