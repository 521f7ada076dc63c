"""Reusable guards: roles and unit-subtree scoping (HARDENING §8.1)."""

from sqlalchemy import false, or_, select, true

from server.extensions import db
from server.models.field.checkins import CheckIn
from server.models.field.patrols import Patrol
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from server.models.places.posts import Post
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.platform.errors import Forbidden, NotFound

# Who may use each part of the app at all, before any record is looked at. The views refuse
# everyone else before reading their input (a stranger's bad body is a 403, not the schema's
# field errors: api/capability.py); the services check the same entry again.
CAPABILITIES = {
    "manage_accounts": ("admin",),  # units and users
    "manage_places": ("admin",),  # zones and posts: create, change, rotate a sign, import
    "issue_letters": ("admin",),
    "supervise": ("supervisor", "admin"),  # the dashboard, the ledger, the scorecard rankings
    "confirm_honours": ("supervisor",),
    "patrol": ("zone_head", "supervisor"),
    "see_patrols_due": ("zone_head", "supervisor", "admin"),
    "organize_party_days": ("zone_head", "supervisor"),
}


def require_role(user, *roles):
    """403 unless the user has one of the roles."""
    if user.role not in roles:
        raise Forbidden("errors.forbidden_role")


def require_capability(user, capability):
    """403 unless the user's role has the capability (CAPABILITIES)."""
    require_role(user, *CAPABILITIES[capability])


def unit_subtree_ids(unit_id):
    """The unit and every unit below it."""
    tree = select(Unit.id).where(Unit.id == unit_id).cte("subtree", recursive=True)
    tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
    return set(db.session.scalars(select(tree.c.id)))


def unit_ancestor_ids(unit_id):
    """The units above the unit (not the unit itself)."""
    tree = select(Unit.id, Unit.parent_id).where(Unit.id == unit_id).cte("ancestors", recursive=True)
    tree = tree.union_all(select(Unit.id, Unit.parent_id).where(Unit.id == tree.c.parent_id))
    return set(db.session.scalars(select(tree.c.id))) - {unit_id}


def units_within(actor, unit_id):
    """The unit and every unit below it, when the actor may see that unit (admins: any unit);
    asking for another branch of the tree is a 403 (ASVS v5.0.0-8.4.1)."""
    if actor.role != "admin" and unit_id not in unit_subtree_ids(actor.unit_id):
        raise Forbidden("errors.unit_outside_scope")
    return unit_subtree_ids(unit_id)


def in_subtree(unit_id, root_unit_id):
    return unit_id in unit_subtree_ids(root_unit_id)


def get_or_404(model, object_id):
    """The row, or the same 404 whether it is missing or out of scope."""
    obj = db.session.get(model, object_id)
    if obj is None:
        raise NotFound("errors.not_found")
    return obj


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
