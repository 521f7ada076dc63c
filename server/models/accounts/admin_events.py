"""Admin changes to who may do what (roles, duties, activation, passwords, QR tokens): an
append-only record, refused UPDATE and DELETE by the database like the hazard history."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, created_at_column


class AdminEvent(Base):
    __tablename__ = "admin_event"
    __table_args__ = (Index("ix_admin_event_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: the server console
    action: Mapped[str] = mapped_column(String(32))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = created_at_column()
