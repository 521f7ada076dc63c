"""Outside notification channels (admin) and their deliveries."""

import re

from marshmallow import ValidationError, fields, validate, validates_schema

from server.schemas.platform.common import Choice, Id, PageArgs, Schema, Text, page_of
from server.vocabulary import CHANNEL_KINDS, CHANNEL_TARGETS, DELIVERY_STATUSES, NOTIFICATION_KINDS


class ChannelInSchema(Schema):
    unit_id = Id(required=True)
    kind = Choice(CHANNEL_KINDS, required=True)
    name = Text(100, required=True)
    target = Text(
        500, required=True, metadata={"description": "robot key/token, e-mail address or webhook URL"}
    )
    secret = Text(200, metadata={"description": "DingTalk's signing secret, the webhook's HMAC key"})
    kinds = fields.List(Choice(NOTIFICATION_KINDS), validate=validate.Length(max=len(NOTIFICATION_KINDS)))
    active = fields.Boolean()
    digest_at = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="errors.time_of_day"),
        metadata={"description": "HH:MM site time: a daily digest per person instead of each message"},
    )

    @validates_schema
    def target_fits_kind(self, data, partial=False, **_kwargs):
        if (
            "kind" in data
            and "target" in data
            and not re.match(CHANNEL_TARGETS[data["kind"]], data["target"])
        ):
            raise ValidationError(f"errors.channel_target_{data['kind']}", "target")


class ChannelSchema(Schema):
    id = fields.Integer()
    unit_id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    target = fields.String()
    has_secret = fields.Function(lambda channel: bool(channel.secret))
    kinds = fields.List(fields.String())
    active = fields.Boolean()
    digest_at = fields.String(allow_none=True)
    created_at = fields.DateTime()


class ChannelRefSchema(Schema):
    id = fields.Integer()
    unit_id = fields.Integer()
    kind = fields.String()
    name = fields.String()


class ChannelListSchema(Schema):
    items = fields.List(fields.Nested(ChannelSchema))


class DeliveryQuerySchema(PageArgs):
    status = Choice(DELIVERY_STATUSES)


class DeliverySchema(Schema):
    id = fields.Integer()
    event_id = fields.String()
    channel = fields.Nested(ChannelRefSchema)
    hazard_id = fields.Integer(allow_none=True)
    kind = fields.String()
    text = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime()
    last_error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)


DeliveryPageSchema = page_of(DeliverySchema)
