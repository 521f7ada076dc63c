"""The supervisors' dashboard: its filters and its figures (defined in services/insight/dashboard.py)."""

from marshmallow import fields

from server.schemas.platform.common import Moment, QueryId, Schema


class DashboardQuerySchema(Schema):
    unit_id = QueryId()
    since = Moment(data_key="from")
    until = Moment(data_key="to")


class ZoneRowSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    head_name = fields.String()
    reported = fields.Integer()
    closed = fields.Integer()
    open = fields.Integer()
    overdue = fields.Integer()
    patrol_due = fields.Boolean()


class UnitRowSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    reported = fields.Integer()
    open = fields.Integer()
    overdue = fields.Integer()


class WeekSchema(Schema):
    week = fields.String()
    reported = fields.Integer()
    closed = fields.Integer()
    rectification_rate = fields.Float(allow_none=True)
    on_time_rate = fields.Float(allow_none=True)


class SummarySchema(Schema):
    unit_id = fields.Integer(allow_none=True)
    since = fields.DateTime(data_key="from")
    until = fields.DateTime(data_key="to")
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_level = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())
    reported = fields.Integer()
    repeats = fields.Integer()
    open = fields.Integer()
    overdue = fields.Integer()
    rectification_rate = fields.Float(allow_none=True)
    on_time_rate = fields.Float(allow_none=True)
    median_days_to_close = fields.Float(allow_none=True)
    zones = fields.List(fields.Nested(ZoneRowSchema))
    units = fields.List(fields.Nested(UnitRowSchema))
    weekly_trend = fields.List(fields.Nested(WeekSchema))
    patrol_compliance = fields.Float(allow_none=True)
    checkin_rate = fields.Float(allow_none=True)
