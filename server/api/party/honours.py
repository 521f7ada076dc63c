"""Honours proposed by the scorecard and confirmed by a supervisor."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.extensions import db
from server.schemas.party.honours import HonourInSchema, HonourListSchema, HonourQuerySchema, HonourSchema
from server.services.party import honours

blp = Blueprint("honours", __name__, url_prefix="/api/v1/honours", description="Honours (评优)")


@blp.route("", methods=["GET"])
@blp.arguments(HonourQuerySchema, location="query")
@blp.response(200, HonourListSchema)
def list_honours(args):
    """Honours of a unit subtree (by default the caller's), newest month first."""
    return {"items": honours.list_honours(current_user, args.get("unit_id"))}


@blp.route("", methods=["POST"])
@needs("confirm_honours")
@blp.arguments(HonourInSchema)
@blp.response(201, HonourSchema)
def confirm_honour(data):
    """Confirm an honour for a ranked member or branch once the month is over (supervisor)."""
    honour = honours.confirm_honour(current_user, data)
    db.session.commit()
    return honour
