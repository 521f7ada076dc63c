"""What every CSV import shares at the API: the template to download, and the check-only run."""

from flask import Response

from server.extensions import db
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
