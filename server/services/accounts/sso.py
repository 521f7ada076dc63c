"""Single sign-on: which account the identity platform's claims name (README, "Single sign-on").

The protocol's own checks (state, nonce, PKCE, the ID token's signature) are Authlib's, in the
view; this module decides only who the verified claims are: by the linked `sub` first, else by
the configured username claim (工号), which links the `sub` for next time; optionally a new
account just in time."""

import secrets

from flask import current_app
from sqlalchemy import func, select

from server.extensions import db
from server.models.accounts.users import User
from server.models.base import now_utc
from server.models.places.units import Unit
from server.services.accounts import passwords
from server.services.accounts.admin_log import record_admin_change
from server.services.accounts.users import GUEST_USERNAME, add_user, find_by_username
from server.vocabulary import ROLES

# Why a sign-in through the provider ended on the login screen: ?sso_error=<code>, and the
# PWA's catalog has login.sso_errors.<code> for each.
ERROR_CODES = (
    "failed",  # the protocol's checks failed: state, code, token, ID token
    "provider",  # the provider answered an error: no session for prompt=none, …
    "cancelled",  # … access_denied: the person cancelled at the provider
    "unavailable",  # single sign-on is not configured, or the provider did not answer
    "no_username",  # the claims lack the configured username claim
    "unknown_user",
    "inactive",
    "linked_elsewhere",  # the account is already linked to another identity
    "unknown_unit",  # just-in-time: the unit claim names no unit here
)
USERNAME_MAX = User.username.type.length
JIT_ROLES = tuple(role for role in ROLES if role != "admin")


class SsoRefused(Exception):
    """The provider's answer signs nobody in; `code` is one of ERROR_CODES."""

    def __init__(self, code, **details):
        super().__init__(code)
        self.code = code
        self.details = details


def is_configured(config):
    return bool(config.get("OIDC_METADATA_URL") and config.get("OIDC_CLIENT_ID"))


def check_settings(config):
    """At start: a just-in-time account's role must be one of the field roles, never admin (an
    admin is made by an admin, not by whoever the provider vouches for)."""
    if config["OIDC_DEFAULT_ROLE"] not in JIT_ROLES:
        raise RuntimeError(f"OIDC_DEFAULT_ROLE must be one of {', '.join(JIT_ROLES)}")


def _claim(claims, name):
    value = claims.get(name) if name else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def account_for_claims(claims):
    """The active account the provider's verified claims name; links the `sub` at the first match."""
    subject = _claim(claims, "sub")
    if subject is None:
        raise SsoRefused("failed", reason="no sub")
    user = db.session.scalar(select(User).where(User.sso_subject == subject))
    if user is None:
        user = _link_by_username(claims, subject)
    if user.username == GUEST_USERNAME or not user.active:
        raise SsoRefused("inactive", username=user.username)
    user.last_login_at = now_utc()
    db.session.flush()
    return user


def _link_by_username(claims, subject):
    config = current_app.config
    username = _claim(claims, config["OIDC_USERNAME_CLAIM"])
    if username is None:
        raise SsoRefused("no_username", subject=subject)
    user = find_by_username(username)
    if user is None:
        if not config["OIDC_CREATE_USERS"]:
            raise SsoRefused("unknown_user", username=username)
        user = _create_account(claims, username)
    elif user.sso_subject is not None:
        # Someone else at the provider claims a 工号 that is already another identity's.
        raise SsoRefused("linked_elsewhere", username=username)
    user.sso_subject = subject
    db.session.flush()
    return user


def _create_account(claims, username):
    """Just in time: the default role, the unit named by its code in a claim; a random password
    nobody knows, so the account signs in through the provider only."""
    config = current_app.config
    unit_code = _claim(claims, config["OIDC_UNIT_CLAIM"])
    if len(username) > USERNAME_MAX:  # no account here has such a name, nor may have
        raise SsoRefused("unknown_user", username=username[:USERNAME_MAX])
    unit = unit_code and db.session.scalar(select(Unit).where(func.lower(Unit.code) == unit_code.lower()))
    if not unit:
        raise SsoRefused("unknown_unit", username=username, unit=unit_code)
    data = {
        "username": username,
        "name": (_claim(claims, config["OIDC_NAME_CLAIM"]) or username)[:100],
        "role": config["OIDC_DEFAULT_ROLE"],
        "unit_id": unit.id,
        "is_party_member": False,
    }
    user = add_user(data, password_hash=passwords.hash_password(secrets.token_urlsafe(32)))
    record_admin_change(None, "user_created_by_sso", user, {"role": user.role, "unit_id": user.unit_id})
    return user
