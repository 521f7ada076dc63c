"""Honours: what a supervisor confirms, and the history as shown."""

from marshmallow import fields

from server.schemas.party.scorecards import Month
from server.schemas.platform.common import Choice, Id, QueryId, Schema, Text, UserRefSchema
from server.vocabulary import HONOURS


class HonourInSchema(Schema):
    title = Choice(HONOURS, required=True)
    month = Month(required=True)
    unit_id = Id(required=True)
    user_id = Id(metadata={"description": "for excellent_member"})
    branch = Text(100, metadata={"description": "for advanced_branch"})


class HonourSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    month = fields.String()
    unit_id = fields.Integer()
    user = fields.Nested(UserRefSchema, allow_none=True)
    branch = fields.String(allow_none=True)
    score = fields.Float()
    rank = fields.Integer()
    confirmed_by = fields.Nested(UserRefSchema)
    created_at = fields.DateTime()


class HonourListSchema(Schema):
    items = fields.List(fields.Nested(HonourSchema))


class HonourQuerySchema(Schema):
    unit_id = QueryId()
