"""Photo uploads: multipart form fields and what the upload answers."""

from marshmallow import fields, validate, validates_schema

from server.schemas.platform.common import Latitude, Longitude, Moment, Schema, validate_location

UUID_TEXT = validate.Regexp(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def ClientUuid(**kwargs):  # noqa: N802
    """The phone's UUID for a record: the idempotency key of its create."""
    return fields.String(required=True, validate=UUID_TEXT, **kwargs)


class PhotoFormSchema(Schema):
    client_uuid = ClientUuid()
    # Read on the phone with exifr before its canvas dropped EXIF (DESIGN §9 Photos).
    taken_at = Moment(load_default=None)
    lat = Latitude(load_default=None)
    lng = Longitude(load_default=None)

    @validates_schema
    def _location(self, data, **_kwargs):
        validate_location(data)


class PhotoFileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class PhotoSchema(Schema):
    id = fields.Integer()
    width = fields.Integer()
    height = fields.Integer()
    sha256 = fields.String()
    taken_at = fields.DateTime(allow_none=True)
    lat = fields.Float(allow_none=True)
    lng = fields.Float(allow_none=True)
    stage = fields.String(allow_none=True)
