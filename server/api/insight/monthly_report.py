"""Reports for meetings: the monthly safety report (月度安全分析) of a unit. Under /reports, not
/dashboard: it is a document of one unit and one calendar month, printed and kept, where the
dashboard answers any period for whoever looks."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.schemas.insight.monthly_report import MonthlyQuerySchema, MonthlyReportSchema
from server.services.insight import monthly_report

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Reports for meetings")


@blp.route("/monthly", methods=["GET"])
@needs("supervise")
@blp.arguments(MonthlyQuerySchema, location="query")
@blp.response(200, MonthlyReportSchema)
def monthly(args):
    """A unit's month; every figure is defined in services/insight/monthly_report.py."""
    return monthly_report.monthly(current_user, args["unit_id"], args["month"])
