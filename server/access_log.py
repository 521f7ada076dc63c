"""JSON log lines with the security events of OWASP's logging vocabulary (ASVS v5.0.0-16).

One line per event on stdout: {"ts", "level", "event", "request_id", "user_id", "ip", ...}.
Values go through json.dumps, so a username with CR/LF stays one line. Never logged: passwords,
cookies, CSRF tokens or any request body.
"""

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import inspect

from server.caller import client_address

security = logging.getLogger("safety_zones.security")
access = logging.getLogger("safety_zones.access")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "event": getattr(record, "event", None) or record.getMessage(),
            **getattr(record, "context", {}),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


RECEIPT_PATHS = ("/api/v1/public/receipts/", "/r/")  # the API's and the app's own page


def _loggable(path):
    """A receipt code in a path works like a password for its hazard's progress: never logged."""
    prefix = next((prefix for prefix in RECEIPT_PATHS if path.startswith(prefix)), None)
    return path if prefix is None else prefix + "…"


def _loaded_user_id():
    """The signed-in user's id if the request loaded it, read without another query."""
    state = inspect(g.get("_login_user"), raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


def request_context(load_user=True):
    """The request's fields of a log line; without load_user, a user not loaded yet stays unnamed."""
    if not has_request_context():
        return {}
    if load_user:
        user_id = current_user.id if current_user and current_user.is_authenticated else None
    else:
        user_id = _loaded_user_id()
    return {
        "request_id": g.get("request_id"),
        "user_id": user_id,
        "ip": client_address(),
        "method": request.method,
        "path": _loggable(request.path),
    }


def security_event(event, level=logging.WARNING, **fields):
    """Log one security event with the request's context."""
    security.log(level, event, extra={"event": event, "context": {**request_context(), **fields}})


def assign_request_id():
    """Each request gets an id (a sane one from a proxy's X-Request-Id, else a new one)."""
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if REQUEST_ID.match(given) else secrets.token_hex(8)
    g.started = time.perf_counter()


def log_request(response):
    """The access log, one line a request. Written here, not by the WSGI server (whose own log
    is off in granian.env and gunicorn.conf.py), because only here is a receipt code kept out."""
    response.headers["X-Request-Id"] = g.get("request_id", "")
    took = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    context = {**request_context(load_user=False), "status": response.status_code, "ms": round(took, 1)}
    access.info("request", extra={"event": "request", "context": context})
    return response


def register_logging(app):
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    for name in ("safety_zones", "server"):
        logger = logging.getLogger(name)
        if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = True
    app.before_request(assign_request_id)
    app.after_request(log_request)
