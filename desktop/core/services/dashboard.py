"""The dashboard (工作台), the first screen after sign-in: a few figures, and what needs doing.

Every figure is an aggregate query (GROUP BY / COUNT / SUM in the database, never rows counted in
Python), and the whole dashboard is one call the GUI runs off its thread. Parts follow the
profile's modules: subsidy totals with ``subsidy``, coverage gaps with ``coverage``, the training
list with ``training``, the annual filing reminder with ``filing``.

What needs doing (``Todo``), urgent first, otherwise in the order a clerk works: applications
waiting at each step, publicity batches that have ended (ready to close) or are running, brokers
flagged by the review of the last complete year and not yet decided, villages short of brokers,
brokers under the training minimum, and from the profile's reminder day the 备案 deadline
(``filing.filing_reminder``, which the 年度备案 page shows too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.models.broker import STATUS_LABELS, ApplicationStatus, BrokerApplication
from desktop.core.models.certification import BatchStatus, PublicityBatch
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.models.transfer import ClaimStatus, SubsidyClaimRow, TransferRecord, TransferStatus
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services import coverage, cultivation, review
from desktop.core.services.filing import filing_reminder

MONTHS_SHOWN = 12  # the chart's span: a year back from this month (layout, not policy)
TOWNSHIPS_SHOWN = 6  # townships listed under coverage gaps


@dataclass(frozen=True)
class MonthCount:
    year: int
    month: int
    count: int

    @property
    def label(self) -> str:
        return f"{self.month}月" if self.month != 1 else f"{self.year}年1月"


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class SubsidyTotals:
    year: int
    workers: int  # live claims with a hire date in the year
    amount_fen: int
    all_workers: int
    all_amount_fen: int


@dataclass(frozen=True)
class TownshipGap:
    name: str
    villages: int  # villages short of brokers
    brokers: int  # brokers missing


@dataclass(frozen=True)
class CoverageGaps:
    villages: int  # all villages of the county
    short_villages: int
    short_brokers: int
    missing_population: int
    townships: tuple[TownshipGap, ...]  # the worst first


@dataclass(frozen=True)
class Todo:
    """One thing to do: ``target`` names the page that does it (applications, publicity, review,
    coverage, training, filing)."""

    target: str
    text: str
    urgent: bool = False


@dataclass(frozen=True)
class Dashboard:
    today: date
    months: tuple[MonthCount, ...]
    transfers_this_year: int
    transfers_last_year: int
    brokers: tuple[StatusCount, ...]
    subsidy: SubsidyTotals | None
    coverage: CoverageGaps | None
    todos: tuple[Todo, ...]

    @property
    def active_brokers(self) -> int:
        return sum(s.count for s in self.brokers if s.status == BrokerStatus.ACTIVE.value)


def month_span(today: date, months: int = MONTHS_SHOWN) -> list[tuple[int, int]]:
    """(year, month) of the ``months`` months ending with today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [divmod(i, 12) for i in range(index - months + 1, index + 1)]


def transfers_by_month(session: Session, today: date, months: int = MONTHS_SHOWN) -> list[MonthCount]:
    span = [(y, m + 1) for y, m in month_span(today, months)]
    T = TransferRecord
    # Grouped by day, not by EXTRACT(month): the (status, hire_date) index hands the days over in
    # order with no per-row date arithmetic (7× faster on SQLite); ≤ 366 days are folded here.
    stmt = (select(T.hire_date, func.count())
            .where(T.status == TransferStatus.CURRENT.value, T.hire_date >= date(*span[0], 1), T.hire_date <= today)
            .group_by(T.hire_date))
    counts: dict[tuple[int, int], int] = {}
    for day, n in session.execute(stmt):
        counts[(day.year, day.month)] = counts.get((day.year, day.month), 0) + n
    return [MonthCount(a, b, counts.get((a, b), 0)) for a, b in span]


def transfers_in_year(session: Session, year: int, until: date | None = None) -> int:
    T = TransferRecord
    last = min(date(year, 12, 31), until) if until else date(year, 12, 31)
    return session.scalar(select(func.count()).select_from(T).where(
        T.status == TransferStatus.CURRENT.value, T.hire_date >= date(year, 1, 1), T.hire_date <= last)) or 0


def brokers_by_status(session: Session) -> list[StatusCount]:
    counts = dict(session.execute(select(Broker.status, func.count()).group_by(Broker.status)).all())
    return [StatusCount(s.value, s.label, counts.get(s.value, 0)) for s in BrokerStatus]


def subsidy_totals(session: Session, year: int) -> SubsidyTotals:
    C = SubsidyClaimRow
    live = C.status == ClaimStatus.CLAIMED.value
    in_year = (C.hire_date >= date(year, 1, 1), C.hire_date <= date(year, 12, 31))
    n, fen = session.execute(select(func.count(), func.coalesce(func.sum(C.amount_fen), 0)).where(live, *in_year)).one()
    all_n, all_fen = session.execute(select(func.count(), func.coalesce(func.sum(C.amount_fen), 0)).where(live)).one()
    return SubsidyTotals(year, n, int(fen), all_n, int(all_fen))


def coverage_gaps(session: Session, profile: PolicyProfile, county_code: str) -> CoverageGaps:
    report = coverage.coverage_report(session, profile, county_code)
    worst = coverage.shortfall_by_township(report)[:TOWNSHIPS_SHOWN]
    return CoverageGaps(len(report.villages), report.short_villages, report.short_brokers,
                        report.missing_population,
                        tuple(TownshipGap(t.name, len(t.villages), t.short) for t in worst))


def application_todos(session: Session) -> list[Todo]:
    waiting = (ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED, ApplicationStatus.REVIEWED,
               ApplicationStatus.TRAINED)
    counts = dict(session.execute(select(BrokerApplication.status, func.count())
                                  .where(BrokerApplication.status.in_([s.value for s in waiting]))
                                  .group_by(BrokerApplication.status)).all())
    return [Todo("applications", f"{counts[s.value]} 份经纪人申请{STATUS_LABELS[s]}")
            for s in waiting if counts.get(s.value)]


def publicity_todos(session: Session, today: date) -> list[Todo]:
    P = PublicityBatch
    rows = session.execute(select(P.year, P.seq, P.end_date).where(P.status == BatchStatus.OPEN.value)
                           .order_by(P.end_date, P.year, P.seq)).all()
    out = []
    for year, seq, end in rows:
        name = f"{year}年第{seq}批公示"
        when = f"{end.month}月{end.day}日"
        if end <= today:
            out.append(Todo("publicity", f"{name}已于 {when} 期满，可以结束公示并认定", urgent=True))
        else:
            out.append(Todo("publicity", f"{name}正在进行，{when} 期满（还有 {(end - today).days} 天）"))
    return out


def review_todos(session: Session, profile: PolicyProfile, today: date) -> list[Todo]:
    """Brokers the review of the last complete year flags and no reviewer has decided on yet."""
    year = today.year - 1
    summary = review.review_summary(session, profile, year)
    pending = max(0, summary.flagged - summary.decided)
    if not pending:
        return []
    years = "、".join(str(y) for y in summary.years)
    return [Todo("review", f"{year}年度两年复核：{pending} 名经纪人 {years} 年每年都低于 {summary.threshold} 人次，"
                           "待审核人决定是否取消资格", urgent=True)]


def build_dashboard(session: Session, profile: PolicyProfile, county_code: str, today: date) -> Dashboard:
    """Everything the dashboard shows, as of ``today``."""
    mods = profile.modules
    todos = application_todos(session) + publicity_todos(session, today)
    if mods.review and profile.review is not None:
        todos += review_todos(session, profile, today)
    gaps = None
    if mods.coverage and profile.coverage is not None and county_code:
        gaps = coverage_gaps(session, profile, county_code)
        if gaps.short_villages:
            todos.append(Todo("coverage", f"{gaps.short_villages} 个村（社区）缺少劳务经纪人，共缺 {gaps.short_brokers} 名"))
    if mods.training and profile.training is not None:
        summary = cultivation.training_summary(session, profile, today.year)
        if summary.under:
            todos.append(Todo("training", f"{summary.under} 名经纪人今年集中培育不足 {summary.min_days} 天"))
    if text := filing_reminder(today, profile):
        todos.append(Todo("filing", text, urgent=True))
    todos.sort(key=lambda t: not t.urgent)  # urgent first, otherwise in working order
    subsidy = subsidy_totals(session, today.year) if mods.subsidy and profile.subsidy is not None else None
    return Dashboard(
        today=today,
        months=tuple(transfers_by_month(session, today)) if mods.transfer else (),
        transfers_this_year=transfers_in_year(session, today.year, today) if mods.transfer else 0,
        transfers_last_year=transfers_in_year(session, today.year - 1) if mods.transfer else 0,
        brokers=tuple(brokers_by_status(session)),
        subsidy=subsidy,
        coverage=gaps,
        todos=tuple(todos),
    )
