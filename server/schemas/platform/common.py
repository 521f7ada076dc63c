"""Field helpers every schema uses: strict numbers, bounded strings, no NUL (DESIGN §9 Input)."""

import re
from datetime import UTC, datetime

import marshmallow as ma
from marshmallow import fields, validate

from server.schemas.platform.messages import use_catalog_messages

MAX_ID = 2**31 - 1
use_catalog_messages()


class Schema(ma.Schema):
    """Unknown fields are an error (marshmallow's RAISE), stated here so nobody relaxes it."""

    class Meta:
        unknown = ma.RAISE


# C0 control characters other than tab and newlines: PostgreSQL refuses NUL, XLSX refuses the rest.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _no_nul(value):
    if _CONTROL.search(value):
        raise ma.ValidationError("errors.nul_character")


def _not_blank(value):
    if not value.strip():
        raise ma.ValidationError("errors.blank")


def _single_word(value):
    if any(ch.isspace() for ch in value):
        raise ma.ValidationError("errors.no_spaces")


def Text(max_length, required=False, allow_none=None, word=False, **kwargs):  # noqa: N802
    """A string bounded by its column size, without NUL; required ones may not be blank."""
    checks = [validate.Length(max=max_length), _no_nul]
    if required:
        checks.append(_not_blank)
    if word:  # codes and usernames: typed by hand from a sign or a badge
        checks.append(_single_word)
    if allow_none is None:
        allow_none = not required
    return fields.String(required=required, allow_none=allow_none, validate=checks, **kwargs)


def Id(**kwargs):  # noqa: N802
    """A database id in JSON: an integer (not "1", 1.5 or true) in 1..2^31-1."""
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


def QueryId(**kwargs):  # noqa: N802
    """An id in a query string, where every value arrives as text."""
    return fields.Integer(validate=validate.Range(1, MAX_ID), **kwargs)


def Moment(**kwargs):  # noqa: N802
    """An ISO 8601 time with an offset, within years a phone's clock can plausibly show."""
    bounds = validate.Range(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    return fields.AwareDateTime(validate=bounds, **kwargs)


def Choice(values, **kwargs):  # noqa: N802
    return fields.String(validate=validate.OneOf(values), **kwargs)


def Latitude(**kwargs):  # noqa: N802
    return fields.Float(allow_nan=False, validate=validate.Range(-90, 90), **kwargs)


def Longitude(**kwargs):  # noqa: N802
    return fields.Float(allow_nan=False, validate=validate.Range(-180, 180), **kwargs)


def Radius(**kwargs):  # noqa: N802
    return fields.Integer(strict=True, validate=validate.Range(1, 100_000), **kwargs)


def validate_location(data):
    """lat and lng come together or not at all."""
    if ("lat" in data and data["lat"] is not None) != ("lng" in data and data["lng"] is not None):
        raise ma.ValidationError("errors.lat_lng_together", "lat")


class PageArgs(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


def page_of(item_schema):
    """{items, next_cursor}: the keyset page shape of DESIGN §5."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return type(
        name,
        (Schema,),
        {
            "items": fields.List(fields.Nested(item_schema)),
            "next_cursor": fields.String(allow_none=True),
        },
    )


class ImportArgsSchema(Schema):
    dry_run = fields.Boolean(
        load_default=False, metadata={"description": "check every row as the import would, write nothing"}
    )


class ProblemSchema(Schema):
    """application/problem+json, the body of every error."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict()
    incident = fields.String()


class UnitRefSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class UserRefSchema(Schema):
    """What any signed-in user may see of another user (e.g. a zone head to call)."""

    id = fields.Integer()
    name = fields.String()
    phone = fields.String(allow_none=True)
