"""Zones (责任区): a site area with a Party member as its head."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.accounts.users import User
from server.models.base import Base, created_at_column
from server.models.places.located import LocatedMixin, location_checks
from server.models.places.units import Unit
from server.vocabulary import CATEGORIES

DEFAULT_CHECKLIST = tuple(category for category in CATEGORIES if category != "other")


class Zone(LocatedMixin, Base):
    __tablename__ = "zone"
    __table_args__ = (
        *location_checks(),
        CheckConstraint("patrol_interval_days > 0", name="patrol_interval_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    head_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    responsibilities: Mapped[str | None] = mapped_column(Text)
    patrol_interval_days: Mapped[int] = mapped_column(Integer, default=7)
    # What a patrol of this zone checks: catalog keys (the hazard categories) or free text.
    patrol_checklist: Mapped[list] = mapped_column(JSON, default=lambda: list(DEFAULT_CHECKLIST))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Whether someone without an account may report here from the public board (访客上报).
    guest_reports: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()

    unit: Mapped[Unit] = relationship()
    head: Mapped[User] = relationship()
