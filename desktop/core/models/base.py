"""Declarative base, reusable column types and the mixins every record shares."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from sqlalchemy import BigInteger, Date, DateTime, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desktop.core import clock

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
bigintpk = Annotated[int, mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)]
str20 = Annotated[str, mapped_column(String(20))]
str50 = Annotated[str, mapped_column(String(50))]
str100 = Annotated[str, mapped_column(String(100))]
str200 = Annotated[str, mapped_column(String(200))]
text = Annotated[str, mapped_column(Text)]
day = Annotated[date, mapped_column(Date)]
moment = Annotated[datetime, mapped_column(DateTime)]
money_fen = Annotated[int, mapped_column(BigInteger, comment="amount in 分 (1/100 元); never a float")]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Stamped:
    """Who created and last changed a record, and when (every change is also in the audit log)."""

    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now)
    created_by: Mapped[str] = mapped_column(String(50), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=clock.now, onupdate=clock.now)
    updated_by: Mapped[str] = mapped_column(String(50), default="")


class Audited:
    """Marker: every insert/update/delete of this model is written to the audit log, field by field.

    ``__audit_entity__`` names the entity in the log; fields in ``__audit_skip__`` are not logged.
    Binary fields (photos) are logged as a short SHA-256 digest.
    """

    __audit_entity__: str = ""
    __audit_skip__: frozenset[str] = frozenset(
        {"created_at", "created_by", "updated_at", "updated_by", "version"}
    )
