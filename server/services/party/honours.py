"""Honours (安全生产优秀共产党员, 安全生产先进党支部): proposed by the ranking, confirmed by a
supervisor once the month is over, and kept as history with the score they were given for."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from server.extensions import db
from server.models.party.honours import Honour
from server.services.party.scorecards import honour_subject, ranking
from server.services.platform.authz import require_capability, unit_subtree_ids, units_within
from server.services.platform.errors import Conflict, field_error

KIND_OF = {"excellent_member": "member", "advanced_branch": "branch"}


def confirm_honour(actor, data):
    """Record an honour for a ranked member or branch of the supervisor's subtree."""
    require_capability(actor, "confirm_honours")
    title, unit_id = data["title"], data["unit_id"]
    units_within(actor, unit_id)
    board = ranking(actor, unit_id, data["month"], KIND_OF[title])
    if not board["month_over"]:
        raise Conflict("errors.month_not_over")
    field = "user_id" if title == "excellent_member" else "branch"
    key = str(data.get(field))
    # Only what the ranking proposes: the top places with a positive score.
    row = next((row for row in board["proposals"] if row["key"] == key), None)
    if row is None:
        raise field_error(field, "errors.not_ranked")
    if row["confirmed"]:  # recorded already (the unique index settles a race below)
        raise Conflict("errors.honour_exists")
    subject = honour_subject(title, key)
    honour = Honour(
        title=title,
        month=board["month"],
        unit_id=unit_id,
        user_id=int(key) if title == "excellent_member" else None,
        branch=key if title == "advanced_branch" else None,
        subject=subject,
        score=row["score"],
        rank=row["rank"],
        confirmed_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():  # two supervisors confirming at once: one wins, one is told
            db.session.add(honour)
            db.session.flush()
    except IntegrityError as error:
        raise Conflict("errors.honour_exists") from error
    return honour


def list_honours(actor, unit_id=None):
    """The history: honours of units the caller sees (everyone sees their own unit's)."""
    units = unit_subtree_ids(actor.unit_id) if unit_id is None else units_within(actor, unit_id)
    return db.session.scalars(
        select(Honour)
        .options(selectinload(Honour.user), selectinload(Honour.confirmed_by))
        .where(Honour.unit_id.in_(units))
        .order_by(Honour.month.desc(), Honour.id)
    ).all()
