"""Password hashing (Argon2id, DESIGN §9) and the password policy (ASVS v5.0.0-6.2)."""

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from server.services.errors import field_error

MAX_LENGTH = 128
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])


@cache
def _hasher(time_cost, memory_cost, parallelism):
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def hasher():
    config = current_app.config
    return _hasher(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"])


@cache
def _dummy_hash(ph):
    return ph.hash(secrets.token_urlsafe(16))


def hash_password(password):
    return hasher().hash(password)


def verify_password(password_hash, password):
    """True when it matches; None of the hash's details leak into the answer."""
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def burn_verification(password):
    """Spend the time of a real check, so an unknown user answers like a wrong password."""
    verify_password(_dummy_hash(hasher()), password)


def needs_rehash(password_hash):
    return hasher().check_needs_rehash(password_hash)


def check_policy(password, field="password"):
    """At least 8 characters, at most 128, not a common password; no composition rules."""
    length = len(password)
    if length < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise field_error(field, "errors.password_too_short")
    if length > MAX_LENGTH:
        raise field_error(field, "errors.password_too_long")
    if password.lower() in _COMMON:
        raise field_error(field, "errors.password_common")


def one_time_password():
    """A random password an admin hands over; the user must change it at first sign-in."""
    return secrets.token_urlsafe(9)
