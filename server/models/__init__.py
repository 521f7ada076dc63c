"""The models, one package per part of the work (DESIGN §4).

Importing any model imports them all, so the metadata (and Alembic) sees the whole schema and
every relationship resolves. Code imports a model from its own module, never from here.
"""

from server.models import base
from server.models.accounts import admin_events, sign_in_limits, users
from server.models.field import checkins, patrols, photos
from server.models.insight import rollup
from server.models.loop import hazards, notifications
from server.models.party import honours, letters, party_days
from server.models.places import posts, units, zones
from server.models.platform import counters, deliveries, idempotency, rate_limits

Base = base.Base
MODULES = (
    admin_events,
    sign_in_limits,
    users,
    checkins,
    patrols,
    photos,
    rollup,
    hazards,
    notifications,
    honours,
    letters,
    party_days,
    posts,
    units,
    zones,
    counters,
    deliveries,
    idempotency,
    rate_limits,
)
