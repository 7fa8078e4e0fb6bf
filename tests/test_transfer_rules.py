"""The pure transfer rules: 民族, 文化程度, contract terms, subsidy conditions, review flag, 大写金额."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desktop.core.money import amount_in_chinese_capitals, yuan_text
from desktop.core.rules.profile import load_profile
from desktop.core.rules.transfers import (
    ETHNICITIES,
    SubsidyFacts,
    covered_months,
    guess_employer_type,
    normalise_education,
    normalise_ethnicity,
    parse_contract_term,
    review_flag,
    reviewable,
    subsidy_check,
    whole_months,
)

SICHUAN = load_profile("sichuan")
LEVELS = SICHUAN.broker.education_levels


def test_the_56_ethnic_groups() -> None:
    assert len(ETHNICITIES) == len(set(ETHNICITIES)) == 56
    assert normalise_ethnicity("汉") == "汉族"
    assert normalise_ethnicity(" 彝族 ") == "彝族"
    assert normalise_ethnicity("维族") == "维吾尔族"
    assert normalise_ethnicity("") == ""
    assert normalise_ethnicity("火星族") is None
    assert normalise_ethnicity("穿青人") is None  # not one of the 56


@pytest.mark.parametrize(("raw", "level"), [
    ("初中", "初中"), ("中专", "中专/中技"), ("技校", "中专/中技"), ("大学本科", "本科"), ("硕士", "研究生"),
    ("文盲", "未上学"), ("高中毕业", "高中"), ("", ""),
])
def test_education_variants_map_onto_the_profile_list(raw: str, level: str) -> None:
    assert normalise_education(raw, LEVELS) == level


def test_unknown_education_is_refused() -> None:
    assert normalise_education("博士后", LEVELS) is None


@pytest.mark.parametrize(("text", "kind", "months"), [
    ("1年", "fixed", 12), ("一年", "fixed", 12), ("12个月", "fixed", 12), ("11个月", "fixed", 11),
    ("1年以上", "fixed", 12), ("两年", "fixed", 24), ("十八个月", "fixed", 18), ("1年6个月", "fixed", 18),
    ("半年", "fixed", 6), ("2025.3.1-2026.2.28", "fixed", 12), ("2025年3月15日至2026年3月13日", "fixed", 11),
    ("2025.03-2026.02", "fixed", 12), ("20250301-20260228", "fixed", 12), ("无固定期限", "open", None),
    ("以完成一定工作任务为期限", "task", None), ("看情况", "", None), ("", "", None),
])
def test_contract_terms(text: str, kind: str, months: int | None) -> None:
    term = parse_contract_term(text)
    assert (term.kind, term.months) == (kind, months)


def test_whole_months_counts_from_the_start_to_the_day_after_the_end() -> None:
    assert whole_months(date(2025, 3, 1), date(2026, 2, 28)) == 12
    assert whole_months(date(2025, 3, 1), date(2026, 2, 27)) == 11
    assert whole_months(date(2025, 1, 31), date(2025, 2, 27)) == 1  # Jan 31 + 1 month = Feb 28
    assert whole_months(date(2024, 2, 29), date(2025, 2, 27)) == 12


def test_employer_type_is_only_inferred_from_what_the_name_says() -> None:
    assert guess_employer_type("东莞市长安精密电子有限公司") == "企业"
    assert guess_employer_type("遂宁市第一人民医院") == "机关事业单位"
    assert guess_employer_type("张记面馆") == ""


GOOD = SubsidyFacts(poverty_alleviated=True, employer_type="企业", contract_kind="fixed", contract_months=12,
                    social_insurance=True)


def test_subsidy_contract_of_exactly_one_year_qualifies() -> None:
    check = subsidy_check(GOOD, SICHUAN.subsidy)
    assert check.qualifies and check.failures == () and check.text == "符合"


@pytest.mark.parametrize(("change", "failure"), [
    ({"contract_months": 11}, "劳动合同期限11个月，不满1年"),
    ({"social_insurance": False}, "未参加社会保险"),
    ({"poverty_alleviated": False}, "不是脱贫人口"),
    ({"employer_type": "个体工商户"}, "就业单位不是企业（个体工商户）"),
    ({"employer_type": ""}, "就业单位类型未确认（须为企业）"),
    ({"contract_kind": "", "contract_months": None}, "劳动合同期限未填写或无法识别（须1年以上）"),
    ({"contract_kind": "task", "contract_months": None}, "以完成一定工作任务为期限的合同，无法确认满1年"),
])
def test_subsidy_names_the_failing_condition(change: dict, failure: str) -> None:
    check = subsidy_check(replace(GOOD, **change), SICHUAN.subsidy)
    assert not check.qualifies
    assert check.failures == (failure,)


def test_open_ended_contract_is_long_enough_and_every_failure_is_listed() -> None:
    assert subsidy_check(replace(GOOD, contract_kind="open", contract_months=None), SICHUAN.subsidy).qualifies
    check = subsidy_check(SubsidyFacts(False, "", "fixed", 6, False), SICHUAN.subsidy)
    assert len(check.failures) == 4


def test_a_claim_covers_twelve_calendar_months_from_the_hire_month() -> None:
    months = covered_months(date(2025, 11, 20), 12)
    assert months[0] == 202511 and months[-1] == 202610 and len(months) == 12


@pytest.mark.parametrize(("counts", "flagged"), [
    ((9, 9), True), ((10, 9), False), ((9, 10), False), ((0, 0), True), ((10, 10), False),
])
def test_review_flags_only_below_ten_in_both_years(counts: tuple[int, int], flagged: bool) -> None:
    assert review_flag(counts, SICHUAN.review) is flagged


def test_review_needs_two_whole_years_in_the_registry() -> None:
    assert reviewable(date(2025, 1, 1), 2026, SICHUAN.review)
    assert not reviewable(date(2025, 1, 2), 2026, SICHUAN.review)


@pytest.mark.parametrize(("fen", "text"), [
    (0, "零元整"), (100, "壹元整"), (1000, "壹拾元整"), (30000, "叁佰元整"), (100400, "壹仟零肆元整"),
    (168032, "壹仟陆佰捌拾元叁角贰分"), (10700053, "壹拾万柒仟元伍角叁分"), (32504, "叁佰贰拾伍元零肆分"),
    (101000, "壹仟零壹拾元整"), (1000000, "壹万元整"), (1010000, "壹万零壹佰元整"), (10050000, "壹拾万零伍佰元整"),
    (200000300, "贰佰万零叁元整"), (10001000000, "壹亿零壹万元整"), (120000000000, "壹拾贰亿元整"),
    (50, "伍角"), (5, "伍分"), (900000, "玖仟元整"),
])
def test_amount_in_chinese_capitals(fen: int, text: str) -> None:
    assert amount_in_chinese_capitals(fen) == text


def test_negative_amounts_are_refused_and_figures_have_two_decimals() -> None:
    with pytest.raises(ValueError):
        amount_in_chinese_capitals(-1)
    assert yuan_text(150000) == "1,500.00"
    assert yuan_text(5) == "0.05"
