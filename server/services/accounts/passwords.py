"""Password hashing (Argon2id, DESIGN §9) and the password policy (ASVS v5.0.0-6.2)."""

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from server.services.platform.errors import field_error

MAX_LENGTH = 128
GUESSABLE_BELOW = 1  # zxcvbn's 0: under 10^3 guesses; the sign-in lock holds off the rest
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


def check_policy(password, field="password", user=None):
    """At least 8 characters, at most 128, not a common password, not the user's username inside
    it, and not trivially guessed (repeats, sequences, the user's name: zxcvbn's score 0); no
    composition rules (ASVS v5.0.0-6.2)."""
    length = len(password)
    if length < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise field_error(field, "errors.password_too_short")
    if length > MAX_LENGTH:
        raise field_error(field, "errors.password_too_long")
    if password.lower() in _COMMON:
        raise field_error(field, "errors.password_common")
    known = [value for value in (getattr(user, "username", None), getattr(user, "name", None)) if value]
    if any(len(value) >= 3 and value.lower() in password.lower() for value in known):
        raise field_error(field, "errors.password_guessable")
    # zxcvbn's cost grows with length: its first 72 characters say enough about a long one.
    if zxcvbn(password[:72], user_inputs=known)["score"] < GUESSABLE_BELOW:
        raise field_error(field, "errors.password_guessable")


def one_time_password():
    """A random password an admin hands over; the user must change it at first sign-in."""
    return secrets.token_urlsafe(9)
