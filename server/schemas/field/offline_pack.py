"""The offline pack: the zones, posts, tasks and Party days a phone keeps for no signal."""

from marshmallow import fields

from server.schemas.loop.hazards import HazardSchema
from server.schemas.party.party_days import PartyDaySchema
from server.schemas.platform.common import Schema, UnitRefSchema, UserRefSchema

ALLOWED_ACTIONS = {"description": "what the caller may do here (the authz policy)"}


class PackPersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class PackZoneSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    qr_token = fields.String(metadata={"description": "the token of its sign (/z/<token>)"})
    unit = fields.Nested(UnitRefSchema)
    head = fields.Nested(UserRefSchema)
    responsibilities = fields.String(allow_none=True)
    patrol_checklist = fields.List(fields.String())
    patrol_interval_days = fields.Integer()
    lat = fields.Float(allow_none=True)
    lng = fields.Float(allow_none=True)
    radius_m = fields.Integer(allow_none=True)
    open_count = fields.Integer()
    overdue_count = fields.Integer()
    last_patrol_at = fields.DateTime(allow_none=True)
    allowed_actions = fields.List(fields.String(), metadata=ALLOWED_ACTIONS)


class PackPostSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    qr_token = fields.String(metadata={"description": "the token of its sign (/p/<token>)"})
    unit = fields.Nested(UnitRefSchema)
    holder = fields.Nested(PackPersonSchema)
    zone_id = fields.Integer(allow_none=True)
    commitment = fields.String(allow_none=True)
    geofence_policy = fields.String()
    lat = fields.Float(allow_none=True)
    lng = fields.Float(allow_none=True)
    radius_m = fields.Integer(allow_none=True)
    allowed_actions = fields.List(fields.String(), metadata=ALLOWED_ACTIONS)


class PackTaskSchema(HazardSchema):
    """A hazard as the list shows it, plus what its page shows besides the timeline."""

    reporter = fields.Nested(PackPersonSchema)
    assignee = fields.Nested(PackPersonSchema, allow_none=True)
    measures = fields.String(allow_none=True)
    lat = fields.Float(allow_none=True)
    lng = fields.Float(allow_none=True)
    client_at = fields.DateTime(allow_none=True)


class PackPartyDaySchema(PartyDaySchema):
    allowed_actions = fields.List(
        fields.String(), metadata={"description": "attend: the caller may check in"}
    )


class OfflinePackSchema(Schema):
    user_id = fields.Integer(metadata={"description": "whose pack it is"})
    generated_at = fields.DateTime(metadata={"description": "when the server built it (not in the ETag)"})
    zones = fields.List(fields.Nested(PackZoneSchema))
    posts = fields.List(fields.Nested(PackPostSchema))
    tasks = fields.List(fields.Nested(PackTaskSchema))
    party_days = fields.List(fields.Nested(PackPartyDaySchema))
