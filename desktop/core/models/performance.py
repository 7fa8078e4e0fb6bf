"""Broker performance records: village population (村人口, for coverage), training sessions
(集中培育) with attendance, and the work counted for points (积分工作量) — chongqing profile.

All of them are history: a new population figure is a new dated row (the latest counts), a wrong
attendance is withdrawn with a reason (never deleted), and a wrong work count is corrected by a
new dated entry with a negative quantity.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.core.models.base import Audited, Base, Stamped, intpk


class VillagePopulation(Audited, Stamped, Base):
    """Population of a village/community (户籍、常住人口) on a date; the latest row counts."""

    __tablename__ = "village_population"
    __audit_entity__ = "村人口"
    __table_args__ = (Index("ix_village_population_village", "village_code", "as_of", "id"),)

    id: Mapped[intpk]
    village_code: Mapped[str] = mapped_column(String(12), comment="12-digit village/community code")
    village_name: Mapped[str] = mapped_column(String(100))
    township_name: Mapped[str] = mapped_column(String(100), default="")
    registered: Mapped[int | None] = mapped_column(Integer, nullable=True, comment="户籍人口")
    resident: Mapped[int | None] = mapped_column(Integer, nullable=True, comment="常住人口")
    as_of: Mapped[date] = mapped_column(Date, comment="统计时点")
    source: Mapped[str] = mapped_column(String(200), default="手工录入")
    note: Mapped[str] = mapped_column(Text, default="")


class TrainingMode(enum.StrEnum):
    CLASSROOM = "classroom"
    ONLINE = "online"
    MEETING = "meeting"
    STUDY_TOUR = "study_tour"

    @property
    def label(self) -> str:
        return MODE_LABELS[self]


MODE_LABELS = {
    TrainingMode.CLASSROOM: "线下授课",
    TrainingMode.ONLINE: "线上授课",
    TrainingMode.MEETING: "以会代训",
    TrainingMode.STUDY_TOUR: "外出学习交流",
}


class TrainingSession(Audited, Stamped, Base):
    """One training session of the yearly 集中培育 (class, online course, meeting, study tour)."""

    __tablename__ = "training_session"
    __audit_entity__ = "集中培育"
    __table_args__ = (Index("ix_training_session_start", "start_date"),)

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date, comment="the session counts in this date's year")
    end_date: Mapped[date] = mapped_column(Date)
    days: Mapped[Decimal] = mapped_column(Numeric(5, 2), comment="培育天数 of the whole session")
    mode: Mapped[str] = mapped_column(String(20), default=TrainingMode.CLASSROOM.value)
    location: Mapped[str] = mapped_column(String(200), default="")
    organiser: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class TrainingAttendance(Audited, Stamped, Base):
    """A broker at a session with the days attended; withdrawn (with a reason), never deleted."""

    __tablename__ = "training_attendance"
    __audit_entity__ = "培育签到"
    __table_args__ = (
        Index(
            "uq_training_attendance_present",
            "session_id",
            "broker_id",
            unique=True,
            sqlite_where=text("withdrawn = 0"),
            postgresql_where=text("withdrawn = false"),
        ),
        Index("ix_training_attendance_broker", "broker_id", "session_id"),
    )

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"))
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker.id"))
    days: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")


class WorkKind(enum.StrEnum):
    DATA_UPDATE = "data_update"
    TASK = "task"

    @property
    def label(self) -> str:
        return {"data_update": "人力资源信息更新", "task": "完成平台任务"}[self.value]


class BrokerWork(Audited, Stamped, Base):
    """Work a broker did that earns points (信息更新、平台任务), counted on a date.

    A correction is a new entry with a negative quantity and a note; the sum per year counts.
    """

    __tablename__ = "broker_work"
    __audit_entity__ = "积分工作量"
    __table_args__ = (
        Index("ix_broker_work_broker", "broker_id", "occurred_on"),
        Index("ix_broker_work_date", "occurred_on", "kind"),
    )

    id: Mapped[intpk]
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker.id"))
    occurred_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer, comment="a correction is negative")
    note: Mapped[str] = mapped_column(Text, default="")
