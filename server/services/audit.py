"""Tamper evidence for the hazard history (HARDENING §4): each event's hash covers its content and
the previous event's hash of the same hazard, so rewriting any row breaks the chain from there on.

hash = sha256(prev_hash + canonical JSON of the event), prev_hash "" for a hazard's first event.
Photos are part of it: an event that attached photos lists their ids and sha256 in
`changes["photos"]`, and each must still be that hazard's photo with that hash.
"""

import hashlib
import json

from sqlalchemy import select

from server.extensions import db
from server.models import HazardEvent, Photo
from server.models.base import now_utc


def canonical(event):
    """The hashed content of an event, independent of the engine's way of storing it."""
    moment = event.created_at.astimezone(now_utc().tzinfo).isoformat(timespec="microseconds")
    content = {
        "hazard_id": event.hazard_id,
        "actor_id": event.actor_id,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "comment": event.comment,
        "changes": event.changes or {},
        "created_at": moment,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash, event):
    return hashlib.sha256(((prev_hash or "") + canonical(event)).encode()).hexdigest()


def seal(event):
    """Give a new event its place in its hazard's chain (the hazard row is locked by the caller)."""
    previous = db.session.scalar(
        select(HazardEvent.hash)
        .where(HazardEvent.hazard_id == event.hazard_id)
        .order_by(HazardEvent.id.desc())
        .limit(1)
    )
    event.prev_hash = previous
    event.hash = chain_hash(previous, event)


def verify_chains():
    """Yield (event id, hazard id, reason) for the first broken link of every broken chain."""
    broken_hazard = None
    previous = {}
    photos = {
        photo_id: (hazard_id, sha)
        for photo_id, hazard_id, sha in db.session.execute(
            select(Photo.id, Photo.hazard_id, Photo.sha256).where(Photo.hazard_id.is_not(None))
        )
    }
    events = db.session.execute(select(HazardEvent).order_by(HazardEvent.hazard_id, HazardEvent.id)).scalars()
    for event in events.yield_per(5000):
        if event.hazard_id == broken_hazard:
            continue
        expected_prev = previous.get(event.hazard_id)
        reason = None
        if event.prev_hash != expected_prev:
            reason = "prev_hash does not link to the previous event"
        elif event.hash != chain_hash(expected_prev, event):
            reason = "content does not match its hash"
        elif any(
            photos.get(p["id"]) != (event.hazard_id, p["sha256"])
            for p in (event.changes or {}).get("photos", [])
        ):
            reason = "a photo it names is missing or altered"
        if reason:
            broken_hazard = event.hazard_id
            yield event.id, event.hazard_id, reason
        previous[event.hazard_id] = event.hash
