"""Hazards: reports, the scoped list, one hazard, the loop's actions, and the ledger exports."""

import itertools
import re

from flask import Response, json, request, send_file, stream_with_context
from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.database import commit_keeping
from server.extensions import db
from server.schemas.loop.hazards import (
    ActionBodySchema,
    HazardDetailSchema,
    HazardInSchema,
    HazardListSchema,
    HazardPageSchema,
    HazardQuerySchema,
    PersonListSchema,
    SimilarQuerySchema,
)
from server.services.loop import actions, hazards, ledger, repeats
from server.services.platform import spreadsheets
from server.services.platform.errors import BadRequest
from server.services.platform.pagination import page

blp = Blueprint(
    "hazards", __name__, url_prefix="/api/v1/hazards", description="Hazards and their rectification"
)
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,255}$")
ACTION_BODY = {
    "type": "object",
    "description": "version plus the fields of the action (DESIGN §5); comment takes only text",
    "properties": {name: {} for name in ActionBodySchema._declared_fields},
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("", methods=["POST"])
@blp.arguments(HazardInSchema)
@blp.response(201, HazardDetailSchema)
@blp.alt_response(200, schema=HazardDetailSchema, description="A replay of the same client_uuid")
def report_hazard(data):
    """Report a hazard in a zone, with photos uploaded first; fixed_on_spot carries the fix too."""
    hazard, created = hazards.report_hazard(current_user, data)
    commit_keeping()
    return hazard, 201 if created else 200


@blp.route("", methods=["GET"])
@blp.arguments(HazardQuerySchema, location="query")
@blp.response(200, HazardPageSchema)
def list_hazards(args):
    """Hazards the caller may see, newest first, with every filter of DESIGN §5."""
    return page(*hazards.list_hazards(current_user, _without_paging(args), args["limit"], args["cursor"]))


@blp.route("/similar", methods=["GET"])
@blp.arguments(SimilarQuerySchema, location="query")
@blp.response(200, HazardListSchema)
def similar_hazards(args):
    """Hazards of the zone that look like a report being written (重复隐患): open, or closed in
    the last 90 days, the same category first; at most five, those the caller may see."""
    return {
        "items": repeats.similar_hazards(
            current_user, args["zone_id"], args.get("category"), args.get("text")
        )
    }


@blp.route("/<int:hazard_id>/similar", methods=["GET"])
@blp.response(200, HazardListSchema)
def similar_to_hazard(hazard_id):
    """Hazards of its zone that look like this one: what its triage offers to reject it as."""
    return {"items": repeats.similar_to(current_user, hazard_id)}


@blp.route("/<int:hazard_id>", methods=["GET"])
@blp.response(200, HazardDetailSchema)
def get_hazard(hazard_id):
    """One hazard: photos, timeline, version and the caller's allowed actions."""
    return hazards.describe_hazard(current_user, hazards.get_visible_hazard(current_user, hazard_id))


@blp.route("/<int:hazard_id>/assignees", methods=["GET"])
@blp.response(200, PersonListSchema)
def assignee_candidates(hazard_id):
    """People the hazard can be assigned to (for the confirm and reassign forms)."""
    return {"items": hazards.assignee_candidates(current_user, hazard_id)}


@blp.route("/<int:hazard_id>/actions/<string:action>", methods=["POST"])
@blp.response(200, HazardDetailSchema)
@blp.doc(
    parameters=[{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}}],
    # Validated by the service after the visibility and permission checks (HARDENING §8.3 order).
    requestBody={"content": {"application/json": {"schema": ACTION_BODY}}},
)
def hazard_action(hazard_id, action):
    """Take an action of the loop; replaying the same Idempotency-Key answers the first result."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.match(key):
        raise BadRequest("errors.idempotency_key_malformed")
    answer = actions.perform_action(current_user, hazard_id, action, request.get_json(), key)
    db.session.commit()
    return Response(json.dumps(answer, ensure_ascii=False), mimetype="application/json")


@blp.route("/export.csv", methods=["GET"])
@needs("supervise")
@blp.arguments(HazardQuerySchema, location="query")
@blp.response(200, content_type="text/csv")
def export_csv(args):
    """The hazard ledger (隐患台账) as CSV, UTF-8 with BOM, with the list's filters; streamed."""
    rows = ledger.ledger_rows(current_user, _without_paging(args))
    header = next(rows)  # the access check runs here, before the response starts
    chunks = spreadsheets.csv_chunks(itertools.chain([header], rows))
    return Response(
        stream_with_context(chunks),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="hazard-ledger.csv"'},
    )


@blp.route("/export.xlsx", methods=["GET"])
@needs("supervise")
@blp.arguments(HazardQuerySchema, location="query")
@blp.response(200, content_type=XLSX)
def export_xlsx(args):
    """The hazard ledger (隐患台账) as an Excel workbook, with the list's filters."""
    rows = ledger.ledger_rows(current_user, _without_paging(args))
    spool = spreadsheets.xlsx_file(rows, widths=ledger.WIDTHS)
    return send_file(spool, mimetype=XLSX, as_attachment=True, download_name="hazard-ledger.xlsx")


def _without_paging(args):
    return {key: value for key, value in args.items() if key not in ("limit", "cursor")}
