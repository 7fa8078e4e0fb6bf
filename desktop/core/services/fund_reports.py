"""The fund's reports as plain data: account statement, outstanding advances per worker and per
village, the fund-safety summary (保劳务合作金安全) and the 劳务经济收益金 distribution."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.idcard import mask
from desktop.core.models.cooperative import CoopAgreement, Cooperative, CoopWorker, Dispatch
from desktop.core.models.fund import FundEntry, PaymentRequest, PaymentSignoff
from desktop.core.models.registry import Broker
from desktop.core.rules.fund_ledger import EntryKind, RequestStatus
from desktop.core.rules.fund_sharing import VillageInput, distribute
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.fund_ledger import AdvanceRow, advances, balance, get_account
from desktop.core.services.fund_partners import fund_rules
from desktop.core.services.fund_queries import AccountSummary, EntryQuery, EntryRow, account_summaries, search_entries


def _summary(session: Session, profile: PolicyProfile, account_id: int) -> AccountSummary:
    get_account(session, account_id)
    return next(a for a in account_summaries(session, profile) if a.id == account_id)


def _period(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise UserError(f"结束日期 {date_to:%Y-%m-%d} 早于开始日期 {date_from:%Y-%m-%d}，请调换。")


# --- statement ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    account: AccountSummary
    date_from: date
    date_to: date
    opening_fen: int
    entries: tuple[EntryRow, ...]
    closing_fen: int

    @property
    def inflow_fen(self) -> int:
        return sum(e.inflow_fen for e in self.entries)

    @property
    def outflow_fen(self) -> int:
        return sum(e.outflow_fen for e in self.entries)


def statement(session: Session, profile: PolicyProfile, account_id: int, date_from: date, date_to: date) -> Statement:
    """对账单: the balance before the period, every entry of the period in date order, the closing balance."""
    _period(date_from, date_to)
    account = _summary(session, profile, account_id)
    opening = balance(session, account_id, through=date.fromordinal(date_from.toordinal() - 1))
    rows = tuple(search_entries(session, profile, EntryQuery(account_id, date_from, date_to, order="date",
                                                             limit=1_000_000)))
    closing = balance(session, account_id, through=date_to)
    assert opening + sum(r.amount_fen for r in rows) == closing  # the ledger adds up, or the report is wrong
    return Statement(account, date_from, date_to, opening, rows, closing)


# --- outstanding advances ----------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkerOwing:
    worker_id: int
    name: str
    id_number_masked: str
    village: str
    advances: int
    advanced_fen: int
    repaid_fen: int
    oldest: date
    overdue_fen: int

    @property
    def outstanding_fen(self) -> int:
        return self.advanced_fen - self.repaid_fen


@dataclass(frozen=True)
class VillageOwing:
    village: str
    workers: int
    advanced_fen: int
    repaid_fen: int
    overdue_fen: int

    @property
    def outstanding_fen(self) -> int:
        return self.advanced_fen - self.repaid_fen


@dataclass(frozen=True)
class Outstanding:
    as_of: date
    scope: str  # the account's name, or "全部账户"
    overdue_days: int
    workers: tuple[WorkerOwing, ...]
    villages: tuple[VillageOwing, ...]


def outstanding(session: Session, profile: PolicyProfile, as_of: date, account_id: int | None = None) -> Outstanding:
    """Advances not yet repaid on ``as_of``, per worker and per village (each advance's unpaid part)."""
    days = fund_rules(profile).advance_overdue_days
    rows = advances(session, account_id=account_id, through=as_of)
    by_worker: dict[int, list[AdvanceRow]] = defaultdict(list)
    for row in rows:
        by_worker[row.worker_id].append(row)
    m = profile.masking
    ids = session.execute(select(CoopWorker.id, CoopWorker.id_number).where(CoopWorker.id.in_(list(by_worker))))
    id_numbers = {wid: mask(number, m.id_head, m.id_tail, m.mask_char) for wid, number in ids}
    workers = []
    for wid, items in by_worker.items():
        overdue = sum(a.outstanding_fen for a in items if (as_of - a.entry_date).days > days)
        workers.append(WorkerOwing(wid, items[0].worker, id_numbers.get(wid, ""), items[0].village, len(items),
                                   sum(a.amount_fen for a in items), sum(a.repaid_fen for a in items),
                                   min(a.entry_date for a in items), overdue))
    workers.sort(key=lambda w: (w.village, w.name, w.worker_id))
    villages: dict[str, list[WorkerOwing]] = defaultdict(list)
    for w in workers:
        villages[w.village].append(w)
    per_village = tuple(VillageOwing(v, len(ws), sum(w.advanced_fen for w in ws), sum(w.repaid_fen for w in ws),
                                     sum(w.overdue_fen for w in ws)) for v, ws in villages.items())
    scope = _summary(session, profile, account_id).name if account_id is not None else "全部账户"
    return Outstanding(as_of, scope, days, tuple(workers), per_village)


# --- fund safety -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Safety:
    account: AccountSummary
    as_of: date
    balance_fen: int
    outstanding_fen: int
    overdue_fen: int
    overdue_workers: int
    income_fen: int
    repaid_fen: int
    advanced_fen: int
    returned_fen: int
    pending_count: int
    pending_fen: int
    overrides: int
    reversals: int
    unsigned_payments: int  # money out without the required approvals: must be 0
    term_ended: bool
    returned: bool

    @property
    def covered_fen(self) -> int:
        """Balance + advances still out − (fund − returned): ≥ 0 means the fund is whole."""
        return self.balance_fen + self.outstanding_fen - (self.account.fund_amount_fen - self.returned_fen)


def safety(session: Session, profile: PolicyProfile, as_of: date) -> list[Safety]:
    """保劳务合作金安全: for each account, where the fund is, what is overdue, and the controls."""
    rules = fund_rules(profile)
    out = []
    for account in account_summaries(session, profile):
        # Totals by kind count what stands: a reversed entry and its reversal both drop out.
        reversed_ids = select(FundEntry.reverses_id).where(FundEntry.reverses_id.is_not(None),
                                                           FundEntry.entry_date <= as_of)
        sums = dict(session.execute(
            select(FundEntry.kind, func.sum(FundEntry.amount_fen))
            .where(FundEntry.account_id == account.id, FundEntry.entry_date <= as_of,
                   FundEntry.id.not_in(reversed_ids), FundEntry.kind != EntryKind.REVERSAL.value)
            .group_by(FundEntry.kind)).all())
        owing = outstanding(session, profile, as_of, account.id)
        pending = session.execute(select(func.count(), func.coalesce(func.sum(PaymentRequest.amount_fen), 0)).where(
            PaymentRequest.account_id == account.id, PaymentRequest.status == RequestStatus.PENDING.value)).one()
        overrides = session.scalar(select(func.count()).select_from(FundEntry).where(
            FundEntry.account_id == account.id, FundEntry.override_by != "", FundEntry.entry_date <= as_of)) or 0
        approvals = (select(func.count()).select_from(PaymentSignoff)
                     .where(PaymentSignoff.request_id == FundEntry.request_id, PaymentSignoff.approved.is_(True))
                     .correlate(FundEntry).scalar_subquery())
        unsigned = session.scalar(select(func.count()).select_from(FundEntry).where(
            FundEntry.account_id == account.id, FundEntry.kind.in_([k.value for k in EntryKind if k.outgoing]),
            (FundEntry.request_id.is_(None)) | (approvals < rules.required_signoffs))) or 0
        returned = -int(sums.get(EntryKind.RETURN.value) or 0)
        out.append(Safety(
            account, as_of, balance(session, account.id, through=as_of),
            sum(w.outstanding_fen for w in owing.workers), sum(w.overdue_fen for w in owing.workers),
            sum(1 for w in owing.workers if w.overdue_fen), int(sums.get(EntryKind.INCOME.value) or 0),
            int(sums.get(EntryKind.REPAYMENT.value) or 0), -int(sums.get(EntryKind.ADVANCE.value) or 0), returned,
            int(pending[0]), int(pending[1]), overrides, session.scalar(select(func.count()).select_from(FundEntry).where(
                FundEntry.account_id == account.id, FundEntry.kind == EntryKind.REVERSAL.value,
                FundEntry.entry_date <= as_of)) or 0,
            unsigned, account.ends_on < as_of, returned > 0))
    return out


# --- distribution ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VillageLine:
    village: str
    workers: int
    entitled_fen: int  # the agreement's per-worker rate × workers sent
    amount_fen: int
    reward_fen: int
    public_works_fen: int
    work_funds_fen: int
    reward_unallocated_fen: int


@dataclass(frozen=True)
class BrokerLine:
    village: str
    broker: str
    workers: int
    reward_fen: int


@dataclass(frozen=True)
class DistributionReport:
    agreement_number: str
    company: str
    date_from: date
    date_to: date
    pool_fen: int
    rule: str
    reward_bp: int
    public_works_bp: int
    rate_per_worker_fen: int
    villages: tuple[VillageLine, ...]
    brokers: tuple[BrokerLine, ...]
    county_kept_fen: int


def distribution(session: Session, profile: PolicyProfile, agreement_id: int, date_from: date,
                 date_to: date) -> DistributionReport:
    """Share the period's 劳务经济收益金 of an agreement between its villages (rules/fund_sharing.py)."""
    from desktop.core.models.cooperative import HrCompany
    from desktop.core.models.fund import FundAccount

    rules = fund_rules(profile)
    _period(date_from, date_to)
    agreement = session.get(CoopAgreement, agreement_id)
    if agreement is None:
        raise UserError("请选择劳务合作协议。")
    company = session.get(HrCompany, agreement.company_id)
    reversed_ids = select(FundEntry.reverses_id).where(FundEntry.reverses_id.is_not(None))
    pool = session.scalar(
        select(func.coalesce(func.sum(FundEntry.amount_fen), 0)).join(FundAccount, FundAccount.id == FundEntry.account_id)
        .where(FundAccount.agreement_id == agreement.id, FundEntry.kind == EntryKind.INCOME.value,
               FundEntry.item == rules.revenue_income_kind, FundEntry.id.not_in(reversed_ids),
               FundEntry.entry_date >= date_from, FundEntry.entry_date <= date_to)) or 0
    trips = session.execute(
        select(Cooperative.region_code, Cooperative.name, Dispatch.broker_id, Broker.name, func.count())
        .join(Cooperative, Cooperative.id == Dispatch.village_coop_id).outerjoin(Broker, Broker.id == Dispatch.broker_id)
        .where(Dispatch.agreement_id == agreement.id, Dispatch.departed_on >= date_from, Dispatch.departed_on <= date_to)
        .group_by(Cooperative.region_code, Cooperative.name, Dispatch.broker_id, Broker.name)
        .order_by(Cooperative.region_code, Broker.name)).all()
    names: dict[str, str] = {}
    broker_names: dict[str, str] = {}
    per_village: dict[str, list[tuple[str, int]]] = defaultdict(list)  # village → (broker id, workers)
    totals: dict[str, int] = defaultdict(int)
    for code, village, broker_id, broker, n in trips:
        names[code] = village
        totals[code] += n
        if broker_id is not None:
            per_village[code].append((str(broker_id), n))
            broker_names[str(broker_id)] = broker or ""
    inputs = [VillageInput(code, totals[code], tuple(per_village[code])) for code in sorted(totals)]
    d = distribute(int(pool), inputs, reward_bp=agreement.reward_bp, public_works_bp=agreement.public_works_bp,
                   rule=rules.remainder_rule)
    villages = tuple(VillageLine(names[v.key], v.workers, v.workers * agreement.rate_per_worker_fen, v.uses.amount,
                                 v.uses.reward, v.uses.public_works, v.uses.work_funds, v.reward_unallocated)
                     for v in d.villages)
    brokers = tuple(BrokerLine(names[v.key], broker_names[key], dict(per_village[v.key])[key], fen)
                    for v in d.villages for key, fen in v.broker_rewards)
    return DistributionReport(agreement.number, company.name if company else "", date_from, date_to, int(pool),
                              rules.remainder_rule, agreement.reward_bp, agreement.public_works_bp,
                              agreement.rate_per_worker_fen, villages, brokers, d.county_kept)


def default_period(today: date | None = None) -> tuple[date, date]:
    """The current year up to today: what a report dialog offers first."""
    today = today or clock.today()
    return date(today.year, 1, 1), today
