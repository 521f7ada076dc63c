"""Hazards: the report a phone sends, list filters, the body of each action, and what users see."""

import marshmallow as ma
from marshmallow import fields, validate, validates_schema

from server.schemas.field.photos import ClientUuid
from server.schemas.platform.common import (
    Choice,
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
from server.vocabulary import CATEGORIES, LEVELS, PHOTO_STAGES, STATUSES


def PhotoIds(**kwargs):  # noqa: N802
    return fields.List(Id(), validate=validate.Length(max=20), **kwargs)


class FixedOnSpotSchema(Schema):
    note = Text(2000, required=True)
    photo_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=20))


ZONE_BY_SIGN = (
    "the token of the zone's sign, resolved when the report arrives (a report made offline at a sign "
    "the phone did not know); or zone_id"
)


class HazardInSchema(Schema):
    client_uuid = ClientUuid()
    zone_id = Id(metadata={"description": "the zone; or zone_token"})
    zone_token = Text(64, allow_none=False, word=True, metadata={"description": ZONE_BY_SIGN})
    title = Text(100, required=True)
    description = Text(2000, required=True)
    category = Choice(CATEGORIES, required=True)
    level = Choice(LEVELS, load_default="general")
    lat = Latitude(allow_none=True)
    lng = Longitude(allow_none=True)
    client_at = Moment(allow_none=True)
    photo_ids = PhotoIds(load_default=list)
    patrol_id = Id(allow_none=True)
    party_day_id = Id(allow_none=True, metadata={"description": "an on-site check the reporter attended"})
    fixed_on_spot = fields.Nested(FixedOnSpotSchema, allow_none=True)

    @validates_schema
    def _location(self, data, **_kwargs):
        validate_location(data)

    @validates_schema
    def _one_zone(self, data, **_kwargs):
        if ("zone_id" in data) == ("zone_token" in data):
            raise ma.ValidationError("errors.zone_id_or_token", "zone_id")


class HazardQuerySchema(PageArgs):
    status = fields.List(Choice(STATUSES))
    level = fields.List(Choice(LEVELS))
    category = fields.List(Choice(CATEGORIES))
    zone_id = QueryId()
    unit_id = QueryId()
    overdue = fields.Boolean()
    supervised = fields.Boolean()
    extension_requested = fields.Boolean()
    recurring = fields.Boolean()  # a repeat hazard, as the dashboard counts them
    assignee = Choice(["me"])
    reporter = Choice(["me"])
    party_day_id = QueryId()
    q = Text(100)
    since = Moment(data_key="from")
    until = Moment(data_key="to")


class _Versioned(Schema):
    version = fields.Integer(strict=True, required=True, validate=validate.Range(1, 2**31 - 1))


class ConfirmSchema(_Versioned):
    assignee_id = Id(required=True)
    deadline = fields.Date(required=True)
    level = Choice(LEVELS, required=True)
    measures = Text(2000, required=True)
    funds = Text(200)
    contingency_plan = Text(2000)


class RejectSchema(_Versioned):
    reason = Text(500, required=True)
    duplicate_of = Id(allow_none=True)


class SubmitSchema(_Versioned):
    note = Text(2000, required=True)
    photo_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=20))


class AcceptSchema(_Versioned):
    comment = Text(2000)


class ReasonSchema(_Versioned):
    reason = Text(500, required=True)


class DeadlineSchema(ReasonSchema):
    deadline = fields.Date(required=True)


class ReassignSchema(_Versioned):
    assignee_id = Id(required=True)
    reason = Text(500)


class CommentSchema(Schema):
    text = Text(2000, required=True)
    version = fields.Integer(strict=True, metadata={"description": "accepted and ignored"})


ACTION_SCHEMAS = {
    "confirm": ConfirmSchema,
    "reject": RejectSchema,
    "submit": SubmitSchema,
    "accept": AcceptSchema,
    "return": ReasonSchema,
    "extend": DeadlineSchema,
    "request_extension": DeadlineSchema,
    "deny_extension": ReasonSchema,
    "reassign": ReassignSchema,
    "comment": CommentSchema,
}


class ActionBodySchema(Schema):
    """Documentation of every action's fields; each action takes only its own (DESIGN §5)."""

    version = fields.Integer()
    assignee_id = fields.Integer()
    deadline = fields.Date()
    level = fields.String()
    measures = fields.String()
    funds = fields.String()
    contingency_plan = fields.String()
    reason = fields.String()
    duplicate_of = fields.Integer()
    note = fields.String()
    photo_ids = fields.List(fields.Integer())
    comment = fields.String()
    text = fields.String()


class PhotoRefSchema(Schema):
    id = fields.Integer()
    stage = Choice(PHOTO_STAGES)
    taken_at = fields.DateTime(
        allow_none=True, metadata={"description": "capture time, from EXIF or the phone"}
    )
    gps = fields.Boolean(metadata={"description": "the photo carried a location (EXIF GPS or the phone's)"})


class ZoneRefSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    head_id = fields.Integer()


class HazardSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    zone_id = fields.Integer()
    zone = fields.Nested(ZoneRefSchema)
    reporter_id = fields.Integer()
    title = fields.String()
    description = fields.String()
    category = fields.String()
    level = fields.String()
    status = fields.String()
    assignee_id = fields.Integer(allow_none=True)
    deadline = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    supervised = fields.Boolean()
    fixed_on_spot = fields.Boolean()
    guest = fields.Boolean(metadata={"description": "reported by a guest from the public zone board"})
    extension_deadline = fields.Date(allow_none=True)
    version = fields.Integer()
    allowed_actions = fields.List(fields.String())
    photos = fields.List(fields.Nested(PhotoRefSchema))
    created_at = fields.DateTime()


HazardPageSchema = page_of(HazardSchema)


class SimilarQuerySchema(Schema):
    zone_id = QueryId(required=True)
    category = Choice(CATEGORIES)
    text = Text(2200, metadata={"description": "the report's title and description so far"})


class HazardListSchema(Schema):
    items = fields.List(fields.Nested(HazardSchema))


class ActorSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class EventSchema(Schema):
    id = fields.Integer()
    actor = fields.Nested(ActorSchema)
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    changes = fields.Dict()
    created_at = fields.DateTime()


class HazardDetailSchema(HazardSchema):
    reporter = fields.Nested(UserRefSchema)
    assignee = fields.Nested(UserRefSchema, allow_none=True)
    patrol_id = fields.Integer(allow_none=True)
    party_day_id = fields.Integer(allow_none=True)
    guest_phone = fields.String(allow_none=True)
    lat = fields.Float(allow_none=True)
    lng = fields.Float(allow_none=True)
    measures = fields.String(allow_none=True)
    funds = fields.String(allow_none=True)
    contingency_plan = fields.String(allow_none=True)
    supervisor_id = fields.Integer(allow_none=True)
    verifier_id = fields.Integer(allow_none=True)
    submitted_by_id = fields.Integer(allow_none=True)
    duplicate_of_id = fields.Integer(allow_none=True)
    extension_reason = fields.String(allow_none=True)
    client_at = fields.DateTime(allow_none=True)
    confirmed_at = fields.DateTime(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    rejected_at = fields.DateTime(allow_none=True)
    events = fields.List(fields.Nested(EventSchema))


class PersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()


class PersonListSchema(Schema):
    items = fields.List(fields.Nested(PersonSchema))
