"""Demonstration posts (党员安全示范岗): a Party member holds the post and checks in each shift."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.accounts.users import User
from server.models.base import Base, created_at_column, enum_check
from server.models.places.located import LocatedMixin, location_checks
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.vocabulary import GEOFENCE_POLICIES

# Party members assigned to a post besides its holder; they may check in there too.
post_member = Table(
    "post_member",
    Base.metadata,
    Column("post_id", ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True, index=True),
)


class Post(LocatedMixin, Base):
    __tablename__ = "post"
    __table_args__ = (
        *location_checks(),
        CheckConstraint(enum_check("geofence_policy", GEOFENCE_POLICIES), name="geofence_policy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id"), index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    commitment: Mapped[str | None] = mapped_column(Text)
    geofence_policy: Mapped[str] = mapped_column(String(8), default="flag")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()

    unit: Mapped[Unit] = relationship()
    zone: Mapped[Zone | None] = relationship()
    holder: Mapped[User] = relationship()
    members: Mapped[list[User]] = relationship(secondary=post_member, order_by=User.id)
