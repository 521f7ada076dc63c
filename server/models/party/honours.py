"""Honours proposed from the monthly scorecard and confirmed by a supervisor (kept as history)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.accounts.users import User
from server.models.base import Base, created_at_column, enum_check
from server.models.places.units import Unit
from server.vocabulary import HONOURS


class Honour(Base):
    __tablename__ = "honour"
    __table_args__ = (
        CheckConstraint(enum_check("title", HONOURS), name="title"),
        # A member honour names a person, a branch honour a branch: never both.
        CheckConstraint("(user_id IS NULL) <> (branch IS NULL)", name="one_subject"),
        UniqueConstraint("title", "month", "unit_id", "subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(32))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM in site time
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    branch: Mapped[str | None] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(120))  # "user:<id>" or "branch:<name>", for the key
    score: Mapped[float] = mapped_column(Float)  # as ranked when confirmed
    rank: Mapped[int] = mapped_column(Integer)
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()

    unit: Mapped[Unit] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    confirmed_by: Mapped[User] = relationship(foreign_keys=[confirmed_by_id])
