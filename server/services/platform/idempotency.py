"""Requests a phone may send twice (HARDENING §2): the same key gives back the first outcome.

One mechanism for both kinds: a create carries its record's client UUID (`create_once`), an
action on a record an Idempotency-Key header (`answer_once`). Either way: look up first; do the
work and store the key inside a savepoint; on a unique-key race roll the savepoint back and
return what the other request stored. The same key with a different body is a 422, and another
user's key never finds this user's outcome.
"""

import hashlib
import json
from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.models.platform.idempotency import IdempotencyKey
from server.services.platform.errors import Unprocessable


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value))


def request_hash(payload):
    """A canonical hash of what the client sent (sorted keys, ISO dates)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def _created_with_key(model, owner_column):
    """The record of :owner_id with :client_uuid; built once per kind of record (building cost
    more than running it, on every create)."""
    return select(model).where(
        owner_column == bindparam("owner_id"), model.client_uuid == bindparam("client_uuid")
    )


def find_existing(model, owner_column, owner_id, client_uuid, payload_hash, hash_attr="request_hash"):
    """The record this owner already created with this key, or None; a different body is 422."""
    existing = db.session.scalar(
        _created_with_key(model, owner_column), {"owner_id": owner_id, "client_uuid": client_uuid}
    )
    if existing is not None and getattr(existing, hash_attr) != payload_hash:
        raise Unprocessable(
            "errors.client_uuid_reused", errors={"client_uuid": ["errors.client_uuid_reused"]}
        )
    return existing


def create_once(model, owner_column, owner_id, client_uuid, payload_hash, build, hash_attr="request_hash"):
    """(record, created): build() runs only when no record has this key yet."""
    existing = find_existing(model, owner_column, owner_id, client_uuid, payload_hash, hash_attr)
    if existing is not None:
        return existing, False
    try:
        with db.session.begin_nested():
            record = build()
            db.session.add(record)
            db.session.flush()
    except IntegrityError:
        # Another request with the same key committed between our look-up and our insert.
        existing = find_existing(model, owner_column, owner_id, client_uuid, payload_hash, hash_attr)
        if existing is None:
            raise
        return existing, False
    return record, True


def _stored_answer(user_id, key, payload_hash):
    stored = db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    )
    if stored is not None and stored.request_hash != payload_hash:
        raise Unprocessable("errors.idempotency_key_reused")
    return stored


def answer_once(user_id, key, payload_hash, act):
    """act()'s answer, stored under the key in act's own transaction; the same key again gives the
    stored answer without acting. No key: act() alone."""
    if key is None:
        return act()
    stored = _stored_answer(user_id, key, payload_hash)
    if stored is not None:
        return stored.response_json
    try:
        with db.session.begin_nested():
            answer = act()
            db.session.add(
                IdempotencyKey(
                    user_id=user_id, key=key, request_hash=payload_hash, status_code=200, response_json=answer
                )
            )
            db.session.flush()
    except IntegrityError:
        # The same key committed by another request since our look-up: its answer, not a second act.
        stored = _stored_answer(user_id, key, payload_hash)
        if stored is None:
            raise
        return stored.response_json
    return answer
