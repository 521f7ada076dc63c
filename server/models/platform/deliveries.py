"""Outside notifications: the channels an admin sets per unit (a WeCom, DingTalk or Feishu group
robot, an e-mail address, a webhook) and one delivery row per message and channel, written in the
same transaction as the inbox entry it mirrors, sent later by `flask notify deliver`."""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UtcDateTime, created_at_column, enum_check, now_utc
from server.vocabulary import CHANNEL_KINDS, DELIVERY_STATUSES


class NotifyChannel(Base):
    __tablename__ = "notify_channel"
    __table_args__ = (CheckConstraint(enum_check("kind", CHANNEL_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Messages about the hazards of this unit and of every unit below it.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    # The robot's key or token, the e-mail address, or the webhook's URL.
    target: Mapped[str] = mapped_column(String(500))
    # DingTalk's and Feishu's signing secret, the webhook's HMAC key; never shown back.
    secret: Mapped[str | None] = mapped_column(String(200))
    # Which notification kinds go out here (vocabulary NOTIFICATION_KINDS); empty: all of them.
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # "HH:MM" site time: instead of a message per hazard, one digest a day per zone head and
    # supervisor of the unit (overdue, due today, waiting for verification); None: every message.
    digest_at: Mapped[str | None] = mapped_column(String(5))
    # The site day of the last digest made, so a day gets one however often the worker looks.
    digest_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()


class Delivery(Base):
    __tablename__ = "delivery"
    __table_args__ = (
        CheckConstraint(enum_check("status", DELIVERY_STATUSES), name="status"),
        # The worker's question: what is pending and due, oldest first.
        Index("ix_delivery_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Sent with the message: a receiver that sees it twice (a crash between send and mark) drops it.
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("notify_channel.id"), index=True)
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hazard.id"))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(1000))
    # Phone numbers to @-mention in a group robot's message (the people it is for).
    mentions: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(8), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    # A worker's claim: others leave the row alone until it lapses (a killed worker's rows return).
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    claim: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    channel: Mapped[NotifyChannel] = relationship()
