"""Hazards (隐患) and their append-only history."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.accounts.users import User
from server.models.base import Base, UtcDateTime, created_at_column, enum_check, now_utc, whole_days_between
from server.models.places.zones import Zone
from server.models.platform.client_records import ClientRecordMixin
from server.vocabulary import CATEGORIES, CONFIRMED_STATUSES, LEVELS, STATUSES

_IN_LOOP = f"status IN ({', '.join(repr(status) for status in CONFIRMED_STATUSES)})"


class Hazard(ClientRecordMixin, Base):
    __tablename__ = "hazard"
    __table_args__ = (
        UniqueConstraint("reporter_id", "client_uuid"),
        CheckConstraint(enum_check("status", STATUSES), name="status"),
        CheckConstraint(enum_check("level", LEVELS), name="level"),
        CheckConstraint(enum_check("category", CATEGORIES), name="category"),
        CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="closed_at"),
        CheckConstraint("(status = 'closed') = (closed_late IS NOT NULL)", name="closed_late"),
        CheckConstraint("(status = 'rejected') = (rejected_at IS NOT NULL)", name="rejected_at"),
        # Once confirmed, a hazard always has someone answerable, a deadline and measures.
        CheckConstraint(
            f"NOT ({_IN_LOOP}) OR (assignee_id IS NOT NULL AND deadline IS NOT NULL"
            " AND measures IS NOT NULL AND confirmed_at IS NOT NULL)",
            name="confirmed_fields",
        ),
        # A confirmed major hazard carries the five-element plan and is supervised (挂牌督办).
        CheckConstraint(
            f"level = 'general' OR fixed_on_spot OR NOT ({_IN_LOOP}) OR (funds IS NOT NULL"
            " AND contingency_plan IS NOT NULL AND supervisor_id IS NOT NULL)",
            name="major_plan",
        ),
        CheckConstraint(
            "(extension_deadline IS NULL) = (extension_reason IS NULL)", name="extension_request"
        ),
        CheckConstraint("status <> 'verifying' OR submitted_by_id IS NOT NULL", name="verifying_submitter"),
        Index("ix_hazard_status_deadline", "status", "deadline"),
        Index("ix_hazard_zone_id_id", "zone_id", "id"),
        # List pages by status within a unit's zones, newest first; the dashboard's open and
        # overdue counts read it alone (deadline included).
        Index("ix_hazard_status_zone_id_id", "status", "zone_id", "id", "deadline"),
        # Dashboard periods: reported (created) and closed within a range.
        Index("ix_hazard_created_at", "created_at"),
        # Was a hazard of this zone and category reported in the last 90 days (a repeat)?
        Index("ix_hazard_zone_id_category_created_at", "zone_id", "category", "created_at"),
        Index("ix_hazard_closed_at_zone_id", "closed_at", "zone_id"),  # covers the weekly trend
        # The hazards of one bucket of the close-time histogram in a period (the exact median).
        # (covering: the median reads no table row)
        Index(
            "ix_hazard_close_days",
            whole_days_between(text("closed_at"), text("created_at")),
            "created_at",
            "zone_id",
            "closed_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # YH-<year>-<seq>
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id"), active_history=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("patrol.id"), index=True)
    party_day_id: Mapped[int | None] = mapped_column(ForeignKey("party_day.id"), index=True)
    # A guest's report (访客上报): the receipt code's hash, and a phone number if they left one.
    receipt_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    guest_phone: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(16), active_history=True)
    level: Mapped[str] = mapped_column(String(8), active_history=True)
    status: Mapped[str] = mapped_column(String(16), active_history=True)
    fixed_on_spot: Mapped[bool] = mapped_column(Boolean, default=False)
    # A repeat hazard (重复隐患): when reported, one of the same zone and category, not rejected,
    # had been reported in the 90 days before (services/loop/recurrence.py, the dashboard's count).
    recurs: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    deadline: Mapped[date | None] = mapped_column(Date)  # a calendar day in TIMEZONE
    measures: Mapped[str | None] = mapped_column(Text)
    funds: Mapped[str | None] = mapped_column(String(200))
    contingency_plan: Mapped[str | None] = mapped_column(Text)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Who submitted the fix now awaiting verification: they may never accept it themselves.
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("hazard.id"))
    extension_deadline: Mapped[date | None] = mapped_column(Date)  # a pending request
    extension_reason: Mapped[str | None] = mapped_column(String(500))
    overdue_notified_on: Mapped[date | None] = mapped_column(Date)
    due_notified_on: Mapped[date | None] = mapped_column(Date)  # reminded the day before its deadline
    created_at: Mapped[datetime] = created_at_column()
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, active_history=True)
    # Fixed when the loop closes: was the deadline day (site time) already over? (closed late)
    closed_late: Mapped[bool | None] = mapped_column(Boolean, active_history=True)
    rejected_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    zone: Mapped[Zone] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])

    @property
    def guest(self):
        return self.receipt_hash is not None

    @property
    def supervised(self):
        return self.supervisor_id is not None


class HazardEvent(Base):
    """One step of a hazard's history; the database refuses UPDATE and DELETE (migration)."""

    __tablename__ = "hazard_event"
    __table_args__ = (Index("ix_hazard_event_hazard_id_id", "hazard_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazard.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = created_at_column()
    # The keyed chain (services/loop/event_chain.py): tampering with any row is detectable.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The hazard's audited fields as this event left them, sealed with it (NULL before 0011).
    state: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User] = relationship()
