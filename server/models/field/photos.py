"""Photos: stored renditions with metadata read before it was stripped (DESIGN §7)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, UtcDateTime, created_at_column, enum_check
from server.vocabulary import PHOTO_STAGES

_ATTACHMENTS = ("hazard_id", "checkin_id", "patrol_id")


class Photo(Base):
    __tablename__ = "photo"
    __table_args__ = (
        UniqueConstraint("uploader_id", "client_uuid"),
        CheckConstraint(
            " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in _ATTACHMENTS) + " <= 1",
            name="attached_once",
        ),
        CheckConstraint("(hazard_id IS NULL) = (stage IS NULL)", name="stage_with_hazard"),
        CheckConstraint("stage IS NULL OR " + enum_check("stage", PHOTO_STAGES), name="stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    client_uuid: Mapped[str] = mapped_column(String(36))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)  # random file name stem
    sha256: Mapped[str] = mapped_column(String(64))  # of the uploaded bytes
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer)  # of the stored full rendition
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    taken_at_source: Mapped[str | None] = mapped_column(String(8))  # "exif" or "client"
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    gps_source: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = created_at_column()
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hazard.id"), index=True)
    stage: Mapped[str | None] = mapped_column(String(16))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkin.id"), index=True)
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("patrol.id"), index=True)
