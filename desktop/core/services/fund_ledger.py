"""The joint account's ledger (合作金台账): opening, income, repayments matched to advances,
reversals, the balance and the entry list. Payments out go through fund_requests (双签批).

Every entry is posted by ``post_entry``, which locks the account, keeps the balance at or above
zero (unless an administrator's override covers the payment), numbers the entry within the
account and dates money out no earlier than the account's last entry — so the balance on any
past day stays what it was when the money left. Entries are never edited; ``reverse_entry``
posts the opposite amount with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.contact import normalise_account
from desktop.core.errors import UserError
from desktop.core.models.account import Role, User
from desktop.core.models.cooperative import CoopAgreement, Cooperative, CoopWorker
from desktop.core.models.fund import FundAccount, FundEntry, FundSignatory, RepaymentMatch
from desktop.core.money import format_fen
from desktop.core.rules.fund_ledger import (
    EntryKind,
    allocate_oldest_first,
    allocation_problem,
    balance_problem,
    reversal_amount,
    signed_amount,
)
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.fund_partners import fund_rules

EDITORS = (Role.CLERK, Role.REVIEWER, Role.ADMIN)
SIGNERS = (Role.REVIEWER, Role.ADMIN)


def get_account(session: Session, account_id: int, *, lock: bool = False) -> FundAccount:
    stmt = select(FundAccount).where(FundAccount.id == account_id)
    account = session.scalar(stmt.with_for_update() if lock else stmt)
    if account is None:
        raise UserError("这个合作金账户不存在，请刷新后再看。")
    return account


def balance(session: Session, account_id: int, *, through: date | None = None) -> int:
    """The account's balance in 分, after every entry (or every entry dated on or before ``through``)."""
    stmt = select(func.coalesce(func.sum(FundEntry.amount_fen), 0)).where(FundEntry.account_id == account_id)
    if through is not None:
        stmt = stmt.where(FundEntry.entry_date <= through)
    return int(session.scalar(stmt) or 0)


def post_entry(session: Session, user: SignedInUser, account_id: int, kind: EntryKind, amount: int, on: date,
               *, override_by: str = "", override_reason: str = "", recorded_by_name: str = "",
               **fields: object) -> FundEntry:
    """Post one entry of signed ``amount`` 分 (the single way money moves in the ledger).

    ``recorded_by_name`` is the 经办 shown on the statement (for a signed payment, the requester);
    the account that posted it is in ``created_by`` and the audit log."""
    account = get_account(session, account_id, lock=True)
    if on > clock.today():
        raise UserError("记账日期不能晚于今天。")
    if on < account.opened_on:
        raise UserError(f"记账日期不能早于账户开立日期 {account.opened_on:%Y-%m-%d}。")
    last_day, last_seq = session.execute(select(func.max(FundEntry.entry_date), func.max(FundEntry.seq))
                                         .where(FundEntry.account_id == account_id)).one()
    if amount < 0 and last_day is not None and on < last_day:
        raise UserError(f"支出的记账日期不能早于账上最后一笔的日期 {last_day:%Y-%m-%d}（否则会改变以前各日的余额）。")
    problem = balance_problem(balance(session, account_id), amount, override=bool(override_by))
    if problem:
        raise UserError(problem)
    entry = FundEntry(account_id=account_id, seq=(last_seq or 0) + 1, entry_date=on, kind=kind.value,
                      amount_fen=amount, recorded_by_name=recorded_by_name or user.display_name, override_by=override_by,
                      override_reason=override_reason, **fields)
    session.add(entry)
    session.flush()
    if override_by and balance(session, account_id) < 0:
        record_event(session, AuditFact("透支特批", FundEntry.__audit_entity__, str(entry.id), outcome="成功",
                                        detail=f"{account.name} 第 {entry.seq} 号，余额为负，由 {override_by} 特批："
                                               f"{override_reason}"))
    return entry


# --- accounts and signatories ----------------------------------------------------------------------
@dataclass(frozen=True)
class AccountInput:
    agreement_id: int
    name: str
    bank_name: str
    account_no: str
    opened_on: date


def open_account(session: Session, user: SignedInUser, profile: PolicyProfile, data: AccountInput) -> int:
    """The joint account of an agreement; the entrusted fund is its opening entry (合作金拨入)."""
    require(user, Role.ADMIN, action="开立合作金共管账户")
    fund_rules(profile)
    agreement = session.get(CoopAgreement, data.agreement_id)
    if agreement is None:
        raise UserError("请选择账户所属的劳务合作协议。", field="agreement_id")
    if session.scalar(select(FundAccount.id).where(FundAccount.agreement_id == agreement.id)) is not None:
        raise UserError(f"协议{agreement.number}已经开立了共管账户，一个协议只开一个账户。")
    if not data.name.strip():
        raise UserError("请填写账户名称（与开户银行的户名一致）。", field="name")
    number = normalise_account(data.account_no)
    if number and not (number.isdigit() and 8 <= len(number) <= 30):
        raise UserError("银行账号应为 8–30 位数字，请核对开户回单。", field="account_no")
    if data.opened_on > clock.today() or data.opened_on < agreement.signed_on:
        raise UserError(f"开户日期应在协议签订日期 {agreement.signed_on:%Y-%m-%d} 与今天之间。", field="opened_on")
    account = FundAccount(agreement_id=agreement.id, name=data.name.strip(), bank_name=data.bank_name.strip(),
                          account_no=number, opened_on=data.opened_on)
    session.add(account)
    session.flush()
    coop = session.get(Cooperative, agreement.county_coop_id)
    post_entry(session, user, account.id, EntryKind.OPENING, signed_amount(EntryKind.OPENING, agreement.fund_amount_fen),
               data.opened_on, counterparty=coop.name if coop else "", item="劳务合作金",
               summary=f"按协议{agreement.number}拨入劳务合作金")
    return account.id


@dataclass(frozen=True)
class SignatoryRow:
    id: int
    party: str
    user_id: int
    username: str
    display_name: str
    active: bool


def set_signatory(session: Session, user: SignedInUser, profile: PolicyProfile, account_id: int, party: str,
                  user_id: int, *, active: bool = True) -> None:
    """Register (or stop) a person as a signatory of one party (双印鉴的持有人)."""
    require(user, Role.ADMIN, action="登记合作金签批人")
    if party not in fund_rules(profile).signoff_parties:
        raise UserError(f"签批方应为：{'、'.join(fund_rules(profile).signoff_parties)}。")
    get_account(session, account_id)
    person = session.get(User, user_id)
    if person is None or person.disabled or person.role not in (Role.REVIEWER.value, Role.ADMIN.value):
        raise UserError("签批人须是在用的审核或管理员账号。")
    row = session.scalar(select(FundSignatory).where(FundSignatory.account_id == account_id,
                                                     FundSignatory.party == party, FundSignatory.user_id == user_id))
    if row is None:
        session.add(FundSignatory(account_id=account_id, party=party, user_id=user_id, active=active))
    else:
        row.active = active
    session.flush()


def signatories(session: Session, account_id: int) -> list[SignatoryRow]:
    stmt = (select(FundSignatory, User.username, User.display_name).join(User, User.id == FundSignatory.user_id)
            .where(FundSignatory.account_id == account_id).order_by(FundSignatory.party, User.username))
    return [SignatoryRow(s.id, s.party, s.user_id, username, name, s.active) for s, username, name in session.execute(stmt)]


def signer_candidates(session: Session) -> list[tuple[int, str]]:
    """Accounts that may be registered as signatories: active reviewers and administrators."""
    stmt = (select(User.id, User.display_name, User.username)
            .where(User.disabled.is_(False), User.role.in_((Role.REVIEWER.value, Role.ADMIN.value)))
            .order_by(User.display_name))
    return [(uid, f"{name}（{username}）") for uid, name, username in session.execute(stmt)]


def signing_parties(session: Session, username: str, account_id: int) -> set[str]:
    stmt = (select(FundSignatory.party).join(User, User.id == FundSignatory.user_id)
            .where(FundSignatory.account_id == account_id, FundSignatory.active.is_(True), User.username == username))
    return set(session.scalars(stmt))


# --- money in ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IncomeInput:
    account_id: int
    kind: str  # one of the profile's income kinds
    amount_fen: int
    on: date
    payer: str = ""
    summary: str = ""


def record_income(session: Session, user: SignedInUser, profile: PolicyProfile, data: IncomeInput) -> int:
    require(user, *EDITORS, action="登记合作金收入")
    kinds = fund_rules(profile).income_kinds
    if data.kind not in kinds:
        raise UserError(f"请选择收入类别：{'、'.join(kinds)}。", field="kind")
    entry = post_entry(session, user, data.account_id, EntryKind.INCOME, signed_amount(EntryKind.INCOME, data.amount_fen),
                       data.on, item=data.kind, counterparty=data.payer.strip(),
                       summary=data.summary.strip() or data.kind)
    return entry.id


@dataclass(frozen=True)
class AdvanceRow:
    entry_id: int
    seq: int
    entry_date: date
    worker_id: int
    worker: str
    village: str
    item: str
    amount_fen: int
    repaid_fen: int

    @property
    def outstanding_fen(self) -> int:
        return self.amount_fen - self.repaid_fen


def _reversed_ids():  # type: ignore[no-untyped-def]
    return select(FundEntry.reverses_id).where(FundEntry.reverses_id.is_not(None))


def advances(session: Session, *, account_id: int | None = None, worker_id: int | None = None,
             through: date | None = None, open_only: bool = True) -> list[AdvanceRow]:
    """Advances not reversed, with what has been repaid (on or before ``through``), oldest first."""
    repayment = aliased(FundEntry)
    repaid_q = (select(func.coalesce(func.sum(RepaymentMatch.amount_fen), 0))
                .join(repayment, repayment.id == RepaymentMatch.repayment_entry_id)
                .where(RepaymentMatch.advance_entry_id == FundEntry.id, repayment.id.not_in(_reversed_ids())))
    if through is not None:
        repaid_q = repaid_q.where(repayment.entry_date <= through)
    stmt = (select(FundEntry, CoopWorker.name, Cooperative.name, repaid_q.correlate(FundEntry).scalar_subquery())
            .join(CoopWorker, CoopWorker.id == FundEntry.worker_id)
            .join(Cooperative, Cooperative.id == CoopWorker.village_coop_id)
            .where(FundEntry.kind == EntryKind.ADVANCE.value, FundEntry.id.not_in(_reversed_ids()))
            .order_by(FundEntry.entry_date, FundEntry.id))
    if account_id is not None:
        stmt = stmt.where(FundEntry.account_id == account_id)
    if worker_id is not None:
        stmt = stmt.where(FundEntry.worker_id == worker_id)
    if through is not None:
        stmt = stmt.where(FundEntry.entry_date <= through)
    rows = [AdvanceRow(e.id, e.seq, e.entry_date, e.worker_id or 0, worker, village, e.item, -e.amount_fen, int(repaid))
            for e, worker, village, repaid in session.execute(stmt)]
    return [r for r in rows if r.outstanding_fen > 0] if open_only else rows


@dataclass(frozen=True)
class RepaymentInput:
    account_id: int
    worker_id: int
    amount_fen: int
    on: date
    source: str
    allocations: tuple[tuple[int, int], ...] | None = None  # (advance entry id, 分); None = oldest first
    summary: str = ""


def record_repayment(session: Session, user: SignedInUser, profile: PolicyProfile, data: RepaymentInput) -> int:
    """垫支收回: money back for a worker's advances, matched to the advances it repays."""
    require(user, *EDITORS, action="登记垫支收回")
    sources = fund_rules(profile).repayment_sources
    if data.source not in sources:
        raise UserError(f"请选择收回方式：{'、'.join(sources)}。", field="source")
    worker = session.get(CoopWorker, data.worker_id)
    if worker is None:
        raise UserError("请选择归还垫支的劳动力。", field="worker_id")
    owed = {a.entry_id: a.outstanding_fen for a in advances(session, account_id=data.account_id, worker_id=worker.id)}
    if not owed:
        raise UserError(f"{worker.name}在这个账户没有未收回的垫支。")
    total_owed = sum(owed.values())
    if data.amount_fen > total_owed:
        raise UserError(f"{worker.name}在这个账户共欠垫支 {format_fen(total_owed)} 元，"
                        f"不能收回 {format_fen(data.amount_fen)} 元，请核对金额。", field="amount")
    allocations = data.allocations
    if allocations is None:
        allocations = tuple(allocate_oldest_first(data.amount_fen, list(owed.items())))
    if problem := allocation_problem(data.amount_fen, allocations, owed):
        raise UserError(problem)
    entry = post_entry(session, user, data.account_id, EntryKind.REPAYMENT,
                       signed_amount(EntryKind.REPAYMENT, data.amount_fen), data.on, item=data.source,
                       worker_id=worker.id, counterparty=worker.name,
                       summary=data.summary.strip() or f"收回{worker.name}垫支（{data.source}）")
    for advance_id, fen in allocations:
        session.add(RepaymentMatch(repayment_entry_id=entry.id, advance_entry_id=advance_id, amount_fen=fen))
    session.flush()
    return entry.id


# --- reversal ----------------------------------------------------------------------------------------
def reverse_entry(session: Session, user: SignedInUser, entry_id: int, reason: str, *,
                  override_reason: str = "") -> int:
    """冲正: post the opposite of an entry, dated today, with the reason; the original stays."""
    require(user, *SIGNERS, action="冲正合作金分录")
    if override_reason and user.role is not Role.ADMIN:
        raise UserError("透支特批只能由管理员办理。")
    original = session.get(FundEntry, entry_id)
    if original is None:
        raise UserError("这笔分录不存在，请刷新后再看。")
    if original.kind == EntryKind.REVERSAL:
        raise UserError("冲正分录本身不能再冲正；如冲正有误，请重新登记正确的款项。")
    done = session.scalar(select(FundEntry.seq).where(FundEntry.reverses_id == original.id))
    if done is not None:
        raise UserError(f"第 {original.seq} 号分录已由第 {done} 号冲正过，不能重复冲正。")
    if not reason.strip():
        raise UserError("请写明冲正的原因。", field="reason")
    if original.kind == EntryKind.ADVANCE and any(
            a.entry_id == original.id and a.repaid_fen for a in advances(session, worker_id=original.worker_id,
                                                                          open_only=False)):
        raise UserError("这笔垫支已有收回款核销，请先冲正对应的收回分录，再冲正垫支。")
    entry = post_entry(session, user, original.account_id, EntryKind.REVERSAL, reversal_amount(original.amount_fen),
                       clock.today(), reverses_id=original.id, item=original.item, worker_id=original.worker_id,
                       dispatch_id=original.dispatch_id, cooperative_id=original.cooperative_id,
                       counterparty=original.counterparty,
                       summary=f"冲正第 {original.seq} 号（{EntryKind(original.kind).label}）：{reason.strip()}",
                       override_by=user.username if override_reason else "", override_reason=override_reason.strip())
    return entry.id
