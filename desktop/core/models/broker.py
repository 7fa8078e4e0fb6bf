"""Labour-broker applications (劳务经纪人认定申请, 附件1) — the start of every broker's record."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.core.models.base import Audited, Base, Stamped, intpk


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"  # 已申请，待村推荐
    RECOMMENDED = "recommended"  # 村（社区）已推荐，待县级初审
    REVIEWED = "reviewed"  # 县级初审通过，待培训考试
    TRAINED = "trained"  # 考试合格，待公示
    IN_PUBLICITY = "in_publicity"  # 公示中
    CERTIFIED = "certified"  # 已认定
    REJECTED = "rejected"  # 未通过（保留记录）

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: "待村推荐",
    ApplicationStatus.RECOMMENDED: "待县级初审",
    ApplicationStatus.REVIEWED: "待培训考试",
    ApplicationStatus.TRAINED: "待公示",
    ApplicationStatus.IN_PUBLICITY: "公示中",
    ApplicationStatus.CERTIFIED: "已认定",
    ApplicationStatus.REJECTED: "未通过",
}

#: statuses that block a second application for the same ID number
OPEN_STATUSES = tuple(s.value for s in ApplicationStatus if s is not ApplicationStatus.REJECTED)


class BrokerApplication(Audited, Stamped, Base):
    """One application to be certified as a labour broker; rejected ones are kept, never deleted."""

    __tablename__ = "broker_application"
    __audit_entity__ = "经纪人申请"
    __table_args__ = (
        # One open application or broker per ID number; rejected ones may repeat.
        Index(
            "uq_broker_application_open_id",
            "id_number",
            unique=True,
            sqlite_where=text("status != 'rejected'"),
            postgresql_where=text("status != 'rejected'"),
        ),
        Index("ix_broker_application_id_number", "id_number"),
        Index("ix_broker_application_name", "name"),
        Index("ix_broker_application_status", "status", "application_date"),
        Index("ix_broker_application_village", "village_code"),
    )

    id: Mapped[intpk]
    id_number: Mapped[str] = mapped_column(String(18), comment="身份证号码, normalised, X upper-case")
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[date] = mapped_column(Date)
    political_status: Mapped[str] = mapped_column(String(20), default="")
    education: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(30))
    employer: Mapped[str] = mapped_column(String(100), default="", comment="工作单位")
    bank_account: Mapped[str] = mapped_column(String(19), default="")
    bank_name: Mapped[str] = mapped_column(String(100), default="")
    home_address: Mapped[str] = mapped_column(String(200), default="")
    profile_text: Mapped[str] = mapped_column(Text, default="", comment="个人简介")
    village_code: Mapped[str] = mapped_column(String(12), default="", comment="常住村（社区） code")
    village_name: Mapped[str] = mapped_column(String(100), default="")
    hukou_province_code: Mapped[str] = mapped_column(String(2), comment="户籍 province as confirmed")
    hukou_confirmed: Mapped[bool] = mapped_column(default=False, comment="clerk confirmed 户籍 differs from ID")
    category: Mapped[str] = mapped_column(String(30), default="", comment="applicant category")
    declarations: Mapped[str] = mapped_column(String(200), default="", comment="ticked declarations, '、'-joined")
    application_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.SUBMITTED.value)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    photo_type: Mapped[str] = mapped_column(String(10), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_enum(self) -> ApplicationStatus:
        return ApplicationStatus(self.status)
