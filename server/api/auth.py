"""Sign-in, sign-out and the signed-in user (DESIGN §5 auth rows)."""

import logging
from datetime import UTC, datetime

from flask import current_app, request, session
from flask_login import current_user, login_user, logout_user
from flask_smorest import Blueprint
from flask_wtf.csrf import generate_csrf

from server.extensions import db, limiter
from server.log import security_event
from server.network import client_address
from server.schemas.auth import LoginSchema, PasswordChangeSchema, SessionSchema
from server.services import users
from server.services.errors import Unauthorized

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign-in and sessions")


def _failed(response):
    """Only failed sign-ins count, so a crew behind one NAT address can all sign in."""
    return response.status_code == 401


def _username_key():
    body = request.get_json(silent=True)
    username = body.get("username") if isinstance(body, dict) else None
    return "login-user:" + (username.strip().lower() if isinstance(username, str) else "")


def _address_key():
    return "login-address:" + client_address()


def _start_session(user):
    session.clear()  # a new session at sign-in: no fixation of a pre-login cookie
    login_user(user)
    session.permanent = True
    session["auth_at"] = datetime.now(UTC).timestamp()


def _session_body(user):
    return {"user": users.describe_me(user), "csrf_token": generate_csrf()}


@blp.route("/login", methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], key_func=_address_key, deduct_when=_failed
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_USERNAME"], key_func=_username_key, deduct_when=_failed
)
@blp.arguments(LoginSchema)
@blp.response(200, SessionSchema)
def login(credentials):
    """Sign in with username (工号) and password; answers the user and a CSRF token."""
    try:
        user = users.authenticate(credentials["username"], credentials["password"])
    except Unauthorized:
        security_event("authn_login_fail", username=credentials["username"])
        raise
    db.session.commit()
    _start_session(user)
    security_event("authn_login_success", level=logging.INFO, username=user.username)
    return _session_body(user)


@blp.route("/logout", methods=["POST"])
@blp.response(204)
def logout():
    """Sign out: this cookie, and any copy of it, stops working."""
    users.end_own_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    # Only the HTTP cache: the outbox in IndexedDB must survive a sign-out (DESIGN §9 PWA).
    return "", 204, {"Clear-Site-Data": '"cache"'}


@blp.route("/me", methods=["GET"])
@blp.response(200, SessionSchema)
def me():
    """The signed-in user and a fresh CSRF token."""
    return _session_body(current_user)


@blp.route("/password", methods=["POST"])
@blp.arguments(PasswordChangeSchema)
@blp.response(200, SessionSchema)
def change_password(data):
    """Change one's own password; every other session of the user ends."""
    users.change_own_password(current_user, data["current_password"], data["new_password"])
    db.session.commit()
    _start_session(current_user._get_current_object())
    return _session_body(current_user)
