"""The supervisors' dashboard."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.schemas.insight.dashboard import DashboardQuerySchema, SummarySchema
from server.services.insight import dashboard

blp = Blueprint("dashboard", __name__, url_prefix="/api/v1/dashboard", description="Supervisors' figures")


@blp.route("/summary", methods=["GET"])
@needs("supervise")
@blp.arguments(DashboardQuerySchema, location="query")
@blp.response(200, SummarySchema)
def summary(args):
    """Figures for a unit subtree and period; every figure is defined in services/insight/dashboard.py."""
    return dashboard.summary(current_user, **args)
