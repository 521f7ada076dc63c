"""Zones: admin input, and the zone every signed-in user sees."""

from marshmallow import fields, validate

from server.schemas.places.common import PlaceInSchema, PlaceQuerySchema, PlaceSchema
from server.schemas.platform.common import Id, QueryId, Schema, Text, UserRefSchema, page_of


class ZoneInSchema(PlaceInSchema):
    head_id = Id(required=True)
    responsibilities = Text(2000)
    patrol_interval_days = fields.Integer(strict=True, validate=validate.Range(1, 366))
    patrol_checklist = fields.List(Text(100, required=True), validate=validate.Length(min=1, max=50))
    guest_reports = fields.Boolean(metadata={"description": "people without an account may report here"})


class ZoneSchema(PlaceSchema):
    head = fields.Nested(UserRefSchema)
    responsibilities = fields.String(allow_none=True)
    patrol_interval_days = fields.Integer()
    patrol_checklist = fields.List(fields.String())
    guest_reports = fields.Boolean()
    open_count = fields.Integer()
    overdue_count = fields.Integer()
    last_patrol_at = fields.DateTime(allow_none=True)
    patrol_due = fields.Boolean()


ZonePageSchema = page_of(ZoneSchema)


class ZoneListSchema(Schema):
    items = fields.List(fields.Nested(ZoneSchema))


class ZoneQuerySchema(PlaceQuerySchema):
    head_id = QueryId()
    mine = fields.Boolean(metadata={"description": "only zones the caller heads"})
    q = Text(100)
