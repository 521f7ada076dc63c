"""The outside channels an admin sets per unit (issue 17): a unit's channels also get the
messages of every unit below it."""

import re

from sqlalchemy import select

from server.extensions import db
from server.models.places.units import Unit
from server.models.platform.deliveries import NotifyChannel
from server.services.platform.authz import require_capability
from server.services.platform.errors import NotFound, field_error
from server.vocabulary import CHANNEL_TARGETS


def list_channels(actor):
    require_capability(actor, "manage_channels")
    return db.session.scalars(select(NotifyChannel).order_by(NotifyChannel.unit_id, NotifyChannel.id)).all()


def create_channel(actor, data):
    """A new channel of a unit; it takes every kind of notification unless `kinds` says which."""
    require_capability(actor, "manage_channels")
    _require_unit(data["unit_id"])
    channel = NotifyChannel(**{"kinds": [], "active": True, **data})
    db.session.add(channel)
    db.session.flush()
    return channel


def update_channel(actor, channel_id, data):
    require_capability(actor, "manage_channels")
    channel = db.session.get(NotifyChannel, channel_id)
    if channel is None:
        raise NotFound("errors.not_found")
    if "unit_id" in data:
        _require_unit(data["unit_id"])
    if "target" in data and not re.match(CHANNEL_TARGETS[channel.kind], data["target"]):
        raise field_error("target", f"errors.channel_target_{channel.kind}")  # its kind never changes
    for name, value in data.items():
        setattr(channel, name, value)
    db.session.flush()
    return channel


def _require_unit(unit_id):
    if db.session.get(Unit, unit_id) is None:
        raise field_error("unit_id", "errors.unknown_unit")
