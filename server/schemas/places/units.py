"""Units (admin)."""

from marshmallow import fields

from server.schemas.platform.common import Id, Schema, Text


class UnitInSchema(Schema):
    """Also the PATCH body, loaded with partial=True."""

    code = Text(32, required=True, word=True)
    name = Text(100, required=True)
    parent_id = Id(allow_none=True)


class UnitSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    parent_id = fields.Integer(allow_none=True)


class UnitListSchema(Schema):
    items = fields.List(fields.Nested(UnitSchema))
