"""Safety-themed Party days (安全生产主题党日): planned with a QR code, attended by scanning it."""

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from server.extensions import db
from server.models.accounts.users import User
from server.models.base import now_utc
from server.models.loop.hazards import Hazard
from server.models.party.party_days import Attendance, PartyDay
from server.services.field.geofence import where_checked_in
from server.services.places.common import check_location, check_unit
from server.services.platform.authz import (
    may_run_party_day,
    party_day_members,
    party_day_scope,
    require_attendance_right,
    require_capability,
    units_within,
    why_not_attend,
)
from server.services.platform.described import Described
from server.services.platform.errors import Conflict, NotFound, field_error
from server.services.platform.idempotency import create_once, request_hash
from server.services.platform.pagination import keyset_page

# Members arrive early; the check-in opens this long before the start and closes at the end.
EARLY_CHECKIN = timedelta(minutes=30)


def _check_organizer_scope(actor, unit_id):
    require_capability(actor, "organize_party_days")
    check_unit(unit_id)
    units_within(actor, unit_id)


def plan_party_day(actor, data):
    """A zone head or supervisor plans an activity for a branch of their unit subtree."""
    _check_organizer_scope(actor, data["unit_id"])
    if data["ends_at"] <= data["starts_at"]:
        raise field_error("ends_at", "errors.ends_before_start")
    check_location(None, data)
    if data.get("lat") is not None and not data.get("radius_m"):
        raise field_error("radius_m", "errors.radius_needed")  # else every check-in is "outside"
    if data.get("geofence_required") and data.get("lat") is None:
        raise field_error("geofence_required", "errors.geofence_needs_location")
    party_day = PartyDay(organizer_id=actor.id, **data)
    db.session.add(party_day)
    db.session.flush()
    return party_day


def get_party_day(party_day_id):
    """Party days are visible to every signed-in user, like the signs of zones and posts."""
    party_day = db.session.get(PartyDay, party_day_id)
    if party_day is None:
        raise NotFound("errors.not_found")
    return party_day


def party_day_for_qr(actor, party_day_id):
    """The activity, if the actor runs it (its QR is the check-in token); 404 otherwise."""
    party_day = get_party_day(party_day_id)
    if not may_run_party_day(actor, party_day):
        raise NotFound("errors.not_found")
    return party_day


def branch_members(party_day):
    """The Party members the activity is for: active members of its branch in its unit subtree."""
    return db.session.scalars(
        select(User).where(party_day_members(party_day)).order_by(User.name, User.id)
    ).all()


def check_in_window(party_day):
    return party_day.starts_at - EARLY_CHECKIN, party_day.ends_at


def describe_party_day(actor, party_day):
    """The activity with counts; names of attendees and absentees for those who may see them."""
    opens, closes = check_in_window(party_day)
    attendances = db.session.scalars(
        select(Attendance)
        .options(selectinload(Attendance.user))
        .where(Attendance.party_day_id == party_day.id)
        .order_by(Attendance.id)
    ).all()
    mine = next((a for a in attendances if a.user_id == actor.id), None)
    members = branch_members(party_day)
    came = {a.user_id for a in attendances}
    hazards = db.session.scalar(select(func.count()).where(Hazard.party_day_id == party_day.id))
    described = Described(
        party_day,
        check_in_opens_at=opens,
        check_in_open=opens <= now_utc() <= closes,
        attendance_count=len(attendances),
        expected_count=len(members),
        expected_attended=sum(1 for m in members if m.id in came),
        hazard_count=hazards,
        my_attendance=mine,
        attendees=None,
        absentees=None,
        qr_token=None,  # the check-in token is shown only to those who run the activity
        may_manage=may_run_party_day(actor, party_day),
        attend_refusal=why_not_attend(actor, party_day, members),
    )
    described.allowed_actions = [] if described.attend_refusal else ["attend"]
    if described.may_manage:
        described.attendees = attendances
        described.absentees = [m for m in members if m.id not in came]
        described.qr_token = party_day.qr_token
    return described


def list_party_days(actor, upcoming=None, limit=50, cursor=None):
    """Activities of the caller's unit subtree and of the units above it (their branch's)."""
    query = select(PartyDay).where(party_day_scope(actor))
    if upcoming is not None:
        now = now_utc()
        query = query.where(PartyDay.ends_at >= now if upcoming else PartyDay.ends_at < now)
    return keyset_page(query, PartyDay.id, limit, cursor)


def check_in(actor, data):
    """(attendance, created): scanning the activity's QR; once per member, idempotent."""
    payload_hash = request_hash(data)
    # Locked: two scans at once (two client UUIDs) must find one check-in, not race to a 500.
    party_day = db.session.scalar(
        select(PartyDay).where(PartyDay.qr_token == data["token"]).with_for_update()
    )
    if party_day is None:
        raise NotFound("errors.sign_unknown")
    require_attendance_right(actor, party_day, branch_members(party_day))
    earlier = db.session.scalar(
        select(Attendance).where(Attendance.party_day_id == party_day.id, Attendance.user_id == actor.id)
    )
    if earlier is not None:
        return earlier, False

    def build():
        opens, closes = check_in_window(party_day)
        if not opens <= now_utc() <= closes:
            raise Conflict("errors.party_day_closed")
        position = where_checked_in(party_day, data, required=party_day.geofence_required)
        return Attendance(
            party_day_id=party_day.id,
            user_id=actor.id,
            client_uuid=data["client_uuid"],
            request_hash=payload_hash,
            client_at=data.get("client_at"),
            **position,
        )

    return create_once(Attendance, Attendance.user_id, actor.id, data["client_uuid"], payload_hash, build)
