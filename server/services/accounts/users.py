"""Accounts: sign-in, password changes, and the admin's user management."""

from flask import current_app
from sqlalchemy import func, select

from server.extensions import db
from server.models.accounts.users import User
from server.models.base import now_utc
from server.models.places.posts import Post
from server.models.places.zones import Zone
from server.schemas.accounts.users import UserFieldsSchema
from server.services.accounts import passwords
from server.services.accounts.admin_log import difference, record_admin_change
from server.services.places.common import check_unit
from server.services.platform.authz import (
    capabilities,
    get_or_404,
    require_capability,
    require_password_sign_in,
)
from server.services.platform.csv_import import import_rows, read_csv
from server.services.platform.described import Described
from server.services.platform.errors import Conflict, NotFound, Unauthorized, WrongPassword, field_error
from server.services.platform.pagination import keyset_page

MAX_IMPORTED_USERS = 500


# The account guest reports are filed under (services/loop/guest_reports.py): never listed, never signs in,
# and no real user can take the name (user names are single words).
GUEST_USERNAME = "~guest"


def load_session_user(session_id):
    """The active user a session id "<id>:<nonce>" names, or None."""
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_nonce != nonce:
        return None
    return user


def describe_me(user):
    """The signed-in user with the zones they head and what they may do (DESIGN §5 /auth/me)."""
    zone_ids = db.session.scalars(
        select(Zone.id).where(Zone.head_id == user.id, Zone.active).order_by(Zone.id)
    )
    return Described(user, zone_ids=list(zone_ids), may=capabilities(user))


def find_by_username(username):
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def authenticate(username, password):
    """The user for these credentials; unknown user and wrong password fail alike. Where
    passwords are off, the right password of a non-admin is 403: sign in through the provider."""
    user = find_by_username(username)
    if user is None or not user.active:
        passwords.burn_verification(password)
        raise Unauthorized("errors.bad_credentials")
    if not passwords.verify_password(user.password_hash, password):
        raise Unauthorized("errors.bad_credentials")
    require_password_sign_in(user, current_app.config["PASSWORD_LOGIN"])
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = now_utc()
    db.session.flush()
    return user


def change_own_password(user, current_password, new_password):
    """A signed-in user's change; every other session of theirs ends."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise WrongPassword()
    if new_password == current_password:
        raise field_error("new_password", "errors.password_unchanged")
    _set_password(user, new_password, field="new_password")
    user.must_change_password = False
    db.session.flush()


def end_own_sessions(user):
    """Sign-out: rotating the nonce ends this session and any copied cookie of it."""
    user.end_sessions()
    db.session.flush()


def _set_password(user, password, field="password"):
    passwords.check_policy(password, field, user)
    user.password_hash = passwords.hash_password(password)
    user.end_sessions()


def list_users(actor, unit_id=None, role=None, active=None, q=None, limit=50, cursor=None):
    """Accounts with filters (admin)."""
    require_capability(actor, "manage_accounts")
    query = select(User).where(User.username != GUEST_USERNAME)
    if unit_id is not None:
        query = query.where(User.unit_id == unit_id)
    if role is not None:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active == active)
    if q:
        query = query.where(
            User.username.icontains(q, autoescape=True) | User.name.icontains(q, autoescape=True)
        )
    return keyset_page(query, User.id, limit, cursor, descending=False)


def get_user(actor, user_id):
    require_capability(actor, "manage_accounts")
    user = get_or_404(User, user_id)
    if user.username == GUEST_USERNAME:  # guests' account: never shown, changed or woken up
        raise NotFound("errors.not_found")
    return user


def _check_username_free(username, user_id=None):
    existing = find_by_username(username)
    if existing is not None and existing.id != user_id:
        raise field_error("username", "errors.username_taken")


def create_user(actor, data):
    """A new account (admin); the password follows the policy."""
    require_capability(actor, "manage_accounts")
    user = add_user(data)
    record_admin_change(actor, "user_created", user, {"role": user.role, "unit_id": user.unit_id})
    return user


def add_user(data, password_hash=None):
    """A new account; its password checked and hashed here, or hashed already (imports)."""
    _check_username_free(data["username"])
    check_unit(data["unit_id"])
    password = data.pop("password", None)
    user = User(**data)
    if password_hash is None:
        _set_password(user, password)
    else:
        user.password_hash = password_hash
    db.session.add(user)
    db.session.flush()
    return user


def import_users(actor, raw, dry_run=False):
    """Accounts from a CSV file (admin): all rows or none, each with a one-time password. A dry
    run (the view rolls it back) hashes no password and hands none out."""
    require_capability(actor, "manage_accounts")
    rows = read_csv(raw, MAX_IMPORTED_USERS)
    # An Argon2 hash costs ~22 ms an account: all of them before the first query, which on
    # SQLite takes the write lock that every other user's write would wait behind.
    one_time = [passwords.one_time_password() for _ in rows]
    hashed = one_time if dry_run else [passwords.hash_password(password) for password in one_time]
    accounts = iter(zip(one_time, hashed, strict=True))
    issued = []

    def create(data):
        password, password_hash = next(accounts)
        user = add_user({"is_party_member": False, **data}, password_hash=password_hash)
        user.must_change_password = True
        db.session.flush()
        record_admin_change(actor, "user_imported", user, {"role": user.role, "unit_id": user.unit_id})
        issued.append({"username": user.username, "one_time_password": password})

    import_rows(rows, UserFieldsSchema(), create)
    return {"created": len(issued), "passwords": [] if dry_run else issued}


def heads_or_holds(user):
    """Does the user head an active zone or hold an active post?"""
    zones = select(Zone.id).where(Zone.head_id == user.id, Zone.active)
    posts = select(Post.id).where(Post.holder_id == user.id, Post.active)
    return db.session.scalar(select(zones.exists() | posts.exists()))


def update_user(actor, user_id, data):
    """Change fields (admin); a zone head or post holder keeps the duty's conditions until replaced."""
    user = get_user(actor, user_id)
    if "username" in data:
        _check_username_free(data["username"], user.id)
    if "unit_id" in data:
        check_unit(data["unit_id"])
    losing_duty = (
        ("unit_id" in data and data["unit_id"] != user.unit_id)
        or data.get("active") is False
        or data.get("is_party_member") is False
        or ("role" in data and data["role"] != "zone_head" and user.role == "zone_head")
    )
    if losing_duty and heads_or_holds(user):
        raise Conflict("errors.user_has_duties")
    record_admin_change(actor, "user_changed", user, difference(user, data))
    for key, value in data.items():
        setattr(user, key, value)
    if data.get("active") is False:
        user.end_sessions()
    db.session.flush()
    return user


def reset_password(actor, user_id):
    """A one-time password for the admin to hand over; the user must change it at sign-in."""
    user = get_user(actor, user_id)
    password = passwords.one_time_password()
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = True
    user.end_sessions()
    record_admin_change(actor, "password_reset", user)
    db.session.flush()
    return {"username": user.username, "one_time_password": password}


def revoke_sessions(actor, user_id):
    """Sign the user out everywhere (admin), e.g. after a lost phone."""
    user = get_user(actor, user_id)
    user.end_sessions()
    record_admin_change(actor, "sessions_revoked", user)
    db.session.flush()
