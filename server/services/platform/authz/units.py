"""How a user stands to a unit: an admin oversees every unit; a supervisor oversees their unit and
every unit below it; everyone else sees their own unit's subtree."""

from functools import cache

from sqlalchemy import bindparam, select

from server.extensions import db
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.platform.errors import Forbidden, NotFound


# The tree walks are built once, with the unit as a bind parameter: building a recursive CTE
# cost more CPU than running it (about 1 ms), and every list and scope check walks the tree.
@cache
def _subtree():
    tree = select(Unit.id).where(Unit.id == bindparam("unit_id")).cte("subtree", recursive=True)
    tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
    return select(tree.c.id)


def unit_subtree_ids(unit_id):
    """The unit and every unit below it."""
    return set(db.session.scalars(_subtree(), {"unit_id": unit_id}))


@cache
def unit_line():
    """A query of the ids of the unit :unit_id and of every unit above it (also to use inside
    another query, which then takes :unit_id)."""
    tree = (
        select(Unit.id, Unit.parent_id)
        .where(Unit.id == bindparam("unit_id"))
        .cte("ancestors", recursive=True)
    )
    tree = tree.union_all(select(Unit.id, Unit.parent_id).where(Unit.id == tree.c.parent_id))
    return select(tree.c.id)


def unit_ancestor_ids(unit_id):
    """The units above the unit (not the unit itself)."""
    return set(db.session.scalars(unit_line(), {"unit_id": unit_id})) - {unit_id}


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


def zones_in(units):
    return select(Zone.id).where(Zone.unit_id.in_(units))
