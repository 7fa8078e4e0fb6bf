"""Workstation rules other than the scorecard: who counts as delivered, dates, 优秀站点 (pure).

- ``delivered_check``: a roster worker counts as delivered (输送劳动力) only with 户籍 outside the
  profile's province, of working age at hire (16 up to the statutory retirement age of their
  gender and birth month), 2 or more consecutive months of local social insurance, and not
  agency-dispatched; otherwise every reason is given.
- Period arithmetic follows 民法典 第二百零一–二零三条: a period of years starts the day after the
  event and ends on the same month and day (the month's last day when that day does not exist);
  "届满" includes that last day. So a station revoked on 2024-03-10 is barred through 2026-03-10
  and may apply again from 2026-03-11.
- ``excellent_check``: every 优秀站点 condition with pass/fail and the figures behind it.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from desktop.core import regions
from desktop.core.idcard import age_on
from desktop.core.rules.profile_sections import StationExcellent, StationRules, WorkingAgeRules
from desktop.core.rules.station_scoring import percent_text, points_text


@dataclass(frozen=True)
class WorkerFacts:
    """The roster columns the delivered rule looks at."""

    gender: str
    birth_date: date
    hukou_province_code: str
    hired_on: date
    si_months: int  # 社保连续月数 (in the district)
    dispatched: bool


@dataclass(frozen=True)
class DeliveredCheck:
    counts: bool
    reasons: tuple[str, ...]  # why not, one per failed condition; () when it counts

    @property
    def text(self) -> str:
        return "计入" if self.counts else "不计入：" + "；".join(self.reasons)


def province_name(code: str) -> str:
    region = regions.lookup_division(f"{code}0000") if len(code) == 2 and code.isdigit() else None
    return region.name if region else f"代码 {code}"


_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


@functools.cache
def _province_names() -> tuple[tuple[str, str], ...]:
    """(name, code) for every province, full and short (贵州省 / 贵州), longest first."""
    names: list[tuple[str, str]] = []
    for region in regions.provinces():
        names.append((region.name, region.code[:2]))
        short = next((region.name[: -len(s)] for s in _SUFFIXES if region.name.endswith(s)), region.name)
        if short != region.name:
            names.append((short, region.code[:2]))
    return tuple(sorted(names, key=lambda item: -len(item[0])))


def hukou_province(hukou: str, id_number: str) -> tuple[str, str]:
    """The 户籍 province code from the 户籍 text (贵州省榕江县… / 贵州), else from the ID number's
    first two digits (the place of first registration), and a warning when the two differ or the
    text names no province."""
    return _hukou("".join(hukou.split()), id_number[:2], hukou[:20])


@functools.lru_cache(maxsize=4096)
def _hukou(text: str, from_id: str, shown: str) -> tuple[str, str]:
    for name, code in _province_names():
        if text.startswith(name):
            if code != from_id:
                return code, (f"户籍写的是{province_name(code)}，身份证号码的登记地是{province_name(from_id)}，"
                              f"按户籍（{province_name(code)}）计算；请核对。")
            return code, ""
    if text:
        return from_id, f"户籍“{shown}”中没有省份名称，按身份证号码的登记地（{province_name(from_id)}）计算。"
    return from_id, f"户籍未填写，按身份证号码的登记地（{province_name(from_id)}）计算。"


def months_of_age(birth: date, on: date) -> int:
    """Whole months of age on ``on``."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - 1 if on.day < birth.day else months


def age_text(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years} 周岁" + (f" {rest} 个月" if rest else "")


def delivered_check(worker: WorkerFacts, rules: StationRules, working_age: WorkingAgeRules) -> DeliveredCheck:
    reasons: list[str] = []
    if worker.hukou_province_code in rules.local_province_codes:
        reasons.append(f"户籍在{province_name(worker.hukou_province_code)}（省内），不是省外劳动力")
    age = age_on(worker.birth_date, worker.hired_on)
    if age < working_age.min_age:
        reasons.append(f"入职时 {age} 周岁，未满法定劳动年龄 {working_age.min_age} 周岁")
    else:
        limit = working_age.retirement_age_months(worker.gender, worker.birth_date)
        if months_of_age(worker.birth_date, worker.hired_on) >= limit:
            reasons.append(f"入职时 {age} 周岁，已到法定退休年龄（{worker.gender}，{age_text(limit)}）")
    if worker.si_months < rules.min_social_insurance_months:
        reasons.append(f"社保连续缴纳 {worker.si_months} 个月，不足 {rules.min_social_insurance_months} 个月")
    if rules.exclude_dispatched and worker.dispatched:
        reasons.append("劳务派遣人员不计入")
    return DeliveredCheck(not reasons, tuple(reasons))


def add_years(start: date, years: int) -> date:
    """The same month and day ``years`` later; 29 Feb becomes the month's last day (28 Feb)."""
    year = start.year + years
    return start.replace(year=year, day=min(start.day, calendar.monthrange(year, start.month)[1]))


def add_months(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class ReapplyBan:
    revoked_on: date
    last_day: date  # the ban's last day (届满之日, inclusive)

    @property
    def may_apply_from(self) -> date:
        return self.last_day + timedelta(days=1)

    def blocks(self, day: date) -> bool:
        return self.revoked_on <= day <= self.last_day


def reapply_ban(revoked_on: date, rules: StationRules) -> ReapplyBan:
    return ReapplyBan(revoked_on, add_years(revoked_on, rules.reapply_ban_years))


def first_evaluation_year(established_on: date, rules: StationRules) -> int:
    """The first year evaluated: the station has run ``first_evaluation_after_months`` by its end
    (i.e. by 1 January of the next year)."""
    ready = add_months(established_on, rules.first_evaluation_after_months)
    return ready.year - 1 if (ready.month, ready.day) == (1, 1) else ready.year


def failing_streak(results: Mapping[int, bool], year: int, rules: StationRules) -> list[int]:
    """The failed years ending at ``year`` when they are ``revoke_after_failing_years`` in a row, else []."""
    years = [year - i for i in range(rules.revoke_after_failing_years)]
    if all(results.get(y) is False for y in years):
        return sorted(years)
    return []


# --- 优秀站点 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRecord:
    """One year's signed evaluation, as the excellent-station check needs it."""

    year: int
    total: Decimal
    delivered: int
    skilled: int
    retention_base: int
    retained: int
    ledger_missing: int


@dataclass(frozen=True)
class Condition:
    name: str
    passed: bool
    figures: str


def excellent_years(check_year: int, ex: StationExcellent) -> list[int]:
    return list(range(check_year - ex.cycle_years + 1, check_year + 1))


def excellent_check(ex: StationExcellent, established_on: date | None, check_year: int,
                    records: Mapping[int, YearRecord]) -> list[Condition]:
    """Every 优秀站点 condition for the cycle ending with ``check_year`` (inclusive thresholds)."""
    years = excellent_years(check_year, ex)
    year_end = date(check_year, 12, 31)
    out: list[Condition] = []
    if established_on is None:
        out.append(Condition(f"承担劳务协作工作 {ex.min_operating_years} 年以上", False, "尚未设立"))
    else:
        due = add_years(established_on, ex.min_operating_years)
        months = max(0, months_of_age(established_on, year_end))
        out.append(Condition(
            f"承担劳务协作工作 {ex.min_operating_years} 年以上", due <= year_end,
            f"{established_on:%Y-%m-%d} 设立，至 {year_end:%Y-%m-%d} 已 {age_text(months).replace(' 周岁', ' 年')}",
        ))
    missing = [y for y in years if y not in records]

    def per_year(name: str, ok, text) -> Condition:  # type: ignore[no-untyped-def]
        parts = [f"{y} 年 {text(records[y])}" for y in years if y in records]
        parts += [f"{y} 年无已审核的评估" for y in missing]
        return Condition(name, not missing and all(ok(records[y]) for y in years), "；".join(parts))

    out.append(per_year(f"每年评估得分不低于 {ex.min_score} 分", lambda r: r.total >= ex.min_score,
                        lambda r: f"{points_text(r.total)} 分"))
    out.append(per_year(f"每年输送劳动力 {ex.min_delivered} 人以上", lambda r: r.delivered >= ex.min_delivered,
                        lambda r: f"{r.delivered} 人"))
    out.append(per_year(
        f"技术技能人才占比不低于 {ex.min_skilled_percent:g}%",
        lambda r: r.delivered > 0 and Fraction(r.skilled * 100, r.delivered) >= Fraction(ex.min_skilled_percent),
        lambda r: f"{r.skilled}/{r.delivered} 人 = {percent_text(r.skilled, r.delivered)}" if r.delivered else "无输送人员",
    ))
    out.append(per_year(
        f"6 个月后留用率不低于 {ex.min_retention_percent:g}%",
        lambda r: r.retention_base > 0
        and Fraction(r.retained * 100, r.retention_base) >= Fraction(ex.min_retention_percent),
        lambda r: (f"{r.retained}/{r.retention_base} 人 = {percent_text(r.retained, r.retention_base)}"
                   if r.retention_base else "无满 6 个月的人员"),
    ))
    if ex.require_complete_ledger:
        out.append(per_year("劳务协作工作台账完备", lambda r: r.ledger_missing == 0,
                            lambda r: "齐全" if r.ledger_missing == 0 else f"缺 {r.ledger_missing} 项"))
    return out
