"""Shared columns of places with a QR sign and an optional location (zones and posts)."""

import secrets

from sqlalchemy import CheckConstraint, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


def new_qr_token():
    """128+ bits from the OS random source, URL-safe (ASVS v5.0.0-11.5.1)."""
    return secrets.token_urlsafe(18)


def location_checks():
    return (
        CheckConstraint("lat IS NULL OR (lat >= -90 AND lat <= 90)", name="lat_range"),
        CheckConstraint("lng IS NULL OR (lng >= -180 AND lng <= 180)", name="lng_range"),
        CheckConstraint("(lat IS NULL) = (lng IS NULL)", name="lat_lng_together"),
        CheckConstraint("radius_m IS NULL OR radius_m > 0", name="radius_positive"),
    )


class LocatedMixin:
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    radius_m: Mapped[int | None] = mapped_column(Integer)
    qr_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_qr_token)

    def rotate_token(self):
        """A new sign; the old printed QR stops working."""
        self.qr_token = new_qr_token()
