"""Units (admin)."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.api.platform.csv_files import add_import_routes
from server.extensions import db
from server.schemas.places.common import ImportCountSchema
from server.schemas.places.units import UnitInSchema, UnitListSchema, UnitSchema
from server.services.places import units

blp = Blueprint("units", __name__, url_prefix="/api/v1/units", description="The unit tree (admin)")


@blp.route("", methods=["GET"])
@needs("manage_accounts")
@blp.response(200, UnitListSchema)
def list_units():
    """Every unit, parents first."""
    return {"items": units.list_units(current_user)}


@blp.route("", methods=["POST"])
@needs("manage_accounts")
@blp.arguments(UnitInSchema)
@blp.response(201, UnitSchema)
def create_unit(data):
    """Add a unit."""
    unit = units.create_unit(current_user, data)
    db.session.commit()
    return unit


@blp.route("/<int:unit_id>", methods=["PATCH"])
@needs("manage_accounts")
@blp.arguments(UnitInSchema(partial=True))
@blp.response(200, UnitSchema)
def update_unit(data, unit_id):
    """Rename or move a unit."""
    unit = units.update_unit(current_user, unit_id, data)
    db.session.commit()
    return unit


add_import_routes(
    blp,
    "units",
    "manage_accounts",
    lambda actor, raw, dry_run: {"created": units.import_units(actor, raw)},
    ImportCountSchema,
    "Units (a parent may be a unit earlier in the file)",
)
