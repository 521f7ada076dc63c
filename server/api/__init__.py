"""The JSON API under /api/v1: one blueprint per resource."""

from server.api import (
    auth,
    checkins,
    dashboard,
    hazards,
    notifications,
    patrols,
    photos,
    posts,
    scan,
    units,
    users,
    zones,
)

BLUEPRINTS = (
    auth.blp,
    units.blp,
    users.blp,
    zones.blp,
    posts.blp,
    scan.blp,
    photos.blp,
    checkins.blp,
    patrols.blp,
    hazards.blp,
    notifications.blp,
    dashboard.blp,
)
