"""Broker rankings: the 金牌劳务经纪人 nominations (by the year's transfers) and the points ranking
(积分排名, chongqing) with its replacement-candidate list. The tie-break chains are in
``rules.performance`` (``gold_medal_key``, ``points_key``) and docs/ARCHITECTURE.md.

Both rank the brokers active today who were certified by the end of the year; counts are of
current transfer records (corrected and withdrawn versions never count) by hire date, and every
count is one aggregate query. The bottom of the points ranking is a candidate list for
replacement, never a removal; a quota line that falls inside a tie is left to the county.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from desktop.core.errors import UserError
from desktop.core.idcard import mask
from desktop.core.models.performance import BrokerWork, WorkKind
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.models.transfer import TransferRecord, TransferStatus
from desktop.core.rules.performance import (
    Ranked,
    bottom_candidates,
    gold_medal_key,
    points,
    points_key,
    rank,
    replacement_count,
    top_nominations,
)
from desktop.core.rules.profile import PolicyProfile


@dataclass(frozen=True)
class BrokerInfo:
    id: int
    name: str
    id_number_masked: str
    service_area: str
    certified_on: date


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def transfer_counts(session: Session, year: int) -> dict[int, tuple[int, int]]:
    """{broker id: (transfers, of them 脱贫人口)} by hire date in ``year``, current records only."""
    return {b: (n, p) for b, (n, p, _before) in two_year_counts(session, year, previous=False).items()}


def two_year_counts(session: Session, year: int, *, previous: bool = True) -> dict[int, tuple[int, int, int]]:
    """{broker id: (transfers in ``year``, of them 脱贫人口, transfers in the year before)} in one
    pass over the status-and-date index; current records only."""
    T = TransferRecord
    first, last = year_bounds(year)
    start = year_bounds(year - 1)[0] if previous else first
    this_year = T.hire_date >= first
    stmt = (select(T.broker_id,
                   func.sum(case((this_year, 1), else_=0)),
                   func.sum(case((and_(this_year, T.poverty_alleviated.is_(True)), 1), else_=0)),
                   func.sum(case((this_year, 0), else_=1)))
            .where(T.status == TransferStatus.CURRENT.value, T.hire_date >= start, T.hire_date <= last)
            .group_by(T.broker_id))
    return {b: (int(n or 0), int(p or 0), int(e or 0)) for b, n, p, e in session.execute(stmt)}


def ranked_brokers(session: Session, profile: PolicyProfile, year: int) -> list[BrokerInfo]:
    """Brokers active today and certified by the end of ``year``."""
    m = profile.masking
    stmt = (select(Broker.id, Broker.name, Broker.id_number, Broker.service_area, Broker.certified_on)
            .where(Broker.status == BrokerStatus.ACTIVE.value, Broker.certified_on <= year_bounds(year)[1]))
    return [BrokerInfo(i, n, mask(idn, m.id_head, m.id_tail, m.mask_char), a, c)
            for i, n, idn, a, c in session.execute(stmt)]


# --- 金牌劳务经纪人 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NomineeRow:
    rank: int
    tied: bool
    broker: BrokerInfo
    transfers: int
    poverty: int
    previous_year: int
    nominated: bool  # within the quota
    at_line: bool  # tied across the quota line: the county decides

    @property
    def note(self) -> str:
        if self.at_line:
            return "与名额线上的经纪人并列，需研究确定"
        return "并列" if self.tied else ""


@dataclass(frozen=True)
class GoldMedalRanking:
    year: int
    quota: int
    award_yuan: int
    rows: tuple[NomineeRow, ...]

    @property
    def nominated(self) -> int:
        return sum(1 for r in self.rows if r.nominated)

    @property
    def at_line(self) -> int:
        return sum(1 for r in self.rows if r.at_line)


def gold_medal_ranking(session: Session, profile: PolicyProfile, year: int) -> GoldMedalRanking:
    """Every active broker ranked by the year's transfers (tie-break: ``gold_medal_key``); the
    first ``gold_medal.quota_per_year`` are the nominations."""
    rules = profile.gold_medal
    if rules is None:
        raise UserError(f"本中心的政策配置（{profile.region.name}）没有金牌劳务经纪人评选。")
    counts = two_year_counts(session, year)
    brokers = ranked_brokers(session, profile, year)

    def merit(b: BrokerInfo) -> tuple:
        return gold_medal_key(*counts.get(b.id, (0, 0, 0)), b.certified_on)

    ranked = rank(brokers, merit, lambda b: (b.id,))
    inside, line = top_nominations(ranked, rules.quota_per_year)
    inside_ids, line_ids = {r.item.id for r in inside}, {r.item.id for r in line}
    rows = tuple(NomineeRow(r.rank, r.tied, r.item, *counts.get(r.item.id, (0, 0, 0)), r.item.id in inside_ids,
                            r.item.id in line_ids) for r in ranked)
    return GoldMedalRanking(year, rules.quota_per_year, rules.award_yuan, rows)


# --- 积分排名 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointsRow:
    rank: int
    tied: bool
    broker: BrokerInfo
    transfers: int
    data_updates: int
    tasks: int
    points: int
    candidate: bool  # on the replacement-candidate list


@dataclass(frozen=True)
class PointsRanking:
    year: int
    weights: tuple[int, int, int]  # transfers, data updates, tasks
    rows: tuple[PointsRow, ...]

    @property
    def candidates(self) -> tuple[PointsRow, ...]:
        return tuple(r for r in self.rows if r.candidate)


def work_totals(session: Session, year: int) -> dict[int, tuple[int, int]]:
    """{broker id: (data updates, tasks)} recorded for ``year`` (corrections included)."""
    W = BrokerWork
    first, last = year_bounds(year)
    stmt = (select(W.broker_id,
                   func.sum(case((W.kind == WorkKind.DATA_UPDATE.value, W.quantity), else_=0)),
                   func.sum(case((W.kind == WorkKind.TASK.value, W.quantity), else_=0)))
            .where(W.occurred_on >= first, W.occurred_on <= last).group_by(W.broker_id))
    return {b: (int(d or 0), int(t or 0)) for b, d, t in session.execute(stmt)}


def points_ranking(session: Session, profile: PolicyProfile, year: int) -> PointsRanking:
    """Every active broker's points for ``year`` with the profile's weights, best first; the bottom
    ``replacement_candidate_percent`` (ties at the cut included) are replacement candidates."""
    rules = profile.points
    if rules is None:
        raise UserError(f"本中心的政策配置（{profile.region.name}）没有积分排名。")
    moved = transfer_counts(session, year)
    work = work_totals(session, year)
    brokers = ranked_brokers(session, profile, year)
    figures = {}
    for b in brokers:
        t = moved.get(b.id, (0, 0))[0]
        d, k = work.get(b.id, (0, 0))
        figures[b.id] = (t, d, k, points(rules, t, d, k))

    def merit(b: BrokerInfo) -> tuple:
        t, d, k, total = figures[b.id]
        return points_key(total, t, k, d, b.certified_on)

    ranked: list[Ranked[BrokerInfo]] = rank(brokers, merit, lambda b: (b.id,))
    bottom = {r.item.id for r in bottom_candidates(ranked, replacement_count(rules, len(ranked)))}
    rows = tuple(PointsRow(r.rank, r.tied, r.item, *figures[r.item.id], r.item.id in bottom) for r in ranked)
    weights = (rules.weight_transfers, rules.weight_data_updates, rules.weight_tasks_completed)
    return PointsRanking(year, weights, rows)
