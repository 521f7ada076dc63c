"""Sign-in, sign-out and the signed-in user (DESIGN §5 auth rows)."""

import logging
from contextlib import contextmanager

from flask import jsonify, session
from flask_login import current_user, logout_user
from flask_smorest import Blueprint

from server.access_log import security_event
from server.api.accounts import cas
from server.api.accounts.sessions import session_body, start_session
from server.api.accounts.sso import end_session_url
from server.caller import client_address
from server.extensions import db
from server.schemas.accounts.auth import LoginSchema, PasswordChangeSchema, SessionSchema, SignOutSchema
from server.services.accounts import sign_in_limits, users
from server.services.platform.errors import Unauthorized, WrongPassword

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign-in and sessions")


@contextmanager
def _password_attempt(username, failure_event):
    """A password check that counts like a sign-in (ASVS v5.0.0-6.3.1): refused while the account
    or address is locked; a failure counts, committed although the request fails, and may start
    a lock (429 with Retry-After); a success clears the account's failures."""
    address = client_address()
    sign_in_limits.check_login_allowed(username, address)
    try:
        yield
    except (Unauthorized, WrongPassword):
        security_event(failure_event, username=username)
        lock = sign_in_limits.record_login_failure(username, address)
        db.session.commit()
        if lock is None:
            raise
        security_event("authn_login_lock", username=username, seconds=int(lock.total_seconds()))
        raise sign_in_limits.locked(lock) from None
    sign_in_limits.record_login_success(username)


@blp.route("/login", methods=["POST"])
@blp.arguments(LoginSchema)
@blp.response(200, SessionSchema)
def login(credentials):
    """Sign in with username (工号) and password; answers the user and a CSRF token.

    Repeated failures lock the account or the address for a while: 429, Retry-After in seconds."""
    with _password_attempt(credentials["username"], "authn_login_fail"):
        user = users.authenticate(credentials["username"], credentials["password"])
    db.session.commit()
    start_session(user)
    security_event("authn_login_success", level=logging.INFO, username=user.username)
    return session_body(user)


@blp.route("/logout", methods=["POST"])
@blp.response(204)
@blp.alt_response(200, schema=SignOutSchema, description="signed in through the provider: its sign-out")
def logout():
    """Sign out: this cookie, and any copy of it, stops working. A session made through single
    sign-on answers 200 with the provider's sign-out page, where the app sends the browser."""
    provider_sign_out = cas.logout_url() or end_session_url()
    users.end_own_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    # Only the HTTP cache: the outbox in IndexedDB must survive a sign-out (DESIGN §9 PWA).
    headers = {"Clear-Site-Data": '"cache"'}
    if provider_sign_out:
        return jsonify(end_session_url=provider_sign_out), 200, headers
    return "", 204, headers


@blp.route("/me", methods=["GET"])
@blp.response(200, SessionSchema)
def me():
    """The signed-in user and a fresh CSRF token."""
    return session_body(current_user)


@blp.route("/password", methods=["POST"])
@blp.arguments(PasswordChangeSchema)
@blp.response(200, SessionSchema)
def change_password(data):
    """Change one's own password; every other session of the user ends. Wrong current passwords
    count toward the sign-in lock: a stolen session cannot guess its way to the password."""
    with _password_attempt(current_user.username, "authn_password_change_fail"):
        users.change_own_password(current_user, data["current_password"], data["new_password"])
    db.session.commit()
    start_session(current_user._get_current_object())
    return session_body(current_user)
