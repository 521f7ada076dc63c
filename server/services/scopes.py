"""Who sees which records (HARDENING §8.1), as SQL conditions and as checks on one object.

Anything outside a user's scope is 404, exactly like a missing id.
"""

from sqlalchemy import false, or_, select, true

from server.extensions import db
from server.models import CheckIn, Hazard, Patrol, Photo, Post, Zone
from server.services.access import unit_subtree_ids
from server.services.errors import NotFound


def _zones_in(units):
    return select(Zone.id).where(Zone.unit_id.in_(units))


def hazard_scope_parts(user):
    """Hazards in zones of the user's unit subtree, plus those they reported or are assigned to:
    each part alone, so a list page can read each through its own index."""
    if user.role == "admin":
        return [true()]
    zones = _zones_in(unit_subtree_ids(user.unit_id))
    return [Hazard.zone_id.in_(zones), Hazard.reporter_id == user.id, Hazard.assignee_id == user.id]


def hazard_scope(user):
    return or_(*hazard_scope_parts(user))


def checkin_scope(user):
    """Own check-ins; a supervisor also sees those at posts of their subtree."""
    if user.role == "admin":
        return true()
    if user.role == "supervisor":
        posts = select(Post.id).where(Post.unit_id.in_(unit_subtree_ids(user.unit_id)))
        return or_(CheckIn.user_id == user.id, CheckIn.post_id.in_(posts))
    return CheckIn.user_id == user.id


def patrol_scope(user):
    """A zone head sees patrols of the zones they head; a supervisor those of their subtree."""
    if user.role == "supervisor":
        return Patrol.zone_id.in_(_zones_in(unit_subtree_ids(user.unit_id)))
    if user.role == "zone_head":
        return or_(
            Patrol.zone_id.in_(select(Zone.id).where(Zone.head_id == user.id)), Patrol.user_id == user.id
        )
    return false()


def visible(model, scope, user, object_id, lock=False):
    """The object when it exists and is in the user's scope, else 404; lock=True for a write."""
    query = select(model).where(model.id == object_id, scope(user))
    obj = db.session.scalar(query.with_for_update() if lock else query)
    if obj is None:
        raise NotFound("errors.not_found")
    return obj


def photo_visible(user, photo_id):
    """Unattached: only its uploader (and admins). Attached: whoever sees what it is attached to."""
    photo = db.session.get(Photo, photo_id)
    if photo is None:
        raise NotFound("errors.not_found")
    if user.role == "admin" or photo.uploader_id == user.id:
        return photo
    for column, model, scope in (
        (photo.hazard_id, Hazard, hazard_scope),
        (photo.checkin_id, CheckIn, checkin_scope),
        (photo.patrol_id, Patrol, patrol_scope),
    ):
        if column is not None:
            visible(model, scope, user, column)
            return photo
    raise NotFound("errors.not_found")
