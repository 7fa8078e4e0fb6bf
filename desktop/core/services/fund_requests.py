"""Payments out of the joint account (合作金支出): a request, two sign-offs (双签批), then payment.

A request moves nothing. Signatories registered for the account sign it, one for each party
(the county cooperative and the company); the requester may not sign, nobody signs twice. When
the required approvals are in, the payment is posted in the same transaction; if the balance is
too low the final signature is refused (nothing is saved) unless an administrator granted an
override (透支特批) with a reason. A refusal rejects the request; the requester (or an
administrator) may withdraw a pending one. Rejected and withdrawn requests stay with their
signatures and reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.cooperative import CoopAgreement, Cooperative, CoopWorker, Dispatch
from desktop.core.models.fund import FundEntry, PaymentRequest, PaymentSignoff
from desktop.core.rules.fund_ledger import (
    REQUEST_KINDS,
    EntryKind,
    RequestStatus,
    Signature,
    is_fully_signed,
    signed_amount,
    signoff_problem,
)
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.fund_ledger import EDITORS, SIGNERS, get_account, post_entry, signing_parties
from desktop.core.services.fund_partners import fund_rules

RETURN_ITEM = "返还劳务合作金"


@dataclass(frozen=True)
class RequestInput:
    account_id: int
    kind: str  # advance / payout / return
    amount_fen: int
    item: str = ""
    dispatch_id: int | None = None
    cooperative_id: int | None = None
    payee: str = ""
    purpose: str = ""


@dataclass(frozen=True)
class RequestRow:
    id: int
    account_id: int
    kind: str
    kind_label: str
    amount_fen: int
    item: str
    worker: str
    payee: str
    purpose: str
    requested_on: date
    requested_by: str
    requested_by_name: str
    status: str
    status_label: str
    signatures: tuple[Signature, ...]
    opinions: tuple[str, ...]
    closing_reason: str
    override_by: str
    override_reason: str
    entry_seq: int | None

    def signed_text(self, parties: tuple[str, ...]) -> str:
        done = {s.party: s for s in self.signatures}
        parts = []
        for party in parties:
            s = done.get(party)
            parts.append(f"{party}：{s.display_name}{'同意' if s.approved else '不同意'}" if s else f"{party}：待签")
        return "；".join(parts)


def create_request(session: Session, user: SignedInUser, profile: PolicyProfile, data: RequestInput) -> int:
    require(user, *EDITORS, action="提出合作金支出申请")
    rules = fund_rules(profile)
    try:
        kind = EntryKind(data.kind)
    except ValueError:
        kind = EntryKind.OPENING
    if kind not in REQUEST_KINDS:
        raise UserError("支出申请只能是垫支、其他支出或返还合作金。")
    account = get_account(session, data.account_id)
    if data.amount_fen <= 0:
        raise UserError("请填写支出金额。", field="amount")
    worker_id, payee, item = None, data.payee.strip(), data.item
    if kind is EntryKind.ADVANCE:
        trip = session.get(Dispatch, data.dispatch_id) if data.dispatch_id else None
        agreement = session.get(CoopAgreement, account.agreement_id)
        if trip is None or agreement is None or trip.agreement_id != agreement.id:
            raise UserError("垫支要对应一名劳动力的一次外出（输送记录），请选择本协议下的外出记录。", field="dispatch_id")
        if item not in rules.advance_items:
            raise UserError(f"垫支项目应为：{'、'.join(rules.advance_items)}。", field="item")
        _no_second_advance(session, trip.id, item)
        worker = session.get(CoopWorker, trip.worker_id)
        worker_id, payee = trip.worker_id, payee or (worker.name if worker else "")
    elif kind is EntryKind.PAYOUT:
        if item not in rules.payout_purposes:
            raise UserError(f"支出用途应为：{'、'.join(rules.payout_purposes)}。", field="item")
        coop = session.get(Cooperative, data.cooperative_id) if data.cooperative_id else None
        payee = payee or (coop.name if coop else "")
        if not payee:
            raise UserError("请填写收款人（或选择收款的合作社）。", field="payee")
    else:
        item = RETURN_ITEM
        agreement = session.get(CoopAgreement, account.agreement_id)
        coop = session.get(Cooperative, agreement.county_coop_id) if agreement else None
        payee = payee or (coop.name if coop else "")
    request = PaymentRequest(account_id=account.id, kind=kind.value, amount_fen=data.amount_fen, item=item,
                             dispatch_id=data.dispatch_id if kind is EntryKind.ADVANCE else None, worker_id=worker_id,
                             cooperative_id=data.cooperative_id, payee=payee, purpose=data.purpose.strip(),
                             requested_on=clock.today(), requested_by=user.username,
                             requested_by_name=user.display_name, status=RequestStatus.PENDING.value)
    session.add(request)
    session.flush()
    return request.id


def _no_second_advance(session: Session, dispatch_id: int, item: str) -> None:
    """One advance per trip and item: a pending or paid one (not reversed) blocks a second."""
    stmt = select(PaymentRequest).where(PaymentRequest.dispatch_id == dispatch_id, PaymentRequest.item == item,
                                        PaymentRequest.status.in_((RequestStatus.PENDING.value,
                                                                   RequestStatus.PAID.value)))
    for other in session.scalars(stmt):
        entry = session.scalar(select(FundEntry).where(FundEntry.request_id == other.id))
        if entry is not None and session.scalar(select(FundEntry.id).where(FundEntry.reverses_id == entry.id)):
            continue  # paid, then reversed: it may be requested again
        state = RequestStatus(other.status).label
        raise UserError(f"这次外出的{item}已有一笔申请（第 {other.id} 号，{state}），同一次外出同一项目只垫支一次。")


def _get(session: Session, request_id: int) -> PaymentRequest:
    request = session.get(PaymentRequest, request_id)
    if request is None:
        raise UserError("这笔支出申请不存在，请刷新后再看。")
    return request


def _pending(request: PaymentRequest, action: str) -> None:
    if request.status != RequestStatus.PENDING:
        raise UserError(f"这笔申请已{RequestStatus(request.status).label}，不能再{action}。请刷新后再看。")


def _signatures(session: Session, request_id: int) -> list[Signature]:
    rows = session.scalars(select(PaymentSignoff).where(PaymentSignoff.request_id == request_id)
                           .order_by(PaymentSignoff.id))
    return [Signature(r.username, r.display_name, r.party, r.approved) for r in rows]


@dataclass(frozen=True)
class SignOutcome:
    status: str
    entry_id: int | None
    message: str


def sign_request(session: Session, user: SignedInUser, profile: PolicyProfile, request_id: int, *, party: str,
                 approve: bool, opinion: str = "") -> SignOutcome:
    """One signatory's decision; the last approval pays (posts the entry) in the same transaction."""
    require(user, *SIGNERS, action="签批合作金支出")
    rules = fund_rules(profile)
    request = _get(session, request_id)
    _pending(request, "签批")
    signatures = _signatures(session, request.id)
    problem = signoff_problem(requester=request.requested_by, signer=user.username, party=party,
                              parties=rules.signoff_parties, signatures=signatures,
                              signer_parties=signing_parties(session, user.username, request.account_id))
    if problem:
        raise UserError(problem)
    if not approve and not opinion.strip():
        raise UserError("不同意时请写明理由，申请人据此修改或撤回。", field="opinion")
    today = clock.today()
    session.add(PaymentSignoff(request_id=request.id, party=party, username=user.username,
                               display_name=user.display_name, approved=approve, opinion=opinion.strip(),
                               signed_on=today))
    signatures.append(Signature(user.username, user.display_name, party, approve))
    if not approve:
        request.status, request.decided_on = RequestStatus.REJECTED.value, today
        request.closing_reason = f"{party}（{user.display_name}）不同意：{opinion.strip()}"
        session.flush()
        return SignOutcome(request.status, None, "已签“不同意”，这笔申请不予支付（记录保留）。")
    if not is_fully_signed(signatures, rules.required_signoffs):
        session.flush()
        waiting = [p for p in rules.signoff_parties if p not in {s.party for s in signatures}]
        return SignOutcome(request.status, None, f"已签批，还需{'、'.join(waiting)}签批后才能支付。")
    kind = EntryKind(request.kind)
    entry = post_entry(session, user, request.account_id, kind, signed_amount(kind, request.amount_fen), today,
                       item=request.item, worker_id=request.worker_id, dispatch_id=request.dispatch_id,
                       cooperative_id=request.cooperative_id, request_id=request.id, counterparty=request.payee,
                       summary=_summary(request), recorded_by_name=request.requested_by_name,
                       override_by=request.override_by,
                       override_reason=request.override_reason)
    request.status, request.decided_on = RequestStatus.PAID.value, today
    session.flush()
    return SignOutcome(request.status, entry.id, f"双方已签批，已支付并记账（第 {entry.seq} 号）。")


def _summary(request: PaymentRequest) -> str:
    base = f"{request.item}（{request.payee}）" if request.payee else request.item
    return f"{base}：{request.purpose}" if request.purpose else base


def cancel_request(session: Session, user: SignedInUser, request_id: int, reason: str) -> None:
    """撤回: the requester (or an administrator) withdraws a pending request, with the reason."""
    require(user, *EDITORS, action="撤回合作金支出申请")
    request = _get(session, request_id)
    _pending(request, "撤回")
    if user.username != request.requested_by and user.role is not Role.ADMIN:
        raise UserError(f"只有申请人{request.requested_by_name}或管理员可以撤回这笔申请。")
    if not reason.strip():
        raise UserError("请写明撤回的原因。", field="reason")
    request.status, request.decided_on = RequestStatus.CANCELLED.value, clock.today()
    request.closing_reason = f"申请人（{user.display_name}）撤回：{reason.strip()}" if user.username == request.requested_by \
        else f"管理员（{user.display_name}）撤回：{reason.strip()}"
    session.flush()


def grant_override(session: Session, user: SignedInUser, request_id: int, reason: str) -> None:
    """透支特批: an administrator lets this payment take the balance below zero; audited."""
    require(user, Role.ADMIN, action="透支特批")
    request = _get(session, request_id)
    _pending(request, "特批")
    if not reason.strip():
        raise UserError("透支特批必须写明理由（如：企业补助已确认到账日期）。", field="reason")
    request.override_by, request.override_reason = user.username, reason.strip()
    session.flush()
    record_event(session, AuditFact("透支特批", PaymentRequest.__audit_entity__, str(request.id),
                                    detail=f"允许第 {request.id} 号申请在余额不足时支付：{reason.strip()}"))


def list_requests(session: Session, account_id: int, *, status: str = "", limit: int = 500) -> list[RequestRow]:
    stmt = select(PaymentRequest).where(PaymentRequest.account_id == account_id)
    if status:
        stmt = stmt.where(PaymentRequest.status == status)
    stmt = stmt.order_by((PaymentRequest.status != RequestStatus.PENDING.value), PaymentRequest.id.desc()).limit(limit)
    return [_row(session, r) for r in session.scalars(stmt)]


def request_detail(session: Session, request_id: int) -> RequestRow:
    return _row(session, _get(session, request_id))


def _row(session: Session, r: PaymentRequest) -> RequestRow:
    signoffs = session.scalars(select(PaymentSignoff).where(PaymentSignoff.request_id == r.id)
                               .order_by(PaymentSignoff.id)).all()
    worker = session.get(CoopWorker, r.worker_id) if r.worker_id else None
    seq = session.scalar(select(FundEntry.seq).where(FundEntry.request_id == r.id))
    kind = EntryKind(r.kind)
    opinions = tuple(f"{s.party} {s.display_name}（{s.signed_on:%Y-%m-%d}）{'同意' if s.approved else '不同意'}"
                     + (f"：{s.opinion}" if s.opinion else "") for s in signoffs)
    return RequestRow(r.id, r.account_id, r.kind, kind.label, r.amount_fen, r.item, worker.name if worker else "",
                      r.payee, r.purpose, r.requested_on, r.requested_by, r.requested_by_name, r.status,
                      RequestStatus(r.status).label,
                      tuple(Signature(s.username, s.display_name, s.party, s.approved) for s in signoffs),
                      opinions, r.closing_reason, r.override_by, r.override_reason, seq)
