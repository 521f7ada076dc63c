"""Durable delivery of outside notifications (issue 17). A delivery row is written in the same
transaction as the inbox entry it mirrors; `flask notify deliver` sends what is due. Each worker
claims a batch for a lease (two workers never hold the same row; a killed worker's claim lapses
and its rows are sent again), commits the outcome of every send on its own, retries a failure
with growing pauses and, after the last attempt, marks it dead with the reason for an admin, who
may send it again. A crash between a send and its mark resends it once: the event id lets the
receiver drop the second copy. Nothing is lost."""

import secrets
import uuid
from datetime import timedelta
from functools import cache

from sqlalchemy import or_, select, update

from server.extensions import db
from server.models.base import now_utc
from server.models.platform.deliveries import Delivery, NotifyChannel
from server.services.platform.authz import require_capability, unit_line
from server.services.platform.channels import SendFailed
from server.services.platform.errors import NotFound
from server.services.platform.pagination import keyset_page

FIRST_PAUSE_SECONDS = 30
LONGEST_PAUSE_SECONDS = 3600


@cache
def _channels_of_line():
    """The active channels of a unit (:unit_id) and the units above it. Built once: building the
    statement cost more CPU than running it, on every notification."""
    return select(NotifyChannel).where(NotifyChannel.unit_id.in_(unit_line()), NotifyChannel.active.is_(True))


def channels_taking(kind, unit_id):
    """The active channels of the unit and the units above it that take this kind of
    notification one message at a time; one statement, and none to send when the list is empty."""
    channels = db.session.scalars(_channels_of_line(), {"unit_id": unit_id}).all()
    # A digest channel gets the day's summary instead (services/loop/digests.py).
    return [c for c in channels if not c.digest_at and (not c.kinds or kind in c.kinds)]


def enqueue_to(channel, kind, text, hazard_id=None, mentions=()):
    """One delivery of `text` to one channel, with a fresh event id."""
    db.session.add(
        Delivery(
            event_id=str(uuid.uuid4()), channel=channel, hazard_id=hazard_id, kind=kind, text=text,
            mentions=sorted(set(mentions)),
        )
    )  # fmt: skip


def claim_due(batch, lease):
    """Claim up to `batch` due deliveries for this worker (the caller commits the claim before
    sending); the UPDATE re-checks each row, so a row another worker claimed meanwhile is not
    taken twice (PostgreSQL re-reads it; SQLite's write transaction is exclusive)."""
    now, token = now_utc(), secrets.token_hex(16)
    free = or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now)
    due = (Delivery.status == "pending", Delivery.next_attempt_at <= now, free)
    ids = db.session.scalars(select(Delivery.id).where(*due).order_by(Delivery.id).limit(batch)).all()
    if ids:
        db.session.execute(
            update(Delivery).where(Delivery.id.in_(ids), *due).values(claim=token, claimed_until=now + lease)
        )
    db.session.flush()
    return db.session.scalars(select(Delivery).where(Delivery.claim == token).order_by(Delivery.id)).all()


def _pause(attempts):
    return timedelta(seconds=min(LONGEST_PAUSE_SECONDS, FIRST_PAUSE_SECONDS * 2 ** (attempts - 1)))


def message_of(delivery):
    """What the channel is sent: the text, whom to @-mention, and the id to drop repeats by."""
    return {"event_id": delivery.event_id, "kind": delivery.kind, "text": delivery.text,
            "mentions": delivery.mentions, "hazard_id": delivery.hazard_id}  # fmt: skip


def send_one(delivery, send, max_attempts=8):
    """Send one claimed delivery with `send(channel, message)` and record the outcome (the caller
    commits it at once: a kill loses at most the one in hand); answers whether it went out."""
    delivery.attempts += 1
    try:
        send(delivery.channel, message_of(delivery))
    except SendFailed as error:
        delivery.last_error = str(error)[:500]
        delivery.next_attempt_at = now_utc() + _pause(delivery.attempts)
        delivery.status = "dead" if delivery.attempts >= max_attempts else "pending"
        sent = False
    else:
        delivery.status, delivery.sent_at, sent = "sent", now_utc(), True
    delivery.claim = delivery.claimed_until = None
    db.session.flush()
    return sent


def list_deliveries(actor, status=None, limit=50, cursor=None):
    """Newest first; an admin looks for the dead ones and their reasons."""
    require_capability(actor, "manage_channels")
    query = select(Delivery)
    if status:
        query = query.where(Delivery.status == status)
    return keyset_page(query, Delivery.id, limit, cursor, descending=True)


def retry_delivery(actor, delivery_id):
    """A dead delivery goes out again at the worker's next run, its attempts counted afresh."""
    require_capability(actor, "manage_channels")
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound("errors.not_found")
    if delivery.status == "dead":
        delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, now_utc()
    db.session.flush()
    return delivery
