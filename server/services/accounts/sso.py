"""Single sign-on: which account the identity platform's claims name (README, "Single sign-on").

The protocol's own checks (state, nonce, PKCE, the ID token's signature for OpenID Connect; the
ticket's validation at the server for CAS) are the libraries', in the views; this module decides
only who the verified claims are: by the linked `sub` first, else by the configured username
claim (工号), which links the `sub` for next time; optionally a new account just in time.
A CAS answer reaches here as claims too: its user is `username`, its subject "cas:<user>"."""

import secrets
from typing import NamedTuple

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
CAS_SUBJECT_PREFIX = "cas:"  # keeps a CAS user apart from any OpenID Connect `sub`


class SsoRefused(Exception):
    """The provider's answer signs nobody in; `code` is one of ERROR_CODES."""

    def __init__(self, code, **details):
        super().__init__(code)
        self.code = code
        self.details = details


class Matching(NamedTuple):
    """Which claims name the account, and whether and how to make one just in time."""

    username_claim: str
    name_claim: str | None
    unit_claim: str | None
    create_users: bool
    default_role: str


def is_configured(config):
    return bool(config.get("OIDC_METADATA_URL") and config.get("OIDC_CLIENT_ID"))


def cas_configured(config):
    return bool(config.get("CAS_SERVER_URL"))


def check_settings(config):
    """At start: one protocol at most (the sign-in screen has one company button); a
    just-in-time account's role must be one of the field roles, never admin (an admin is made by
    an admin, not by whoever the provider vouches for)."""
    if is_configured(config) and cas_configured(config):
        raise RuntimeError("single sign-on: set OIDC_METADATA_URL or CAS_SERVER_URL, not both")
    if config["CAS_VERSION"] not in (2, 3):
        raise RuntimeError("CAS_VERSION must be 2 or 3")
    for key in ("OIDC_DEFAULT_ROLE", "CAS_DEFAULT_ROLE"):
        if config[key] not in JIT_ROLES:
            raise RuntimeError(f"{key} must be one of {', '.join(JIT_ROLES)}")


def matching(config):
    """The configured protocol's matching; a CAS view names its claims as below."""
    if cas_configured(config):
        return Matching("username", "name", "unit", config["CAS_CREATE_USERS"], config["CAS_DEFAULT_ROLE"])
    return Matching(
        config["OIDC_USERNAME_CLAIM"],
        config["OIDC_NAME_CLAIM"],
        config["OIDC_UNIT_CLAIM"],
        config["OIDC_CREATE_USERS"],
        config["OIDC_DEFAULT_ROLE"],
    )


def _same_protocol(subject, other):
    return subject.startswith(CAS_SUBJECT_PREFIX) == other.startswith(CAS_SUBJECT_PREFIX)


def _claim(claims, name):
    value = claims.get(name) if name else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def account_for_claims(claims):
    """The active account the provider's verified claims name; links the `sub` at the first match."""
    subject = _claim(claims, "sub")
    if subject is None:
        raise SsoRefused("failed", why="no sub")
    user = db.session.scalar(select(User).where(User.sso_subject == subject))
    if user is None:
        user = _link_by_username(claims, subject)
    if user.username == GUEST_USERNAME or not user.active:
        raise SsoRefused("inactive", username=user.username)
    user.last_login_at = now_utc()
    db.session.flush()
    return user


def _link_by_username(claims, subject):
    rules = matching(current_app.config)
    username = _claim(claims, rules.username_claim)
    if username is None:
        raise SsoRefused("no_username", subject=subject)
    user = find_by_username(username)
    if user is None:
        if not rules.create_users:
            raise SsoRefused("unknown_user", username=username)
        user = _create_account(claims, username, rules)
    elif user.sso_subject is not None and _same_protocol(user.sso_subject, subject):
        # Someone else at the provider claims a 工号 that is already another identity's. A link
        # made through the other protocol is stale (one is configured at a time): relinked.
        raise SsoRefused("linked_elsewhere", username=username)
    user.sso_subject = subject
    db.session.flush()
    return user


def _create_account(claims, username, rules):
    """Just in time: the default role, the unit named by its code in a claim; a random password
    nobody knows, so the account signs in through the provider only."""
    unit_code = _claim(claims, rules.unit_claim)
    if len(username) > USERNAME_MAX:  # no account here has such a name, nor may have
        raise SsoRefused("unknown_user", username=username[:USERNAME_MAX])
    unit = unit_code and db.session.scalar(select(Unit).where(func.lower(Unit.code) == unit_code.lower()))
    if not unit:
        raise SsoRefused("unknown_unit", username=username, unit=unit_code)
    data = {
        "username": username,
        "name": (_claim(claims, rules.name_claim) or username)[:100],
        "role": rules.default_role,
        "unit_id": unit.id,
        "is_party_member": False,
    }
    user = add_user(data, password_hash=passwords.hash_password(secrets.token_urlsafe(32)))
    record_admin_change(None, "user_created_by_sso", user, {"role": user.role, "unit_id": user.unit_id})
    return user
