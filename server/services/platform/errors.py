"""Domain errors raised by services; server.problems renders each as problem+json.

A message is a catalog key (server/i18n) with parameters, so the answer is in the user's language.
"""


class DomainError(Exception):
    status = 400
    slug = "bad-request"

    def __init__(self, message_key, errors=None, headers=None, **params):
        super().__init__(message_key)
        self.message_key = message_key
        self.errors = errors
        self.headers = headers or {}
        self.params = params


class BadRequest(DomainError):
    status = 400
    slug = "bad-request"


class NotFound(DomainError):
    """Missing, or outside the caller's scope: the two look the same so ids do not leak."""

    status = 404
    slug = "not-found"


class Forbidden(DomainError):
    status = 403
    slug = "forbidden"


class Conflict(DomainError):
    status = 409
    slug = "conflict"


class IllegalAction(Conflict):
    """The action cannot happen in the hazard's current state, whoever asks."""

    slug = "illegal-transition"


class StaleVersion(Conflict):
    """The client acted on an older version: someone else changed the record meanwhile."""

    slug = "stale-version"


class Unprocessable(DomainError):
    status = 422
    slug = "validation"


class WrongPassword(Unprocessable):
    """The current password, given to change it, is wrong: it counts like a failed sign-in."""

    def __init__(self):
        super().__init__("errors.invalid_fields", errors={"current_password": ["errors.wrong_password"]})


class Unauthorized(DomainError):
    status = 401
    slug = "unauthorized"


class TooManyRequests(DomainError):
    status = 429
    slug = "rate-limited"


def require(condition, error_class, message_key, **params):
    """Raise error_class(message_key) unless condition holds."""
    if not condition:
        raise error_class(message_key, **params)


def field_error(field, message_key, **params):
    """A 422 naming one field, e.g. a reference to a unit that does not exist."""
    return Unprocessable("errors.invalid_fields", errors={field: [message_key]}, **params)
