"""Every error as application/problem+json (RFC 9457), in the user's language."""

import logging
import secrets

from flask import current_app, json, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from server.access_log import security_event
from server.caller import current_locale
from server.extensions import db
from server.i18n import translate as translate_in
from server.services.platform.errors import DomainError

log = logging.getLogger(__name__)
PROBLEM_TYPE = "urn:safety-zones:problem:"


def translate(key, **params):
    return translate_in(key, current_locale(), **params)


def problem(status, slug, detail, errors=None, headers=None, **extra):
    """The one error response shape of the whole app."""
    body = {
        "type": PROBLEM_TYPE + slug if slug else "about:blank",
        "title": translate(f"http.{status}"),
        "status": status,
        "detail": detail,
        **extra,
    }
    if errors:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json"
    )
    response.headers.update(headers or {})
    return response


def _translate_errors(errors):
    """Field messages that are catalog keys become text: `errors.key`, or with values
    `errors.key|name=value|…` (marshmallow's own, schemas/platform/messages.py)."""
    if isinstance(errors, dict):
        return {field: _translate_errors(messages) for field, messages in errors.items()}
    if isinstance(errors, list):
        return [_translate_errors(message) for message in errors]
    if not (isinstance(errors, str) and errors.startswith("errors.")):
        return errors
    key, *values = errors.split("|")
    return translate(key, **dict(value.split("=", 1) for value in values))


def handle_http_exception(error):
    headers = dict(error.get_headers()) if error.code == 429 else {}
    headers.pop("Content-Type", None)
    data = getattr(error, "data", None) or {}
    if not isinstance(error, CSRFError):
        _log_refusal(error.code)
    # webargs: {"json": {field: [...]}, "query": ...}, or {"json": ["Invalid JSON body."]}
    if "messages" in data:
        errors = {}
        for location_errors in data["messages"].values():
            if isinstance(location_errors, dict):
                # A multipart part with a bare `name` arrives named None (found by schemathesis).
                errors.update(
                    {"" if key is None else str(key): value for key, value in location_errors.items()}
                )
            else:
                errors.setdefault("_body", []).extend(location_errors)
        if error.code != 422:
            return problem(error.code, "bad-request", translate("problems.400"), errors)
        return problem(422, "validation", translate("errors.invalid_fields"), _translate_errors(errors))
    if isinstance(error, CSRFError):  # Flask-WTF says 400; a refused token is a 403 (DESIGN §9)
        _log_refusal(403, "csrf")
        return problem(403, "csrf", translate("errors.csrf"))
    if error.code == 429:
        return problem(429, "rate-limited", translate("errors.rate_limited"), headers=headers)
    slug = {405: "method-not-allowed", 408: "timeout", 413: "too-large", 415: "unsupported-media-type"}.get(
        error.code
    )
    return problem(error.code, slug, translate(f"problems.{error.code}"), headers=headers)


def _log_refusal(status, reason=None):
    """The security event of a refused request. An out-of-scope 404 looks like a missing id on
    purpose, so it is not logged as an authorization failure."""
    if status == 403:
        security_event("authz_fail", status=status, reason=reason)
    elif status == 429:
        security_event("excess_rate_limit_exceeded")
    elif status in (413, 415) and request.path.startswith("/api/v1/photos"):
        security_event("upload_validation", status=status, reason=reason)
    elif status == 422:
        security_event("input_validation_fail", level=logging.INFO, reason=reason)


def handle_domain_error(error):
    _log_refusal(error.status, error.message_key)
    # Parameters that are catalog keys (labels of statuses, actions …) are shown translated.
    params = {
        k: translate(v) if isinstance(v, str) and v.startswith("labels.") else v
        for k, v in error.params.items()
    }
    return problem(
        error.status,
        error.slug,
        translate(error.message_key, **params),
        _translate_errors(error.errors),
        error.headers,
    )


def handle_stale_data(_error):
    db.session.rollback()
    return problem(409, "stale-version", translate("errors.stale_version"))


def handle_database_error(error):
    """A busy database is a 503 the outbox retries; anything else is a 500."""
    db.session.rollback()
    message = str(error.orig) if error.orig else ""
    sqlstate = getattr(error.orig, "sqlstate", None)
    if "database is locked" in message or sqlstate in ("40001", "40P01", "57014"):
        return problem(503, "busy", translate("errors.busy"), headers={"Retry-After": "1"})
    return handle_unexpected(error)


def handle_unexpected(error):
    """Log with an incident id; show only the id, never a traceback, path or SQL."""
    incident = secrets.token_hex(6)
    log.exception("unhandled error, incident %s", incident, exc_info=error)
    return problem(500, "internal", translate("errors.internal", incident=incident), incident=incident)


def register_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(StaleDataError, handle_stale_data)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
