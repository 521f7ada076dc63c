"""Check-ins at posts: what a phone sends, and the answer with the computed geofence."""

from marshmallow import fields, validate, validates_schema

from server.schemas.field.photos import ClientUuid
from server.schemas.platform.common import (
    Id,
    Latitude,
    Longitude,
    Moment,
    PageArgs,
    QueryId,
    Schema,
    Text,
    UserRefSchema,
    page_of,
    validate_location,
)


class CheckInInSchema(Schema):
    client_uuid = ClientUuid()
    post_id = Id(required=True)
    lat = Latitude(allow_none=True)
    lng = Longitude(allow_none=True)
    accuracy_m = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(0, 100_000))
    note = Text(500)
    photo_id = Id(allow_none=True)
    client_at = Moment(allow_none=True, metadata={"description": "the phone's clock; kept as information"})

    @validates_schema
    def _location(self, data, **_kwargs):
        validate_location(data)


class CheckInSchema(Schema):
    id = fields.Integer()
    post_id = fields.Integer()
    user = fields.Nested(UserRefSchema)
    created_at = fields.DateTime()
    client_at = fields.DateTime(allow_none=True)
    lat = fields.Float(allow_none=True)
    lng = fields.Float(allow_none=True)
    accuracy_m = fields.Float(allow_none=True)
    distance_m = fields.Float(allow_none=True)
    within_geofence = fields.Boolean(allow_none=True)
    note = fields.String(allow_none=True)


CheckInPageSchema = page_of(CheckInSchema)


class CheckInQuerySchema(PageArgs):
    post_id = QueryId()
    user_id = QueryId()
    since = Moment(data_key="from")
    until = Moment(data_key="to")


class MonthQuerySchema(Schema):
    month = fields.String(required=True, validate=validate.Regexp(r"^20\d\d-(0[1-9]|1[0-2])$"))


class DayUserSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class DaySchema(Schema):
    date = fields.String()
    count = fields.Integer()
    users = fields.List(fields.Nested(DayUserSchema))


class PersonMonthSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    days_checked_in = fields.Integer()


class PostMonthSchema(Schema):
    post_id = fields.Integer()
    month = fields.String()
    days_checked_in = fields.Integer()
    days = fields.List(fields.Nested(DaySchema))
    people = fields.List(fields.Nested(PersonMonthSchema))
