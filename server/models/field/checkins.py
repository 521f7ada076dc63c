"""Check-ins (打卡) at demonstration posts."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.accounts.users import User
from server.models.base import Base, created_at_column
from server.models.places.posts import Post
from server.models.platform.client_records import ClientRecordMixin


class CheckIn(ClientRecordMixin, Base):
    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("user_id", "client_uuid"),
        CheckConstraint("(lat IS NULL) = (lng IS NULL)", name="lat_lng_together"),
        CheckConstraint("(distance_m IS NULL) = (within_geofence IS NULL)", name="fence_computed"),
        Index("ix_checkin_post_id_created_at", "post_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"))
    created_at: Mapped[datetime] = created_at_column()
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    within_geofence: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(500))

    user: Mapped[User] = relationship()
    post: Mapped[Post] = relationship()
