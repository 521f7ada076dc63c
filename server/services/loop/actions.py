"""The actions of the rectification loop: guard → mutate → event → notify → flush.

Checked in this order (HARDENING §8.3): not visible → 404; admin transition → 403; action
illegal in the current state → 409; legal but not this user's → 403; stale version → 409;
missing or invalid field → 422.
"""

from marshmallow import ValidationError
from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.base import now_utc
from server.schemas.loop.hazards import ACTION_SCHEMAS, HazardDetailSchema
from server.services.accounts.admin_log import difference
from server.services.field.photos import take_photos
from server.services.loop import workflow
from server.services.loop.hazards import (
    describe_hazard,
    get_visible_hazard,
    record_event,
    relations,
    require_verifier,
    verifiers_of,
)
from server.services.loop.notifications import nearest_supervisors, notify
from server.services.platform.authz import assignable, may, supervised_units, supervises
from server.services.platform.clock import site_datetime, site_today
from server.services.platform.errors import (
    Forbidden,
    IllegalAction,
    NotFound,
    StaleVersion,
    Unprocessable,
    field_error,
)
from server.services.platform.idempotency import answer_once, request_hash


def perform_action(actor, hazard_id, action, body, idempotency_key=None):
    """Run one action and answer the hazard as the actor now sees it (a replayed key: the first answer)."""
    if action not in workflow.ACTIONS:
        raise NotFound("errors.not_found")
    hazard = get_visible_hazard(actor, hazard_id, lock=True)  # serialises writers on PostgreSQL

    def act():
        data = _guard(actor, hazard, action, body)
        HANDLERS[action](actor, hazard, data)
        db.session.flush()
        return HazardDetailSchema().dump(describe_hazard(actor, hazard))

    payload_hash = request_hash({"hazard": hazard_id, "action": action, "body": body})
    return answer_once(actor.id, idempotency_key, payload_hash, act)


def _guard(actor, hazard, action, body):
    if action != "comment" and not may(actor, "act_in_loop"):
        raise Forbidden("errors.admin_not_actor")
    pending = hazard.extension_deadline is not None
    if not workflow.is_legal(hazard.status, action, pending):
        raise IllegalAction(
            "errors.illegal_action", action=f"labels.action.{action}", status=f"labels.status.{hazard.status}"
        )
    if not workflow.may(hazard.status, action, relations(actor, hazard, supervised_units(actor))):
        raise Forbidden("errors.action_not_yours")
    if action != "comment":
        version = body.get("version") if isinstance(body, dict) else None
        if not isinstance(version, int) or isinstance(version, bool):
            raise field_error("version", "errors.version_required")
        if version != hazard.version:
            raise StaleVersion("errors.stale_version")
    try:
        return ACTION_SCHEMAS[action]().load(body)
    except ValidationError as error:
        raise Unprocessable("errors.invalid_fields", errors=error.messages) from error


def _assignee(hazard, user_id, field="assignee_id"):
    """Someone who can take the fix on: an active non-admin of the zone's unit or below."""
    user = db.session.scalar(select(User).where(User.id == user_id, assignable(hazard.zone.unit_id)))
    if user is None:
        raise field_error(field, "errors.assignee_invalid")
    return user


def _changes(hazard, **values):
    """Set the values and return {field: [old, new]} for the event."""
    changes = difference(hazard, values)
    for key in changes:
        setattr(hazard, key, values[key])
    return changes


def _transition(actor, hazard, action, comment=None, changes=None, photos=()):
    before = hazard.status
    hazard.status = workflow.next_status(before, action)
    record_event(hazard, actor, action, before, hazard.status, comment, changes, photos=photos)


def confirm_hazard(actor, hazard, data):
    """Confirm a report: someone answerable, a deadline and measures; a major one is supervised."""
    if data["deadline"] < site_today():
        raise field_error("deadline", "errors.deadline_past")
    _assignee(hazard, data["assignee_id"])
    values = {
        key: data.get(key)
        for key in ("assignee_id", "deadline", "level", "measures", "funds", "contingency_plan")
    }
    if data["level"] == "major":
        missing = [key for key in ("funds", "contingency_plan") if not (data.get(key) or "").strip()]
        if missing:
            raise Unprocessable("errors.major_plan", errors={key: ["errors.required"] for key in missing})
        supervisors = (
            [actor.id] if supervises(actor, hazard.zone.unit_id) else nearest_supervisors(hazard.zone.unit_id)
        )
        if not supervisors:
            raise field_error("level", "errors.no_supervisor")
        values["supervisor_id"] = supervisors[0]
    changes = _changes(hazard, confirmed_at=now_utc(), **values)
    _transition(actor, hazard, "confirm", changes=changes)
    notify([hazard.assignee_id], "hazard_assigned", hazard, actor)
    if hazard.level == "major":
        notify(nearest_supervisors(hazard.zone.unit_id), "hazard_major", hazard, actor)


def reject_hazard(actor, hazard, data):
    """Not a hazard (or a duplicate): closed out with a reason the reporter sees."""
    duplicate_of = data.get("duplicate_of")
    if duplicate_of is not None:
        if duplicate_of == hazard.id:
            raise field_error("duplicate_of", "errors.duplicate_self")
        try:
            get_visible_hazard(actor, duplicate_of)
        except NotFound as error:
            raise field_error("duplicate_of", "errors.duplicate_unknown") from error
    changes = _changes(hazard, rejected_at=now_utc(), duplicate_of_id=duplicate_of)
    _transition(actor, hazard, "reject", data["reason"], changes)
    notify([hazard.reporter_id], "hazard_rejected", hazard, actor)


def submit_rectification(actor, hazard, data):
    """The fix is done: after-photos and a note go to the verifier."""
    require_verifier(hazard, actor.id)  # before any change: its queries would flush half a change
    photos = take_photos(actor, data["photo_ids"], hazard_id=hazard.id, stage="rectification")
    # A pending extension request is moot once the fix is in.
    changes = _changes(
        hazard,
        submitted_at=now_utc(),
        submitted_by_id=actor.id,
        extension_deadline=None,
        extension_reason=None,
    )
    _transition(actor, hazard, "submit", data["note"], changes, photos)
    notify(verifiers_of(hazard), "hazard_submitted", hazard, actor)


def accept_rectification(actor, hazard, data):
    """Verified on site: the loop closes."""
    now = now_utc()
    late = site_datetime(now).date() > hazard.deadline
    changes = _changes(hazard, closed_at=now, closed_late=late, verifier_id=actor.id)
    _transition(actor, hazard, "accept", data.get("comment"), changes)
    notify([hazard.reporter_id, hazard.assignee_id], "hazard_closed", hazard, actor)


def return_rectification(actor, hazard, data):
    """Not good enough: back to the responsible person with a reason."""
    changes = _changes(hazard, submitted_by_id=None)
    _transition(actor, hazard, "return", data["reason"], changes)
    notify([hazard.assignee_id], "hazard_returned", hazard, actor)


def extend_deadline(actor, hazard, data):
    """A supervisor moves the deadline later; a pending request is settled by it."""
    if data["deadline"] <= hazard.deadline:
        raise field_error("deadline", "errors.deadline_not_later")
    changes = _changes(hazard, deadline=data["deadline"], extension_deadline=None, extension_reason=None)
    _transition(actor, hazard, "extend", data["reason"], changes)
    notify([hazard.assignee_id, hazard.zone.head_id], "extension_granted", hazard, actor)


def request_extension(actor, hazard, data):
    """Ask the supervisors for more time; the status stays, the request shows on their list."""
    if data["deadline"] <= hazard.deadline:
        raise field_error("deadline", "errors.deadline_not_later")
    changes = _changes(hazard, extension_deadline=data["deadline"], extension_reason=data["reason"])
    _transition(actor, hazard, "request_extension", data["reason"], changes)
    notify(nearest_supervisors(hazard.zone.unit_id), "extension_requested", hazard, actor)


def deny_extension(actor, hazard, data):
    changes = _changes(hazard, extension_deadline=None, extension_reason=None)
    _transition(actor, hazard, "deny_extension", data["reason"], changes)
    notify([hazard.assignee_id, hazard.zone.head_id], "extension_denied", hazard, actor)


def reassign_hazard(actor, hazard, data):
    """Another responsible person takes over the fix."""
    if data["assignee_id"] == hazard.assignee_id:
        raise field_error("assignee_id", "errors.assignee_unchanged")
    _assignee(hazard, data["assignee_id"])
    changes = _changes(hazard, assignee_id=data["assignee_id"])
    _transition(actor, hazard, "reassign", data.get("reason"), changes)
    notify([hazard.assignee_id], "hazard_assigned", hazard, actor)


def comment_on_hazard(actor, hazard, data):
    """A note on the timeline; not a transition, so the version stays."""
    record_event(hazard, actor, "comment", None, None, data["text"])


HANDLERS = {
    "confirm": confirm_hazard,
    "reject": reject_hazard,
    "submit": submit_rectification,
    "accept": accept_rectification,
    "return": return_rectification,
    "extend": extend_deadline,
    "request_extension": request_extension,
    "deny_extension": deny_extension,
    "reassign": reassign_hazard,
    "comment": comment_on_hazard,
}
