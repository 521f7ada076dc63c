"""The JSON API under /api/v1: one blueprint per resource."""

from server.api import auth, posts, scan, units, users, zones

BLUEPRINTS = (auth.blp, units.blp, users.blp, zones.blp, posts.blp, scan.blp)
