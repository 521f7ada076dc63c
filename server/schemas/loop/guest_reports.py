"""The public zone board, a guest's report and its receipt: nothing more than a sign shows."""

from marshmallow import fields, validate

from server.schemas.field.photos import ClientUuid
from server.schemas.platform.common import Choice, Latitude, Longitude, Moment, Schema, Text
from server.vocabulary import CATEGORIES


class BoardSchema(Schema):
    code = fields.String()
    name = fields.String()
    unit_name = fields.String()
    responsibilities = fields.String(allow_none=True)
    head_name = fields.String(allow_none=True, metadata={"description": "when the company shows names"})
    open = fields.Integer()
    overdue = fields.Integer()
    closed_this_month = fields.Integer()
    guest_reports = fields.Boolean()


class GuestReportFormSchema(Schema):
    client_uuid = ClientUuid()
    title = Text(100, required=True)
    description = Text(2000, load_default="")
    category = Choice(CATEGORIES, load_default="other")
    phone = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^\+?[0-9][0-9 -]{4,30}$"),
        metadata={"description": "optional: for the zone head to call back"},
    )
    lat = Latitude(load_default=None)
    lng = Longitude(load_default=None)
    client_at = Moment(load_default=None)


class GuestPhotosSchema(Schema):
    photos = fields.List(
        fields.Raw(metadata={"type": "string", "format": "binary"}),
        required=True,
        validate=validate.Length(min=1),
    )


class ReceiptSchema(Schema):
    number = fields.String()
    zone_name = fields.String()
    title = fields.String()
    status = fields.String()
    reported_at = fields.DateTime()
    confirmed_at = fields.DateTime(allow_none=True)
    deadline = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    closed_at = fields.DateTime(allow_none=True)
    rejected_at = fields.DateTime(allow_none=True)


class GuestReceiptSchema(ReceiptSchema):
    receipt = fields.String(metadata={"description": "the code to follow the report with"})
