"""Units (admin)."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.field.uploads import CsvFileSchema, read_upload
from server.api.platform.capability import needs
from server.api.platform.csv_files import finish_import, template_response
from server.extensions import db
from server.schemas.places.common import ImportCountSchema
from server.schemas.places.units import UnitInSchema, UnitListSchema, UnitSchema
from server.schemas.platform.common import ImportArgsSchema
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


@blp.route("/import", methods=["POST"])
@needs("manage_accounts")
@blp.arguments(CsvFileSchema, location="files")
@blp.arguments(ImportArgsSchema, location="query")
@blp.response(201, ImportCountSchema)
@blp.alt_response(200, schema=ImportCountSchema, description="dry_run: every row checked, nothing written")
def import_units(files, args):
    """Units from CSV (admin), a parent perhaps a unit earlier in the file; any bad row → 422
    listing every failing check of every row, nothing imported.
    dry_run=true checks the file the same way and writes nothing."""
    return finish_import(args, {"created": units.import_units(current_user, read_upload(files))})


@blp.route("/import/template.csv", methods=["GET"])
@needs("manage_accounts")
@blp.response(200, content_type="text/csv")
def import_template():
    """The CSV template of this import: its Chinese column names and one example row."""
    return template_response("units")
