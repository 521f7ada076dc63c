"""Party days: what an organizer plans, a member's QR check-in, and the activity as shown."""

from marshmallow import fields, validate, validates_schema

from server.schemas.field.photos import ClientUuid
from server.schemas.platform.common import (
    Choice,
    Id,
    Latitude,
    Longitude,
    Moment,
    PageArgs,
    Radius,
    Schema,
    Text,
    UserRefSchema,
    page_of,
    validate_location,
)
from server.vocabulary import PARTY_DAY_KINDS


class PartyDayInSchema(Schema):
    theme = Text(100, required=True)
    kind = Choice(PARTY_DAY_KINDS, required=True)
    unit_id = Id(required=True)
    branch = Text(100, required=True)
    place = Text(200, required=True)
    description = Text(2000)
    starts_at = Moment(required=True)
    ends_at = Moment(required=True)
    lat = Latitude(allow_none=True)
    lng = Longitude(allow_none=True)
    radius_m = Radius(allow_none=True)
    geofence_required = fields.Boolean(load_default=False)

    @validates_schema
    def _location(self, data, **_kwargs):
        validate_location(data)


class AttendanceInSchema(Schema):
    client_uuid = ClientUuid()
    token = Text(64, required=True, metadata={"description": "the token of the activity's QR code"})
    lat = Latitude(allow_none=True)
    lng = Longitude(allow_none=True)
    accuracy_m = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(0, 100_000))
    client_at = Moment(allow_none=True)

    @validates_schema
    def _location(self, data, **_kwargs):
        validate_location(data)


class AttendanceSchema(Schema):
    id = fields.Integer()
    party_day_id = fields.Integer()
    user = fields.Nested(UserRefSchema)
    created_at = fields.DateTime()
    distance_m = fields.Float(allow_none=True)
    within_geofence = fields.Boolean(allow_none=True)


class PartyDaySchema(Schema):
    id = fields.Integer()
    theme = fields.String()
    kind = fields.String()
    unit_id = fields.Integer()
    branch = fields.String()
    place = fields.String()
    description = fields.String(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    lat = fields.Float(allow_none=True)
    lng = fields.Float(allow_none=True)
    radius_m = fields.Integer(allow_none=True)
    geofence_required = fields.Boolean()
    organizer = fields.Nested(UserRefSchema)


class PartyDayDetailSchema(PartyDaySchema):
    qr_token = fields.String(allow_none=True, metadata={"description": "for its organizer and supervisors"})
    check_in_opens_at = fields.DateTime()
    check_in_open = fields.Boolean()
    attendance_count = fields.Integer()
    expected_count = fields.Integer()
    expected_attended = fields.Integer()
    hazard_count = fields.Integer()
    may_manage = fields.Boolean()
    allowed_actions = fields.List(
        fields.String(), metadata={"description": "attend: the caller may check in"}
    )
    attend_refusal = fields.String(
        allow_none=True,
        metadata={"description": "why not attend: an i18n key taking {branch}"},
    )
    my_attendance = fields.Nested(AttendanceSchema, allow_none=True)
    attendees = fields.List(fields.Nested(AttendanceSchema), allow_none=True)
    absentees = fields.List(fields.Nested(UserRefSchema), allow_none=True)


PartyDayPageSchema = page_of(PartyDaySchema)


class PartyDayQuerySchema(PageArgs):
    upcoming = fields.Boolean(metadata={"description": "true: not yet ended; false: ended"})
