"""The JSON API under /api/v1: one blueprint per resource."""

from server.api.accounts import auth, cas, sso, users
from server.api.field import checkins, offline_pack, patrols, photos
from server.api.insight import dashboard, monthly_report
from server.api.loop import guest_reports, hazards, notifications
from server.api.party import honours, letters, party_days, scorecards
from server.api.places import posts, scan, units, zones
from server.api.platform import channels, deliveries

BLUEPRINTS = (
    auth.blp,
    sso.blp,
    cas.blp,
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
    monthly_report.blp,
    party_days.blp,
    letters.blp,
    scorecards.blp,
    honours.blp,
    guest_reports.blp,
    offline_pack.blp,
    channels.blp,
    deliveries.blp,
)
