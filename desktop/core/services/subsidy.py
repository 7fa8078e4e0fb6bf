"""Service subsidy claims (就业创业服务补助申领): batches per period, double claims refused.

A batch takes every current placement hired in its period that qualifies (rules.transfers.
subsidy_check) and is not claimed yet. A claim covers the calendar months from the hire month for
the profile's minimum contract term (12); a worker whose months overlap a live claim — by any
broker, in any batch, or earlier in the same batch — is refused with that earlier claim shown.
``SubsidyClaimMonth`` holds those months under a unique index, so the database refuses an
overlapping claim even if two counters file at the same moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import AuditFact, append_facts
from desktop.core.db.sqlite import bulk_insert
from desktop.core.documents.excel.importing import FactMaker, insert_and_read_ids, lookup_in_chunks, stamps
from desktop.core.errors import UserError
from desktop.core.idcard import mask
from desktop.core.models.account import Role
from desktop.core.models.registry import Broker
from desktop.core.models.transfer import (
    ClaimStatus,
    SubsidyClaimBatch,
    SubsidyClaimMonth,
    SubsidyClaimRow,
    TransferRecord,
    TransferStatus,
)
from desktop.core.rules.profile import PolicyProfile, SubsidyRules
from desktop.core.rules.transfers import covered_months, subsidy_check
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.transfers import facts_of

T = TransferRecord
CLAIM_ROLES = (Role.REVIEWER, Role.ADMIN)


def rules_of(profile: PolicyProfile) -> SubsidyRules:
    if profile.subsidy is None:
        raise UserError(f"{profile.region.name}的政策配置没有就业创业服务补助，本中心不使用这项功能。")
    return profile.subsidy


@dataclass(frozen=True)
class RefusedClaim:
    transfer_id: int
    worker_name: str
    id_number_masked: str
    broker_name: str
    hire_date: date
    reason: str  # names the earlier claim


@dataclass(frozen=True)
class BatchResult:
    batch_id: int | None  # None for a preview
    title: str
    period_from: date
    period_to: date
    claimed: int
    total_fen: int
    refused: tuple[RefusedClaim, ...]
    not_qualifying: int


@dataclass(frozen=True)
class _Candidate:
    record: Any  # a row with the _CANDIDATE_COLUMNS
    broker_name: str


_CANDIDATE_COLUMNS = [T.__table__.c[name] for name in (
    "id", "root_id", "broker_id", "id_number", "worker_name", "hire_date", "poverty_alleviated", "employer_type",
    "contract_kind", "contract_months", "social_insurance")]


def _month_text(month: int) -> str:
    return f"{month // 100}年{month % 100}月"


def _earlier_text(session: Session, claim_ids: Iterable[int]) -> dict[int, str]:
    rows = session.execute(
        select(SubsidyClaimRow.id, SubsidyClaimRow.batch_id, SubsidyClaimRow.hire_date, SubsidyClaimRow.covered_from,
               SubsidyClaimRow.covered_months, Broker.name, SubsidyClaimBatch.period_from, SubsidyClaimBatch.period_to)
        .join(Broker, Broker.id == SubsidyClaimRow.broker_id)
        .join(SubsidyClaimBatch, SubsidyClaimBatch.id == SubsidyClaimRow.batch_id)
        .where(SubsidyClaimRow.id.in_(list(claim_ids))))
    out = {}
    for claim_id, batch_id, hire, start, months, broker, p_from, p_to in rows:
        last = covered_months(start, months)[-1]
        out[claim_id] = (f"已在第 {batch_id} 批（{p_from:%Y-%m-%d}至{p_to:%Y-%m-%d}）由经纪人{broker}申领"
                         f"（入职 {hire:%Y-%m-%d}，补助期 {_month_text(start.year * 100 + start.month)}至{_month_text(last)}）")
    return out


def build_batch(session: Session, user: SignedInUser, profile: PolicyProfile, period_from: date, period_to: date,
                *, preview: bool = False) -> BatchResult:
    """Claim every qualifying, unclaimed placement hired in the period; refuse double claims.

    ``preview`` checks and counts without writing (what the confirmation dialog shows)."""
    require(user, *CLAIM_ROLES, action="申领就业创业服务补助")
    rules = rules_of(profile)
    if period_to < period_from:
        raise UserError("申领期间的结束日期早于开始日期，请重新选择。")
    if period_from > clock.today():
        raise UserError("申领期间不能在今天之后。")
    claimed_already = exists().where(SubsidyClaimRow.transfer_root_id == func.coalesce(T.root_id, T.id),
                                     SubsidyClaimRow.status == ClaimStatus.CLAIMED.value)
    in_period = [T.status == TransferStatus.CURRENT.value, T.hire_date >= period_from, T.hire_date <= period_to,
                 ~claimed_already]
    unclaimed = session.scalar(select(func.count()).select_from(T).where(*in_period)) or 0
    pre = list(in_period)
    if rules.requires_poverty_alleviated:
        pre.append(T.poverty_alleviated.is_(True))
    if rules.requires_social_insurance:
        pre.append(T.social_insurance.is_(True))
    if rules.employer_types:
        pre.append(T.employer_type.in_(rules.employer_types))
    found = session.execute(select(*_CANDIDATE_COLUMNS, Broker.name.label("broker_name"))
                            .join(Broker, Broker.id == T.broker_id).where(*pre).order_by(T.hire_date, T.id)).all()
    # plain rows (tens of thousands in a city's year): no ORM objects
    candidates = [_Candidate(r, r.broker_name) for r in found if subsidy_check(facts_of(r), rules).qualifies]

    held: dict[str, dict[int, int | _Candidate]] = {}
    numbers = {c.record.id_number for c in candidates}
    for id_number, month, claim_id in lookup_in_chunks(
            session, lambda chunk: select(SubsidyClaimMonth.id_number, SubsidyClaimMonth.month,
                                          SubsidyClaimMonth.claim_row_id).where(SubsidyClaimMonth.id_number.in_(chunk)),
            numbers):
        held.setdefault(id_number, {})[month] = claim_id
    accepted: list[tuple[_Candidate, list[int]]] = []
    clashes: list[tuple[_Candidate, int | _Candidate]] = []
    months_n = rules.min_contract_months or 12
    for cand in candidates:
        months = covered_months(cand.record.hire_date, months_n)
        mine = held.setdefault(cand.record.id_number, {})
        clash = next((mine[m] for m in months if m in mine), None)
        if clash is not None:
            clashes.append((cand, clash))
            continue
        for m in months:
            mine[m] = cand
        accepted.append((cand, months))
    earlier = _earlier_text(session, {c for _, c in clashes if isinstance(c, int)})
    masking = profile.masking
    refused = []
    for cand, clash in clashes:
        if isinstance(clash, int):
            reason = earlier[clash] + "，与本次补助期重叠，不予重复申领。"
        else:
            reason = (f"本批已申领该劳动力 {clash.record.hire_date:%Y-%m-%d} 入职（经纪人{clash.broker_name}）的补助，"
                      "补助期重叠，不予重复申领。")
        r = cand.record
        refused.append(RefusedClaim(r.id, r.worker_name, mask(r.id_number, masking.id_head, masking.id_tail),
                                    cand.broker_name, r.hire_date, reason))
    amount = rules.amount_yuan * 100
    title = rules.roster_title
    not_qualifying = unclaimed - len(candidates)
    if preview:
        return BatchResult(None, title, period_from, period_to, len(accepted), amount * len(accepted), tuple(refused),
                           not_qualifying)
    if not accepted:
        raise UserError(f"{period_from:%Y-%m-%d}至{period_to:%Y-%m-%d}入职的转移就业记录中，没有符合条件且未申领的人员"
                        + (f"（{len(refused)} 人因重复申领被拒绝）" if refused else "") + "。")
    batch = SubsidyClaimBatch(period_from=period_from, period_to=period_to, title=title, amount_per_worker_fen=amount)
    session.add(batch)
    session.flush()
    _write_rows(session, batch.id, accepted, amount, months_n)
    facts = [AuditFact("拒绝重复申领", SubsidyClaimRow.__audit_entity__, str(c.transfer_id),
                       detail=f"{c.worker_name}（{c.id_number_masked}）：{c.reason}") for c in refused]
    append_facts(session, facts)
    return BatchResult(batch.id, title, period_from, period_to, len(accepted), amount * len(accepted), tuple(refused),
                       not_qualifying)


def _write_rows(session: Session, batch_id: int, accepted: list[tuple[_Candidate, list[int]]], amount: int,
                months_n: int) -> None:
    stamp = stamps(str(session.info.get("actor") or ""), clock.now())
    rows = []
    for seq, (cand, _months) in enumerate(accepted, 1):
        r = cand.record
        rows.append({"batch_id": batch_id, "seq": seq, "transfer_id": r.id, "transfer_root_id": r.root_id or r.id,
                     "broker_id": r.broker_id, "id_number": r.id_number, "worker_name": r.worker_name,
                     "hire_date": r.hire_date, "covered_from": r.hire_date.replace(day=1), "covered_months": months_n,
                     "amount_fen": amount, "status": ClaimStatus.CLAIMED.value, "withdrawn_on": None,
                     "withdraw_reason": ""} | stamp)
    try:
        ids = insert_and_read_ids(session, SubsidyClaimRow.__table__, rows, "transfer_root_id")
        locks = [{"claim_row_id": ids[row["transfer_root_id"]], "id_number": cand.record.id_number, "month": m}
                 for row, (cand, months) in zip(rows, accepted, strict=True) for m in months]
        bulk_insert(session.connection(), SubsidyClaimMonth.__table__, locks)
    except IntegrityError:
        raise UserError("另一台电脑刚刚申领了其中某位劳动力的补助，本批没有保存，请重新生成。") from None
    make = FactMaker(SubsidyClaimRow).make
    append_facts(session, [make(ids[row["transfer_root_id"]], row) for row in rows])


def withdraw_claim(session: Session, user: SignedInUser, claim_row_id: int, reason: str) -> None:
    """Withdraw one claim (撤回): the row stays with date and reason, its months are freed."""
    require(user, *CLAIM_ROLES, action="撤回服务补助申领")
    if not reason.strip():
        raise UserError("请填写撤回原因（例如“复核发现未参加社保”）。", field="reason")
    row = session.get(SubsidyClaimRow, claim_row_id, with_for_update=True)
    if row is None:
        raise UserError("这笔申领不存在。")
    if row.status != ClaimStatus.CLAIMED.value:
        raise UserError(f"这笔申领已于 {row.withdrawn_on} 撤回。")
    row.status = ClaimStatus.WITHDRAWN.value
    row.withdrawn_on = clock.today()
    row.withdraw_reason = reason.strip()
    session.execute(delete(SubsidyClaimMonth).where(SubsidyClaimMonth.claim_row_id == claim_row_id))
    session.flush()


@dataclass(frozen=True)
class BatchSummary:
    id: int
    title: str
    period_from: date
    period_to: date
    people: int
    total_fen: int
    withdrawn: int
    created_at: datetime
    created_by: str


def list_batches(session: Session) -> list[BatchSummary]:
    claimed = SubsidyClaimRow.status == ClaimStatus.CLAIMED.value
    stmt = (select(SubsidyClaimBatch,
                   func.coalesce(func.sum(case((claimed, 1), else_=0)), 0),
                   func.coalesce(func.sum(case((claimed, SubsidyClaimRow.amount_fen), else_=0)), 0),
                   func.coalesce(func.sum(case((claimed, 0), else_=1)), 0))
            .outerjoin(SubsidyClaimRow, SubsidyClaimRow.batch_id == SubsidyClaimBatch.id)
            .group_by(SubsidyClaimBatch.id).order_by(SubsidyClaimBatch.id.desc()))
    return [BatchSummary(b.id, b.title, b.period_from, b.period_to, int(n), int(total), int(w), b.created_at,
                         b.created_by) for b, n, total, w in session.execute(stmt)]


def find_batch(session: Session, period_from: date, period_to: date) -> int | None:
    return session.scalar(select(SubsidyClaimBatch.id).where(SubsidyClaimBatch.period_from == period_from,
                                                             SubsidyClaimBatch.period_to == period_to)
                          .order_by(SubsidyClaimBatch.id.desc()).limit(1))


@dataclass(frozen=True)
class ClaimLine:
    id: int
    seq: int
    broker_id: int
    broker_name: str
    broker_id_number: str
    worker_name: str
    gender: str
    id_number: str
    employer_name: str
    contract_term: str
    hire_date: date
    social_insurance: bool
    poverty_alleviated: bool
    amount_fen: int
    status: str
    status_label: str
    withdraw_reason: str


def batch_lines(session: Session, profile: PolicyProfile, batch_id: int, *, full: bool = False, offset: int = 0,
                limit: int | None = None) -> list[ClaimLine]:
    """The rows of a batch in roster order (all, or ``offset``/``limit``); ID numbers masked unless ``full``."""
    if session.get(SubsidyClaimBatch, batch_id) is None:
        raise UserError(f"没有第 {batch_id} 批服务补助申领。")
    m = profile.masking
    c = SubsidyClaimRow.__table__.c
    stmt = (select(c.id, c.seq, c.worker_name, c.id_number, c.hire_date, c.amount_fen, c.status, c.withdraw_reason,
                   T.gender, T.employer_name, T.contract_term, T.social_insurance, T.poverty_alleviated,
                   Broker.id.label("broker_id"), Broker.name.label("broker_name"),
                   Broker.id_number.label("broker_id_number"))
            .join(T, T.id == c.transfer_id).join(Broker, Broker.id == c.broker_id)
            .where(c.batch_id == batch_id).order_by(c.seq).offset(offset))
    if limit is not None:
        stmt = stmt.limit(limit)
    out = []
    for r in session.execute(stmt):
        number = r.id_number if full else mask(r.id_number, m.id_head, m.id_tail)
        broker_number = r.broker_id_number if full else mask(r.broker_id_number, m.id_head, m.id_tail)
        out.append(ClaimLine(r.id, r.seq, r.broker_id, r.broker_name, broker_number, r.worker_name, r.gender, number,
                             r.employer_name, r.contract_term, r.hire_date, r.social_insurance, r.poverty_alleviated,
                             r.amount_fen, r.status, ClaimStatus(r.status).label, r.withdraw_reason))
    return out


@dataclass(frozen=True)
class LineQuery:
    """One page of a batch's rows, for the paged list on the subsidy page."""

    batch_id: int
    offset: int = 0
    limit: int = 200
    order: str = ""
    descending: bool = False


def count_batch_lines(session: Session, query: LineQuery) -> int:
    return session.scalar(select(func.count()).select_from(SubsidyClaimRow)
                          .where(SubsidyClaimRow.batch_id == query.batch_id)) or 0


def batch_line_page(session: Session, profile: PolicyProfile, query: LineQuery) -> list[ClaimLine]:
    return batch_lines(session, profile, query.batch_id, offset=query.offset, limit=query.limit)
