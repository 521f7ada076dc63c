"""Every model, imported once so the metadata (and Alembic) sees the whole schema."""

from server.models.admin_events import AdminEvent
from server.models.base import Base
from server.models.checkins import CheckIn
from server.models.dashboard import dashboard_close_days, dashboard_day
from server.models.hazards import Counter, Hazard, HazardEvent, IdempotencyKey
from server.models.notifications import Notification
from server.models.patrols import Patrol
from server.models.photos import Photo
from server.models.posts import Post
from server.models.units import Unit
from server.models.users import User
from server.models.zones import Zone

__all__ = [
    "AdminEvent",
    "Base",
    "CheckIn",
    "Counter",
    "Hazard",
    "HazardEvent",
    "IdempotencyKey",
    "Notification",
    "Patrol",
    "Photo",
    "Post",
    "Unit",
    "User",
    "Zone",
    "dashboard_close_days",
    "dashboard_day",
]
