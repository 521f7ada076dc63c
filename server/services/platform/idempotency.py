"""Creates a phone may send twice: the same client UUID gives back the first record.

HARDENING §2.1: look up first; insert inside a savepoint; on a unique-key race roll the
savepoint back and return the row the other request stored. The same key with a different
body is a 422, and another user's key never finds this user's record.
"""

import hashlib
import json
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.services.platform.errors import Unprocessable


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value))


def request_hash(payload):
    """A canonical hash of what the client sent (sorted keys, ISO dates)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def find_existing(model, owner_column, owner_id, client_uuid, payload_hash, hash_attr="request_hash"):
    """The record this owner already created with this key, or None; a different body is 422."""
    existing = db.session.scalar(
        select(model).where(owner_column == owner_id, model.client_uuid == client_uuid)
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
