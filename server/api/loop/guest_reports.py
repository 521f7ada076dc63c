"""The public side of a zone's sign: its board, guest reports and receipts (no account)."""

from flask import current_app, request
from flask_smorest import Blueprint

from server.caller import client_address
from server.extensions import db, limiter
from server.schemas.loop.guest_reports import (
    BoardSchema,
    GuestPhotosSchema,
    GuestReceiptSchema,
    GuestReportFormSchema,
    ReceiptSchema,
)
from server.services.loop import guest_reports

blp = Blueprint(
    "public", __name__, url_prefix="/api/v1/public", description="Public zone board and guest reports"
)


def _address_key():
    return "guest-address:" + client_address()


def _zone_key():
    return "guest-zone:" + str(request.view_args.get("token", ""))


def _not_replay(response):
    """Every attempt from an address counts, except replays of a report already filed (200)."""
    return response.status_code != 200


def _filed(response):
    """A zone's budget is spent only by reports filed there, so bad requests cannot exhaust it."""
    return response.status_code == 201


def _public_read_limit():
    return current_app.config["PUBLIC_LIMIT_PER_ADDRESS"]


@blp.route("/zones/<string:token>", methods=["GET"])
@limiter.limit(_public_read_limit, key_func=_address_key)
@blp.response(200, BoardSchema)
def zone_board(token):
    """The zone's public board (信息公示栏): name, head if shown, anonymised counts."""
    return guest_reports.zone_board(token)


@blp.route("/zones/<string:token>/reports", methods=["POST"])
@limiter.limit(
    lambda: current_app.config["GUEST_REPORT_LIMIT_PER_ADDRESS"],
    key_func=_address_key,
    deduct_when=_not_replay,
)
@limiter.limit(
    lambda: current_app.config["GUEST_REPORT_LIMIT_PER_ZONE"], key_func=_zone_key, deduct_when=_filed
)
@blp.arguments(GuestReportFormSchema, location="form")
@blp.arguments(GuestPhotosSchema, location="files")
@blp.response(201, GuestReceiptSchema)
@blp.alt_response(200, schema=GuestReceiptSchema, description="A replay of the same client_uuid")
def report_as_guest(form, files, token):
    """A guest's hazard report with its photos, where the zone allows it; answers a receipt code."""
    receipt, created = guest_reports.report_as_guest(token, form, files["photos"])
    db.session.commit()
    return receipt, 201 if created else 200


@blp.route("/receipts/<string:code>", methods=["GET"])
@limiter.limit(_public_read_limit, key_func=_address_key)
@blp.response(200, ReceiptSchema)
def follow_receipt(code):
    """The progress of the one hazard a receipt was given for."""
    return guest_reports.follow_receipt(code)
