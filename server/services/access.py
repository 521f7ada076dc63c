"""Reusable guards: roles and unit-subtree scoping (HARDENING §8.1)."""

from sqlalchemy import select

from server.extensions import db
from server.models import Unit
from server.services.errors import Forbidden, NotFound

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
