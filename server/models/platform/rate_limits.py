"""Rate-limit counters (Flask-Limiter's fixed windows), in the database so that every app process
counts the same hits; written only by server/rate_store.py."""

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, UtcDateTime


class RateLimit(Base):
    __tablename__ = "rate_limit"

    # Flask-Limiter's key, e.g. "LIMITER/guest-address:10.0.0.9/public.report_as_guest/5/1/hour".
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the end of the key's window
