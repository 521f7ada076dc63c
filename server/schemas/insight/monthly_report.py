"""The monthly safety report (月度安全分析): its query and its figures (defined in
services/insight/monthly_report.py)."""

from marshmallow import fields

from server.schemas.party.scorecards import Month
from server.schemas.platform.common import QueryId, Schema


class MonthlyQuerySchema(Schema):
    unit_id = QueryId(required=True)
    month = Month(required=True)


class ReportUnitSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class MonthFiguresSchema(Schema):
    reported = fields.Integer()
    confirmed = fields.Integer()
    closed = fields.Integer()
    closed_on_time = fields.Integer()
    overdue = fields.Integer()
    rectification_rate = fields.Float(allow_none=True)
    on_time_rate = fields.Float(allow_none=True)


class MonthWeekSchema(Schema):
    first = fields.String()
    last = fields.String()
    reported = fields.Integer()
    closed = fields.Integer()


class WorstOverdueSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    title = fields.String()
    zone = fields.String()
    deadline = fields.String()
    days_overdue = fields.Integer()
    assignee_name = fields.String(allow_none=True)


class RepeatCategorySchema(Schema):
    zone_id = fields.Integer()
    zone = fields.String()
    category = fields.String()
    count = fields.Integer()


class PatrolComplianceSchema(Schema):
    zone_id = fields.Integer()
    zone = fields.String()
    head_name = fields.String()
    interval_days = fields.Integer()
    done = fields.Integer()
    due = fields.Integer()
    rate = fields.Float(allow_none=True)


class CheckinComplianceSchema(Schema):
    post_id = fields.Integer()
    post = fields.String()
    days = fields.Integer()
    of = fields.Integer()
    rate = fields.Float(allow_none=True)


class MemberContributionSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    branch = fields.String(allow_none=True)
    rank = fields.Integer()
    score = fields.Float()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class MonthlyReportSchema(MonthFiguresSchema):
    unit = fields.Nested(ReportUnitSchema)
    month = fields.String()
    month_over = fields.Boolean()
    previous = fields.Nested(MonthFiguresSchema)
    weeks = fields.List(fields.Nested(MonthWeekSchema))
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())
    worst_overdue = fields.List(fields.Nested(WorstOverdueSchema))
    repeats = fields.List(fields.Nested(RepeatCategorySchema))
    patrols = fields.List(fields.Nested(PatrolComplianceSchema))
    checkins = fields.List(fields.Nested(CheckinComplianceSchema))
    members = fields.List(fields.Nested(MemberContributionSchema))
