"""Safety-themed Party days (安全生产主题党日) and who checked in at them."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.accounts.users import User
from server.models.base import Base, UtcDateTime, created_at_column, enum_check
from server.models.places.located import LocatedMixin, location_checks
from server.models.places.units import Unit
from server.models.platform.client_records import ClientRecordMixin
from server.vocabulary import PARTY_DAY_KINDS


class PartyDay(LocatedMixin, Base):
    __tablename__ = "party_day"
    __table_args__ = (
        *location_checks(),
        CheckConstraint(enum_check("kind", PARTY_DAY_KINDS), name="kind"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_party_day_unit_id_starts_at", "unit_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    branch: Mapped[str] = mapped_column(String(100))  # the Party branch (党支部) it is held for
    place: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # With a location: refuse check-ins from outside its radius (else they are flagged only).
    geofence_required: Mapped[bool] = mapped_column(Boolean, default=False)
    organizer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()

    unit: Mapped[Unit] = relationship()
    organizer: Mapped[User] = relationship()


class Attendance(ClientRecordMixin, Base):
    """One check-in per member per Party day; scanning again returns the first."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("party_day_id", "user_id"),
        UniqueConstraint("user_id", "client_uuid"),
        CheckConstraint("(lat IS NULL) = (lng IS NULL)", name="lat_lng_together"),
        CheckConstraint("(distance_m IS NULL) = (within_geofence IS NULL)", name="fence_computed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    party_day_id: Mapped[int] = mapped_column(ForeignKey("party_day.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    within_geofence: Mapped[bool | None] = mapped_column(Boolean)

    user: Mapped[User] = relationship()
