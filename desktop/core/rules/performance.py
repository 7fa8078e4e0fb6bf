"""Pure rules of broker performance: coverage by population, training days, points, rankings.

Decisions (DOMAIN.md §3 leaves them open; docs/ARCHITECTURE.md "Broker performance" repeats them):

- **Coverage population**: ``population_basis`` picks 户籍 (registered), 常住 (resident) or the
  larger of the two. When the figure the basis asks for was not entered, the other one is used
  and the label says so; with neither, the population is unknown and the village still needs
  ``min_per_village`` brokers.
- **Training days** are recorded in steps of ``training.day_step`` (0.5 = half days); a year's
  total meets the rule when it is at least ``min_days_per_year`` ("不少于" includes the number).
- **Replacement candidates** (积分排名靠后): ``replacement_candidate_percent`` of the ranked
  brokers, rounded up, at least ``replacement_candidate_min``; brokers tied with the last one on
  the list are added too, so a tie never decides who is listed. Never more than all of them.
- **Rankings** (金牌劳务经纪人 nominations, points): an explicit chain of tie-breaks, each one a
  merit; brokers still equal after the last share one rank (并列). See ``gold_medal_key`` and
  ``points_key``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

from desktop.core.rules.profile_sections import CoverageRules, PointsRules, TrainingRules

T = TypeVar("T")

BASIS_LABELS = {"registered": "户籍人口", "resident": "常住人口", "larger": "户籍、常住人口中较大者"}


@dataclass(frozen=True)
class BasisPopulation:
    value: int | None  # None: no figure entered
    label: str  # which figure was used, in words for the screen


def basis_population(rules: CoverageRules, registered: int | None, resident: int | None) -> BasisPopulation:
    """The population the coverage rule counts for a village (see the module doc)."""
    if registered is None and resident is None:
        return BasisPopulation(None, "未录入人口")
    if rules.population_basis == "larger":
        if registered is not None and resident is not None:
            return BasisPopulation(max(registered, resident), "常住" if resident > registered else "户籍")
        return (
            BasisPopulation(registered, "户籍（未录入常住）")
            if registered is not None
            else BasisPopulation(resident, "常住（未录入户籍）")
        )
    if rules.population_basis == "registered":
        return BasisPopulation(registered, "户籍") if registered is not None else BasisPopulation(
            resident, "常住（未录入户籍）"
        )
    return BasisPopulation(resident, "常住") if resident is not None else BasisPopulation(
        registered, "户籍（未录入常住）"
    )


def brokers_needed(rules: CoverageRules, population: int | None) -> int:
    """``max(min_per_village, ceil(population / population_per_broker))``; unknown → the minimum."""
    return rules.min_per_village if population is None else rules.brokers_needed(population)


def days_problem(rules: TrainingRules, days: Decimal | float | str) -> str | None:
    """Why ``days`` cannot be recorded for a session or an attendance, or None."""
    try:
        value = Decimal(str(days))
    except InvalidOperation:
        return f"天数“{days}”不是数字，请填写如 1、0.5、2.5。"
    if not value.is_finite() or value <= 0:
        return "天数应大于 0。"
    step = Decimal(str(rules.day_step))
    if value % step != 0:
        return f"天数按 {_plain(step)} 天记录，{_plain(value)} 不是 {_plain(step)} 的整数倍。"
    if value > 366:
        return "天数不能超过一年的天数。"
    return None


def meets_training(rules: TrainingRules, total_days: Decimal | float) -> bool:
    """每年集中培育时间不少于 N 天: exactly N meets it."""
    return Decimal(str(total_days)) >= rules.min_days_per_year


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def plain_days(value: Decimal | float | int) -> str:
    """3.50 → "3.5", 4.00 → "4" for the screen."""
    return _plain(Decimal(str(value)))


def points(rules: PointsRules, transfers: int, data_updates: int, tasks: int) -> int:
    return (
        rules.weight_transfers * transfers
        + rules.weight_data_updates * data_updates
        + rules.weight_tasks_completed * tasks
    )


def replacement_count(rules: PointsRules, ranked: int) -> int:
    """How many from the bottom of ``ranked`` brokers form the candidate list (before ties)."""
    if ranked <= 0:
        return 0
    share = math.ceil(ranked * rules.replacement_candidate_percent / 100)
    return min(ranked, max(share, rules.replacement_candidate_min))


# --- rankings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked(Generic[T]):
    rank: int  # 1-based; equal for brokers equal on every merit (并列)
    tied: bool  # shares its rank with another
    item: T


def rank(items: Sequence[T], merit: Callable[[T], tuple], order: Callable[[T], tuple]) -> list[Ranked[T]]:
    """Sort by ``merit`` (smaller first: negate what counts more) then ``order`` (display only), and
    number them: equal merit, equal rank (competition ranking 1, 2, 2, 4)."""
    ordered = sorted(items, key=lambda i: (merit(i), order(i)))
    keys = [merit(i) for i in ordered]
    out: list[Ranked[T]] = []
    first = 0  # index of the first item with the current key
    for n, (item, key) in enumerate(zip(ordered, keys, strict=True)):
        if n and keys[n - 1] != key:
            first = n
        tied = n > first or (n + 1 < len(keys) and keys[n + 1] == key)
        out.append(Ranked(first + 1, tied, item))
    return out


def gold_medal_key(transfers: int, poverty_transfers: int, previous_year: int, certified_on: date) -> tuple:
    """金牌劳务经纪人 nominations, in order: (1) more transfers (人次) in the year; (2) more of them
    脱贫人口 (the policy's priority); (3) more transfers in the year before (sustained work);
    (4) certified earlier (longer service). Equal on all four → the same rank."""
    return (-transfers, -poverty_transfers, -previous_year, certified_on)


def points_key(total: int, transfers: int, tasks: int, data_updates: int, certified_on: date) -> tuple:
    """Points ranking, in order: (1) more points; (2) more transfers; (3) more tasks completed;
    (4) more data updates; (5) certified earlier. Equal on all → the same rank."""
    return (-total, -transfers, -tasks, -data_updates, certified_on)


def bottom_candidates(ranked: Sequence[Ranked[T]], count: int) -> list[Ranked[T]]:
    """The last ``count`` of ``ranked`` (best first), plus anyone tied with the first of them."""
    if count <= 0 or not ranked:
        return []
    start = max(0, len(ranked) - count)
    cut_rank = ranked[start].rank
    while start > 0 and ranked[start - 1].rank == cut_rank:
        start -= 1
    return list(ranked[start:])


def top_nominations(ranked: Sequence[Ranked[T]], quota: int) -> tuple[list[Ranked[T]], list[Ranked[T]]]:
    """(within the quota, tied across the quota line): the first ``quota``; when the broker at the
    line shares a rank with brokers beyond it, all of that rank are returned as the second list
    (and left out of the first) for the county to decide — a tie never picks silently."""
    if quota <= 0:
        return [], []
    if len(ranked) <= quota:
        return list(ranked), []
    line_rank = ranked[quota - 1].rank
    if ranked[quota].rank != line_rank:
        return list(ranked[:quota]), []
    inside = [r for r in ranked[:quota] if r.rank != line_rank]
    return inside, [r for r in ranked if r.rank == line_rank]
