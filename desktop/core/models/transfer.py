"""Transfer logs (组织转移就业人员信息表, 附件2), their imports, subsidy claims and biennial reviews.

History is append-only: a correction of a ``TransferRecord`` is a new row that ``supersedes`` the
old one (the old row's ``status`` becomes ``superseded``, nothing else of it changes); withdrawing
a record is a new row with status ``void``. Only rows with status ``current`` are counted anywhere
(review, subsidy, lists, rankings). ``root_id`` names the first version of a placement, so every
version of one placement is ``id = R OR root_id = R``.

A worker's subsidy claim (``SubsidyClaimRow``) covers the calendar months from the hire month for
the profile's minimum contract term; ``SubsidyClaimMonth`` holds one row per (worker ID number,
month) of every live claim under a unique index, so the database itself refuses a second claim
for the same worker in an overlapping period, whichever broker files it.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from desktop.core.models.base import Audited, Base, Stamped, intpk


class TransferStatus(enum.StrEnum):
    CURRENT = "current"  # the version that counts
    SUPERSEDED = "superseded"  # corrected by a later version (kept as history)
    VOID = "void"  # withdrawn (作废): the last version of a placement that no longer counts

    @property
    def label(self) -> str:
        return {"current": "有效", "superseded": "已更正", "void": "已作废"}[self.value]


#: "not current", for conditions that must not steer the planner to a status index: nearly every
#: row is current, so ``status NOT IN NOT_CURRENT`` lets the ID-number/name index be used instead.
NOT_CURRENT = (TransferStatus.SUPERSEDED.value, TransferStatus.VOID.value)


class ContractKind(enum.StrEnum):
    FIXED = "fixed"  # 固定期限 (months known)
    OPEN = "open"  # 无固定期限
    TASK = "task"  # 以完成一定工作任务为期限
    UNKNOWN = ""  # not stated or not readable


class TransferRecord(Audited, Stamped, Base):
    """One organised transfer (一人次) of a worker by a broker: a row of 附件2 plus the broker,
    the hire (transfer) date and 是否脱贫人口. Gender and age are derived from the ID number
    (age at the hire date)."""

    __tablename__ = "transfer_record"
    __audit_entity__ = "转移就业"
    __table_args__ = (
        # The same worker twice on the same day is a duplicate (DOMAIN.md §3), whoever logs it.
        Index(
            "uq_transfer_record_current_worker_day",
            "id_number",
            "hire_date",
            unique=True,
            sqlite_where=text("status = 'current'"),
            postgresql_where=text("status = 'current'"),
        ),
        # County list by date, review counts per year (covering: status, date, broker).
        Index("ix_transfer_record_status_date", "status", "hire_date", "broker_id"),
        # Per-broker list and per-broker yearly counts.
        Index("ix_transfer_record_broker", "broker_id", "status", "hire_date"),
        Index("ix_transfer_record_village", "status", "village_code", "hire_date"),
        # Name and employer searches ("contains") scan these narrow covering indexes.
        Index("ix_transfer_record_employer", "employer_name", "status", "hire_date"),
        Index("ix_transfer_record_worker_name", "worker_name", "status", "hire_date"),
        # An ID-number prefix search counts from this index alone (status included: a short
        # prefix matches nearly every row, and a table look-up each made "5" take 0.4 s).
        Index("ix_transfer_record_id_number", "id_number", "status", "hire_date"),
        # History links and the import link are NULL on most rows: partial indexes keep them small
        # and cost nothing on the rows that have none ("= ?" implies "IS NOT NULL" for the planner).
        Index("ix_transfer_record_root", "root_id", sqlite_where=text("root_id IS NOT NULL"),
              postgresql_where=text("root_id IS NOT NULL")),
        Index("uq_transfer_record_supersedes", "supersedes_id", unique=True,
              sqlite_where=text("supersedes_id IS NOT NULL"), postgresql_where=text("supersedes_id IS NOT NULL")),
        Index("ix_transfer_record_import", "import_id", sqlite_where=text("import_id IS NOT NULL"),
              postgresql_where=text("import_id IS NOT NULL")),
    )

    id: Mapped[intpk]
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker.id"), comment="组织转移的劳务经纪人")
    # --- the 14 columns of 附件2 (序号 is the row's position when printed) ---
    worker_name: Mapped[str] = mapped_column(String(50), comment="组织劳动力姓名")
    gender: Mapped[str] = mapped_column(String(2), comment="性别, from the ID number")
    id_number: Mapped[str] = mapped_column(String(18), comment="身份证号码, normalised")
    age: Mapped[int] = mapped_column(Integer, comment="年龄 at the hire date, from the ID number")
    education: Mapped[str] = mapped_column(String(20), default="", comment="文化程度 (profile list)")
    ethnicity: Mapped[str] = mapped_column(String(10), default="", comment="民族 (one of the 56)")
    employer_name: Mapped[str] = mapped_column(String(100), comment="就业单位名称")
    work_address: Mapped[str] = mapped_column(String(200), default="", comment="就业地详细地址")
    contract_term: Mapped[str] = mapped_column(String(100), default="", comment="劳动合同期限, as written")
    job: Mapped[str] = mapped_column(String(100), default="", comment="从事岗位")
    social_insurance: Mapped[bool] = mapped_column(Boolean, default=False, comment="是否参加社保")
    phone: Mapped[str] = mapped_column(String(30), default="", comment="联系电话")
    remarks: Mapped[str] = mapped_column(Text, default="", comment="备注")
    # --- beyond the sheet ---
    hire_date: Mapped[date] = mapped_column(Date, comment="转移（入职）日期")
    poverty_alleviated: Mapped[bool] = mapped_column(Boolean, default=False, comment="是否脱贫人口")
    employer_type: Mapped[str] = mapped_column(String(20), default="", comment="单位类型 (企业…); '' = not known")
    contract_kind: Mapped[str] = mapped_column(String(10), default="", comment="fixed / open / task / ''")
    contract_months: Mapped[int | None] = mapped_column(Integer, nullable=True, comment="fixed-term length")
    contract_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    contract_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    village_code: Mapped[str] = mapped_column(String(12), default="", comment="劳动力所在村（社区） code")
    village_name: Mapped[str] = mapped_column(String(100), default="")
    # --- history and provenance ---
    status: Mapped[str] = mapped_column(String(12), default=TransferStatus.CURRENT.value)
    root_id: Mapped[int | None] = mapped_column(
        ForeignKey("transfer_record.id"), nullable=True, comment="first version of this placement; NULL on it"
    )
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("transfer_record.id"), nullable=True, comment="the version this entry corrects"
    )
    change_reason: Mapped[str] = mapped_column(Text, default="", comment="更正/作废原因")
    source: Mapped[str] = mapped_column(String(10), default="entry", comment="entry / import / demo")
    import_id: Mapped[int | None] = mapped_column(ForeignKey("transfer_import.id"), nullable=True)

    @property
    def placement_id(self) -> int:
        """The id every version of this placement shares (its first version's id)."""
        return self.root_id or self.id


class TransferImport(Audited, Stamped, Base):
    """One import of a 附件2 sheet, with the original file kept byte for byte (and its hash)."""

    __tablename__ = "transfer_import"
    __audit_entity__ = "转移就业导入"
    __table_args__ = (Index("ix_transfer_import_sha256", "file_sha256"),)

    id: Mapped[intpk]
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True, comment="the original .xlsx")
    broker_id: Mapped[int | None] = mapped_column(ForeignKey("broker.id"), nullable=True)
    sheet_broker_name: Mapped[str] = mapped_column(String(50), default="", comment="劳务经纪人姓名 on the sheet")
    fill_date: Mapped[date | None] = mapped_column(Date, nullable=True, comment="填表日期 on the sheet")
    sheet: Mapped[str] = mapped_column(String(100), default="")
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    imported_rows: Mapped[int] = mapped_column(Integer, default=0)
    bad_rows: Mapped[int] = mapped_column(Integer, default=0)
    skip_bad: Mapped[bool] = mapped_column(Boolean, default=False)
    report: Mapped[str] = mapped_column(Text, default="", comment="the import report, one line per problem")


class ClaimStatus(enum.StrEnum):
    CLAIMED = "claimed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"claimed": "已申领", "withdrawn": "已撤回"}[self.value]


class SubsidyClaimBatch(Audited, Stamped, Base):
    """A claim roster (就业创业服务补助申领名册) for placements hired in one period."""

    __tablename__ = "subsidy_claim_batch"
    __audit_entity__ = "服务补助申领批次"
    __table_args__ = (Index("ix_subsidy_claim_batch_period", "period_from", "period_to"),)

    id: Mapped[intpk]
    period_from: Mapped[date] = mapped_column(Date, comment="hire dates from (inclusive)")
    period_to: Mapped[date] = mapped_column(Date, comment="hire dates to (inclusive)")
    title: Mapped[str] = mapped_column(String(200))
    amount_per_worker_fen: Mapped[int] = mapped_column(BigInteger, comment="标准, in 分 (profile amount × 100)")
    status: Mapped[str] = mapped_column(String(12), default="open", comment="open / submitted")
    remarks: Mapped[str] = mapped_column(Text, default="")


class SubsidyClaimRow(Audited, Stamped, Base):
    """One worker claimed in a batch for one placement; withdrawn rows stay, with date and reason."""

    __tablename__ = "subsidy_claim_row"
    __audit_entity__ = "服务补助申领"
    __table_args__ = (
        # One live claim per placement (all versions of it share transfer_root_id).
        Index(
            "uq_subsidy_claim_row_live_placement",
            "transfer_root_id",
            unique=True,
            sqlite_where=text("status = 'claimed'"),
            postgresql_where=text("status = 'claimed'"),
        ),
        Index("ix_subsidy_claim_row_batch", "batch_id", "seq"),
        Index("ix_subsidy_claim_row_id_number", "id_number"),
        Index("ix_subsidy_claim_row_broker", "broker_id"),
    )

    id: Mapped[intpk]
    batch_id: Mapped[int] = mapped_column(ForeignKey("subsidy_claim_batch.id"))
    seq: Mapped[int] = mapped_column(Integer, comment="序号 in the roster")
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfer_record.id"), comment="the version claimed")
    transfer_root_id: Mapped[int] = mapped_column(
        ForeignKey("transfer_record.id"), comment="the placement (first version's id)"
    )
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker.id"))
    id_number: Mapped[str] = mapped_column(String(18))
    worker_name: Mapped[str] = mapped_column(String(50))
    hire_date: Mapped[date] = mapped_column(Date)
    covered_from: Mapped[date] = mapped_column(Date, comment="first day of the first covered month")
    covered_months: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger, comment="amount in 分; never a float")
    status: Mapped[str] = mapped_column(String(12), default=ClaimStatus.CLAIMED.value)
    withdrawn_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")


class SubsidyClaimMonth(Base):
    """(worker ID number, month) held by a live claim: the database-level double-claim guard.

    Derived from ``SubsidyClaimRow`` (which is audited); rows are removed when a claim is withdrawn.
    """

    __tablename__ = "subsidy_claim_month"
    __table_args__ = (
        Index("uq_subsidy_claim_month_worker_month", "id_number", "month", unique=True),
        Index("ix_subsidy_claim_month_claim", "claim_row_id"),
    )

    id: Mapped[intpk]
    claim_row_id: Mapped[int] = mapped_column(ForeignKey("subsidy_claim_row.id"))
    id_number: Mapped[str] = mapped_column(String(18))
    month: Mapped[int] = mapped_column(Integer, comment="YYYYMM")


class ReviewKind(enum.StrEnum):
    BIENNIAL = "biennial"  # 每两年复核
    FRAUD = "fraud"  # 虚假信息、骗取补贴：一经查实即取消

    @property
    def label(self) -> str:
        return {"biennial": "两年复核", "fraud": "查实弄虚作假"}[self.value]


class ReviewOutcome(enum.StrEnum):
    REVOKED = "revoked"
    KEPT = "kept"

    @property
    def label(self) -> str:
        return {"revoked": "取消资格", "kept": "保留资格"}[self.value]


class ReviewDecision(Audited, Stamped, Base):
    """A reviewer's decision on a broker: the biennial review of a year, or a fraud finding.

    A revocation also sets ``Broker.status`` and adds a ``BrokerStatusChange`` (``status_change_id``);
    the transfer counts the decision was based on are kept as they were that day.
    """

    __tablename__ = "review_decision"
    __audit_entity__ = "经纪人复核"
    __table_args__ = (
        Index("ix_review_decision_year", "review_year", "broker_id"),
        Index("ix_review_decision_broker", "broker_id", "id"),
    )

    id: Mapped[intpk]
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker.id"))
    kind: Mapped[str] = mapped_column(String(10))
    review_year: Mapped[int | None] = mapped_column(Integer, nullable=True, comment="复核年度 Y (biennial)")
    count_previous: Mapped[int | None] = mapped_column(Integer, nullable=True, comment="人次 in Y-1")
    count_year: Mapped[int | None] = mapped_column(Integer, nullable=True, comment="人次 in Y")
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, comment="below the threshold both years")
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(50))
    status_change_id: Mapped[int | None] = mapped_column(ForeignKey("broker_status_change.id"), nullable=True)
