"""Progressive lockout after failed sign-ins, per account and per client address (ASVS v5.0.0-6.3.1).

Only failures count, so a crew of 30 behind one NAT address still signs in at shift start. From
the limit on, each further failure doubles the lock, up to the maximum; failures older than the
window (counted from the end of the last lock) are forgotten. State lives in the database: a
per-process counter would let each gunicorn worker grant its own allowance.
"""

import math
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.extensions import db
from server.models.accounts.sign_in_limits import LoginThrottle
from server.models.base import now_utc
from server.services.platform.errors import TooManyRequests


def _user_key(username):
    return "user:" + username.strip().lower()[:64]


def _limits(username, address):
    config = current_app.config
    return (
        (_user_key(username), config["LOGIN_LOCK_AFTER_PER_USERNAME"]),
        ("address:" + address[:64], config["LOGIN_LOCK_AFTER_PER_ADDRESS"]),
    )


def locked(wait):
    """The 429 that tells the user how long to wait (whole minutes in the text, seconds in Retry-After)."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    return TooManyRequests(
        "errors.login_locked", headers={"Retry-After": str(seconds)}, minutes=math.ceil(seconds / 60)
    )


def check_login_allowed(username, address):
    """Raise 429 while the account or the address is locked; checked before any password work."""
    now = now_utc()
    keys = [key for key, _ in _limits(username, address)]
    until = db.session.scalar(
        select(func.max(LoginThrottle.locked_until)).where(
            LoginThrottle.key.in_(keys), LoginThrottle.locked_until > now
        )
    )
    if until is not None:
        raise locked(until - now)


def _forgotten(now, window):
    """Rows whose failures no longer count: the last one, and any lock, ended before the window."""
    return (LoginThrottle.last_failure_at < now - window) & (
        LoginThrottle.locked_until.is_(None) | (LoginThrottle.locked_until < now - window)
    )


def _count_failure(key, now):
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[db.session.get_bind().dialect.name]
    statement = insert(LoginThrottle).values(key=key, failures=1, last_failure_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={
            "failures": LoginThrottle.failures + 1,
            "last_failure_at": now,
        },
    )
    return db.session.execute(statement.returning(LoginThrottle.failures)).scalar_one()


def record_login_failure(username, address):
    """Count one failure for the account and the address; the lock it starts, if any (a timedelta)."""
    config = current_app.config
    now, window = now_utc(), timedelta(seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"])
    first, longest = config["LOGIN_LOCK_SECONDS"], config["LOGIN_LOCK_MAX_SECONDS"]
    # Rows of names tried once and never again would pile up: drop the forgotten ones here.
    db.session.execute(delete(LoginThrottle).where(_forgotten(now, window)))
    wait = None
    for key, limit in _limits(username, address):
        failures = _count_failure(key, now)
        if failures >= limit:
            lock = timedelta(seconds=min(first * 2 ** min(failures - limit, 20), longest))
            db.session.execute(
                update(LoginThrottle).where(LoginThrottle.key == key).values(locked_until=now + lock)
            )
            wait = max(wait or lock, lock)
    db.session.flush()
    return wait


def record_login_success(username):
    """A right password clears the account's failures; the address keeps its count."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == _user_key(username)))
