"""The biennial review (每两年复核) and revocations of brokers (取消劳务经纪人资格).

For review year Y every active broker is listed with their transfer counts (人次, current versions)
for each reviewed year (Y-1 and Y in Sichuan) and a flag when every count is below the profile's
minimum. Nothing is revoked automatically: a reviewer revokes a flagged broker with a reason, or
records that the broker is kept, and the decision keeps the counts it was based on. Fraud
(虚假信息、骗取补贴) revokes at once. Each revocation sets the broker's status and adds a dated
``BrokerStatusChange``; revoked brokers stay in the registry.

Decision: a broker certified after 1 January of the first reviewed year has not been in the
registry for two whole years; they are listed with a note and not flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.idcard import is_id_prefix, mask
from desktop.core.models.account import Role
from desktop.core.models.registry import Broker, BrokerStatus, BrokerStatusChange
from desktop.core.models.transfer import ReviewDecision, ReviewKind, ReviewOutcome, TransferRecord, TransferStatus
from desktop.core.rules.profile import PolicyProfile, ReviewRules
from desktop.core.rules.transfers import review_flag, review_years, reviewable
from desktop.core.services.accounts import SignedInUser, require

T = TransferRecord


@dataclass(frozen=True)
class ReviewQuery:
    year: int
    flagged_only: bool = True
    text: str = ""
    offset: int = 0
    limit: int = 200
    order: str = "counts"
    descending: bool = False


@dataclass(frozen=True)
class ReviewRow:
    broker_id: int
    name: str
    id_number_masked: str
    service_area: str
    certified_on: date
    status: str
    status_label: str
    years: tuple[int, ...]
    counts: tuple[int, ...]
    flagged: bool
    note: str
    decision: str  # "" or e.g. "取消资格（2026-11-22，李审核）"

    @property
    def counts_text(self) -> str:
        return "，".join(f"{y}年 {c} 人次" for y, c in zip(self.years, self.counts, strict=True))


@dataclass(frozen=True)
class ReviewSummary:
    year: int
    years: tuple[int, ...]
    active: int
    flagged: int
    decided: int
    threshold: int


def _rules(profile: PolicyProfile) -> ReviewRules:
    if profile.review is None:
        raise UserError(f"{profile.region.name}的政策配置没有“两年复核”，本中心不使用这项功能。")
    return profile.review


def _statement(profile: PolicyProfile, query: ReviewQuery) -> tuple[Select, list, object]:  # type: ignore[type-arg]
    """Brokers with one correlated count per reviewed year: each count is a range on the
    (broker, status, date) index, so the whole review touches only each broker's own rows."""
    rules = _rules(profile)
    years = review_years(query.year, rules)
    per_year = [select(func.count()).select_from(T)
                .where(T.broker_id == Broker.id, T.status == TransferStatus.CURRENT.value,
                       T.hire_date >= date(y, 1, 1), T.hire_date <= date(y, 12, 31))
                .correlate(Broker).scalar_subquery().label(f"c{y}") for y in years]
    decision = (select(func.max(ReviewDecision.id))
                .where(ReviewDecision.broker_id == Broker.id, ReviewDecision.review_year == query.year,
                       ReviewDecision.kind == ReviewKind.BIENNIAL.value)
                .correlate(Broker).scalar_subquery())
    inner = select(Broker.id.label("broker_id"), decision.label("decision_id"), *per_year).where(
        or_(Broker.status == BrokerStatus.ACTIVE.value, decision.is_not(None)))
    text = "".join(query.text.split()).upper()
    if text:
        if is_id_prefix(text):
            inner = inner.where(Broker.id_number >= text, Broker.id_number < text + "~")
        else:
            inner = inner.where(Broker.name.contains(text, autoescape=True))
    sub = inner.subquery()
    counts = [sub.c[f"c{y}"] for y in years]
    stmt = select(Broker, sub.c.decision_id, *counts).join(sub, sub.c.broker_id == Broker.id)
    if query.flagged_only:
        stmt = stmt.where(Broker.certified_on <= date(years[0], 1, 1),
                          *[c < rules.min_transfers_per_year for c in counts])
    total = sum(counts[1:], counts[0]) if len(counts) > 1 else counts[0]
    return stmt, counts, total


def count_review_rows(session: Session, profile: PolicyProfile, query: ReviewQuery) -> int:
    stmt, _, _ = _statement(profile, query)
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def review_rows(session: Session, profile: PolicyProfile, query: ReviewQuery) -> list[ReviewRow]:
    """One page of the review list: fewest transfers first (the brokers to look at)."""
    rules = _rules(profile)
    years = review_years(query.year, rules)
    stmt, counts, total = _statement(profile, query)
    keys = {"name": (Broker.name,), "certified_on": (Broker.certified_on,), "counts": (total, *counts)}
    order = keys.get(query.order, keys["counts"])
    order = tuple(k.desc() for k in order) if query.descending else tuple(k.asc() for k in order)
    stmt = stmt.order_by(*order, Broker.id).offset(query.offset).limit(query.limit)
    found = session.execute(stmt).all()
    decision_ids = [row[1] for row in found if row[1] is not None]
    decisions = {d.id: d for d in session.scalars(select(ReviewDecision).where(ReviewDecision.id.in_(decision_ids)))} \
        if decision_ids else {}
    m = profile.masking
    out = []
    for broker, decision_id, *values in found:
        numbers = tuple(int(v) for v in values)
        whole = reviewable(broker.certified_on, query.year, rules)
        note = "" if whole else f"{broker.certified_on:%Y-%m-%d} 认定，在册不满{len(years)}个完整年度，本次不列入取消名单"
        d = decisions.get(decision_id) if decision_id is not None else None
        decision = f"{ReviewOutcome(d.outcome).label}（{d.decided_on:%Y-%m-%d}，{d.decided_by}）" if d else ""
        out.append(ReviewRow(broker.id, broker.name, mask(broker.id_number, m.id_head, m.id_tail), broker.service_area,
                             broker.certified_on, broker.status, BrokerStatus(broker.status).label, years, numbers,
                             whole and review_flag(numbers, rules), note, decision))
    return out


def flagged_brokers(session: Session, profile: PolicyProfile, year: int) -> list[ReviewRow]:
    """Every broker the review of ``year`` flags (for the command line and the printed list)."""
    return review_rows(session, profile, ReviewQuery(year, flagged_only=True, limit=1_000_000))


def review_summary(session: Session, profile: PolicyProfile, year: int) -> ReviewSummary:
    rules = _rules(profile)
    active = session.scalar(select(func.count()).select_from(Broker)
                            .where(Broker.status == BrokerStatus.ACTIVE.value)) or 0
    flagged = count_review_rows(session, profile, ReviewQuery(year, flagged_only=True))
    decided = session.scalar(select(func.count(func.distinct(ReviewDecision.broker_id))).where(
        ReviewDecision.review_year == year, ReviewDecision.kind == ReviewKind.BIENNIAL.value)) or 0
    return ReviewSummary(year, review_years(year, rules), active, flagged, decided, rules.min_transfers_per_year)


def broker_counts(session: Session, broker_id: int, years: tuple[int, ...]) -> tuple[int, ...]:
    cols = [func.coalesce(func.sum(case((and_(T.hire_date >= date(y, 1, 1), T.hire_date <= date(y, 12, 31)), 1),
                                        else_=0)), 0) for y in years]
    row = session.execute(select(*cols).where(T.broker_id == broker_id, T.status == TransferStatus.CURRENT.value)).one()
    return tuple(int(v) for v in row)


@dataclass(frozen=True)
class DecisionResult:
    decision_id: int
    broker_name: str
    outcome_label: str
    message: str


def _revoke(session: Session, broker: Broker, on: date, reason: str) -> int:
    broker.status = BrokerStatus.REVOKED.value
    broker.revoked_on = on
    broker.revoke_reason = reason
    change = BrokerStatusChange(broker_id=broker.id, status=BrokerStatus.REVOKED.value, changed_on=on, reason=reason)
    session.add(change)
    session.flush()
    return change.id


def decide(session: Session, user: SignedInUser, profile: PolicyProfile, broker_id: int, year: int, outcome: str,
           reason: str) -> DecisionResult:
    """The reviewer's decision on a flagged broker for review year ``year``: revoke or keep, with a reason."""
    require(user, Role.REVIEWER, Role.ADMIN, action="两年复核决定")
    rules = _rules(profile)
    if outcome not in (ReviewOutcome.REVOKED.value, ReviewOutcome.KEPT.value):
        raise UserError("请选择“取消资格”或“保留资格”。")
    if not reason.strip():
        raise UserError("请填写理由：取消资格或保留资格都要写明依据，记录会长期保存。", field="reason")
    broker = session.get(Broker, broker_id, with_for_update=True)
    if broker is None:
        raise UserError("这位经纪人不存在。")
    if broker.status != BrokerStatus.ACTIVE.value:
        raise UserError(f"{broker.name}的资格已于{broker.revoked_on or ''}取消，不需要再复核。")
    earlier = session.scalar(select(ReviewDecision).where(
        ReviewDecision.broker_id == broker_id, ReviewDecision.review_year == year,
        ReviewDecision.kind == ReviewKind.BIENNIAL.value).order_by(ReviewDecision.id.desc()).limit(1))
    if earlier is not None:
        raise UserError(f"{broker.name}的{year}年度复核已于 {earlier.decided_on:%Y-%m-%d} 由{earlier.decided_by}作出决定"
                        f"（{ReviewOutcome(earlier.outcome).label}）。")
    years = review_years(year, rules)
    counts = broker_counts(session, broker_id, years)
    flagged = reviewable(broker.certified_on, year, rules) and review_flag(counts, rules)
    counts_text = "、".join(f"{y}年{c}人次" for y, c in zip(years, counts, strict=True))
    if not flagged:
        raise UserError(f"{broker.name}未列入{year}年度取消名单（{counts_text}），不能按两年复核取消或保留。"
                        "如查实提供虚假信息或骗取补贴，请用“查实弄虚作假”办理。")
    today = clock.today()
    change_id = None
    if outcome == ReviewOutcome.REVOKED.value:
        text = (f"{year}年度两年复核：{counts_text}，连续{len(years)}年低于{rules.min_transfers_per_year}人次/年，"
                f"取消劳务经纪人资格。{reason.strip()}")
        change_id = _revoke(session, broker, today, text)
    decision = ReviewDecision(broker_id=broker_id, kind=ReviewKind.BIENNIAL.value, review_year=year,
                              count_previous=counts[0] if len(counts) > 1 else None, count_year=counts[-1],
                              flagged=True, outcome=outcome, reason=reason.strip(), decided_on=today,
                              decided_by=user.display_name or user.username, status_change_id=change_id)
    session.add(decision)
    session.flush()
    label = ReviewOutcome(outcome).label
    return DecisionResult(decision.id, broker.name, label, f"已记录：{broker.name}{label}（{counts_text}）。")


def revoke_for_fraud(session: Session, user: SignedInUser, profile: PolicyProfile, broker_id: int, reason: str,
                     found_on: date | None = None) -> DecisionResult:
    """查实提供虚假用工信息或材料、骗取套取补贴: revoke at once, whatever the counts."""
    require(user, Role.REVIEWER, Role.ADMIN, action="查实弄虚作假取消资格")
    rules = _rules(profile)
    if not rules.fraud_revokes_at_once:
        raise UserError(f"{profile.region.name}的政策配置没有规定查实弄虚作假即取消资格，请按本地规定办理。")
    if len(reason.strip()) < 4:
        raise UserError("请写明查实的事实（例如“虚报转移人员3人，骗取服务补助900元”），至少4个字。", field="reason")
    day = found_on or clock.today()
    if day > clock.today():
        raise UserError("查实日期不能晚于今天。")
    broker = session.get(Broker, broker_id, with_for_update=True)
    if broker is None:
        raise UserError("这位经纪人不存在。")
    if broker.status != BrokerStatus.ACTIVE.value:
        raise UserError(f"{broker.name}的资格已于{broker.revoked_on or ''}取消。")
    text = f"查实弄虚作假，取消劳务经纪人资格：{reason.strip()}"
    change_id = _revoke(session, broker, day, text)
    decision = ReviewDecision(broker_id=broker_id, kind=ReviewKind.FRAUD.value, review_year=None, flagged=False,
                              outcome=ReviewOutcome.REVOKED.value, reason=reason.strip(), decided_on=day,
                              decided_by=user.display_name or user.username, status_change_id=change_id)
    session.add(decision)
    session.flush()
    return DecisionResult(decision.id, broker.name, ReviewOutcome.REVOKED.label, f"已取消{broker.name}的劳务经纪人资格。")


@dataclass(frozen=True)
class StatusEntry:
    changed_on: date
    status_label: str
    reason: str
    by: str


def status_history(session: Session, broker_id: int) -> list[StatusEntry]:
    """The broker's dated status changes, oldest first."""
    rows = session.scalars(select(BrokerStatusChange).where(BrokerStatusChange.broker_id == broker_id)
                           .order_by(BrokerStatusChange.id))
    return [StatusEntry(r.changed_on, BrokerStatus(r.status).label, r.reason, r.created_by) for r in rows]

