"""Patrols (巡查) of a zone by its head or a supervisor."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.accounts.users import User
from server.models.base import Base, created_at_column
from server.models.places.zones import Zone
from server.models.platform.client_records import ClientRecordMixin


class Patrol(ClientRecordMixin, Base):
    __tablename__ = "patrol"
    __table_args__ = (
        UniqueConstraint("user_id", "client_uuid"),
        Index("ix_patrol_zone_id_created_at", "zone_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id"))
    created_at: Mapped[datetime] = created_at_column()
    checklist: Mapped[list] = mapped_column(JSON, default=list)  # [{"item": str, "ok": bool}]
    note: Mapped[str | None] = mapped_column(String(2000))

    user: Mapped[User] = relationship()
    zone: Mapped[Zone] = relationship()
