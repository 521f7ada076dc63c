"""Letters of responsibility and Party days: who follows, runs and attends them."""

from sqlalchemy import false, select, true

from server.extensions import db
from server.models.accounts.users import User
from server.models.party.letters import Letter, LetterRecipient
from server.models.party.party_days import Attendance, PartyDay
from server.services.platform.authz.units import oversees, unit_ancestor_ids, unit_subtree_ids
from server.services.platform.errors import Forbidden, field_error


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


def why_not_attend(user, party_day, branch_members):
    """A Party member of the activity's branch (or its organizer) checks in, nobody else: a token
    passed on must not earn another branch's point. `branch_members`: who it is for. The reason
    why not (an i18n key taking {branch}), or None."""
    if not user.is_party_member:
        return "errors.attendance_not_member"
    if user.id != party_day.organizer_id and user not in branch_members:
        return "errors.attendance_not_in_branch"
    return None


def may_attend(user, party_day, branch_members):
    return why_not_attend(user, party_day, branch_members) is None


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
    reason = why_not_attend(user, party_day, branch_members)
    if reason is not None:
        raise Forbidden(reason, branch=party_day.branch)


def require_attended(user, party_day_id, field="party_day_id"):
    """A hazard found during a Party day's on-site check links to it only if the reporter came."""
    attended = db.session.scalar(
        select(Attendance.id).where(Attendance.party_day_id == party_day_id, Attendance.user_id == user.id)
    )
    if attended is None:
        raise field_error(field, "errors.party_day_not_attended")
