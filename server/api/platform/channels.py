"""Outside notification channels per unit (admin): WeCom, DingTalk, Feishu, e-mail and webhooks."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.extensions import db
from server.schemas.platform.deliveries import ChannelInSchema, ChannelListSchema, ChannelSchema
from server.services.platform import notify_channels

blp = Blueprint(
    "channels",
    __name__,
    url_prefix="/api/v1/channels",
    description="Where outside notifications go, per unit (admin)",
)


@blp.route("", methods=["GET"])
@needs("manage_channels")
@blp.response(200, ChannelListSchema)
def list_channels():
    """Every unit's outside channels; secrets are never shown, only whether one is set."""
    return {"items": notify_channels.list_channels(current_user)}


@blp.route("", methods=["POST"])
@needs("manage_channels")
@blp.arguments(ChannelInSchema)
@blp.response(201, ChannelSchema)
def create_channel(data):
    """A channel for a unit's messages (and those of the units below it)."""
    channel = notify_channels.create_channel(current_user, data)
    db.session.commit()
    return channel


@blp.route("/<int:channel_id>", methods=["PATCH"])
@needs("manage_channels")
@blp.arguments(ChannelInSchema(partial=True, exclude=("kind",)))
@blp.response(200, ChannelSchema)
def update_channel(data, channel_id):
    """Rename, re-target, re-key, choose the kinds of message, or switch a channel off."""
    channel = notify_channels.update_channel(current_user, channel_id, data)
    db.session.commit()
    return channel
