"""Working days for the publicity period: official holidays and 调休, and the fallback years."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desktop.core.rules.workdays import (
    YearArrangement,
    covered_years,
    is_working_day,
    package_version,
    publicity_end_date,
)

UNCOVERED = 2098  # far beyond any published arrangement; its weekdays fall as in 2031


def test_covered_years_match_the_package() -> None:
    years = covered_years()
    assert {2024, 2025} <= years
    assert UNCOVERED not in years
    assert package_version()


def test_national_day_2025_skips_the_holiday_and_counts_the_makeup_saturday() -> None:
    # Mon 29 Sep and Tue 30 Sep work; 1–8 Oct are off; Thu 9, Fri 10 and the 调休 Sat 11 Oct work.
    result = publicity_end_date(date(2025, 9, 29), 5)

    assert result.end == date(2025, 10, 11)
    assert result.days == [
        date(2025, 9, 29),
        date(2025, 9, 30),
        date(2025, 10, 9),
        date(2025, 10, 10),
        date(2025, 10, 11),
    ]
    assert result.rule == "按国务院办公厅公布的2025年节假日安排（chinesecalendar 1.11.0）计算".replace(
        "1.11.0", package_version()
    )


def test_makeup_sunday_before_the_holiday_is_day_one() -> None:
    # Sun 28 Sep 2025 is an official 调休 working day, so counting starts on it.
    result = publicity_end_date(date(2025, 9, 28), 3)

    assert result.days == [date(2025, 9, 28), date(2025, 9, 29), date(2025, 9, 30)]
    assert is_working_day(date(2025, 9, 28))
    assert not is_working_day(date(2025, 10, 1))


def test_start_on_an_ordinary_saturday_counts_from_monday() -> None:
    start = date(2025, 11, 15)  # a Saturday with no 调休
    assert start.isoweekday() == 6 and not is_working_day(start)

    result = publicity_end_date(start, 5)

    assert result.days[0] == date(2025, 11, 17)
    assert result.end == date(2025, 11, 21)


def test_one_working_day_starting_on_a_working_day_ends_that_day() -> None:
    result = publicity_end_date(date(2026, 11, 23), 1)
    assert result.end == date(2026, 11, 23)
    assert result.days == [date(2026, 11, 23)]


def test_count_start_day_false_starts_the_next_day() -> None:
    assert publicity_end_date(date(2026, 11, 23), 1, count_start_day=False).end == date(2026, 11, 24)


def test_uncovered_year_falls_back_to_monday_to_friday_and_says_so() -> None:
    start = date(UNCOVERED, 3, 7)  # a Friday
    result = publicity_end_date(start, 10)

    assert result.end == date(UNCOVERED, 3, 20)
    assert all(d.isoweekday() <= 5 for d in result.days)
    assert len(result.days) == 10
    assert f"{UNCOVERED}年的节假日安排未收录，按周一至周五计算" in result.rule
    assert "管理员未录入" in result.rule
    assert "国务院办公厅" not in result.rule


def test_fallback_skips_admin_holidays_and_counts_admin_makeup_days() -> None:
    # 1 Oct 2098 is a Wednesday: the admin enters 1–7 Oct off and Sat 11 Oct worked.
    year = UNCOVERED
    start = date(year, 9, 29)  # a Monday
    holidays = frozenset(date(year, 10, d) for d in range(1, 8))
    extra = {year: YearArrangement(holidays=holidays, workdays=frozenset({date(year, 10, 11)}))}

    result = publicity_end_date(start, 5, extra)

    assert not set(result.days) & holidays
    assert result.days == [
        date(year, 9, 29),
        date(year, 9, 30),
        date(year, 10, 8),
        date(year, 10, 9),
        date(year, 10, 10),
    ]
    assert f"并计入管理员录入的{year}年节假日 7 天、调休上班 1 天" in result.rule
    assert is_working_day(date(year, 10, 11), extra)
    assert not is_working_day(date(year, 10, 11))


def test_period_across_covered_and_uncovered_years_names_both() -> None:
    last = max(covered_years())
    extra = {last + 1: YearArrangement(holidays=frozenset({date(last + 1, 1, 1)}))}

    result = publicity_end_date(date(last, 12, 28), 5, extra)

    assert result.end.year == last + 1
    assert date(last + 1, 1, 1) not in result.days
    assert f"按国务院办公厅公布的{last}年节假日安排" in result.rule
    assert f"{last + 1}年的节假日安排未收录" in result.rule
    assert "；" in result.rule


def test_admin_arrangement_for_a_covered_year_is_ignored() -> None:
    extra = {2025: YearArrangement(holidays=frozenset({date(2025, 11, 17)}))}
    assert is_working_day(date(2025, 11, 17), extra)


def test_weekdays_source_ignores_the_package() -> None:
    result = publicity_end_date(date(2025, 9, 29), 5, holiday_source="weekdays")
    assert result.end == date(2025, 10, 3)  # no holidays: Mon to Fri
    assert "2025年按本地区策略不采用官方节假日数据" in result.rule


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({2098: YearArrangement(holidays=frozenset({date(2097, 1, 1)}))}, "不属于该年"),
        (
            {2098: YearArrangement(holidays=frozenset({date(2098, 1, 4)}), workdays=frozenset({date(2098, 1, 4)}))},
            "同时被录入",
        ),
    ],
)
def test_bad_arrangements_are_refused(extra: dict[int, YearArrangement], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        publicity_end_date(date(2098, 1, 2), 5, extra)


def test_zero_days_and_an_all_holiday_year_are_refused() -> None:
    with pytest.raises(ValueError, match="至少为 1 个工作日"):
        publicity_end_date(date(2025, 1, 2), 0)
    year = UNCOVERED
    everything = frozenset(
        date.fromordinal(n) for n in range(date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal())
    )
    nothing_next = frozenset(
        date.fromordinal(n) for n in range(date(year + 1, 1, 1).toordinal(), date(year + 2, 1, 1).toordinal())
    )
    extra = {year: YearArrangement(holidays=everything), year + 1: YearArrangement(holidays=nothing_next)}
    with pytest.raises(ValueError, match="一年内没有工作日"):
        publicity_end_date(date(year, 1, 1), 1, extra)


def test_workdays_module_needs_no_qt_or_database() -> None:
    code = (
        "import sys; import desktop.core.rules.workdays; "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'desktop.ui', 'sqlalchemy'))]"
    )
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], check=True)
