"""Outside notifications sent or waiting (admin): each delivery with its outcome, and sending a dead
one again."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.extensions import db
from server.schemas.platform.deliveries import DeliveryPageSchema, DeliveryQuerySchema, DeliverySchema
from server.services.platform import deliveries
from server.services.platform.pagination import page

blp = Blueprint(
    "deliveries",
    __name__,
    url_prefix="/api/v1/deliveries",
    description="Outside notifications and their outcome (admin)",
)


@blp.route("", methods=["GET"])
@needs("manage_channels")
@blp.arguments(DeliveryQuerySchema, location="query")
@blp.response(200, DeliveryPageSchema)
def list_deliveries(args):
    """Deliveries newest first, with attempts and the last failure's reason (status=dead: given up)."""
    return page(*deliveries.list_deliveries(current_user, **args))


@blp.route("/<int:delivery_id>/retry", methods=["POST"])
@needs("manage_channels")
@blp.response(200, DeliverySchema)
def retry_delivery(delivery_id):
    """Send a dead delivery again at the worker's next run."""
    delivery = deliveries.retry_delivery(current_user, delivery_id)
    db.session.commit()
    return delivery
