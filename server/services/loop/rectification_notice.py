"""The rectification notice (整改通知单): what the printed page of a confirmed hazard shows."""

from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.photos import Photo
from server.services.loop.hazards import get_visible_hazard
from server.services.places.qr import qr_svg, sign_url
from server.services.platform.clock import site_datetime
from server.services.platform.errors import Conflict
from server.vocabulary import CONFIRMED_STATUSES


def rectification_notice(actor, hazard_id):
    """The notice of a hazard the actor may see; a report not yet confirmed has none."""
    hazard = get_visible_hazard(actor, hazard_id)
    if hazard.status not in CONFIRMED_STATUSES:
        raise Conflict("errors.notice_unconfirmed")
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(_people_ids(hazard))))}
    photos = db.session.scalars(
        select(Photo.id).where(Photo.hazard_id == hazard.id, Photo.stage == "report").order_by(Photo.id)
    ).all()
    return {
        "hazard": hazard,
        "zone": hazard.zone,
        "reporter": people.get(hazard.reporter_id),
        "assignee": people.get(hazard.assignee_id),
        "head": people.get(hazard.zone.head_id),
        "supervisor": people.get(hazard.supervisor_id),
        "reported_at": site_datetime(hazard.created_at).strftime("%Y-%m-%d %H:%M"),
        "confirmed_at": site_datetime(hazard.confirmed_at).strftime("%Y-%m-%d"),
        "photo_ids": photos,
        "qr": qr_svg(sign_url("hazard", str(hazard.id))),
    }


def _people_ids(hazard):
    return [hazard.reporter_id, hazard.assignee_id, hazard.zone.head_id, hazard.supervisor_id]
