"""Request guards and response headers: sign-in by default, CSRF, body limits, strict CSP."""

import threading
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import current_app, request, session
from flask_login import current_user, logout_user
from werkzeug.exceptions import BadRequest, RequestTimeout, UnsupportedMediaType

from server.database import start_writing
from server.extensions import csrf, login_manager
from server.services.accounts.users import load_session_user
from server.services.field import photo_store
from server.services.platform.errors import Forbidden, Unauthorized

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# API endpoints reachable without a session; every other API endpoint needs one.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
        "sso.methods",
        "sso.start",
        "sso.callback",
        "cas.start",
        "cas.callback",
        "api-docs.openapi_json",
        "public.zone_board",
        "public.report_as_guest",
        "public.follow_receipt",
    }
)
# All a user with a one-time password may do until they choose their own (ASVS v5.0.0-6.4.1).
PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.me", "auth.change_password", "auth.logout"})
MULTIPART_ENDPOINTS = frozenset(
    {
        "units.import_units",
        "users.import_users",
        "zones.import_zones",
        "posts.import_posts",
        "photos.upload_photo",
        "public.report_as_guest",
    }
)

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",  # the QR reader's WebAssembly, never inline script
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
    )
)


@login_manager.user_loader
def _load_user(session_id):
    """The session holds "<id>:<nonce>"; a rotated nonce or an old sign-in ends the session."""
    signed_in_at = session.get("auth_at")
    limit = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    if signed_in_at is None or datetime.now(UTC).timestamp() - signed_in_at > limit.total_seconds():
        return None
    return load_session_user(session_id)


@login_manager.unauthorized_handler
def _unauthorized():
    raise Unauthorized("errors.sign_in_required")


def _is_api_request():
    return request.path.startswith("/api/")


def _cross_origin():
    """Another site's page posting here. Sec-Fetch-Site where the browser sends it, else Origin:
    a guest's multipart report carries no CSRF token, and a plain form needs no CORS preflight."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    # The host only: behind a TLS-terminating proxy the scheme seen here may differ from the page's.
    return origin is not None and urlsplit(origin).netloc != request.host


def guard_api_request():
    """Before every API request: cross-site refusal, sign-in, CSRF header and body type, all from
    headers and the session; then, for an unsafe request, its whole body, before the view runs."""
    if not _is_api_request() or request.routing_exception is not None:
        return  # Flask answers unknown paths (404) and methods (405) itself
    unsafe = request.method in UNSAFE_METHODS
    if unsafe and _cross_origin():
        raise Forbidden("errors.cross_site")
    if request.endpoint not in PUBLIC_ENDPOINTS and not current_user.is_authenticated:
        if session.get("_user_id"):
            logout_user()  # the cookie named a session that has ended
        raise Unauthorized("errors.sign_in_required")
    if request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        require_own_password()
    if not unsafe:
        return
    if current_user.is_authenticated:
        csrf.protect()
    _check_content_type()
    if request.endpoint not in MULTIPART_ENDPOINTS:
        request.max_content_length = current_app.config["MAX_JSON_LENGTH"]  # before anything reads it
    start_writing()  # the guard's reads end here; the view's first query takes the write lock
    read_body()
    _check_json()


def require_own_password():
    """A session signed in with a one-time password may do nothing but change it."""
    if current_user.is_authenticated and current_user.must_change_password:
        raise Forbidden("errors.password_change_required")


def read_body():
    """Read the whole body now, as long as it keeps coming at REQUEST_BODY_MIN_RATE bytes a second
    after a first REQUEST_BODY_TIMEOUT seconds; else 408.

    A client sending a byte a second would otherwise hold one of the server's few threads for
    as long as it liked (granian has no body timeout). The WSGI input blocks until the bytes
    asked for arrive, so a helper thread reads, a chunk of one second's minimum at a time, and
    this one waits for it, moving the deadline on with every chunk that arrives."""
    current = request._get_current_object()
    chunked = "chunked" in current.headers.get("Transfer-Encoding", "").lower()
    if not current.content_length and not chunked:
        return
    # Flask reads the app's limit through current_app, which the helper thread does not have.
    current.max_content_length = current.max_content_length
    allowance, rate = current_app.config["REQUEST_BODY_TIMEOUT"], current_app.config["REQUEST_BODY_MIN_RATE"]
    progress = {"bytes": 0}

    def read():
        chunks = []
        try:
            while chunk := current.stream.read(rate):
                chunks.append(chunk)
                progress["bytes"] += len(chunk)
            current._cached_data = b"".join(chunks)  # where get_data() and form parsing look first
        except Exception as error:  # noqa: BLE001 - raised again in the request's own thread
            progress["error"] = error

    reader = threading.Thread(target=read, name="request-body", daemon=True)
    reader.start()
    started = time.monotonic()
    while reader.is_alive():
        deadline = started + allowance + progress["bytes"] / rate
        if time.monotonic() >= deadline:
            raise RequestTimeout()
        reader.join(deadline - time.monotonic())
    if "error" in progress:
        raise progress["error"]


def _check_content_type():
    """Uploads only where expected, JSON everywhere else: judged from the headers."""
    if request.endpoint in MULTIPART_ENDPOINTS:
        if request.mimetype != "multipart/form-data":
            raise UnsupportedMediaType()
    elif (request.content_length or request.headers.get("Transfer-Encoding")) and not request.is_json:
        raise UnsupportedMediaType()


def _check_json():
    """A JSON body is parsed once, here: deep nesting must not become a 500."""
    if request.endpoint in MULTIPART_ENDPOINTS or not request.is_json:
        return
    if request.content_length or request.headers.get("Transfer-Encoding"):
        try:
            request.get_json()
        except RecursionError as error:
            raise BadRequest() from error


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", current_app.extensions["content_security_policy"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # Flask-WTF checks a same-origin Referer over HTTPS: the policy must keep sending it.
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["SECURE_COOKIES"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if _is_api_request() and response.mimetype in ("application/json", "application/problem+json"):
        headers["Cache-Control"] = "no-store"
    # What a view did not mark cacheable (exports, the notice, sign sheets) is nobody's to keep.
    headers.setdefault("Cache-Control", "private, no-store")
    return response


def content_security_policy(photo_origin):
    """CSP; with photos redirected to presigned URLs, the bucket's origin serves images too."""
    return CSP.replace("img-src 'self'", f"img-src 'self' {photo_origin}") if photo_origin else CSP


def register_security(app):
    app.extensions["content_security_policy"] = content_security_policy(photo_store.redirect_origin(app))
    if app.config["SECURE_COOKIES"]:
        app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-session")
    app.before_request(guard_api_request)
    app.after_request(set_security_headers)
