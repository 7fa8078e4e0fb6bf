"""The cooperation fund's joint account (劳务合作金共管账户): entries, payment requests and their
two sign-offs (双签批), and the match of repayments to advances. Amounts are integer 分.

Entries, sign-offs and matches are history: the ORM refuses to update or delete them (a mistake
is corrected by a reversal entry), so a stray code path cannot rewrite the ledger either.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from desktop.core.models.base import Audited, Base, Stamped, intpk, money_fen


class FundAccount(Audited, Stamped, Base):
    """The joint account an agreement's company opened for the fund (one per agreement)."""

    __tablename__ = "fund_account"
    __audit_entity__ = "合作金账户"

    id: Mapped[intpk]
    agreement_id: Mapped[int] = mapped_column(ForeignKey("coop_agreement.id"), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    bank_name: Mapped[str] = mapped_column(String(100), default="")
    account_no: Mapped[str] = mapped_column(String(30), default="")
    opened_on: Mapped[date] = mapped_column(Date)


class FundSignatory(Audited, Stamped, Base):
    """A person who signs payments for one party of an account (the 双印鉴 holders)."""

    __tablename__ = "fund_signatory"
    __audit_entity__ = "合作金签批人"
    __table_args__ = (UniqueConstraint("account_id", "party", "user_id"),)

    id: Mapped[intpk]
    account_id: Mapped[int] = mapped_column(ForeignKey("fund_account.id"))
    party: Mapped[str] = mapped_column(String(50))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PaymentRequest(Audited, Stamped, Base):
    """An outgoing payment waiting for its sign-offs; rejected and cancelled ones are kept."""

    __tablename__ = "payment_request"
    __audit_entity__ = "合作金支出申请"
    __table_args__ = (Index("ix_payment_request_account", "account_id", "status", "id"),)

    id: Mapped[intpk]
    account_id: Mapped[int] = mapped_column(ForeignKey("fund_account.id"))
    kind: Mapped[str] = mapped_column(String(20), comment="advance / payout / return")
    amount_fen: Mapped[money_fen]
    item: Mapped[str] = mapped_column(String(50), comment="advance item or payout purpose")
    dispatch_id: Mapped[int | None] = mapped_column(ForeignKey("coop_dispatch.id"), nullable=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("coop_worker.id"), nullable=True)
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative.id"), nullable=True, comment="payee")
    payee: Mapped[str] = mapped_column(String(100), default="", comment="收款人")
    purpose: Mapped[str] = mapped_column(Text, default="", comment="用途说明")
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(50))
    requested_by_name: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closing_reason: Mapped[str] = mapped_column(Text, default="", comment="why rejected / cancelled")
    override_by: Mapped[str] = mapped_column(String(50), default="", comment="admin who allowed an overdraft")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class PaymentSignoff(Audited, Stamped, Base):
    """One signature on a request: one per party, one per person."""

    __tablename__ = "payment_signoff"
    __audit_entity__ = "合作金签批"
    __table_args__ = (UniqueConstraint("request_id", "party"), UniqueConstraint("request_id", "username"))

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("payment_request.id"))
    party: Mapped[str] = mapped_column(String(50))
    username: Mapped[str] = mapped_column(String(50))
    display_name: Mapped[str] = mapped_column(String(50), default="")
    approved: Mapped[bool] = mapped_column(Boolean)
    opinion: Mapped[str] = mapped_column(Text, default="")
    signed_on: Mapped[date] = mapped_column(Date)


class FundEntry(Audited, Stamped, Base):
    """One line of the account (分录): signed amount in 分 (+ in, − out), never edited."""

    __tablename__ = "fund_entry"
    __audit_entity__ = "合作金分录"
    __table_args__ = (
        UniqueConstraint("account_id", "seq"),
        Index("ix_fund_entry_account_date", "account_id", "entry_date", "id"),
        Index("ix_fund_entry_worker", "worker_id", "kind"),
    )

    id: Mapped[intpk]
    account_id: Mapped[int] = mapped_column(ForeignKey("fund_account.id"))
    seq: Mapped[int] = mapped_column(Integer, comment="凭证号 within the account")
    entry_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[money_fen]
    item: Mapped[str] = mapped_column(String(50), default="", comment="advance item / income kind / source / purpose")
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("coop_worker.id"), nullable=True)
    dispatch_id: Mapped[int | None] = mapped_column(ForeignKey("coop_dispatch.id"), nullable=True)
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative.id"), nullable=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("payment_request.id"), nullable=True, unique=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("fund_entry.id"), nullable=True, unique=True)
    counterparty: Mapped[str] = mapped_column(String(100), default="", comment="付款方/收款人")
    summary: Mapped[str] = mapped_column(Text, default="", comment="摘要")
    recorded_by_name: Mapped[str] = mapped_column(String(50), default="")
    override_by: Mapped[str] = mapped_column(String(50), default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")


class RepaymentMatch(Audited, Stamped, Base):
    """How much of a repayment entry repays which advance entry (收回核销)."""

    __tablename__ = "fund_repayment_match"
    __audit_entity__ = "垫支核销"
    __table_args__ = (
        Index("ix_fund_repayment_match_advance", "advance_entry_id"),
        Index("ix_fund_repayment_match_repayment", "repayment_entry_id"),
    )

    id: Mapped[intpk]
    repayment_entry_id: Mapped[int] = mapped_column(ForeignKey("fund_entry.id"))
    advance_entry_id: Mapped[int] = mapped_column(ForeignKey("fund_entry.id"))
    amount_fen: Mapped[money_fen]


class LedgerIsHistory(RuntimeError):
    """Raised when code tries to change or delete a posted entry, a signature or a match."""


def _refuse(_mapper: object, _connection: object, target: object) -> None:
    raise LedgerIsHistory(f"{type(target).__audit_entity__}不能修改或删除；录错的款项请用冲正更正。")  # type: ignore[attr-defined]


for _model in (FundEntry, PaymentSignoff, RepaymentMatch):
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
