"""Each user's notifications."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.extensions import db
from server.schemas.loop.notifications import (
    NotificationPageSchema,
    NotificationQuerySchema,
    NotificationSchema,
)
from server.services.loop import notifications
from server.services.platform.pagination import page

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications", description="The user's inbox")


@blp.route("", methods=["GET"])
@blp.arguments(NotificationQuerySchema, location="query")
@blp.response(200, NotificationPageSchema)
def list_notifications(args):
    """Own notifications, newest first, with the unread count for the badge."""
    return {
        **page(*notifications.list_notifications(current_user, **args)),
        "unread_count": notifications.unread_count(current_user),
    }


@blp.route("/<int:notification_id>/read", methods=["POST"])
@blp.response(200, NotificationSchema)
def mark_read(notification_id):
    """Mark one of one's own notifications read."""
    entry = notifications.mark_read(current_user, notification_id)
    db.session.commit()
    return entry


@blp.route("/read-all", methods=["POST"])
@blp.response(204)
def mark_all_read():
    """Mark every own notification read."""
    notifications.mark_all_read(current_user)
    db.session.commit()
