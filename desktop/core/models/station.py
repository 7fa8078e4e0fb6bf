"""Labour-cooperation workstations (劳务协作工作站, seed 004): the registry, the application's steps
and materials, the delivered-worker roster (输送劳动力名册), yearly evaluations and 优秀站点 decisions."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.core.models.base import Audited, Base, Stamped, intpk


class StationStatus(enum.StrEnum):
    APPLIED = "applied"  # 已申请，待就业服务中心初审
    CENTER_REVIEWED = "center_reviewed"  # 初审通过，待人社局审核
    APPROVED = "approved"  # 人社局审核通过，待发文设立
    ACTIVE = "active"  # 已设立
    REJECTED = "rejected"  # 申请未通过（保留记录）
    REVOKED = "revoked"  # 已取消资格

    @property
    def label(self) -> str:
        return STATION_STATUS_LABELS[self]


STATION_STATUS_LABELS = {
    StationStatus.APPLIED: "已申请（待初审）",
    StationStatus.CENTER_REVIEWED: "已申请（待人社局审核）",
    StationStatus.APPROVED: "已申请（待设立）",
    StationStatus.ACTIVE: "已设立",
    StationStatus.REJECTED: "申请未通过",
    StationStatus.REVOKED: "已取消资格",
}
APPLYING = (StationStatus.APPLIED.value, StationStatus.CENTER_REVIEWED.value, StationStatus.APPROVED.value)


class Station(Audited, Stamped, Base):
    """One workstation from its application (附件1) on; rejected and revoked ones are kept."""

    __tablename__ = "station"
    __audit_entity__ = "劳务协作工作站"
    __table_args__ = (
        # One open station per name; a rejected or revoked one may be applied for again.
        Index("uq_station_open_name", "name", unique=True,
              sqlite_where=text("status NOT IN ('rejected', 'revoked')"),
              postgresql_where=text("status NOT IN ('rejected', 'revoked')")),
        Index("ix_station_builder", "builder"),
        Index("ix_station_status", "status"),
    )

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(100), comment="工作站名称")
    builder: Mapped[str] = mapped_column(String(200), comment="申请机构（承建单位）")
    partner_region: Mapped[str] = mapped_column(String(200), comment="省外劳务协作地区（省市县）")
    head_name: Mapped[str] = mapped_column(String(50), comment="申请机构负责人")
    head_phone: Mapped[str] = mapped_column(String(30))
    partner_org: Mapped[str] = mapped_column(String(200), default="", comment="合作机构名称")
    partner_head: Mapped[str] = mapped_column(String(50), default="")
    partner_phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(200), comment="劳务协作工作站地址")
    term_end: Mapped[date | None] = mapped_column(Date, nullable=True, comment="申请经营期限（至）")
    intro: Mapped[str] = mapped_column(Text, default="", comment="劳务协作工作站简介")
    applied_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=StationStatus.APPLIED.value)
    established_on: Mapped[date | None] = mapped_column(Date, nullable=True, comment="设立（发文）日期")
    revoked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_enum(self) -> StationStatus:
        return StationStatus(self.status)


class StationStepKind(enum.StrEnum):
    CENTER_REVIEW = "center_review"  # 区就业服务中心初审
    BUREAU_REVIEW = "bureau_review"  # 区人社局审核
    ESTABLISH = "establish"  # 发文设立
    REVOKE = "revoke"  # 取消资格
    EXCELLENT = "excellent"  # 优秀站点评选 / 复核

    @property
    def label(self) -> str:
        return {"center_review": "就业服务中心初审", "bureau_review": "人社局审核", "establish": "设立",
                "revoke": "取消资格", "excellent": "优秀站点"}[self.value]


class StationStep(Audited, Stamped, Base):
    """One dated step of a station's file, with who recorded it; never edited, only added."""

    __tablename__ = "station_step"
    __audit_entity__ = "工作站流程"
    __table_args__ = (Index("ix_station_step_station", "station_id", "id"),)

    id: Mapped[intpk]
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    kind: Mapped[str] = mapped_column(String(20))
    passed: Mapped[bool] = mapped_column(Boolean, default=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    opinion: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(50))
    actor_name: Mapped[str] = mapped_column(String(50), default="")


class StationMaterial(Audited, Stamped, Base):
    """A received item of the 第四条 materials checklist: paper copies and/or a scanned file.

    The file's bytes are kept in the database (so every counter of a PostgreSQL installation sees
    them) with their SHA-256; the audit log records the digest, not the content.
    """

    __tablename__ = "station_material"
    __audit_entity__ = "工作站申请材料"
    __table_args__ = (Index("ix_station_material_station", "station_id", "item_no"),)

    id: Mapped[intpk]
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    item_no: Mapped[int] = mapped_column(Integer, comment="1–7, the checklist item of 第四条")
    item_name: Mapped[str] = mapped_column(String(200))
    received_on: Mapped[date] = mapped_column(Date)
    paper_copies: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(200), default="")
    file_name: Mapped[str] = mapped_column(String(200), default="")
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)


class StationWorker(Audited, Stamped, Base):
    """One row of the delivered-worker roster (附件2 plus the evaluation's columns).

    Whether the worker counts as delivered is not stored: it follows from these columns and the
    profile (rules.station_rules.delivered_check), so a corrected column corrects the count.
    """

    __tablename__ = "station_worker"
    __audit_entity__ = "输送劳动力"
    __table_args__ = (
        Index("uq_station_worker_hire", "station_id", "id_number", "hired_on", unique=True),
        Index("ix_station_worker_station", "station_id", "hired_on"),
        Index("ix_station_worker_id_number", "id_number", "hired_on"),
        Index("ix_station_worker_name", "station_id", "name"),
    )

    id: Mapped[intpk]
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18))
    gender: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[date] = mapped_column(Date)
    hukou: Mapped[str] = mapped_column(String(200), default="", comment="户籍 as written")
    hukou_province_code: Mapped[str] = mapped_column(String(2), comment="户籍 province (confirmed or from the ID)")
    employer: Mapped[str] = mapped_column(String(200), comment="入职企业")
    hired_on: Mapped[date] = mapped_column(Date, comment="入职时间")
    si_months: Mapped[int] = mapped_column(Integer, default=0, comment="社保连续月数（在本区）")
    dispatched: Mapped[bool] = mapped_column(Boolean, default=False, comment="是否劳务派遣")
    skilled: Mapped[bool] = mapped_column(Boolean, default=False, comment="是否技术技能人才")
    retained: Mapped[bool | None] = mapped_column(Boolean, nullable=True, comment="6个月后是否在职; NULL 未登记")
    note: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(200), default="手工录入")


class EvaluationStatus(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"

    @property
    def label(self) -> str:
        return {"draft": "评估中（未审核）", "signed": "已审核"}[self.value]


class StationEvaluation(Audited, Stamped, Base):
    """One version of a station's annual evaluation (附件3).

    A draft holds the year's recorded facts and the evaluator's points; the roster figures are
    counted afresh each time it is shown. Sign-off by the 审核 role freezes everything, including
    the scored lines (``snapshot``, JSON), and makes the row read-only; a correction is a new
    version, and the highest signed version of a year is the one in force.
    """

    __tablename__ = "station_evaluation"
    __audit_entity__ = "工作站年度评估"
    __table_args__ = (
        Index("uq_station_evaluation_version", "station_id", "year", "version_no", unique=True),
        Index("ix_station_evaluation_year", "year", "status"),
    )

    id: Mapped[intpk]
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    year: Mapped[int] = mapped_column(Integer)
    version_no: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(10), default=EvaluationStatus.DRAFT.value)
    correction_reason: Mapped[str] = mapped_column(Text, default="", comment="why this version replaces the last")
    evaluated_on: Mapped[date] = mapped_column(Date)
    evaluator: Mapped[str] = mapped_column(String(100), default="", comment="评估人")
    management_system: Mapped[bool] = mapped_column(Boolean, default=False)
    onsite_office: Mapped[bool] = mapped_column(Boolean, default=False)
    responsible_person: Mapped[bool] = mapped_column(Boolean, default=False)
    unreported_changes: Mapped[int] = mapped_column(Integer, default=0)
    verified_complaints: Mapped[int] = mapped_column(Integer, default=0)
    accidents: Mapped[int] = mapped_column(Integer, default=0)
    work_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    contracts_missing: Mapped[int] = mapped_column(Integer, default=0)
    ledger_present: Mapped[str] = mapped_column(Text, default="", comment="ledger items kept, '、'-joined")
    worker_surveyed: Mapped[int] = mapped_column(Integer, default=0)
    worker_satisfied: Mapped[int] = mapped_column(Integer, default=0)
    employer_surveyed: Mapped[int] = mapped_column(Integer, default=0)
    employer_satisfied: Mapped[int] = mapped_column(Integer, default=0)
    events_held: Mapped[int] = mapped_column(Integer, default=0)
    events_note: Mapped[str] = mapped_column(Text, default="", comment="劳务对接活动 held: dates and names")
    skilled_bonus: Mapped[Decimal | None] = mapped_column(Numeric(3, 1), nullable=True)
    innovation: Mapped[Decimal] = mapped_column(Numeric(3, 1), default=0)
    innovation_reason: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[Decimal | None] = mapped_column(Numeric(4, 1), nullable=True, comment="frozen at sign-off")
    passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    vetoed: Mapped[bool] = mapped_column(Boolean, default=False)
    subsidy_yuan: Mapped[int] = mapped_column(Integer, default=0)
    snapshot: Mapped[str] = mapped_column(Text, default="", comment="JSON: scored lines and roster figures")
    signed_by: Mapped[str] = mapped_column(String(50), default="")
    signed_name: Mapped[str] = mapped_column(String(50), default="")
    signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class StationAward(Audited, Stamped, Base):
    """A 优秀站点 decision: the first award, or a two-yearly re-check kept or lost."""

    __tablename__ = "station_award"
    __audit_entity__ = "优秀站点"
    __table_args__ = (Index("ix_station_award_station", "station_id", "check_year"),)

    id: Mapped[intpk]
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    kind: Mapped[str] = mapped_column(String(10), comment="award / recheck")
    check_year: Mapped[int] = mapped_column(Integer, comment="last year of the cycle checked")
    decided_on: Mapped[date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column(Boolean)
    award_yuan: Mapped[int] = mapped_column(Integer, default=0)
    conditions: Mapped[str] = mapped_column(Text, default="", comment="JSON: every condition with its figures")
    actor: Mapped[str] = mapped_column(String(50))
    actor_name: Mapped[str] = mapped_column(String(50), default="")
