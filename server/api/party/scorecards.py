"""The monthly scorecard (一体化考核): rankings, cards with their records, the branch export."""

from flask import Response, send_file
from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.schemas.party.scorecards import (
    CardSchema,
    ExportQuerySchema,
    MonthArgsSchema,
    RankingQuerySchema,
    RankingSchema,
)
from server.services.party import scorecards
from server.services.platform import spreadsheets

blp = Blueprint(
    "scorecards", __name__, url_prefix="/api/v1/scorecards", description="Monthly scorecard (一体化考核)"
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("", methods=["GET"])
@needs("supervise")
@blp.arguments(RankingQuerySchema, location="query")
@blp.response(200, RankingSchema)
def ranking(args):
    """A unit's ranking of members, zones or branches for a month, with honours proposed."""
    return scorecards.ranking(current_user, args["unit_id"], args["month"], args["kind"], args.get("branch"))


@blp.route("/members/<int:user_id>", methods=["GET"])
@blp.arguments(MonthArgsSchema, location="query")
@blp.response(200, CardSchema)
def member_card(args, user_id):
    """One Party member's card with every record behind each point."""
    return scorecards.member_card(current_user, user_id, args["month"])


@blp.route("/zones/<int:zone_id>", methods=["GET"])
@blp.arguments(MonthArgsSchema, location="query")
@blp.response(200, CardSchema)
def zone_card(args, zone_id):
    """One zone's card with every record behind each point."""
    return scorecards.zone_card(current_user, zone_id, args["month"])


def _export_name(args, suffix):
    return f"scorecard-{args['month']}.{suffix}"


@blp.route("/export.csv", methods=["GET"])
@needs("supervise")
@blp.arguments(ExportQuerySchema, location="query")
@blp.response(200, content_type="text/csv")
def export_csv(args):
    """A branch's (or the unit's) month for its organisation-life meeting (组织生活会), as CSV."""
    rows = scorecards.export_rows(current_user, **args)
    return Response(
        spreadsheets.csv_chunks(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_export_name(args, "csv")}"'},
    )


@blp.route("/export.xlsx", methods=["GET"])
@needs("supervise")
@blp.arguments(ExportQuerySchema, location="query")
@blp.response(200, content_type=XLSX)
def export_xlsx(args):
    """The same month as an Excel workbook."""
    spool = spreadsheets.xlsx_file(scorecards.export_rows(current_user, **args), sheet="score.sheet")
    return send_file(spool, mimetype=XLSX, as_attachment=True, download_name=_export_name(args, "xlsx"))
