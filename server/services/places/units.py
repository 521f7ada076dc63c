"""Units: the organisation tree (admin)."""

from sqlalchemy import select

from server.extensions import db
from server.models.places.units import Unit
from server.schemas.places.units import UnitInSchema
from server.services.accounts.admin_log import difference, record_admin_change
from server.services.places.common import check_code_free
from server.services.platform.authz import get_or_404, require_capability, unit_subtree_ids
from server.services.platform.csv_import import import_rows, read_csv
from server.services.platform.errors import field_error


def list_units(actor):
    """The whole tree, parents before children (admin)."""
    require_capability(actor, "manage_accounts")
    return db.session.scalars(select(Unit).order_by(Unit.id)).all()


def find_by_code(code):
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _check_parent(parent_id, unit_id=None):
    if parent_id is None:
        return
    if db.session.get(Unit, parent_id) is None:
        raise field_error("parent_id", "errors.unknown_unit")
    if unit_id is not None and parent_id in unit_subtree_ids(unit_id):
        raise field_error("parent_id", "errors.unit_cycle")


def create_unit(actor, data):
    """A new unit (admin)."""
    require_capability(actor, "manage_accounts")
    unit = add_unit(data)
    record_admin_change(actor, "unit_created", unit, {"parent_id": unit.parent_id})
    return unit


def import_units(actor, raw):
    """Units from a CSV file (admin): all rows or none; a parent may be a unit earlier in the file."""
    require_capability(actor, "manage_accounts")
    return len(import_rows(read_csv(raw), UnitInSchema(), add_unit))


def add_unit(data):
    check_code_free(Unit, data["code"])
    _check_parent(data.get("parent_id"))
    unit = Unit(**data)
    db.session.add(unit)
    db.session.flush()
    return unit


def update_unit(actor, unit_id, data):
    """Rename, recode or move a unit (admin); a unit cannot move below itself."""
    require_capability(actor, "manage_accounts")
    unit = get_or_404(Unit, unit_id)
    if "code" in data:
        check_code_free(Unit, data["code"], unit.id)
    if "parent_id" in data:
        _check_parent(data["parent_id"], unit.id)
    record_admin_change(actor, "unit_changed", unit, difference(unit, data))
    for key, value in data.items():
        setattr(unit, key, value)
    db.session.flush()
    return unit


def root_unit():
    """The first unit without a parent, created on demand for `users create` on an empty system."""
    unit = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    if unit is None:
        unit = add_unit({"code": "ROOT", "name": "Company"})
    return unit
