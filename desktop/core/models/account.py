"""Accounts (用户账号) and roles; accounts are disabled, never deleted."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.core.models.base import Audited, Base, Stamped, intpk


class Role(enum.StrEnum):
    CLERK = "clerk"
    REVIEWER = "reviewer"
    ADMIN = "admin"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.CLERK: "经办", Role.REVIEWER: "审核", Role.ADMIN: "管理员", Role.AUDITOR: "审计"}


class User(Audited, Stamped, Base):
    """A person who signs in at the counter."""

    __tablename__ = "user_account"
    __audit_entity__ = "账号"
    __audit_skip__ = Audited.__audit_skip__ | {"password_hash", "failed_attempts", "locked_until", "last_sign_in"}

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20), comment="clerk/reviewer/admin/auditor")
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_sign_in: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)
