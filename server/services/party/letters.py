"""Safety responsibility letters (安全责任书): issued by an admin, signed by each recipient."""

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from server.extensions import db
from server.models.accounts.users import User
from server.models.base import now_utc
from server.models.party.letters import Letter, LetterRecipient
from server.services.places.common import check_unit
from server.services.platform.authz import (
    letter_recipients,
    letter_scope,
    may_follow_letter,
    require_capability,
)
from server.services.platform.described import Described
from server.services.platform.errors import Conflict, NotFound, field_error


def body_hash(body):
    return hashlib.sha256(body.encode()).hexdigest()


def issue_letter(actor, data):
    """One letter, one text, to a set of active users of the letter's unit subtree."""
    require_capability(actor, "issue_letters")
    check_unit(data["unit_id"])
    recipient_ids = sorted(set(data["recipient_ids"]))
    users = db.session.scalars(
        select(User).where(User.id.in_(recipient_ids), letter_recipients(data["unit_id"]))
    ).all()
    if len(users) != len(recipient_ids):
        raise field_error("recipient_ids", "errors.recipient_outside_unit")
    letter = Letter(
        issued_by_id=actor.id,
        body_hash=body_hash(data["body"]),
        **{key: data[key] for key in ("title", "year", "layer", "body", "unit_id")},
    )
    letter.recipients = [LetterRecipient(user_id=user.id) for user in users]
    db.session.add(letter)
    db.session.flush()
    return letter


def get_letter(actor, letter_id):
    """A recipient reads their own letter; admins and supervisors over its unit follow it."""
    letter = db.session.get(Letter, letter_id)
    mine = letter and next((r for r in letter.recipients if r.user_id == actor.id), None)
    if letter is None or (mine is None and not may_follow_letter(actor, letter)):
        raise NotFound("errors.not_found")
    return letter, mine


def describe_letter(actor, letter, mine):
    follows = may_follow_letter(actor, letter)
    signed = sum(1 for r in letter.recipients if r.signed_at is not None)
    return Described(
        letter,
        mine=mine,
        recipient_count=len(letter.recipients),
        signed_count=signed,
        recipients=letter.recipients if follows else None,
        may_follow=follows,
    )


def list_letters(actor, year=None, unsigned=False):
    """Letters addressed to the caller, and for admins/supervisors those they follow; with
    unsigned=True only those waiting for the caller's signature (the home screen's reminder)."""
    query = select(Letter).options(selectinload(Letter.recipients)).order_by(Letter.id.desc())
    if unsigned:
        waiting = select(LetterRecipient.letter_id).where(
            LetterRecipient.user_id == actor.id, LetterRecipient.signed_at.is_(None)
        )
        query = query.where(Letter.id.in_(waiting))
    else:
        query = query.where(letter_scope(actor))
    if year is not None:
        query = query.where(Letter.year == year)
    letters = db.session.scalars(query.limit(200)).all()
    return [
        describe_letter(actor, letter, next((r for r in letter.recipients if r.user_id == actor.id), None))
        for letter in letters
    ]


def sign_letter(actor, letter_id, data):
    """Typed full name as the signature, over the exact text the phone showed (its hash)."""
    letter, mine = get_letter(actor, letter_id)
    if mine is None:
        raise NotFound("errors.not_found")
    # Locked: a second signature sent at the same moment waits, then sees this one.
    mine = db.session.scalar(select(LetterRecipient).where(LetterRecipient.id == mine.id).with_for_update())
    if mine.signed_at is not None:
        if mine.signed_hash == data["body_hash"] and mine.signature == data["signature"].strip():
            return letter, mine  # a replay of the same signature
        raise Conflict("errors.letter_already_signed")
    if data["body_hash"] != letter.body_hash:
        raise Conflict("errors.letter_text_changed")
    if _normal(data["signature"]) != _normal(actor.name):
        raise field_error("signature", "errors.signature_mismatch")
    mine.signature = data["signature"].strip()
    mine.signed_hash = letter.body_hash
    mine.signed_at = now_utc()
    db.session.flush()
    return letter, mine


def _normal(name):
    return "".join(name.split()).casefold()
