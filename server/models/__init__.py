"""Every model, imported once so the metadata (and Alembic) sees the whole schema."""

from server.models.admin_events import AdminEvent
from server.models.base import Base
from server.models.checkins import CheckIn
from server.models.dashboard import dashboard_close_days, dashboard_day
from server.models.hazards import Counter, Hazard, HazardEvent, IdempotencyKey
from server.models.honours import Honour
from server.models.letters import Letter, LetterRecipient
from server.models.login_throttle import LoginThrottle
from server.models.notifications import Notification
from server.models.party_days import Attendance, PartyDay
from server.models.patrols import Patrol
from server.models.photos import Photo
from server.models.posts import Post
from server.models.rate_limits import RateLimit
from server.models.units import Unit
from server.models.users import User
from server.models.zones import Zone

__all__ = [
    "AdminEvent",
    "Attendance",
    "Base",
    "CheckIn",
    "Counter",
    "Hazard",
    "HazardEvent",
    "Honour",
    "IdempotencyKey",
    "Letter",
    "LetterRecipient",
    "LoginThrottle",
    "Notification",
    "PartyDay",
    "Patrol",
    "Photo",
    "Post",
    "RateLimit",
    "Unit",
    "User",
    "Zone",
    "dashboard_close_days",
    "dashboard_day",
]
