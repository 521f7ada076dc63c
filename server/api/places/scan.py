"""What a scanned QR token opens."""

from flask_smorest import Blueprint

from server.schemas.places.common import ScanSchema
from server.services.places.scan import resolve_code, resolve_token

blp = Blueprint("scan", __name__, url_prefix="/api/v1/scan", description="QR sign look-up")


@blp.route("/<string:token>", methods=["GET"])
@blp.response(200, ScanSchema)
def scan(token):
    """The zone or post of a QR token; unknown or rotated tokens are 404."""
    return resolve_token(token)


@blp.route("/code/<string:code>", methods=["GET"])
@blp.response(200, ScanSchema)
def scan_code(code):
    """The zone or post whose printed code was typed by hand (case-insensitive)."""
    return resolve_code(code)
