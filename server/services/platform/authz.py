"""The one authorization policy (DESIGN §4, HARDENING §8): who may see and do what.

Read it like the workflow table. Every service asks here; nothing else decides scope or role.

1. What a role may do at all, before any record is looked at: the table `MAY`. A role without
   the capability gets 403; the views ask first, before reading their input
   (api/platform/capability.py), and the services ask again.
2. How a user stands to a unit: an admin oversees every unit; a supervisor oversees their unit and
   every unit below it (`oversees`, `supervises`); everyone else sees their own unit's subtree.
3. Which records a user sees (`*_scope`, as SQL so that lists read them through indexes) and how
   a user stands to one record: a hazard's zone head, a post's holder, a letter's recipient, a
   Party day's organizer.

The 404-vs-403 rule, written once: a record outside your scope is 404, exactly like a missing id
(`visible`, `require_oversight`); a unit you name in a filter or a form outside your scope, a
capability your role lacks, or an act on a record you can see but is not yours, is 403.
"""

from sqlalchemy import false, or_, select, true

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.checkins import CheckIn
from server.models.field.patrols import Patrol
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from server.models.party.letters import Letter, LetterRecipient
from server.models.party.party_days import Attendance, PartyDay
from server.models.places.posts import Post, post_member
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.platform.errors import Forbidden, NotFound, field_error

# capability: the roles that have it
MAY = {
    "manage_accounts": {"admin"},  # units and users
    "manage_places": {"admin"},  # zones and posts: create, change, rotate a sign, import
    "issue_letters": {"admin"},
    "supervise": {"supervisor", "admin"},  # the dashboard, the ledger, the scorecard rankings
    "confirm_honours": {"supervisor"},
    "patrol": {"zone_head", "supervisor"},  # record a patrol round
    "see_patrols": {"zone_head", "supervisor", "admin"},  # the rounds and the zones due for one
    "organize_party_days": {"zone_head", "supervisor"},
    "act_in_loop": {"worker", "zone_head", "supervisor"},  # admins comment, they do not rectify
    "be_assigned": {"worker", "zone_head", "supervisor"},  # may be a hazard's responsible person
}


def may(user, capability):
    return user.role in MAY[capability]


def require_capability(user, capability):
    """403 unless the user's role has the capability."""
    if not may(user, capability):
        raise Forbidden("errors.forbidden_role")


def capabilities(user):
    """Every capability the user has, for the PWA to show what the server will accept."""
    return sorted(capability for capability, roles in MAY.items() if user.role in roles)


# Units -----------------------------------------------------------------------------------------


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


def supervised_units(user):
    """The units a supervisor answers for (their subtree); nobody else supervises any."""
    return unit_subtree_ids(user.unit_id) if user.role == "supervisor" else set()


def supervises(user, unit_id):
    return unit_id in supervised_units(user)


def oversees(user, unit_id):
    """Admins oversee every unit, a supervisor their subtree."""
    return user.role == "admin" or supervises(user, unit_id)


def require_oversight(user, unit_id):
    """A record of a unit the user does not oversee is 404, like a missing one."""
    if not oversees(user, unit_id):
        raise NotFound("errors.not_found")


def units_within(user, unit_id):
    """The unit and every unit below it, when the user may see that unit (admins: any unit,
    others: within their own unit's subtree); naming another branch of the tree is a 403
    (ASVS v5.0.0-8.4.1)."""
    if user.role != "admin" and unit_id not in unit_subtree_ids(user.unit_id):
        raise Forbidden("errors.unit_outside_scope")
    return unit_subtree_ids(unit_id)


def units_seen(user, unit_id=None):
    """The units a report or list covers: the named unit's subtree (units_within), else the
    user's own subtree; None (no filter at all) for an admin who names none."""
    if unit_id is not None:
        return units_within(user, unit_id)
    return None if user.role == "admin" else unit_subtree_ids(user.unit_id)


def _zones_in(units):
    return select(Zone.id).where(Zone.unit_id.in_(units))


# Records ---------------------------------------------------------------------------------------


def hazard_scope_parts(user):
    """Hazards in zones of the user's unit subtree, plus those they reported or are assigned to:
    each part alone, so a list page can read each through its own index."""
    if user.role == "admin":
        return [true()]
    zones = _zones_in(unit_subtree_ids(user.unit_id))
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


def may_check_in(user, post):
    """Party members who hold the post or are assigned to it."""
    return user.is_party_member and (post.holder_id == user.id or user in post.members)


def patrol_scope(user):
    """A zone head sees the patrols of the zones they head and their own; a supervisor those of
    their subtree; an admin all (as with check-ins)."""
    if user.role == "admin":
        return true()
    if user.role == "supervisor":
        return Patrol.zone_id.in_(_zones_in(unit_subtree_ids(user.unit_id)))
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


def pack_zone_scope(user):
    """The zones a phone keeps for scanning with no signal (the offline pack, DESIGN §6), on Zone:

    - the zones of the user's unit subtree: where they work (a supervisor's is what they oversee,
      an admin's, at the root, the whole company);
    - every zone of a hazard they reported or were assigned ("every zone they were ever sent to",
      which may lie in another branch of the tree);
    - for a zone head, the zones they head (still theirs after the head moved to another unit).

    The caller keeps the active ones. Reporting is not limited to these (any signed-in user may
    report at any active zone): a sign outside the pack takes a report by its token offline."""
    sent_to = select(Hazard.zone_id).where(Hazard.reporter_id == user.id)
    sent_to = sent_to.union(select(Hazard.zone_id).where(Hazard.assignee_id == user.id))
    return or_(
        Zone.unit_id.in_(unit_subtree_ids(user.unit_id)),
        Zone.id.in_(sent_to),
        Zone.head_id == user.id,
    )


def pack_post_scope(user, zone_scope=None):
    """The posts of the offline pack, on Post: those of the user's unit subtree, those in the
    pack's zones, and those the user holds or is a member of (checked in at offline)."""
    zones = select(Zone.id).where(pack_zone_scope(user) if zone_scope is None else zone_scope)
    member_of = select(post_member.c.post_id).where(post_member.c.user_id == user.id)
    return or_(
        Post.unit_id.in_(unit_subtree_ids(user.unit_id)),
        Post.zone_id.in_(zones),
        Post.holder_id == user.id,
        Post.id.in_(member_of),
    )


def task_scope(user):
    """Hazards on which the user may have a step of the loop to take, on Hazard: assigned to them,
    in a zone they head, or (a supervisor) in their subtree. Which step, if any, is the workflow
    table's to say (allowed_actions); admins take none (they comment)."""
    if not may(user, "act_in_loop"):
        return false()
    parts = [
        Hazard.assignee_id == user.id,
        Hazard.zone_id.in_(select(Zone.id).where(Zone.head_id == user.id)),
    ]
    supervised = supervised_units(user)
    if supervised:
        parts.append(Hazard.zone_id.in_(_zones_in(supervised)))
    return or_(*parts) & hazard_scope(user)


def letter_scope(user):
    """Letters addressed to the user; a supervisor also follows those of their subtree, an admin all."""
    if user.role == "admin":
        return true()
    addressed = Letter.id.in_(select(LetterRecipient.letter_id).where(LetterRecipient.user_id == user.id))
    if user.role == "supervisor":
        return addressed | Letter.unit_id.in_(unit_subtree_ids(user.unit_id))
    return addressed


def letter_recipients(unit_id):
    """Who a letter of a unit may be addressed to: its active people and those below, on User."""
    return User.active & User.unit_id.in_(unit_subtree_ids(unit_id))


def may_follow_letter(user, letter):
    """Who signed a letter: admins and supervisors whose subtree holds its unit."""
    return oversees(user, letter.unit_id)


def party_day_scope(user):
    """Activities of the user's unit subtree and of the units above it (their branch's)."""
    if user.role == "admin":
        return true()
    return PartyDay.unit_id.in_(unit_subtree_ids(user.unit_id) | unit_ancestor_ids(user.unit_id))


def party_day_members(party_day):
    """Who an activity is for: active Party members of its branch in its unit subtree, on User."""
    return (
        User.active
        & User.is_party_member
        & (User.party_branch == party_day.branch)
        & User.unit_id.in_(unit_subtree_ids(party_day.unit_id))
    )


def may_run_party_day(user, party_day):
    """Its organizer, supervisors over its unit and admins: who came, its QR and its token."""
    return party_day.organizer_id == user.id or oversees(user, party_day.unit_id)


def may_attend(user, party_day, branch_members):
    """A Party member of the activity's branch (or its organizer) checks in, nobody else: a token
    passed on must not earn another branch's point. `branch_members`: who it is for."""
    return user.is_party_member and (user.id == party_day.organizer_id or user in branch_members)


def attendable_party_days(user):
    """may_attend as a condition on PartyDay, for a list: its organizer, or an active Party member
    of its branch whose unit lies in its unit's subtree (its unit is theirs or above it)."""
    if not user.is_party_member:
        return false()
    organizer = PartyDay.organizer_id == user.id
    if not (user.active and user.party_branch):
        return organizer
    own_line = {user.unit_id} | unit_ancestor_ids(user.unit_id)
    return organizer | ((PartyDay.branch == user.party_branch) & PartyDay.unit_id.in_(own_line))


def require_attendance_right(user, party_day, branch_members):
    """may_attend, or the 403 that says why not."""
    if not user.is_party_member:
        raise Forbidden("errors.attendance_not_member")
    if user.id != party_day.organizer_id and user not in branch_members:
        raise Forbidden("errors.attendance_not_in_branch", branch=party_day.branch)


def require_attended(user, party_day_id, field="party_day_id"):
    """A hazard found during a Party day's on-site check links to it only if the reporter came."""
    attended = db.session.scalar(
        select(Attendance.id).where(Attendance.party_day_id == party_day_id, Attendance.user_id == user.id)
    )
    if attended is None:
        raise field_error(field, "errors.party_day_not_attended")


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
