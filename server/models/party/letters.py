"""Safety responsibility letters (安全责任书) and their signatures."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.accounts.users import User
from server.models.base import Base, UtcDateTime, created_at_column, enum_check
from server.models.places.units import Unit
from server.vocabulary import LETTER_LAYERS


class Letter(Base):
    """Issued once and never edited: a changed text is a new letter, so a signature always
    names the exact text (by its hash) that was signed."""

    __tablename__ = "letter"
    __table_args__ = (CheckConstraint(enum_check("layer", LETTER_LAYERS), name="layer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    layer: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    body_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the body, hex
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()

    unit: Mapped[Unit] = relationship()
    issued_by: Mapped[User] = relationship()
    recipients: Mapped[list["LetterRecipient"]] = relationship(
        back_populates="letter", order_by="LetterRecipient.id"
    )


class LetterRecipient(Base):
    __tablename__ = "letter_recipient"
    __table_args__ = (
        UniqueConstraint("letter_id", "user_id"),
        CheckConstraint(
            "(signed_at IS NULL) = (signature IS NULL) AND (signed_at IS NULL) = (signed_hash IS NULL)",
            name="signed_together",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    signature: Mapped[str | None] = mapped_column(String(100))  # the name the user typed
    signed_hash: Mapped[str | None] = mapped_column(String(64))  # the body hash they saw

    letter: Mapped[Letter] = relationship(back_populates="recipients")
    user: Mapped[User] = relationship()
