"""The 附件3 scorecard and the workstation rules at every boundary DOMAIN.md §5 fixes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop.core.rules.profile import load_profile
from desktop.core.rules.station_rules import (
    WorkerFacts,
    YearRecord,
    add_years,
    delivered_check,
    excellent_check,
    failing_streak,
    first_evaluation_year,
    reapply_ban,
)
from desktop.core.rules.station_scoring import (
    EvaluatorPoints,
    RosterFigures,
    YearFacts,
    annual_subsidy,
    criteria_text,
    percent_text,
    score_card,
)

PROFILE = load_profile("jindong")
RULES = PROFILE.station
assert RULES is not None
SCORE = RULES.score
LEDGER = SCORE.ledger_items

FULL_FACTS = YearFacts(
    management_system=True, onsite_office=True, responsible_person=True, work_plan=True,
    ledger_present=LEDGER, worker_surveyed=100, worker_satisfied=90, employer_surveyed=20, employer_satisfied=18,
    events_held=2,
)
FULL_ROSTER = RosterFigures(delivered=320, skilled=40, retention_base=300, retained=200)


def card(facts: YearFacts = FULL_FACTS, roster: RosterFigures = FULL_ROSTER,
         evaluator: EvaluatorPoints = EvaluatorPoints(Decimal(5), Decimal(10), "建立了“订单式”输送制度")):
    return score_card(RULES, facts, roster, evaluator)


def test_a_perfect_year_scores_100_and_every_line_says_how() -> None:
    sc = card()
    assert sc.total == 100 and sc.passed and not sc.vetoed and sc.subsidy_yuan == 70000
    assert [line.name for line in sc.lines][:4] == ["建立管理制度", "实地办公", "专人负责制", "处理意外责任事故及投诉情况"]
    assert sum(line.full for line in sc.lines) == 100
    assert all(line.how for line in sc.lines)
    assert "320 人" in sc.line("delivered").how and "加 5 分" in sc.line("delivered").how
    assert "200" in sc.line("retention").how and "66.66" in sc.line("retention").how
    assert sc.line("innovation").by_evaluator and "订单式" in sc.line("innovation").how
    assert sc.problems == ()


@pytest.mark.parametrize(("satisfied", "expected"), [(499, 0), (500, 3), (749, 3), (750, 5)])
def test_satisfaction_bands(satisfied: int, expected: int) -> None:
    facts = YearFacts(worker_surveyed=1000, worker_satisfied=satisfied, employer_surveyed=1000,
                      employer_satisfied=satisfied)
    sc = card(facts=facts)
    assert sc.line("worker_satisfaction").points == expected
    assert sc.line("employer_satisfaction").points == expected
    assert f"{satisfied / 10:g}%" in sc.line("worker_satisfaction").how


def test_no_survey_scores_nothing_and_says_so() -> None:
    line = card(facts=YearFacts()).line("worker_satisfaction")
    assert line.points == 0 and "未开展" in line.how


@pytest.mark.parametrize(("delivered", "expected"), [(99, 0), (100, 3), (200, 3), (201, 8), (300, 8), (301, 10)])
def test_delivered_bands(delivered: int, expected: int) -> None:
    line = card(roster=RosterFigures(delivered=delivered, skilled=0)).line("delivered")
    assert line.points == expected
    assert f"{delivered} 人" in line.how


def test_skilled_bonus_only_with_ten_or_more_skilled() -> None:
    nine = card(roster=RosterFigures(delivered=150, skilled=9), evaluator=EvaluatorPoints(Decimal(3)))
    assert nine.line("delivered").points == 3 and any("不能加分" in p for p in nine.problems)
    ten = card(roster=RosterFigures(delivered=150, skilled=10), evaluator=EvaluatorPoints(Decimal(3)))
    assert ten.line("delivered").points == 6 and ten.problems == ()
    missing = card(roster=RosterFigures(delivered=150, skilled=10), evaluator=EvaluatorPoints(None))
    assert missing.line("delivered").points == 3 and any("2–5" in p for p in missing.problems)
    for bad in (Decimal(1), Decimal(6), Decimal("2.3")):
        out = card(roster=RosterFigures(delivered=150, skilled=12), evaluator=EvaluatorPoints(bad))
        assert out.line("delivered").points == 3 and out.problems


@pytest.mark.parametrize(
    ("retained", "expected"), [(399, 0), (400, 5), (500, 5), (501, 10), (600, 10), (601, 15)]
)
def test_retention_bands(retained: int, expected: int) -> None:
    line = card(roster=RosterFigures(delivered=1000, retention_base=1000, retained=retained)).line("retention")
    assert line.points == expected
    assert f"{retained / 10:g}%" in line.how


def test_retention_leaves_out_workers_not_yet_six_months_in() -> None:
    line = card(roster=RosterFigures(delivered=50, retention_base=0, not_yet_due=50)).line("retention")
    assert line.points == 0 and "50 人入职未满 6 个月" in line.how


@pytest.mark.parametrize(("events", "expected"), [(0, 0), (1, 5), (2, 10), (5, 10)])
def test_matchmaking_events(events: int, expected: int) -> None:
    assert card(facts=YearFacts(events_held=events)).line("matchmaking").points == expected


@pytest.mark.parametrize(("accidents", "complaints", "vetoed", "points"),
                         [(0, 2, False, 1), (2, 0, False, 5), (1, 1, False, 3), (0, 3, True, 0), (3, 0, True, 5),
                          (1, 2, True, 1)])
def test_incident_veto_at_three(accidents: int, complaints: int, vetoed: bool, points: int) -> None:
    sc = card(facts=YearFacts(**{**FULL_FACTS.__dict__, "accidents": accidents, "verified_complaints": complaints}))
    assert sc.vetoed is vetoed
    assert sc.line("incidents").points == points
    if vetoed:
        assert not sc.passed and sc.subsidy_yuan == 0 and "一票否决" in sc.verdict and sc.total >= 60
    else:
        assert sc.passed


@pytest.mark.parametrize(("missing", "expected"), [(0, 10), (1, 7), (2, 4), (3, 1), (4, 0), (5, 0)])
def test_ledger_items_missing(missing: int, expected: int) -> None:
    line = card(facts=YearFacts(ledger_present=LEDGER[missing:])).line("ledger")
    assert line.points == expected
    if missing:
        assert LEDGER[0] in line.how


def test_deductions_floor_at_zero() -> None:
    sc = card(facts=YearFacts(responsible_person=True, unreported_changes=3, contracts_missing=9))
    assert sc.line("responsible_person").points == 0 and "最低为 0" in sc.line("responsible_person").how
    assert sc.line("contracts").points == 0
    assert card(facts=YearFacts(responsible_person=True, unreported_changes=1)).line("responsible_person").points == 3
    assert card(facts=YearFacts(responsible_person=False)).line("responsible_person").points == 0


@pytest.mark.parametrize(("total", "passed", "yuan"),
                         [("59", False, 0), ("59.5", False, 0), ("60", True, 40000), ("69.5", True, 40000),
                          ("70", True, 50000), ("89", True, 60000), ("89.5", True, 60000), ("90", True, 70000)])
def test_subsidy_tiers(total: str, passed: bool, yuan: int) -> None:
    t = Decimal(total)
    assert (t >= SCORE.pass_min) is passed
    assert annual_subsidy(RULES, t, passed) == yuan


def test_a_scorecard_at_69_5_lands_in_the_first_tier() -> None:
    facts = YearFacts(management_system=True, onsite_office=True, responsible_person=True, work_plan=True,
                      ledger_present=LEDGER, worker_surveyed=10, worker_satisfied=8, employer_surveyed=10,
                      employer_satisfied=8, events_held=1)  # 5+5+5+5 +5+5+10 +5+5+5 = 55
    roster = RosterFigures(delivered=120, skilled=3, retention_base=100, retained=45)  # 3 + 5
    sc = card(facts=facts, roster=roster, evaluator=EvaluatorPoints(None, Decimal("6.5"), "两地联合夜校"))
    assert sc.total == Decimal("69.5") and sc.passed and sc.subsidy_yuan == 40000
    assert "69.5 分" in sc.verdict


def test_innovation_needs_a_reason_and_a_range() -> None:
    assert card(evaluator=EvaluatorPoints(None, Decimal(4), "")).problems
    assert card(evaluator=EvaluatorPoints(None, Decimal(11), "好")).line("innovation").points == 0
    zero = card(roster=RosterFigures(delivered=120), evaluator=EvaluatorPoints(None, Decimal(0), ""))
    assert zero.problems == () and "无明显的工作创新" in zero.line("innovation").how


def test_failing_year_below_60() -> None:
    sc = card(facts=YearFacts(), roster=RosterFigures(), evaluator=EvaluatorPoints())
    # nothing recorded: only the two items that start full and lose points per case remain
    assert [line.key for line in sc.lines if line.points] == ["incidents", "contracts"]
    assert sc.total == 10 and not sc.passed and sc.subsidy_yuan == 0 and "低于 60 分" in sc.verdict


def test_criteria_texts_take_the_profiles_numbers() -> None:
    assert "扣2分" in criteria_text(SCORE, "responsible_person")
    assert "3次（含）以上" in criteria_text(SCORE, "incidents")
    assert "200人以上至300人（含）得 8 分" in criteria_text(SCORE, "delivered")
    assert "0场得 0 分，1场得 5 分" in criteria_text(SCORE, "matchmaking")


def test_percent_text_is_exact_or_says_approximately() -> None:
    assert percent_text(1, 2) == "50%" and percent_text(749, 1000) == "74.9%"
    assert percent_text(2, 3) == "≈66.66%"


# --- the delivered-worker check ---------------------------------------------------------------

WORKING_AGE = PROFILE.working_age
OK_WORKER = WorkerFacts("男", date(1990, 5, 1), "52", date(2026, 3, 1), 3, False)


def check(**changes: object):  # type: ignore[no-untyped-def]
    return delivered_check(WorkerFacts(**{**OK_WORKER.__dict__, **changes}), RULES, WORKING_AGE)


def test_a_worker_from_another_province_counts() -> None:
    assert check().counts and check().text == "计入"


def test_each_reason_a_worker_does_not_count() -> None:
    local = check(hukou_province_code="33")
    assert not local.counts and "浙江省" in local.reasons[0]
    young = check(birth_date=date(2010, 3, 2))
    assert not young.counts and "15 周岁" in young.reasons[0] and "16 周岁" in young.reasons[0]
    assert check(birth_date=date(2010, 3, 1)).counts  # 16 on the hire date
    old_man = check(birth_date=date(1965, 1, 1), hired_on=date(2025, 2, 1))  # retires at 60 y 1 m
    assert not old_man.counts and "60 周岁 1 个月" in old_man.reasons[0]
    assert check(birth_date=date(1965, 1, 1), hired_on=date(2025, 1, 31)).counts
    old_woman = check(gender="女", birth_date=date(1969, 6, 1), hired_on=date(2024, 6, 1))
    assert not old_woman.counts and "女" in old_woman.reasons[0]
    assert check(gender="男", birth_date=date(1969, 6, 1), hired_on=date(2024, 6, 1)).counts
    one_month = check(si_months=1)
    assert not one_month.counts and "不足 2 个月" in one_month.reasons[0]
    assert check(si_months=2).counts
    dispatched = check(dispatched=True)
    assert not dispatched.counts and "派遣" in dispatched.reasons[0]
    several = check(hukou_province_code="33", si_months=0, dispatched=True)
    assert len(several.reasons) == 3 and several.text.startswith("不计入：")


# --- dates: re-application ban, first evaluation, failing years -------------------------------


def test_reapplication_ban_ends_on_the_anniversary_inclusive() -> None:
    ban = reapply_ban(date(2024, 3, 10), RULES)
    assert ban.last_day == date(2026, 3, 10) and ban.may_apply_from == date(2026, 3, 11)
    assert ban.blocks(date(2026, 3, 9))  # the day before the end
    assert ban.blocks(date(2026, 3, 10))  # the day of the end: 届满之日 is still inside
    assert not ban.blocks(date(2026, 3, 11))
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)


def test_first_evaluation_after_twelve_months() -> None:
    assert first_evaluation_year(date(2024, 1, 1), RULES) == 2024
    assert first_evaluation_year(date(2024, 1, 2), RULES) == 2025
    assert first_evaluation_year(date(2024, 6, 15), RULES) == 2025


def test_two_failing_years_in_a_row() -> None:
    assert failing_streak({2025: False, 2026: False}, 2026, RULES) == [2025, 2026]
    assert failing_streak({2024: False, 2025: True, 2026: False}, 2026, RULES) == []
    assert failing_streak({2026: False}, 2026, RULES) == []


# --- 优秀站点 -----------------------------------------------------------------------------------

EX = RULES.excellent
GOOD = {y: YearRecord(y, Decimal(85), 320, 32, 300, 180, 0) for y in (2025, 2026)}


def conditions(records=GOOD, established=date(2024, 12, 31)):  # type: ignore[no-untyped-def]
    return {c.name: c for c in excellent_check(EX, established, 2026, records)}


def test_an_excellent_station_meets_every_condition() -> None:
    got = conditions()
    assert len(got) == 6 and all(c.passed for c in got.values())
    assert "2025 年 85 分；2026 年 85 分" in got["每年评估得分不低于 80 分"].figures
    assert "32/320 人 = 10%" in got["技术技能人才占比不低于 10%"].figures


def _one_off(year_change: dict) -> dict:
    return {2025: GOOD[2025], 2026: YearRecord(**{**GOOD[2026].__dict__, **year_change})}


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("每年评估得分不低于 80 分", {"total": Decimal("79.5")}),
        ("每年输送劳动力 300 人以上", {"delivered": 299, "skilled": 30}),
        ("技术技能人才占比不低于 10%", {"skilled": 31}),
        ("6 个月后留用率不低于 60%", {"retained": 179}),
        ("劳务协作工作台账完备", {"ledger_missing": 1}),
    ],
)
def test_each_excellent_condition_fails_alone(name: str, change: dict) -> None:
    got = conditions(_one_off(change))
    assert not got[name].passed
    assert [c for c, v in got.items() if not v.passed] == [name]


def test_excellent_exact_thresholds_pass() -> None:
    got = conditions(_one_off({"total": Decimal(80), "delivered": 300, "skilled": 30, "retention_base": 100,
                               "retained": 60}))
    assert all(c.passed for c in got.values())


def test_excellent_operating_years_and_missing_year() -> None:
    assert conditions(established=date(2025, 1, 1))["承担劳务协作工作 2 年以上"].passed is False
    assert conditions(established=date(2024, 12, 31))["承担劳务协作工作 2 年以上"].passed is True
    missing = conditions({2026: GOOD[2026]})
    assert not missing["每年评估得分不低于 80 分"].passed
    assert "2025 年无已审核的评估" in missing["每年评估得分不低于 80 分"].figures
