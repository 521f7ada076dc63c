"""The start of a session, the same for a password and for single sign-on."""

from datetime import UTC, datetime

from flask import session
from flask_login import login_user
from flask_wtf.csrf import generate_csrf

from server.services.accounts import users


def start_session(user, **marks):
    """A new session at sign-in (no fixation of a pre-login cookie); `marks` stay in it (how it
    was made: single sign-on keeps the ID token for the provider's sign-out)."""
    session.clear()
    login_user(user)
    session.permanent = True
    session["auth_at"] = datetime.now(UTC).timestamp()
    session.update(marks)


def session_body(user):
    return {"user": users.describe_me(user), "csrf_token": generate_csrf()}
