"""The zone opened to the public: its board (信息公示栏), guest reports (访客上报) and receipts.

Nothing here needs an account, so nothing here reveals more than the sign itself does: a
zone's name and anonymised counts, and for a receipt only its own hazard's progress."""

import hashlib
import hmac
import secrets
import uuid
from base64 import b32encode
from datetime import datetime, time

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.models.accounts.users import User
from server.models.loop.hazards import Hazard
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.accounts import passwords
from server.services.accounts.users import GUEST_USERNAME
from server.services.field.photos import discard_prepared, prepare_photo, record_photo
from server.services.loop.hazards import report_hazard
from server.services.loop.overdue import is_overdue, overdue_condition
from server.services.platform.clock import site_today, site_zone
from server.services.platform.errors import Forbidden, NotFound, field_error
from server.vocabulary import OPEN_STATUSES


def board_zone(token):
    zone = db.session.scalar(select(Zone).where(Zone.qr_token == token, Zone.active))
    if zone is None:
        raise NotFound("errors.sign_unknown")
    return zone


def zone_board(token):
    """What anyone who scans the sign may know: the zone, its head if allowed, plain counts."""
    zone = board_zone(token)
    today = site_today()
    month_start = datetime.combine(today.replace(day=1), time(), site_zone())
    in_zone = select(func.count()).select_from(Hazard).where(Hazard.zone_id == zone.id)
    return {
        "code": zone.code,
        "name": zone.name,
        "unit_name": zone.unit.name,
        "responsibilities": zone.responsibilities,
        "head_name": zone.head.name if current_app.config["PUBLIC_HEAD_NAMES"] else None,
        "open": db.session.scalar(in_zone.where(Hazard.status.in_(OPEN_STATUSES))),
        "overdue": db.session.scalar(in_zone.where(overdue_condition(today))),
        "closed_this_month": db.session.scalar(
            in_zone.where(Hazard.status == "closed", Hazard.closed_at >= month_start)
        ),
        "guest_reports": zone.guest_reports,
    }


def guest_reporter():
    """The guests' account, made on first use under the root unit."""
    guest = db.session.scalar(select(User).where(User.username == GUEST_USERNAME))
    if guest is not None:
        return guest
    root = db.session.scalar(select(Unit.id).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(1))
    try:
        with db.session.begin_nested():
            guest = User(
                username=GUEST_USERNAME,
                name="访客 Guest",
                role="worker",
                unit_id=root,
                active=False,
                password_hash=passwords.hash_password(secrets.token_urlsafe(32)),
            )
            db.session.add(guest)
            db.session.flush()
    except IntegrityError:  # another guest's first report made it meanwhile
        guest = db.session.scalar(select(User).where(User.username == GUEST_USERNAME))
    return guest


def receipt_code(client_uuid):
    """Derived from the report's client UUID with the app's secret, so a retried report gets
    the same receipt back while the database keeps only its hash."""
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, f"receipt:{client_uuid}".encode(), hashlib.sha256).digest()
    text = b32encode(digest[:10]).decode()  # 80 bits, 16 characters without 0/1/8/9
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


def receipt_hash(code):
    # Typed from a screenshot or a note: case, dashes and the digits 0 and 1 (never in a code)
    # read as the letters O and I do not matter.
    normal = "".join(ch for ch in code.upper() if ch.isalnum()).translate(str.maketrans("01", "OI"))
    return hashlib.sha256(normal.encode()).hexdigest()


def report_as_guest(token, data, uploads):
    """(receipt, created): a guest's report lands as `reported` in that zone, marked as a guest's;
    its photos come in the same request and are stored like any other (decoded before any query)."""
    if len(uploads) > current_app.config["GUEST_PHOTOS_MAX"] or not all(hasattr(f, "read") for f in uploads):
        raise field_error("photos", "errors.guest_photos")
    prepared = []
    try:
        for upload in uploads:
            prepared.append(prepare_photo(upload.read()))
        return _file_guest_report(token, data, prepared)
    except Exception:
        discard_prepared(prepared)  # the rows roll back with the request: no file may stay behind
        raise


def _file_guest_report(token, data, prepared):
    zone = board_zone(token)
    if not zone.guest_reports:
        raise Forbidden("errors.guest_reports_off")
    guest = guest_reporter()
    photo_ids = []
    for index, each in enumerate(prepared):
        photo_uuid = str(uuid.uuid5(uuid.UUID(data["client_uuid"]), str(index)))
        photo, _ = record_photo(guest, photo_uuid, each, {}, quota=False)
        photo_ids.append(photo.id)
    code = receipt_code(data["client_uuid"])
    report = {
        **{key: data.get(key) for key in ("client_uuid", "title", "description", "category", "lat", "lng")},
        "client_at": data.get("client_at"),
        "zone_id": zone.id,
        "level": "general",  # the zone head judges the level when confirming
        "photo_ids": photo_ids,
    }
    _, created = report_hazard(guest, report, receipt_hash=receipt_hash(code), guest_phone=data.get("phone"))
    return {**follow_receipt(code), "receipt": code}, created


def follow_receipt(code):
    """A receipt shows its own hazard's progress, never its internals or anything else."""
    hazard = db.session.scalar(select(Hazard).where(Hazard.receipt_hash == receipt_hash(code)))
    if hazard is None:
        raise NotFound("errors.receipt_unknown")
    return {
        "number": hazard.number,
        "zone_name": hazard.zone.name,
        "title": hazard.title,
        "status": hazard.status,
        "reported_at": hazard.created_at,
        "confirmed_at": hazard.confirmed_at,
        "deadline": hazard.deadline,
        "overdue": is_overdue(hazard, site_today()),
        "closed_at": hazard.closed_at,
        "rejected_at": hazard.rejected_at,
    }
