"""What a phone keeps for no signal (the offline pack, DESIGN §6): the zones and posts it may
scan, and the hazards on which its user may have a step of the loop to take."""

from sqlalchemy import false, or_, select

from server.models.loop.hazards import Hazard
from server.models.places.posts import Post, post_member
from server.models.places.zones import Zone
from server.services.platform.authz.records import hazard_scope
from server.services.platform.authz.roles import may
from server.services.platform.authz.units import supervised_units, unit_subtree_ids, zones_in


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
        parts.append(Hazard.zone_id.in_(zones_in(supervised)))
    return or_(*parts) & hazard_scope(user)
