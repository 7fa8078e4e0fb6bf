"""The broker registry (劳务经纪人名册): certified brokers every later area works with."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.core.models.base import Audited, Base, Stamped, intpk


class BrokerStatus(enum.StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return {"active": "在册", "revoked": "已取消资格"}[self.value]


class Broker(Audited, Stamped, Base):
    """A certified labour broker (劳务经纪人); revoked brokers stay with date and reason."""

    __tablename__ = "broker"
    __audit_entity__ = "劳务经纪人"
    __table_args__ = (
        Index(
            "uq_broker_active_id_number",
            "id_number",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_broker_id_number", "id_number"),
        Index("ix_broker_name", "name"),
        Index("ix_broker_status", "status", "certified_on"),
        Index("ix_broker_village", "service_village_code"),
    )

    id: Mapped[intpk]
    application_id: Mapped[int | None] = mapped_column(ForeignKey("broker_application.id"), nullable=True)
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[date] = mapped_column(Date)
    education: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    service_village_code: Mapped[str] = mapped_column(String(12), default="")
    service_area: Mapped[str] = mapped_column(String(200), default="", comment="主要服务区域（精确到村）")
    training_month: Mapped[str] = mapped_column(String(7), default="", comment="参加培训时间 YYYY-MM")
    certificate_no: Mapped[str] = mapped_column(String(50), default="", comment="电子合格证编号")
    certified_on: Mapped[date] = mapped_column(Date, comment="认定时间")
    source: Mapped[str] = mapped_column(String(20), default="workflow", comment="workflow / import")
    status: Mapped[str] = mapped_column(String(10), default=BrokerStatus.ACTIVE.value)
    revoked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(Text, default="", comment="备注")


class BrokerStatusChange(Audited, Stamped, Base):
    """Status history of a broker (certified, revoked…), one dated row per change."""

    __tablename__ = "broker_status_change"
    __audit_entity__ = "经纪人状态"
    __table_args__ = (Index("ix_broker_status_change_broker", "broker_id", "id"),)

    id: Mapped[intpk]
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker.id"))
    status: Mapped[str] = mapped_column(String(10))
    changed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
