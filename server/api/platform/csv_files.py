"""What every CSV import shares at the API: the template to download, the check-only
run, and the two routes themselves (`add_import_routes`), so the four imports cannot drift."""

from flask import Response
from flask_login import current_user

from server.api.platform.capability import needs
from server.api.platform.uploads import CsvFileSchema, read_upload
from server.extensions import db
from server.schemas.platform.common import ImportArgsSchema
from server.services.platform.csv_templates import template_chunks


def template_response(kind):
    """The kind's template: Chinese column names and one example row, UTF-8 with BOM."""
    return Response(
        template_chunks(kind),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.csv"'},
    )


def finish_import(args, result):
    """Commit the import, or for a check-only run (dry_run) roll back every row it wrote: the
    service ran every check of a real import, rows earlier in the file included."""
    if args["dry_run"]:
        db.session.rollback()
        return {**result, "dry_run": True}, 200
    db.session.commit()
    return {**result, "dry_run": False}, 201


def add_import_routes(blp, kind, capability, run, result_schema, what):
    """`POST <blp>/import` and `GET <blp>/import/template.csv`. `run(actor, raw, dry_run)` imports
    the file (all rows or none) and answers the result; `what` begins the operation's summary."""

    def import_rows(files, args):
        return finish_import(args, run(current_user, read_upload(files), args["dry_run"]))

    def import_template():
        return template_response(kind)

    import_rows.__name__ = f"import_{kind}"
    import_rows.__doc__ = (
        f"{what} from CSV (admin); any bad row → 422 listing every failing check of every row, nothing"
        " imported.\n\ndry_run=true checks the file the same way and writes nothing."
    )
    import_template.__doc__ = "The CSV template of this import: its Chinese column names and one example row."
    dry = "dry_run: every row checked, nothing written"
    view = blp.alt_response(200, schema=result_schema, description=dry)(import_rows)
    view = blp.response(201, result_schema)(view)
    view = blp.arguments(ImportArgsSchema, location="query")(view)
    view = blp.arguments(CsvFileSchema, location="files")(view)
    blp.route("/import", methods=["POST"])(needs(capability)(view))
    template = blp.response(200, content_type="text/csv")(import_template)
    blp.route("/import/template.csv", methods=["GET"])(needs(capability)(template))
