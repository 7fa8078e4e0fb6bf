"""The pure rules of broker performance: coverage basis, training days, points, rankings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop.core.rules.performance import (
    basis_population,
    bottom_candidates,
    brokers_needed,
    days_problem,
    gold_medal_key,
    meets_training,
    plain_days,
    points,
    points_key,
    rank,
    replacement_count,
    top_nominations,
)
from desktop.core.rules.profile import load_profile


@pytest.fixture
def cq():  # type: ignore[no-untyped-def]
    return load_profile("chongqing")


def coverage(basis: str):  # type: ignore[no-untyped-def]
    return load_profile("chongqing", {"coverage.population_basis": basis}).coverage


@pytest.mark.parametrize(
    ("basis", "registered", "resident", "value"),
    [
        ("larger", 4000, 6000, 6000),
        ("larger", 6000, 4000, 6000),
        ("larger", 5000, None, 5000),
        ("larger", None, 7000, 7000),
        ("registered", 4000, 6000, 4000),
        ("registered", None, 6000, 6000),
        ("resident", 4000, 6000, 6000),
        ("resident", 4000, None, 4000),
        ("resident", None, None, None),
    ],
)
def test_population_basis_variants(basis: str, registered, resident, value) -> None:  # type: ignore[no-untyped-def]
    got = basis_population(coverage(basis), registered, resident)
    assert got.value == value
    if value is not None and (registered is None or resident is None):
        assert "未录入" in got.label  # the screen says which figure stood in


def test_basis_changes_the_brokers_needed() -> None:
    # 户籍 5 000 (one broker), 常住 5 001 (two): the basis decides.
    assert brokers_needed(coverage("registered"), basis_population(coverage("registered"), 5000, 5001).value) == 1
    assert brokers_needed(coverage("resident"), basis_population(coverage("resident"), 5000, 5001).value) == 2
    assert brokers_needed(coverage("larger"), basis_population(coverage("larger"), 5000, 5001).value) == 2


@pytest.mark.parametrize(
    ("population", "needed"),
    [(None, 1), (0, 1), (1, 1), (4999, 1), (5000, 1), (5001, 2), (10000, 2), (10001, 3), (15000, 3), (15001, 4)],
)
def test_brokers_needed_at_multiples_of_population_per_broker(cq, population, needed) -> None:  # type: ignore[no-untyped-def]
    assert brokers_needed(cq.coverage, population) == needed


def test_min_per_village_is_a_floor() -> None:
    rules = load_profile("chongqing", {"coverage.min_per_village": 2}).coverage
    assert [brokers_needed(rules, p) for p in (None, 0, 5000, 10000, 10001)] == [2, 2, 2, 2, 3]


def test_training_days_boundary(cq) -> None:  # type: ignore[no-untyped-def]
    rules = cq.training
    assert rules.min_days_per_year == 4 and rules.day_step == 0.5
    assert not meets_training(rules, Decimal("3.5"))
    assert meets_training(rules, Decimal("4"))
    assert meets_training(rules, Decimal("4.5"))
    assert days_problem(rules, Decimal("0.5")) is None
    assert days_problem(rules, Decimal("3.5")) is None
    assert "0.5 的整数倍" in (days_problem(rules, Decimal("1.25")) or "")
    assert days_problem(rules, 0) == "天数应大于 0。"
    assert "不是数字" in (days_problem(rules, "两天") or "")
    whole = load_profile("chongqing", {"training.day_step": 1}).training
    assert "1 的整数倍" in (days_problem(whole, Decimal("3.5")) or "")
    assert plain_days(Decimal("3.50")) == "3.5" and plain_days(Decimal("4.00")) == "4"


def test_points_follow_the_profile_weights(cq) -> None:  # type: ignore[no-untyped-def]
    assert points(cq.points, transfers=10, data_updates=7, tasks=3) == 3 * 10 + 1 * 7 + 2 * 3
    heavy = load_profile("chongqing", {"points.weight_data_updates": 5, "points.weight_transfers": 0}).points
    assert points(heavy, transfers=10, data_updates=7, tasks=3) == 5 * 7 + 2 * 3


@pytest.mark.parametrize(("ranked", "count"), [(0, 0), (1, 1), (5, 1), (10, 1), (11, 2), (95, 10), (100, 10)])
def test_replacement_count_rounds_up_with_a_minimum(cq, ranked, count) -> None:  # type: ignore[no-untyped-def]
    assert replacement_count(cq.points, ranked) == count


def test_rank_gives_equal_merit_the_same_rank() -> None:
    items = [("a", 5), ("b", 7), ("c", 5), ("d", 3)]
    ranked = rank(items, merit=lambda i: (-i[1],), order=lambda i: (i[0],))
    assert [(r.rank, r.item[0], r.tied) for r in ranked] == [(1, "b", False), (2, "a", True), (2, "c", True),
                                                             (4, "d", False)]


def test_gold_medal_tie_break_chain() -> None:
    early, late = date(2020, 1, 1), date(2023, 1, 1)
    brokers = {
        "more transfers": gold_medal_key(30, 0, 0, late),
        "more poverty": gold_medal_key(20, 5, 0, late),
        "fewer poverty": gold_medal_key(20, 4, 50, early),
        "more last year": gold_medal_key(20, 4, 60, late),
        "earlier": gold_medal_key(10, 0, 0, early),
        "later": gold_medal_key(10, 0, 0, late),
        "twin 1": gold_medal_key(5, 1, 1, early),
        "twin 2": gold_medal_key(5, 1, 1, early),
    }
    ranked = rank(list(brokers), merit=lambda n: brokers[n], order=lambda n: (n,))
    assert [r.item for r in ranked] == ["more transfers", "more poverty", "more last year", "fewer poverty",
                                        "earlier", "later", "twin 1", "twin 2"]
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5, 6, 7, 7]


def test_points_tie_break_chain() -> None:
    d = date(2022, 1, 1)
    keys = {"a": points_key(30, 10, 0, 0, d), "b": points_key(30, 8, 3, 0, d), "c": points_key(30, 8, 2, 2, d),
            "d": points_key(31, 0, 0, 31, d)}
    assert [r.item for r in rank(list(keys), lambda n: keys[n], lambda n: (n,))] == ["d", "a", "b", "c"]


def test_quota_line_tie_is_left_to_the_county() -> None:
    scores = {"a": 9, "b": 8, "c": 7, "d": 7, "e": 1}
    ranked = rank(list(scores), lambda n: (-scores[n],), lambda n: (n,))
    inside, tied = top_nominations(ranked, 3)
    assert [r.item for r in inside] == ["a", "b"] and [r.item for r in tied] == ["c", "d"]
    inside, tied = top_nominations(ranked, 2)
    assert [r.item for r in inside] == ["a", "b"] and tied == []
    inside, tied = top_nominations(ranked, 10)
    assert len(inside) == 5 and tied == []


def test_bottom_candidates_include_ties_at_the_cut() -> None:
    scores = {"a": 9, "b": 5, "c": 5, "d": 1}
    ranked = rank(list(scores), lambda n: (-scores[n],), lambda n: (n,))
    assert [r.item for r in bottom_candidates(ranked, 1)] == ["d"]
    assert [r.item for r in bottom_candidates(ranked, 2)] == ["b", "c", "d"]
    assert bottom_candidates(ranked, 0) == []
