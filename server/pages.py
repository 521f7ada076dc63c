"""Pages outside the JSON API: the app shell and its deep links, sign sheets, health."""

import json
import mimetypes
import re
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, current_app, render_template, request, send_file, send_from_directory
from flask_login import current_user, login_required
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from server.extensions import db, limiter
from server.security import require_own_password
from server.services.field import photo_store
from server.services.loop.rectification_notice import rectification_notice
from server.services.places.qr import phones_reach_signs, sign_base
from server.services.places.signs import sign_sheet
from server.services.platform.errors import Unprocessable
from server.vocabulary import MAX_SIGNS

bp = Blueprint("pages", __name__)
# The PWA's own paths, from the router's table (pwa/src/routes.json, which the service worker
# bundles too): a reload or a deep link on any of them serves the shell.
ROUTE_TABLE = Path(__file__).resolve().parent.parent / "pwa" / "src" / "routes.json"
IMMUTABLE = 365 * 24 * 3600


def built(*parts):
    return Path(current_app.config["PWA_DIST"]).joinpath(*parts)


def app_shell(**_route_args):
    """The PWA's HTML shell (revalidated every time); before it is built, how to build it."""
    path = built("index.html")
    if not path.is_file():
        return render_template("shell_missing.html"), 503
    response = send_file(path, mimetype="text/html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def shell_rules():
    """(name, Flask rule) of each route of the router: /zones/:id is /zones/<id>."""
    routes = json.loads(ROUTE_TABLE.read_text())
    return [(name, re.sub(r":(\w+)", r"<\1>", pattern)) for pattern, name in routes]


for name, rule in shell_rules():  # a trailing slash is ignored, as the router ignores it
    bp.add_url_rule(rule, view_func=app_shell, endpoint=f"shell_{name}", strict_slashes=False)


PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))  # written by the build beside each asset


@bp.route("/assets/<path:name>")
def asset(name):
    """Content-hashed bundles: cached for a year, never revalidated; the build's brotli or gzip
    copy when the browser accepts it."""
    folder, encoding = built("assets"), None
    for coding, suffix in PRECOMPRESSED:
        if request.accept_encodings[coding] and (folder / f"{name}{suffix}").is_file():
            encoding = coding
            break
    if encoding:
        suffix = dict(PRECOMPRESSED)[encoding]
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = send_from_directory(folder, name + suffix, mimetype=mimetype, max_age=IMMUTABLE)
        response.headers["Content-Encoding"] = encoding
    else:
        response = send_from_directory(folder, name, max_age=IMMUTABLE)
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = f"public, max-age={IMMUTABLE}, immutable"
    return response


@bp.route("/icons/<path:name>")
def icon(name):
    return send_from_directory(built("icons"), name, max_age=7 * 24 * 3600)


@bp.route("/sw.js")
def service_worker():
    """At the root so its scope is the whole app; always revalidated so updates arrive."""
    response = send_from_directory(built(), "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    return send_from_directory(
        built(), "manifest.webmanifest", mimetype="application/manifest+json", max_age=3600
    )


@bp.route("/health")
def health():
    """Liveness, and whether the database, the photo store and Redis (when the rate limits are
    counted there) answer; no versions or paths."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        database = "unavailable"
    answer = {"database": database, "photo_store": "ok" if photo_store.check() else "unavailable"}
    if limiter.enabled and urlsplit(current_app.config["RATELIMIT_STORAGE_URI"]).scheme.startswith("redis"):
        answer["redis"] = "ok" if limiter.storage.check() else "unavailable"  # the shared rate limits
    ok = all(state == "ok" for state in answer.values())
    return {"status": "ok" if ok else "degraded", **answer}, 200 if ok else 503


def _ids(name):
    """Distinct ids from ?name=1,2,3, in the order given."""
    values = request.args.get(name, "")
    try:
        ids = [int(part) for part in values.split(",") if part.strip()]
    except ValueError as error:
        raise Unprocessable("errors.invalid_fields", errors={name: ["errors.bad_id_list"]}) from error
    if len(ids) > MAX_SIGNS or any(not 0 < value < 2**31 for value in ids):
        raise Unprocessable("errors.invalid_fields", errors={name: ["errors.bad_id_list"]})
    return list(dict.fromkeys(ids))


@bp.route("/hazards/<int:hazard_id>/notice")
@login_required
def notice(hazard_id):
    """The printable rectification notice (整改通知单) of a confirmed hazard, in Chinese."""
    require_own_password()
    return render_template("notice.html", locale="zh-CN", **rectification_notice(current_user, hazard_id))


@bp.route("/signs")
@login_required
def signs():
    """A4 sheet of QR signs, four to a page, for ?zones=1,2&posts=3 — always in Chinese."""
    require_own_password()
    zones, posts = _ids("zones"), _ids("posts")
    if len(zones) + len(posts) > MAX_SIGNS:
        raise Unprocessable("errors.too_many_signs", limit=MAX_SIGNS)
    return render_template(
        "signs.html",
        signs=sign_sheet(zones, posts),
        locale="zh-CN",
        unreachable=None if phones_reach_signs() else sign_base(),
    )


def app_path(next_path):
    """`next_path` when it names one of the app's own screens on this origin (path and query
    kept), else "/": where a sign-in may send the browser back, as the PWA's routes.js
    returnPath decides, so that a crafted link can never send anyone elsewhere."""
    if not isinstance(next_path, str) or not next_path.startswith("/") or next_path.startswith("//"):
        return "/"
    if "\\" in next_path or any(ord(char) < 0x21 or ord(char) == 0x7F for char in next_path):
        return "/"
    parts = urlsplit(next_path)
    try:
        endpoint, _ = current_app.url_map.bind("app.invalid").match(parts.path, method="GET")
    except HTTPException:  # no route, or a redirect to one: not a screen as written
        return "/"
    if not endpoint.startswith(f"{bp.name}.shell_"):
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")
