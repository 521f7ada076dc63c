"""The start of a session, the same for a password and for single sign-on."""

from datetime import UTC, datetime

from flask import session
from flask_login import login_user
from flask_wtf.csrf import generate_csrf

from server.services.accounts import users

# A session made through single sign-on keeps how ("oidc" or "cas") and, for OpenID Connect,
# the provider's ID token: their sign-out needs them.
SSO_METHOD = "sso_method"
SSO_ID_TOKEN = "sso_id_token"  # noqa: S105 - a session key, not a secret


def start_session(user, sso_method=None, id_token=None):
    """A new session at sign-in (no fixation of a pre-login cookie)."""
    session.clear()
    login_user(user)
    session.permanent = True
    session["auth_at"] = datetime.now(UTC).timestamp()
    if sso_method:
        session[SSO_METHOD] = sso_method
    if id_token:
        session[SSO_ID_TOKEN] = id_token


def session_body(user):
    """The user, a CSRF token, and whether the session came through the identity platform (the
    app then offers no password change: such a person may have no password they know)."""
    return {"user": users.describe_me(user), "csrf_token": generate_csrf(), "sso": SSO_METHOD in session}
