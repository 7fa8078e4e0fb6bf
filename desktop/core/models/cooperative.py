"""Labour cooperatives (劳务合作社) and their partners: the county/township/village tree, the brokers
of each village cooperative, HR service companies (人力资源服务企业) with their agreements, the
workers the cooperatives send (with each trip, 输送) and the 四清 registry of poor workers."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.core.models.base import Audited, Base, Stamped, intpk, money_fen


class CoopLevel(enum.StrEnum):
    COUNTY = "county"  # 县（市）级劳务合作（联）社
    TOWNSHIP = "township"  # 乡（镇）级
    VILLAGE = "village"  # 村级

    @property
    def index(self) -> int:
        """Position in the profile's ``fund.cooperative_levels`` (its display names)."""
        return list(CoopLevel).index(self)


class Cooperative(Audited, Stamped, Base):
    """A labour cooperative at one level, tied to the region it serves by code."""

    __tablename__ = "cooperative"
    __audit_entity__ = "劳务合作社"
    __table_args__ = (Index("ix_cooperative_parent", "parent_id"),)

    id: Mapped[intpk]
    level: Mapped[str] = mapped_column(String(10), comment="county / township / village")
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(12), unique=True, comment="6-digit county, 12-digit township/village")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative.id"), nullable=True)
    leader: Mapped[str] = mapped_column(String(50), default="", comment="负责人")
    phone: Mapped[str] = mapped_column(String(30), default="")
    credit_code: Mapped[str] = mapped_column(String(18), default="", comment="统一社会信用代码")
    established_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class CooperativeBroker(Audited, Stamped, Base):
    """A broker working for a village cooperative from ``joined_on``; leaving sets ``left_on``."""

    __tablename__ = "cooperative_broker"
    __audit_entity__ = "合作社经纪人"
    __table_args__ = (
        Index("ix_cooperative_broker_coop", "cooperative_id"),
        Index(
            "uq_cooperative_broker_current",
            "broker_id",
            unique=True,
            sqlite_where=text("left_on IS NULL"),
            postgresql_where=text("left_on IS NULL"),
        ),
    )

    id: Mapped[intpk]
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker.id"))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class HrCompany(Audited, Stamped, Base):
    """An HR service company (人力资源服务企业) the county cooperative works with."""

    __tablename__ = "hr_company"
    __audit_entity__ = "人力资源服务企业"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(100), unique=True)
    credit_code: Mapped[str] = mapped_column(String(18), default="", comment="统一社会信用代码")
    licence_no: Mapped[str] = mapped_column(String(50), default="", comment="人力资源服务许可证编号")
    contact: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(200), default="")


class CoopAgreement(Audited, Stamped, Base):
    """劳务合作协议 between the county cooperative and a company: the per-worker 劳务经济收益金,
    the term, the fund entrusted, and how a village's income is used (basis points, 30 % = 3000)."""

    __tablename__ = "coop_agreement"
    __audit_entity__ = "劳务合作协议"

    id: Mapped[intpk]
    number: Mapped[str] = mapped_column(String(50), unique=True, comment="协议编号")
    county_coop_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("hr_company.id"))
    signed_on: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    rate_per_worker_fen: Mapped[money_fen]
    fund_amount_fen: Mapped[money_fen]
    reward_bp: Mapped[int] = mapped_column(Integer, comment="经纪人绩效奖励, basis points of a village's income")
    public_works_bp: Mapped[int] = mapped_column(Integer, comment="村公益事业, basis points")
    note: Mapped[str] = mapped_column(Text, default="")


class CoopWorker(Audited, Stamped, Base):
    """A rural worker registered with a village cooperative (登记劳动力)."""

    __tablename__ = "coop_worker"
    __audit_entity__ = "登记劳动力"
    __table_args__ = (Index("ix_coop_worker_name", "name"), Index("ix_coop_worker_village", "village_coop_id"))

    id: Mapped[intpk]
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(30), default="")
    village_coop_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    poverty_status: Mapped[str] = mapped_column(String(20), default="", comment="建档立卡/脱贫…; '' = none")


class Dispatch(Audited, Stamped, Base):
    """One trip (输送): a worker sent to work under an agreement; advances are per worker and trip."""

    __tablename__ = "coop_dispatch"
    __audit_entity__ = "输送记录"
    __table_args__ = (
        UniqueConstraint("worker_id", "agreement_id", "departed_on"),
        Index("ix_coop_dispatch_agreement", "agreement_id", "departed_on"),
    )

    id: Mapped[intpk]
    worker_id: Mapped[int] = mapped_column(ForeignKey("coop_worker.id"))
    agreement_id: Mapped[int] = mapped_column(ForeignKey("coop_agreement.id"))
    village_coop_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"), comment="the worker's village then")
    broker_id: Mapped[int | None] = mapped_column(ForeignKey("broker.id"), nullable=True, comment="who mobilised")
    departed_on: Mapped[date] = mapped_column(Date)
    employer: Mapped[str] = mapped_column(String(100), default="", comment="用工企业")
    workplace: Mapped[str] = mapped_column(String(100), default="", comment="务工地")


class FourClearCheck(Audited, Stamped, Base):
    """四清: one dated check of a poor worker's four facts; a new check is a new row."""

    __tablename__ = "four_clear_check"
    __audit_entity__ = "四清核实"
    __table_args__ = (Index("ix_four_clear_check_worker", "worker_id", "checked_on"),)

    id: Mapped[intpk]
    worker_id: Mapped[int] = mapped_column(ForeignKey("coop_worker.id"))
    checked_on: Mapped[date] = mapped_column(Date)
    employment: Mapped[str] = mapped_column(String(100), comment="就业情况")
    skills: Mapped[str] = mapped_column(String(200), comment="技能情况")
    employment_intention: Mapped[str] = mapped_column(String(100), comment="就业意愿")
    training_intention: Mapped[str] = mapped_column(String(100), comment="技能培训意愿")
    checked_by: Mapped[str] = mapped_column(String(50), default="", comment="核实人")
