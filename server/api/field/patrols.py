"""Zone patrols."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.extensions import db
from server.schemas.field.patrols import PatrolInSchema, PatrolPageSchema, PatrolQuerySchema, PatrolSchema
from server.services.field import patrols
from server.services.platform.pagination import page

blp = Blueprint("patrols", __name__, url_prefix="/api/v1/patrols", description="Zone patrols (巡查)")


@blp.route("", methods=["POST"])
@needs("patrol")
@blp.arguments(PatrolInSchema)
@blp.response(201, PatrolSchema)
@blp.alt_response(200, schema=PatrolSchema, description="A replay of the same client_uuid")
def create_patrol(data):
    """Record a patrol of a zone (its head, or a supervisor of its unit)."""
    patrol, created = patrols.create_patrol(current_user, data)
    db.session.commit()
    return patrol, 201 if created else 200


@blp.route("", methods=["GET"])
@needs("see_patrols")
@blp.arguments(PatrolQuerySchema, location="query")
@blp.response(200, PatrolPageSchema)
def list_patrols(args):
    """Patrols of own zones (zone head), of the subtree (supervisor), or all (admin)."""
    return page(*patrols.list_patrols(current_user, **args))


@blp.route("/<int:patrol_id>", methods=["GET"])
@needs("see_patrols")
@blp.response(200, PatrolSchema)
def get_patrol(patrol_id):
    """One patrol with the hazards reported during it."""
    return patrols.get_patrol(current_user, patrol_id)
