"""The inbox: entries the PWA renders from its catalogs by kind."""

from marshmallow import fields

from server.schemas.platform.common import PageArgs, Schema


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    hazard_id = fields.Integer(allow_none=True)
    data = fields.Dict()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationPageSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema))
    next_cursor = fields.String(allow_none=True)
    unread_count = fields.Integer()


class NotificationQuerySchema(PageArgs):
    unread = fields.Boolean()
