"""Certification history: workflow steps (认定流程), training results (培训考试), publicity (公示)."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.core.models.base import Audited, Base, Stamped, intpk


class StepKind(enum.StrEnum):
    SUBMITTED = "submitted"  # 申请
    VILLAGE_RECOMMENDATION = "village_recommendation"  # 村（社区）推荐
    COUNTY_REVIEW = "county_review"  # 县级初审
    TRAINING = "training"  # 线上培训与考试
    PUBLICITY = "publicity"  # 公示
    CERTIFICATION = "certification"  # 认定
    REJECTION = "rejection"  # 不予认定

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


STEP_LABELS = {
    StepKind.SUBMITTED: "申请",
    StepKind.VILLAGE_RECOMMENDATION: "村（社区）推荐",
    StepKind.COUNTY_REVIEW: "县级初审",
    StepKind.TRAINING: "培训考试",
    StepKind.PUBLICITY: "公示",
    StepKind.CERTIFICATION: "认定",
    StepKind.REJECTION: "不予认定",
}


class ApplicationStep(Audited, Stamped, Base):
    """One dated step of an application's way to certification; never edited, only added."""

    __tablename__ = "application_step"
    __audit_entity__ = "认定流程"
    __table_args__ = (Index("ix_application_step_application", "application_id", "id"),)

    id: Mapped[intpk]
    application_id: Mapped[int] = mapped_column(ForeignKey("broker_application.id"))
    kind: Mapped[str] = mapped_column(String(30))
    passed: Mapped[bool] = mapped_column(Boolean, default=True)
    occurred_on: Mapped[date] = mapped_column(Date, comment="the date on the paper / of the decision")
    opinion: Mapped[str] = mapped_column(Text, default="", comment="opinion or reason")
    actor: Mapped[str] = mapped_column(String(50), comment="who did it (username)")
    actor_name: Mapped[str] = mapped_column(String(50), default="")
    publicity_batch_id: Mapped[int | None] = mapped_column(ForeignKey("publicity_batch.id"), nullable=True)


class TrainingResult(Audited, Stamped, Base):
    """Online training and exam result (线上培训考试); a retake is a new row, the latest counts."""

    __tablename__ = "training_result"
    __audit_entity__ = "培训考试"
    __table_args__ = (Index("ix_training_result_application", "application_id", "id"),)

    id: Mapped[intpk]
    application_id: Mapped[int] = mapped_column(ForeignKey("broker_application.id"))
    completed_month: Mapped[str] = mapped_column(String(7), comment="培训完成时间 YYYY-MM")
    score: Mapped[float | None] = mapped_column(Numeric(5, 1), nullable=True)
    passed: Mapped[bool] = mapped_column(Boolean)
    certificate_no: Mapped[str] = mapped_column(String(50), default="", comment="电子合格证编号")
    source: Mapped[str] = mapped_column(String(200), default="手工录入")


class BatchStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class PublicityBatch(Audited, Stamped, Base):
    """A publicity listing (公示批次) of applicants who passed the exam."""

    __tablename__ = "publicity_batch"
    __audit_entity__ = "公示批次"
    __table_args__ = (Index("uq_publicity_batch_year_seq", "year", "seq", unique=True),)

    id: Mapped[intpk]
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer, comment="第N批 within the year")
    title: Mapped[str] = mapped_column(String(200))
    lead: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    working_days: Mapped[int] = mapped_column(Integer)
    calendar_rule: Mapped[str] = mapped_column(Text, default="", comment="which rule produced end_date")
    objection_phone: Mapped[str] = mapped_column(String(50), default="")
    objection_address: Mapped[str] = mapped_column(String(200), default="")
    issuer: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(10), default=BatchStatus.OPEN.value)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_by: Mapped[str] = mapped_column(String(50), default="")


class PublicityEntry(Audited, Stamped, Base):
    """One applicant listed in a batch, and what closing the batch decided for them."""

    __tablename__ = "publicity_entry"
    __audit_entity__ = "公示名单"
    __table_args__ = (Index("uq_publicity_entry_batch_app", "batch_id", "application_id", unique=True),)

    id: Mapped[intpk]
    batch_id: Mapped[int] = mapped_column(ForeignKey("publicity_batch.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("broker_application.id"))
    seq: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20), default="", comment="certified / rejected after closing")


class ObjectionVerdict(enum.StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"
    NOT_UPHELD = "not_upheld"

    @property
    def label(self) -> str:
        return {"pending": "待核实", "upheld": "异议成立", "not_upheld": "异议不成立"}[self.value]


class Objection(Audited, Stamped, Base):
    """An objection (异议) received during publicity against one listed person."""

    __tablename__ = "objection"
    __audit_entity__ = "公示异议"
    __table_args__ = (Index("ix_objection_batch", "batch_id"),)

    id: Mapped[intpk]
    batch_id: Mapped[int] = mapped_column(ForeignKey("publicity_batch.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("broker_application.id"))
    received_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(30), comment="来信/来电/来访/网络…")
    content: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(20), default=ObjectionVerdict.PENDING.value)
    verdict_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(50), default="")
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class CalendarDay(Audited, Stamped, Base):
    """An admin-entered holiday or make-up working day (调休) for a year chinesecalendar lacks."""

    __tablename__ = "calendar_day"
    __audit_entity__ = "节假日安排"

    id: Mapped[intpk]
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(10), comment="holiday / workday")
    note: Mapped[str] = mapped_column(String(100), default="")
