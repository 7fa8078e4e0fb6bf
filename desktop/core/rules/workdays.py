"""Working days (工作日) for the publicity period: official holidays, 调休 and a fallback.

For the years the ``chinese_calendar`` package (PyPI ``chinesecalendar``) carries the 国务院办公厅
holiday arrangement, its data decides: holidays are skipped and make-up working days (调休上班,
usually a Saturday or Sunday) count. For any other year the rule is Monday to Friday, corrected by
the arrangement the administrator entered for that year (:class:`YearArrangement`). The result
always says in plain Chinese which rule produced it, so the clerk can print or show it.

An arrangement entered for a year the package covers is ignored: the published data wins.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

try:  # the package is a dependency, but a broken install must not stop the counter
    import chinese_calendar as _cc
except ImportError:  # pragma: no cover - exercised only on a damaged installation
    _cc = None

SOURCE_PACKAGE = "chinese_calendar"
SOURCE_WEEKDAYS = "weekdays"
DEFAULT_WEEKEND = (6, 7)  # ISO weekdays: Saturday, Sunday
# How far to look for the next working day before deciding the calendar is unusable
# (an arrangement marking a whole year as holidays is a data-entry mistake, not a long wait).
_MAX_GAP_DAYS = 366


@dataclass(frozen=True)
class YearArrangement:
    """One year's 节假日安排 as entered by the administrator for a year the package lacks.

    ``holidays``: weekdays (or any days) off; ``workdays``: 调休 days worked, usually weekends.
    """

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()


@dataclass(frozen=True)
class WorkdayResult:
    """The last day of the period, the rule used (Chinese, for the screen) and the counted days."""

    end: date
    rule: str
    days: list[date] = field(default_factory=list)


@functools.cache
def covered_years() -> frozenset[int]:
    """Years for which the installed ``chinese_calendar`` has the official arrangement."""
    if _cc is None:
        return frozenset()
    years = {d.year for d in _cc.holidays} | {d.year for d in _cc.workdays}
    if not years:
        return frozenset()
    # The package answers for every year between its first and last (it raises
    # NotImplementedError outside); inside, only years with entries are really published.
    return frozenset(y for y in range(min(years), max(years) + 1) if y in years)


def package_version() -> str:
    """Version of the installed holiday data, for the rule text (e.g. "1.11.0")."""
    if _cc is None:
        return "未安装"
    version = getattr(_cc, "__version__", None)
    if version:
        return str(version)
    try:
        from importlib.metadata import version as dist_version

        return dist_version("chinesecalendar")
    except Exception:  # metadata missing in a frozen build
        return "版本未知"


def _uses_package(year: int, holiday_source: str) -> bool:
    return holiday_source == SOURCE_PACKAGE and year in covered_years()


def is_working_day(
    d: date,
    extra: Mapping[int, YearArrangement] | None = None,
    *,
    weekend_days: Collection[int] = DEFAULT_WEEKEND,
    holiday_source: str = SOURCE_PACKAGE,
) -> bool:
    """True when ``d`` is a working day under the package data or the fallback for its year.

    ``weekend_days`` and ``holiday_source`` come from the profile's ``[calendar]`` section;
    ``weekend_days`` applies to the fallback only (the package data already includes weekends).
    """
    if _uses_package(d.year, holiday_source):
        return bool(_cc.is_workday(d))  # type: ignore[union-attr]
    arrangement = (extra or {}).get(d.year)
    if arrangement is not None:
        if d in arrangement.workdays:
            return True
        if d in arrangement.holidays:
            return False
    return d.isoweekday() not in weekend_days


def check_arrangements(extra: Mapping[int, YearArrangement] | None) -> None:
    """Refuse an arrangement whose dates lie outside its year or are both off and worked."""
    for year, arrangement in (extra or {}).items():
        stray = sorted(d for d in arrangement.holidays | arrangement.workdays if d.year != year)
        if stray:
            raise ValueError(f"{year}年的节假日安排中有不属于该年的日期：{_date_text(stray[0])}，请核对后重新录入。")
        both = sorted(arrangement.holidays & arrangement.workdays)
        if both:
            raise ValueError(f"{_date_text(both[0])}同时被录入为节假日和调休上班日，请只保留一种。")


def publicity_end_date(
    start: date,
    working_days: int,
    extra_calendar: Mapping[int, YearArrangement] | None = None,
    *,
    count_start_day: bool = True,
    weekend_days: Collection[int] = DEFAULT_WEEKEND,
    holiday_source: str = SOURCE_PACKAGE,
) -> WorkdayResult:
    """The last day of a period of ``working_days`` working days beginning on ``start``.

    Counting starts on ``start`` itself when it is a working day (day 1), otherwise on the next
    working day. With ``count_start_day=False`` (profile ``publicity.count_start_day``) the
    count begins the day after ``start``.
    """
    if working_days < 1:
        raise ValueError(f"公示期应至少为 1 个工作日，现为 {working_days}。")
    if holiday_source not in (SOURCE_PACKAGE, SOURCE_WEEKDAYS):
        raise ValueError(f"未知的节假日数据来源：{holiday_source}")
    check_arrangements(extra_calendar)
    day = start if count_start_day else start + timedelta(days=1)
    days: list[date] = []
    gap = 0
    while len(days) < working_days:
        if is_working_day(day, extra_calendar, weekend_days=weekend_days, holiday_source=holiday_source):
            days.append(day)
            gap = 0
        else:
            gap += 1
            if gap > _MAX_GAP_DAYS:
                raise ValueError(
                    f"自{_date_text(day - timedelta(days=gap - 1))}起一年内没有工作日，请检查管理员录入的节假日安排。"
                )
        day += timedelta(days=1)
    end = days[-1]
    years = range(start.year, end.year + 1)
    rule = rule_text(years, extra_calendar, weekend_days=weekend_days, holiday_source=holiday_source)
    return WorkdayResult(end, rule, days)


def rule_text(
    years: Collection[int],
    extra: Mapping[int, YearArrangement] | None = None,
    *,
    weekend_days: Collection[int] = DEFAULT_WEEKEND,
    holiday_source: str = SOURCE_PACKAGE,
) -> str:
    """Say in Chinese which rule decides working days in ``years`` (one clause per kind)."""
    week = _week_text(weekend_days)
    published = sorted(y for y in years if _uses_package(y, holiday_source))
    parts: list[str] = []
    if published:
        listed = "、".join(f"{y}年" for y in published)
        parts.append(f"按国务院办公厅公布的{listed}节假日安排（chinesecalendar {package_version()}）计算")
    for y in sorted(y for y in years if not _uses_package(y, holiday_source)):
        why = (
            f"{y}年的节假日安排未收录" if holiday_source == SOURCE_PACKAGE else f"{y}年按本地区策略不采用官方节假日数据"
        )
        arrangement = (extra or {}).get(y)
        if arrangement is None or not (arrangement.holidays or arrangement.workdays):
            parts.append(f"{why}，按{week}计算（管理员未录入{y}年的节假日安排）")
        else:
            parts.append(
                f"{why}，按{week}计算，并计入管理员录入的{y}年"
                f"节假日 {len(arrangement.holidays)} 天、调休上班 {len(arrangement.workdays)} 天"
            )
    return "；".join(parts)


def _week_text(weekend_days: Collection[int]) -> str:
    """The working weekdays: "周一至周五" for the usual weekend, else the working weekdays listed."""
    working = [n for n in range(1, 8) if n not in set(weekend_days)]
    if working == [1, 2, 3, 4, 5]:
        return "周一至周五"
    return "每周" + "、".join("周" + "一二三四五六日"[n - 1] for n in working)


def _date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
