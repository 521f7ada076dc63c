"""Shared columns of records a phone may send twice (DESIGN §5 idempotency)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import UtcDateTime


class ClientRecordMixin:
    """The phone's UUID for the record and a hash of what it sent, kept forever (HARDENING §2.1)."""

    client_uuid: Mapped[str] = mapped_column(String(36))
    request_hash: Mapped[str] = mapped_column(String(64))
    client_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
