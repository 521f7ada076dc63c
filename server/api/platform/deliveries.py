"""Outside notifications (admin): the channels per unit, and the deliveries with their outcome."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.extensions import db
from server.schemas.platform.deliveries import (
    ChannelInSchema,
    ChannelListSchema,
    ChannelSchema,
    DeliveryPageSchema,
    DeliveryQuerySchema,
    DeliverySchema,
)
from server.services.platform import deliveries, notify_channels
from server.services.platform.pagination import page

blp = Blueprint(
    "deliveries",
    __name__,
    url_prefix="/api/v1",
    description="WeCom, DingTalk, Feishu, e-mail and webhooks (admin)",
)


@blp.route("/channels", methods=["GET"])
@needs("manage_channels")
@blp.response(200, ChannelListSchema)
def list_channels():
    """Every unit's outside channels; secrets are never shown, only whether one is set."""
    return {"items": notify_channels.list_channels(current_user)}


@blp.route("/channels", methods=["POST"])
@needs("manage_channels")
@blp.arguments(ChannelInSchema)
@blp.response(201, ChannelSchema)
def create_channel(data):
    """A channel for a unit's messages (and those of the units below it)."""
    channel = notify_channels.create_channel(current_user, data)
    db.session.commit()
    return channel


@blp.route("/channels/<int:channel_id>", methods=["PATCH"])
@needs("manage_channels")
@blp.arguments(ChannelInSchema(partial=True, exclude=("kind",)))
@blp.response(200, ChannelSchema)
def update_channel(data, channel_id):
    """Rename, re-target, re-key, choose the kinds of message, or switch a channel off."""
    channel = notify_channels.update_channel(current_user, channel_id, data)
    db.session.commit()
    return channel


@blp.route("/deliveries", methods=["GET"])
@needs("manage_channels")
@blp.arguments(DeliveryQuerySchema, location="query")
@blp.response(200, DeliveryPageSchema)
def list_deliveries(args):
    """Deliveries newest first, with attempts and the last failure's reason (status=dead: given up)."""
    return page(*deliveries.list_deliveries(current_user, **args))


@blp.route("/deliveries/<int:delivery_id>/retry", methods=["POST"])
@needs("manage_channels")
@blp.response(200, DeliverySchema)
def retry_delivery(delivery_id):
    """Send a dead delivery again at the worker's next run."""
    delivery = deliveries.retry_delivery(current_user, delivery_id)
    db.session.commit()
    return delivery
