"""Demonstration posts: admin input, and the post every signed-in user sees."""

from marshmallow import fields, validate

from server.schemas.places.common import PlaceInSchema, PlaceQuerySchema, PlaceSchema
from server.schemas.platform.common import Choice, Id, QueryId, Text, UserRefSchema, page_of
from server.vocabulary import GEOFENCE_POLICIES


class PostInSchema(PlaceInSchema):
    holder_id = Id(required=True)
    zone_id = Id(allow_none=True)
    commitment = Text(2000)
    geofence_policy = Choice(GEOFENCE_POLICIES)
    member_ids = fields.List(Id(), validate=validate.Length(max=200))


class PostSchema(PlaceSchema):
    holder = fields.Nested(UserRefSchema)
    zone_id = fields.Integer(allow_none=True)
    commitment = fields.String(allow_none=True)
    geofence_policy = fields.String()
    members = fields.List(fields.Nested(UserRefSchema))
    check_in_refusal = fields.String(
        allow_none=True, metadata={"description": "why allowed_actions holds no check_in: an i18n key"}
    )


PostPageSchema = page_of(PostSchema)


class PostQuerySchema(PlaceQuerySchema):
    zone_id = QueryId()
    holder_id = QueryId()
