"""The monthly scorecard: rankings, one card with its records, honours."""

from marshmallow import fields, validate

from server.schemas.platform.common import Choice, QueryId, Schema, Text

MONTH = validate.Regexp(r"^20\d\d-(0[1-9]|1[0-2])$")


def Month(**kwargs):  # noqa: N802
    return fields.String(validate=MONTH, metadata={"description": "YYYY-MM in site time"}, **kwargs)


class RecordSchema(Schema):
    kind = fields.String(
        metadata={"description": "hazard, patrol, zone, checkin, party_day, or hazard_elsewhere: a "
                  "hazard outside the viewer's scope (no id, no label)"}
    )  # fmt: skip
    id = fields.Integer(allow_none=True)
    label = fields.String(allow_none=True)
    count = fields.Integer()


class ItemSchema(Schema):
    count = fields.Integer()
    weight = fields.Float()
    points = fields.Float()
    records = fields.List(fields.Nested(RecordSchema))


class CardSchema(Schema):
    kind = fields.String()
    key = fields.String()
    rank = fields.Integer()
    user_id = fields.Integer()
    zone_id = fields.Integer()
    name = fields.String()
    branch = fields.String(allow_none=True)
    head_name = fields.String()
    member_count = fields.Integer()
    month = fields.String()
    score = fields.Float()
    items = fields.Dict(keys=fields.String(), values=fields.Nested(ItemSchema))


class ProposalSchema(Schema):
    title = fields.String()
    key = fields.String()
    name = fields.String()
    score = fields.Float()
    rank = fields.Integer()
    confirmed = fields.Boolean(metadata={"description": "a supervisor has recorded this honour"})


class RankingSchema(Schema):
    month = fields.String()
    unit_id = fields.Integer()
    kind = fields.String()
    month_over = fields.Boolean()
    weights = fields.Dict(keys=fields.String(), values=fields.Float())
    rows = fields.List(fields.Nested(CardSchema))
    proposals = fields.List(fields.Nested(ProposalSchema))


class RankingQuerySchema(Schema):
    unit_id = QueryId(required=True)
    month = Month(required=True)
    kind = Choice(("member", "zone", "branch"), load_default="member")
    branch = Text(100)


class ExportQuerySchema(Schema):
    unit_id = QueryId(required=True)
    month = Month(required=True)
    branch = Text(100)


class MonthArgsSchema(Schema):
    month = Month(required=True)
