"""What zones and posts share: unique codes, a unit, a QR token, a responsible Party member."""

from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.places.units import Unit
from server.services.platform.authz import get_or_404, why_not_responsible
from server.services.platform.errors import field_error


def check_code_free(model, code, object_id=None):
    existing = db.session.scalar(select(model).where(model.code == code))
    if existing is not None and existing.id != object_id:
        raise field_error("code", "errors.code_taken")


def check_unit(unit_id):
    if db.session.get(Unit, unit_id) is None:
        raise field_error("unit_id", "errors.unknown_unit")


def check_party_member(field, user_id, unit_id, role=None):
    """A zone head or post holder: an active Party member whose unit covers the place's unit."""
    user = db.session.get(User, user_id)
    problem = why_not_responsible(user, unit_id, role)
    if problem is not None:
        raise field_error(field, problem)
    return user


def merged(obj, data, *keys):
    """The value of each key after applying data to obj (for checks that span fields)."""
    return tuple(data[key] if key in data else getattr(obj, key) for key in keys)


def check_location(obj, data):
    """lat and lng stay together after a partial change, like the CHECK constraint demands."""
    if obj is None:
        lat, lng = data.get("lat"), data.get("lng")
    else:
        lat, lng = merged(obj, data, "lat", "lng")
    if (lat is None) != (lng is None):
        raise field_error("lat", "errors.lat_lng_together")


def apply_changes(obj, data):
    for key, value in data.items():
        setattr(obj, key, value)
    db.session.flush()
    return obj


def rotate_token(obj):
    obj.rotate_token()
    db.session.flush()
    return obj


def get_place(model, object_id):
    return get_or_404(model, object_id)
