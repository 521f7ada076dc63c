"""Users: accounts with one role, a unit, and Party membership."""

import secrets
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UtcDateTime, created_at_column, enum_check
from server.models.places.units import Unit
from server.vocabulary import ROLES


def new_session_nonce():
    return secrets.token_urlsafe(16)


class User(Base):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL
    __table_args__ = (CheckConstraint(enum_check("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    is_party_member: Mapped[bool] = mapped_column(Boolean, default=False)
    party_branch: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    # The identity platform's subject (OIDC `sub`), stored at the first single sign-on: later ones
    # find the person by it, so a changed 工号 still signs in the same account.
    sso_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    # Part of the session id: rotating it ends every session of the user (DESIGN §9).
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    unit: Mapped[Unit] = relationship()

    # Flask-Login's user protocol, with the nonce as its alternative token.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_nonce}"

    def end_sessions(self):
        """Invalidate every session cookie issued to this user so far."""
        self.session_nonce = new_session_nonce()
