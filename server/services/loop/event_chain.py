"""Tamper evidence for the hazard history (HARDENING §4, issue 20): three checks, each against a
way of rewriting the past that the others miss.

1. A keyed chain. hash = HMAC-SHA256(AUDIT_KEY, prev_hash + canonical JSON of the event), chained
   per hazard (prev_hash "" for its first event). The key lives in the environment, never in the
   database, so whoever can edit rows (triggers dropped, a superuser, a copied SQLite file) cannot
   seal an edited or forged event again. Photos are part of it: an event that attached photos
   lists their ids and sha256 in `changes["photos"]`, and each must still be that hazard's photo.
2. An anchor outside the database (services/loop/chain_anchor.py): a deleted last event leaves a
   shorter chain that is perfectly valid, but not the head the anchor file holds.
3. A replay. Each event seals the hazard's audited fields as it leaves them (`state`); events
   older than that column only their status move and `changes`. The replay must give the
   hazard row, so a deadline or assignee changed in the table is named with its field.

Events sealed before the key existed were re-sealed by migration 0011, after it had checked their
unkeyed chain link by link and refused to run at any broken link. An auditor then has one rule for
every event, and nothing is left that can be rewritten without the key. The re-seal vouches for
no more than the unkeyed chain did at that moment. Keeping the two schemes side by side would
leave the old events rewritable forever, and `verify` would have to accept an unkeyed seal
wherever an attacker chose to label an event old.
"""

import hashlib
import hmac
import json
from itertools import groupby
from operator import attrgetter

from flask import current_app
from sqlalchemy import select

from server.config import check_audit_key
from server.extensions import db
from server.models.base import now_utc
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard, HazardEvent
from server.services.accounts.admin_log import plain
from server.services.loop import chain_anchor

# What the replay compares with the hazard row: everything a decision in the loop sets.
AUDITED = (
    "status", "level", "category", "zone_id", "title", "description", "assignee_id", "deadline",
    "measures", "funds", "contingency_plan", "supervisor_id", "verifier_id", "submitted_by_id",
    "duplicate_of_id", "extension_deadline", "extension_reason", "closed_late",
)  # fmt: skip
# Kinds of problem that keep `flask audit anchor` from anchoring a hazard's head (anchor_heads).
BLOCKS_ANCHOR, BLOCKS_REBASE = {"chain", "anchor"}, {"chain"}


def audit_key():
    """The HMAC key: AUDIT_KEY (required in production), else one derived from SECRET_KEY, which
    development keeps in instance/secret_key."""
    config = current_app.config
    if config["ENVIRONMENT"] == "production":
        return check_audit_key(config).encode()
    if config.get("AUDIT_KEY"):
        return config["AUDIT_KEY"].encode()
    return hmac.new(config["SECRET_KEY"].encode(), b"safety-zones audit chain", hashlib.sha256).digest()


def canonical(event):
    """The sealed content of an event, independent of the engine's way of storing it."""
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
    state = getattr(event, "state", None)
    if state is not None:  # absent from events sealed before 0011, whose content stays as it was
        content["state"] = state
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash, event, key=None):
    message = ((prev_hash or "") + canonical(event)).encode()
    return hmac.new(key or audit_key(), message, hashlib.sha256).hexdigest()


def hazard_state(hazard):
    """The audited fields as JSON values (dates as ISO text, as in an event's `changes`)."""
    return {field: plain(getattr(hazard, field)) for field in AUDITED}


def seal(event, first=False):
    """Give a new event its place in its hazard's chain, with the hazard as the event leaves it
    (the caller has locked and changed the hazard); its head is anchored when the session commits.
    The first event of a hazard inserted in this transaction has no previous one to look up:
    no other transaction can see the hazard yet, let alone add to its history."""
    hazard = db.session.get(Hazard, event.hazard_id)  # the caller's own object, from the identity map
    event.state = hazard_state(hazard)
    previous = None
    if not first:
        previous = db.session.scalar(
            select(HazardEvent.hash)
            .where(HazardEvent.hazard_id == event.hazard_id)
            .order_by(HazardEvent.id.desc())
            .limit(1)
        )
    event.prev_hash = previous
    event.hash = chain_hash(previous, event)
    chain_anchor.anchor_on_commit(event)


class History:
    """One hazard's events in order: each link checked, its anchored head looked for, its status
    and audited fields replayed; `problems` is a list of (kind, text)."""

    def __init__(self, hazard_id, row, anchored, key, photos):
        self.hazard_id, self.row, self.anchored = hazard_id, row, anchored
        self.key, self.photos = key, photos
        self.head = None  # (event id, hash) of the last event
        self.expected, self.problems = {}, []
        self.broken = self.anchor_seen = False

    @property
    def label(self):
        return self.row.number if self.row is not None else f"#{self.hazard_id}"

    def add(self, event):
        if self.anchored is not None and event.id == self.anchored.event_id:
            self.anchor_seen = True
            if event.hash != self.anchored.hash:
                self.problems.append(("anchor", f"event {event.id} differs from its anchored head"))
        if not self.broken:
            reason = self._link_problem(event)
            if reason:
                self.broken = True
                self.problems.append(("chain", f"event {event.id}: {reason}"))
            else:
                self._replay(event)
        self.head = (event.id, event.hash)

    def _link_problem(self, event):
        previous = self.head[1] if self.head else None
        if event.prev_hash != previous:
            return "prev_hash does not link to the previous event"
        if not hmac.compare_digest(event.hash, chain_hash(previous, event, self.key)):
            return "content does not match its seal"
        named = (event.changes or {}).get("photos", [])
        if any(self.photos.get(p["id"]) != (event.hazard_id, p["sha256"]) for p in named):
            return "a photo it names is missing or altered"
        return None

    def _replay(self, event):
        if event.to_status is not None:
            self.expected["status"] = event.to_status
        for field, change in (event.changes or {}).items():
            if field in AUDITED:
                self.expected[field] = change[1]  # [old, new]
        if event.state is not None:
            self.expected = dict(event.state)

    def finish(self):
        self._check_anchor()
        if self.row is None:
            self.problems.append(("row", "its history has no hazard row"))
        elif self.head is None:
            self.problems.append(("row", "has no history"))
        elif not self.broken:
            for field, value in self.expected.items():
                actual = plain(getattr(self.row, field))
                if actual != value:
                    text = f"{field} is {actual!r} in the row, {value!r} in its history"
                    self.problems.append(("row", text))
        return self

    def _check_anchor(self):
        if self.anchored is None:
            if self.head is not None:
                self.problems.append(("unanchored", f"its head (event {self.head[0]}) is not anchored"))
        elif not self.anchor_seen:
            ends = f"ends at event {self.head[0]}" if self.head else "is gone"
            text = f"its history {ends}, short of its anchored head (event {self.anchored.event_id})"
            self.problems.append(("anchor", text))


def check_histories(anchor):
    """A finished History for every hazard with a row, events or a head in the anchor, which the
    caller read first: every head in it was committed before the reads below begin."""
    key = audit_key()
    if db.engine.dialect.name == "postgresql":  # one snapshot for rows and events (SQLite has one)
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    columns = [getattr(Hazard, field) for field in AUDITED]
    rows = {row.id: row for row in db.session.execute(select(Hazard.id, Hazard.number, *columns))}
    photos = {
        photo_id: (hazard_id, sha)
        for photo_id, hazard_id, sha in db.session.execute(
            select(Photo.id, Photo.hazard_id, Photo.sha256).where(Photo.hazard_id.is_not(None))
        )
    }
    events = db.session.execute(
        select(*HazardEvent.__table__.columns)
        .order_by(HazardEvent.hazard_id, HazardEvent.id)
        .execution_options(yield_per=5000)
    )
    heads = dict(anchor.heads)
    for hazard_id, group in groupby(events, key=attrgetter("hazard_id")):
        history = History(hazard_id, rows.pop(hazard_id, None), heads.pop(hazard_id, None), key, photos)
        for event in group:
            history.add(event)
        yield history.finish()
    for hazard_id in sorted(rows.keys() | heads.keys()):
        yield History(hazard_id, rows.get(hazard_id), heads.get(hazard_id), key, photos).finish()


def verify_history():
    """(where, problem) for every problem: unreadable anchor lines first, then each hazard's."""
    anchor = chain_anchor.read_anchor()
    for number in anchor.unreadable:
        yield f"{chain_anchor.anchor_path()} line {number}", "unreadable"
    for history in check_histories(anchor):
        for _kind, text in history.problems:
            yield f"hazard {history.label}", text


def anchor_heads(rebase=False):
    """Append the current head of each hazard whose anchor lags behind it (cron, after an upgrade,
    or after a crash between a commit and its anchor line); (heads written, hazards refused).

    A broken chain is never anchored. A history shorter than, or different from, its anchored
    head is anchored only with `rebase`, which is for after a restore: the heads the restore lost
    stay in the file above the rebase line, and no longer bind."""
    blocking = BLOCKS_REBASE if rebase else BLOCKS_ANCHOR
    heads, refused = [], []
    for history in check_histories(chain_anchor.read_anchor()):
        if {kind for kind, _text in history.problems} & blocking:
            refused.append(history.label)
        elif history.head and (rebase or not history.anchored or history.head[0] > history.anchored.event_id):
            heads.append((history.hazard_id, *history.head))
    chain_anchor.append_heads(heads, rebase=rebase)
    return len(heads), refused
