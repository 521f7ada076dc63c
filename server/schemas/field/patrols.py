"""Zone patrols: the checklist a zone head ticks on a round, and the answer."""

from marshmallow import fields, validate

from server.schemas.field.photos import ClientUuid
from server.schemas.platform.common import Id, Moment, PageArgs, QueryId, Schema, Text, UserRefSchema, page_of


class ChecklistResultSchema(Schema):
    item = Text(100, required=True)
    ok = fields.Boolean(required=True)
    note = Text(200)


class PatrolInSchema(Schema):
    client_uuid = ClientUuid()
    zone_id = Id(required=True)
    checklist = fields.List(
        fields.Nested(ChecklistResultSchema), required=True, validate=validate.Length(min=1, max=50)
    )
    note = Text(2000)
    photo_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=20))
    client_at = Moment(allow_none=True)


class PatrolSchema(Schema):
    id = fields.Integer()
    zone_id = fields.Integer()
    user = fields.Nested(UserRefSchema)
    created_at = fields.DateTime()
    client_at = fields.DateTime(allow_none=True)
    checklist = fields.List(fields.Nested(ChecklistResultSchema))
    note = fields.String(allow_none=True)
    hazard_ids = fields.List(fields.Integer())
    photo_ids = fields.List(fields.Integer())


PatrolPageSchema = page_of(PatrolSchema)


class PatrolQuerySchema(PageArgs):
    zone_id = QueryId()
    since = Moment(data_key="from")
    until = Moment(data_key="to")
