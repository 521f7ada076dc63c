"""Pages outside the JSON API: the app shell and its deep links, sign sheets, health."""

from pathlib import Path

from flask import Blueprint, current_app, render_template, request, send_file
from flask_login import current_user, login_required
from sqlalchemy import text

from server.extensions import db
from server.services.errors import Unprocessable
from server.services.notices import rectification_notice
from server.services.signs import sign_sheet

bp = Blueprint("pages", __name__)
SHELL_ROUTES = ("/", "/z/<token>", "/p/<token>", "/hazards/<int:hazard_id>")


def shell_path():
    return Path(current_app.static_folder) / "app" / "index.html"


def app_shell(**_route_args):
    """The PWA's HTML shell; before it is built, a page that says how to build it."""
    path = shell_path()
    if path.is_file():
        response = send_file(path, mimetype="text/html", max_age=0)
        response.headers["Cache-Control"] = "no-cache"
        return response
    return render_template("shell_missing.html"), 503


for route in SHELL_ROUTES:
    bp.add_url_rule(route, view_func=app_shell, endpoint="shell_" + route.strip("/").split("/")[0] or "shell")


@bp.route("/health")
def health():
    """Liveness and database reachability; no versions or paths."""
    try:
        db.session.execute(text("SELECT 1"))
        return {"status": "ok", "database": "ok"}
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        return {"status": "degraded", "database": "unavailable"}, 503


def _ids(name):
    values = request.args.get(name, "")
    try:
        ids = [int(part) for part in values.split(",") if part.strip()]
    except ValueError as error:
        raise Unprocessable("errors.invalid_fields", errors={name: ["errors.bad_id_list"]}) from error
    if len(ids) > 200 or any(not 0 < value < 2**31 for value in ids):
        raise Unprocessable("errors.invalid_fields", errors={name: ["errors.bad_id_list"]})
    return ids


@bp.route("/hazards/<int:hazard_id>/notice")
@login_required
def notice(hazard_id):
    """The printable rectification notice (整改通知单) of a confirmed hazard, in Chinese."""
    return render_template("notice.html", locale="zh-CN", **rectification_notice(current_user, hazard_id))


@bp.route("/signs")
@login_required
def signs():
    """A4 sheet of QR signs, four to a page, for ?zones=1,2&posts=3 — always in Chinese."""
    return render_template("signs.html", signs=sign_sheet(_ids("zones"), _ids("posts")), locale="zh-CN")
