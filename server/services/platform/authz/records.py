"""Which hazards, check-ins and patrols a user sees (as SQL, so lists read them through indexes),
how a user stands to one of them, to a zone and to a post, and the 404 of a record out of scope."""

from sqlalchemy import false, or_, select, true

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.checkins import CheckIn
from server.models.field.patrols import Patrol
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from server.models.places.posts import Post
from server.models.places.zones import Zone
from server.services.platform.authz.roles import MAY, may
from server.services.platform.authz.units import supervised_units, unit_subtree_ids, zones_in
from server.services.platform.errors import NotFound


def hazard_scope_parts(user):
    """Hazards in zones of the user's unit subtree, plus those they reported or are assigned to:
    each part alone, so a list page can read each through its own index."""
    if user.role == "admin":
        return [true()]
    zones = zones_in(unit_subtree_ids(user.unit_id))
    return [Hazard.zone_id.in_(zones), Hazard.reporter_id == user.id, Hazard.assignee_id == user.id]


def hazard_scope(user):
    return or_(*hazard_scope_parts(user))


def hazard_ties(user, hazard, supervised):
    """How the user stands to a hazard: what workflow.relations_of turns into relations.
    `supervised` is supervised_units(user), passed in so that a list asks once."""
    return {
        "is_zone_head": hazard.zone.head_id == user.id,
        "is_supervisor": hazard.zone.unit_id in supervised,
        "is_assignee": hazard.assignee_id == user.id,
        "is_submitter": hazard.submitted_by_id == user.id,
        "fixed_by_zone_head": hazard.submitted_by_id is not None
        and hazard.submitted_by_id == hazard.zone.head_id,
        "level": hazard.level,
    }


def may_call_guest(user, hazard, supervised):
    """A guest left their number for those who follow up the report, not for everyone in the unit."""
    return hazard.zone.head_id == user.id or hazard.zone.unit_id in supervised


def assignable(unit_id):
    """Who may be a hazard's responsible person: active people (not admins) of the zone's unit
    and below, as a condition on User."""
    return User.active & User.role.in_(MAY["be_assigned"]) & User.unit_id.in_(unit_subtree_ids(unit_id))


def supervisors_of(unit_id):
    """The active supervisors of one unit, as a condition on User."""
    return (User.unit_id == unit_id) & (User.role == "supervisor") & User.active


def digest_recipients(unit_ids):
    """Who gets a daily digest of these units: their active zone heads and supervisors (the ones
    who answer for open hazards), as a condition on User."""
    return User.active & User.unit_id.in_(unit_ids) & User.role.in_(("zone_head", "supervisor"))


def why_not_responsible(user, unit_id, role=None):
    """Who may head a zone or hold a post: an active Party member (of the role, when one is
    named) whose unit covers the place's unit. The reason why not, or None."""
    if user is None or not user.active:
        return "errors.unknown_user"
    if not user.is_party_member:
        return "errors.not_party_member"
    if role is not None and user.role != role:
        return "errors.not_zone_head"
    if unit_id not in unit_subtree_ids(user.unit_id):
        return "errors.outside_unit"
    return None


def checkin_scope(user):
    """Own check-ins; a supervisor also sees those at posts of their subtree, an admin all."""
    if user.role == "admin":
        return true()
    if user.role == "supervisor":
        posts = select(Post.id).where(Post.unit_id.in_(unit_subtree_ids(user.unit_id)))
        return or_(CheckIn.user_id == user.id, CheckIn.post_id.in_(posts))
    return CheckIn.user_id == user.id


def checkins_seen_at(user, post):
    """A post's holder sees everyone who checked in there; others what checkin_scope allows."""
    return true() if post.holder_id == user.id else checkin_scope(user)


def why_not_check_in(user, post):
    """Party members who hold the post or are assigned to it check in there: the reason why not
    (an i18n key the 403 and the post's page both say), or None."""
    if not user.is_party_member:
        return "errors.checkin_not_party_member"
    if post.holder_id != user.id and user not in post.members:
        return "errors.checkin_not_member"
    return None


def may_check_in(user, post):
    return why_not_check_in(user, post) is None


def patrol_scope(user):
    """A zone head sees the patrols of the zones they head and their own; a supervisor those of
    their subtree; an admin all (as with check-ins)."""
    if user.role == "admin":
        return true()
    if user.role == "supervisor":
        return Patrol.zone_id.in_(zones_in(unit_subtree_ids(user.unit_id)))
    if user.role == "zone_head":
        return or_(
            Patrol.zone_id.in_(select(Zone.id).where(Zone.head_id == user.id)), Patrol.user_id == user.id
        )
    return false()


def patrol_zone_scope(user):
    """The zones whose patrols are the user's concern: a zone head's own, a supervisor's subtree."""
    if user.role == "zone_head":
        return Zone.head_id == user.id
    if user.role == "supervisor":
        return Zone.unit_id.in_(unit_subtree_ids(user.unit_id))
    return true() if user.role == "admin" else false()


def may_patrol(user, zone, supervised=None):
    """The zone's head, or a supervisor over it (`supervised`: supervised_units(user), if known)."""
    if not may(user, "patrol"):
        return False
    if user.role == "zone_head":
        return zone.head_id == user.id
    return zone.unit_id in (supervised_units(user) if supervised is None else supervised)


def zone_actions(user, zone, supervised=None):
    """What the user may do at a zone (the PWA's buttons): at an active one anyone reports, some
    patrol; an inactive zone takes neither (409)."""
    if not zone.active:
        return []
    return ["report", *(["patrol"] if may_patrol(user, zone, supervised) else [])]


def post_actions(user, post):
    """Check in, for its Party members, while the post is active."""
    return ["check_in"] if post.active and may_check_in(user, post) else []


def check_in_refusal(user, post):
    """Why post_actions holds no check-in, in words for the post's page; None when it does."""
    return "errors.post_inactive" if not post.active else why_not_check_in(user, post)


def visible(model, scope, user, object_id, lock=False):
    """The object when it exists and is in the user's scope, else 404; lock=True for a write."""
    query = select(model).where(model.id == object_id, scope(user))
    obj = db.session.scalar(query.with_for_update() if lock else query)
    if obj is None:
        raise NotFound("errors.not_found")
    return obj


def get_or_404(model, object_id):
    """The row, or 404: for records whose access is the caller's capability, not a scope (every
    signed-in user sees units, zones and posts; an admin with manage_accounts any user)."""
    obj = db.session.get(model, object_id)
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
