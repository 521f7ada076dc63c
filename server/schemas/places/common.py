"""Fields zones and posts share: code, name, unit, location, radius."""

from marshmallow import fields, validates_schema

from server.schemas.platform.common import (
    Id,
    Latitude,
    Longitude,
    PageArgs,
    QueryId,
    Radius,
    Schema,
    Text,
    UnitRefSchema,
    validate_location,
)


class PlaceInSchema(Schema):
    """Also the PATCH body, loaded with partial=True."""

    code = Text(32, required=True, word=True)
    name = Text(100, required=True)
    unit_id = Id(required=True)
    lat = Latitude(allow_none=True)
    lng = Longitude(allow_none=True)
    radius_m = Radius(allow_none=True)
    active = fields.Boolean()

    @validates_schema
    def _location(self, data, **_kwargs):
        validate_location(data)


class PlaceSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    unit = fields.Nested(UnitRefSchema)
    lat = fields.Float(allow_none=True)
    lng = fields.Float(allow_none=True)
    radius_m = fields.Integer(allow_none=True)
    active = fields.Boolean()
    sign_url = fields.String()
    allowed_actions = fields.List(
        fields.String(), metadata={"description": "what the caller may do here (the authz policy)"}
    )


class PlaceQuerySchema(PageArgs):
    unit_id = QueryId()
    active = fields.Boolean()


class ScanSchema(Schema):
    kind = fields.String(metadata={"description": "zone, post or party_day"})
    id = fields.Integer()
    code = fields.String(allow_none=True)
    name = fields.String()


class ImportCountSchema(Schema):
    created = fields.Integer(metadata={"description": "rows created, or that would be on a dry run"})
    dry_run = fields.Boolean()
