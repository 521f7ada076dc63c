"""Named sequences, e.g. the yearly hazard number "YH-2026" and the dashboard's version."""

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base


class NamedCounter(Base):
    """A named sequence, bumped with UPDATE … RETURNING inside the transaction that needs it."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
