"""Policy profiles (策略文件): the per-region rule parameters read from resources/policies/*.toml.

A profile file `extends` another (normally `_base.toml`, the national defaults) and states what its
region's documents say. `load_profile` resolves that chain, applies a centre's own overrides, checks
every key against the frozen dataclasses below and raises `ProfileError`, whose text names the file
and the key. Units: money is integer 元 (keys end in `_yuan`), percentages are numbers 0–100, ages
whole years, contract terms whole months. Scoring tables are `Band` lists in interval notation
("[100, 200]" includes both ends, "(200, 300]" excludes 200); see `band_points`.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, fields, is_dataclass
from datetime import date, datetime
from numbers import Real
from pathlib import Path
from typing import Annotated, Any

OVERRIDE_LABEL = "（覆盖值）"
_NAME_RE = re.compile(r"[a-z0-9_]+")
_RANGE_RE = re.compile(r"\s*([\[(])\s*([^,\s]+)\s*,\s*([^\])\s]+)\s*([\])])\s*")


def profiles_dir() -> Path:
    """The shipped profiles: <repo>/resources/policies."""
    return Path(__file__).resolve().parents[3] / "resources" / "policies"


class ProfileError(ValueError):
    """A profile file or override that cannot be used; str() names the file and the key."""

    def __init__(self, file: str, key: str, message: str) -> None:
        self.file, self.key, self.message = file, key, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"策略文件 {self.file}" + (f" 中的 {self.key}" if self.key else "")
        return f"{where} {self.message}"


@dataclass(frozen=True)
class Check:
    """What a value must satisfy, attached to a field type with `Annotated`."""

    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    pattern: str = ""
    hint: str = ""
    regex: bool = False
    value_key: str = "points"  # the band tables' value key: "points" or "yuan"


@dataclass(frozen=True)
class Band:
    """One band of a scoring table (分档): `value` applies when lower ≤/< x ≤/< upper."""

    lower: float
    lower_inclusive: bool
    upper: float  # math.inf for the open-ended last band
    upper_inclusive: bool
    value: int

    def contains(self, x: Real) -> bool:
        above = x >= self.lower if self.lower_inclusive else x > self.lower
        below = x <= self.upper if self.upper_inclusive else x < self.upper
        return bool(above and below)

    def __str__(self) -> str:
        upper = "+inf" if math.isinf(self.upper) else _num(self.upper)
        left, right = "[" if self.lower_inclusive else "(", "]" if self.upper_inclusive else ")"
        return f"{left}{_num(self.lower)}, {upper}{right}"


def band_points(bands: Sequence[Band], value: Real) -> int:
    """The value (points or 元) of the band holding `value` (int, float, Fraction or Decimal)."""
    for band in bands:
        if band.contains(value):
            return band.value
    raise ValueError(f"数值 {value} 不在任何分档内（{'、'.join(str(b) for b in bands)}）。")


def _r(lo: float | None, hi: float | None = None) -> Check:
    return Check(lo=lo, hi=hi)


Pts = Annotated[int, _r(0, 100)]
Count = Annotated[int, _r(0, 1_000_000)]
Yuan = Annotated[int, _r(0, 100_000_000)]
Years = Annotated[int, _r(1, 20)]
Months = Annotated[int, _r(0, 120)]
Pct = Annotated[float, _r(0, 100)]
Age = Annotated[int, _r(14, 100)]
Digits = Annotated[int, _r(0, 18)]
Texts = tuple[str, ...]
Bands = tuple[Band, ...]
Province = Annotated[str, Check(pattern=r"\d{2}", hint='两位数字的省级代码，如 "51"')]
Regex = Annotated[str, Check(regex=True)]


@dataclass(frozen=True)
class Region:
    """地区: display name, codes and the seed documents the profile follows."""

    name: str
    province_code: Province
    division_code: Annotated[str, Check(pattern=r"\d{6}", hint="六位行政区划代码")]
    seeds: Texts
    sources: Texts


@dataclass(frozen=True)
class Modules:
    """Applies-to flags: the parts of the app this region uses."""

    broker: bool
    transfer: bool
    review: bool
    subsidy: bool
    gold_medal: bool
    filing: bool
    coverage: bool
    training: bool
    points: bool
    station: bool
    fund: bool


@dataclass(frozen=True)
class BrokerRules:
    """劳务经纪人认定: eligibility (both ages inclusive) and the application form's word lists."""

    age_min: Age
    age_max: Age
    home_province_codes: tuple[Province, ...]
    categories: Texts
    declarations: Texts
    application_form_title: str
    commitment_text: str
    form_footnote: str
    political_statuses: Texts
    education_levels: Texts
    photo_width_mm: Pts
    photo_height_mm: Pts
    photo_formats: tuple[Annotated[str, Check(choices=("jpeg", "png"))], ...]
    exam_pass_score: Pts


@dataclass(frozen=True)
class WorkflowRules:
    four_eyes: bool  # the reviewer of a step may not be the clerk who entered it
    township_review: bool  # 乡镇（街道）审核 between village recommendation and county review


@dataclass(frozen=True)
class PublicityRules:
    """公示: period in working days, ID masking on the notice, the notice title."""

    working_days: Annotated[int, _r(1, 30)]
    id_mask_head: Digits
    id_mask_tail: Digits
    count_start_day: bool
    allow_early_close: bool
    title_template: str  # placeholders {year} and {batch}


@dataclass(frozen=True)
class CalendarRules:
    weekend_days: tuple[Annotated[int, _r(1, 7)], ...]  # ISO weekdays
    holiday_source: Annotated[str, Check(choices=("chinese_calendar", "weekdays"))]


@dataclass(frozen=True)
class MaskingRules:
    id_head: Digits
    id_tail: Digits
    phone_head: Digits
    phone_tail: Digits
    bank_head: Digits
    bank_tail: Digits
    mask_char: Annotated[str, Check(pattern=".", hint="一个字符")]


@dataclass(frozen=True)
class PhoneRules:
    mobile_pattern: Regex
    landline_pattern: Regex


@dataclass(frozen=True)
class BankRules:
    account_min_digits: Annotated[int, _r(8, 30)]
    account_max_digits: Annotated[int, _r(8, 30)]
    luhn_failure_blocks: bool  # false: a failed Luhn check only warns


@dataclass(frozen=True)
class SecurityRules:
    """Login and audit parameters; the lower limits are national floors no profile may undercut."""

    password_min_length: Annotated[int, _r(8, 64)]
    password_min_classes: Annotated[int, _r(3, 4)]
    lockout_failures: Annotated[int, _r(1, 10)]
    lockout_minutes: Annotated[int, _r(1, 1440)]
    idle_lock_minutes: Annotated[int, _r(1, 30)]
    audit_retention_months: Annotated[int, _r(6, 1200)]


@dataclass(frozen=True)
class RetirementGroup:
    """Statutory retirement age of one gender, with the gradual raise in force from 2025."""

    base_age: Age
    reform_first_birth: date  # first birth month whose retirement is delayed
    birth_months_per_step: Annotated[int, _r(1, 12)]  # per this many birth months, one month more
    max_delay_months: Months

    def retirement_age_months(self, birth: date) -> int:
        first = self.reform_first_birth
        since = (birth.year - first.year) * 12 + birth.month - first.month
        steps = since // self.birth_months_per_step + 1
        return self.base_age * 12 + (0 if since < 0 else min(self.max_delay_months, steps))


@dataclass(frozen=True)
class WorkingAgeRules:
    """法定劳动年龄: from `min_age` (inclusive) up to, not including, the retirement age."""

    min_age: Age
    male: RetirementGroup
    female: RetirementGroup

    def retirement_age_months(self, gender: str, birth: date) -> int:
        return (self.male if gender == "男" else self.female).retirement_age_months(birth)


@dataclass(frozen=True)
class TransferRules:
    form_title: str


@dataclass(frozen=True)
class ReviewRules:
    """每两年复核: flag when transfers are below the minimum in each of the consecutive years."""

    cycle_years: Years
    consecutive_years: Years
    min_transfers_per_year: Count  # "低于" — a count equal to it passes
    fraud_revokes_at_once: bool


@dataclass(frozen=True)
class SubsidyRules:
    """就业创业服务补助 per placed worker."""

    amount_yuan: Yuan
    requires_poverty_alleviated: bool
    employer_types: Texts
    min_contract_months: Months  # "1年以上" — exactly 12 months qualifies
    requires_social_insurance: bool


@dataclass(frozen=True)
class GoldMedalRules:
    quota_per_year: Count
    award_yuan: Yuan


@dataclass(frozen=True)
class FilingRules:
    """备案信息表: the yearly deadline and the form's fixed texts."""

    deadline_month: Annotated[int, _r(1, 12)]
    deadline_day: Annotated[int, _r(1, 31)]
    form_title: str
    report_unit_label: str
    note: str


@dataclass(frozen=True)
class CoverageRules:
    """Brokers per village: max(min_per_village, ceil(population / population_per_broker))."""

    population_per_broker: Annotated[int, _r(1, 1_000_000)]
    min_per_village: Pts
    population_basis: Annotated[str, Check(choices=("registered", "resident", "larger"))]

    def brokers_needed(self, population: int) -> int:
        return max(self.min_per_village, math.ceil(population / self.population_per_broker))


@dataclass(frozen=True)
class TrainingRules:
    min_days_per_year: Annotated[int, _r(0, 366)]  # "不少于" — inclusive


@dataclass(frozen=True)
class PointsRules:
    """积分排名: points per unit of work; the bottom is a candidate list, never a removal."""

    weight_transfers: Count
    weight_data_updates: Count
    weight_tasks_completed: Count
    replacement_candidate_percent: Pts
    replacement_candidate_min: Count


@dataclass(frozen=True)
class ScoreItem:
    """One line of the 评估表: full points, less `deduction` per case, or by `bands`."""

    points: Pts
    deduction: Pts = 0
    bands: Bands = ()


@dataclass(frozen=True)
class StationScore:
    """劳务协作工作站评估表 (附件3); the items' points must add up to `total`."""

    total: Annotated[int, _r(1, 1000)]
    pass_min: Annotated[int, _r(0, 1000)]  # "60分（含）以上为合格"
    incident_veto_count: Annotated[int, _r(1, 100)]  # accidents + complaints ≥ this → fail
    ledger_items: Texts
    skilled_bonus_min_count: Count
    skilled_bonus_min: Pts
    skilled_bonus_max: Pts
    management_system: ScoreItem
    onsite_office: ScoreItem
    responsible_person: ScoreItem
    incidents: ScoreItem
    work_plan: ScoreItem
    contracts: ScoreItem
    ledger: ScoreItem
    worker_satisfaction: ScoreItem
    employer_satisfaction: ScoreItem
    matchmaking: ScoreItem
    delivered: ScoreItem
    retention: ScoreItem
    innovation: ScoreItem

    def items(self) -> dict[str, ScoreItem]:
        return {f.name: v for f in fields(self) if isinstance(v := getattr(self, f.name), ScoreItem)}


@dataclass(frozen=True)
class StationExcellent:
    """区级优秀站点: every threshold inclusive ("以上"、"不低于")."""

    min_operating_years: Years
    min_score: Pts
    min_delivered: Count
    min_skilled_percent: Pct
    min_retention_percent: Pct
    require_complete_ledger: bool
    cycle_years: Years
    recheck_years: Years
    award_yuan: Yuan


@dataclass(frozen=True)
class StationRules:
    """劳务协作工作站: who counts as delivered, application, evaluation, subsidies, revocation."""

    local_province_codes: tuple[Province, ...]
    min_social_insurance_months: Months  # consecutive months, inclusive
    exclude_dispatched: bool
    retention_check_months: Months
    application_min_delivered: Count  # "50人以上" — inclusive
    application_form_title: str
    roster_title: str
    evaluation_form_title: str
    application_materials: Texts
    approval_steps: Texts
    first_evaluation_after_months: Months
    revoke_after_failing_years: Years
    reapply_ban_years: Years
    revocation_reasons: Texts
    establishment_subsidy_yuan: Yuan
    annual_subsidy_bands: Annotated[Bands, Check(value_key="yuan")]
    score: StationScore
    excellent: StationExcellent


@dataclass(frozen=True)
class FundRules:
    """劳务合作社 and 劳务合作金: levels, what may be advanced, and the joint sign-off (双签批)."""

    cooperative_levels: Texts
    advance_items: Texts
    signoff_parties: Texts
    required_signoffs: Annotated[int, _r(2, 10)]
    income_uses: Texts
    four_clear_items: Texts
    return_at_term_end: bool


@dataclass(frozen=True)
class PolicyProfile:
    """One region's checked rule set; a module's section is None when the files leave it out."""

    name: str
    source_files: tuple[str, ...]
    overrides: tuple[tuple[str, Any], ...]  # (dotted key, value) as the centre set them
    region: Region
    modules: Modules
    broker: BrokerRules
    workflow: WorkflowRules
    publicity: PublicityRules
    calendar: CalendarRules
    masking: MaskingRules
    phone: PhoneRules
    bank: BankRules
    security: SecurityRules
    working_age: WorkingAgeRules
    transfer: TransferRules | None
    review: ReviewRules | None
    subsidy: SubsidyRules | None
    gold_medal: GoldMedalRules | None
    filing: FilingRules | None
    coverage: CoverageRules | None
    training: TrainingRules | None
    points: PointsRules | None
    station: StationRules | None
    fund: FundRules | None

    def value_at(self, dotted: str) -> Any:
        """The value behind a dotted key such as "broker.age_max" (for audit displays)."""
        node: Any = self
        for part in dotted.split("."):
            node = getattr(node, part)
        return node


_INTERNAL = {"name", "source_files", "overrides"}
# Module → the module it builds on; a profile may not switch one on without the other.
_REQUIRES = {
    "transfer": "broker",
    "review": "transfer",
    "subsidy": "transfer",
    "gold_medal": "transfer",
    "filing": "broker",
    "coverage": "broker",
    "training": "broker",
    "points": "broker",
}
_KINDS = {
    int: "整数",
    float: "数字",
    bool: "true 或 false",
    str: "文字",
    date: "日期（如 1965-01-01）",
}


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _num(value)
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _unwrap(tp: Any) -> tuple[Any, Check]:
    """(bare type, its Check) for `X`, `X | None` and `Annotated[X, Check]`."""
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
    if typing.get_origin(tp) is Annotated:
        return typing.get_args(tp)[0], tp.__metadata__[0]
    return tp, Check()


def _kind(tp: Any) -> str:
    tp, _ = _unwrap(tp)
    if typing.get_origin(tp) is tuple:
        item = _unwrap(typing.get_args(tp)[0])[0]
        return "分档列表" if item is Band else f"{_KINDS[item]}列表"
    return "表" if is_dataclass(tp) else _KINDS[tp]


@dataclass
class _Ctx:
    leaf: str
    origin: dict[str, str]  # dotted key → the file (or override label) that set it last

    def err(self, key: str, message: str) -> ProfileError:
        parts = key.split(".")
        for n in range(len(parts), 0, -1):
            if (found := self.origin.get(".".join(parts[:n]))) is not None:
                return ProfileError(found, key, message)
        return ProfileError(self.leaf, key, message)


def _fields(cls: Any, data: Mapping[str, Any], prefix: str, ctx: _Ctx) -> dict[str, Any]:
    hints = typing.get_type_hints(cls, include_extras=True)
    schema = [f for f in fields(cls) if f.name not in _INTERNAL or cls is not PolicyProfile]
    for k in data:
        if k not in {f.name for f in schema}:
            raise ctx.err(prefix + k, "不是可识别的键（可能拼写有误，或放错了节）。")
    values: dict[str, Any] = {}
    for f in schema:
        key, tp = prefix + f.name, hints[f.name]
        if f.name in data:
            values[f.name] = _convert(tp, data[f.name], key, ctx)
        elif f.default is not MISSING:
            values[f.name] = f.default
        elif typing.get_origin(tp) in (types.UnionType, typing.Union):
            values[f.name] = None
        else:
            raise ProfileError(ctx.leaf, key, f"未填写（应为{_kind(tp)}）。")
    return values


def _convert(tp: Any, raw: Any, key: str, ctx: _Ctx, pos: str = "") -> Any:
    bare, check = _unwrap(tp)
    if is_dataclass(bare):
        if not isinstance(raw, dict):
            raise ctx.err(key, f"应为一个表（[{key}]），现为 {_show(raw)}。")
        return bare(**_fields(bare, raw, key + ".", ctx))
    if typing.get_origin(bare) is tuple:
        item = typing.get_args(bare)[0]
        if not isinstance(raw, (list, tuple)):
            raise ctx.err(key, f"应为{_kind(bare)}，现为 {_show(raw)}。")
        if not raw:
            raise ctx.err(key, "不能为空列表。")
        if item is Band:
            return _bands(raw, key, check.value_key, ctx)
        return tuple(_convert(item, v, key, ctx, f"第 {i} 项") for i, v in enumerate(raw, 1))
    number = isinstance(raw, (int, float)) and not isinstance(raw, bool)
    ok = {
        bool: isinstance(raw, bool),
        int: number and isinstance(raw, int),
        float: number and math.isfinite(raw),
        str: isinstance(raw, str),
        date: isinstance(raw, date) and not isinstance(raw, datetime),
    }[bare]
    if not ok:
        raise ctx.err(key, f"{pos}应为{_KINDS[bare]}，现为 {_show(raw)}。")
    lo, hi = check.lo, check.hi
    if number and ((lo is not None and raw < lo) or (hi is not None and raw > hi)):
        limit = (
            f"在 {_num(lo)} 到 {_num(hi)} 之间"
            if lo is not None and hi is not None
            else (f"不小于 {_num(lo)}" if lo is not None else f"不大于 {_num(hi)}")
        )
        raise ctx.err(key, f"{pos}应{limit}，现为 {_num(raw)}。")
    if bare is str:
        if not raw.strip():
            raise ctx.err(key, f"{pos}不能为空。")
        if check.choices and raw not in check.choices:
            allowed = "、".join(f'"{c}"' for c in check.choices)
            raise ctx.err(key, f"{pos}应为 {allowed} 之一，现为 {_show(raw)}。")
        if check.pattern and not re.fullmatch(check.pattern, raw):
            raise ctx.err(key, f"{pos}应为{check.hint}，现为 {_show(raw)}。")
        if check.regex:
            try:
                re.compile(raw)
            except re.error:
                raise ctx.err(key, f"{pos}不是有效的正则表达式：{_show(raw)}。") from None
    return raw


def _bound(text: str) -> float | None:
    if text in ("inf", "+inf", "∞", "+∞"):
        return math.inf
    for conv in (int, float):
        try:
            value = conv(text)
        except ValueError:
            continue
        return value if math.isfinite(value) else None
    return None


def _bands(raw: Sequence[Any], key: str, value_key: str, ctx: _Ctx) -> Bands:
    out: list[Band] = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict) or set(item) != {"range", value_key}:
            shape = f'{{ range = "[下限, 上限)", {value_key} = 整数 }}'
            raise ctx.err(key, f"第 {i} 档应写成 {shape}，现为 {_show(item)}。")
        m = _RANGE_RE.fullmatch(item["range"]) if isinstance(item["range"], str) else None
        lo, hi = (_bound(m.group(2)), _bound(m.group(3))) if m else (None, None)
        closed = m is not None and m.group(1) == "[" and m.group(4) == "]"
        if m is None or lo is None or hi is None or math.isinf(lo) or lo > hi or (lo == hi and not closed):
            raise ctx.err(
                key,
                f"第 {i} 档的区间 {_show(item['range'])} 写法有误（应如 "
                '"[100, 200]"、"(300, +inf)"；方括号含端点，圆括号不含）。',
            )
        value = item[value_key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ctx.err(key, f"第 {i} 档的 {value_key} 应为不小于 0 的整数，现为 {_show(value)}。")
        out.append(Band(lo, m.group(1) == "[", hi, m.group(4) == "]" and not math.isinf(hi), value))
    for i, (a, b) in enumerate(itertools.pairwise(out), 1):
        if a.upper != b.lower or a.upper_inclusive == b.lower_inclusive:
            raise ctx.err(
                key,
                f"第 {i} 档 {a} 与第 {i + 1} 档 {b} 没有首尾相接（边界值必须恰好属于其中一档，不能重叠或留空）。",
            )
    if not math.isinf(out[-1].upper):
        raise ctx.err(key, f"最后一档 {out[-1]} 应以 +inf 结尾，使任何数值都有所属分档。")
    return tuple(out)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ProfileError(path.name, "", "不是 UTF-8 编码的文本，请以 UTF-8 保存。") from None
    except OSError as exc:
        raise ProfileError(path.name, "", f"无法读取（{exc.strerror}）。") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        lines = text.splitlines()
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        line = int(m.group(1)) if m else len(lines)
        where = f"第 {line} 行第 {m.group(2)} 列附近" if m else "文件末尾"
        message = f"写法有误，不是有效的 TOML（{where}）。"
        raise ProfileError(path.name, _key_near(lines, line), message) from None


def _key_near(lines: list[str], line: int) -> str:
    """Best guess at the dotted key on a line tomllib rejected, for the error message."""
    table, key = "", ""
    here = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    if here.startswith("["):  # a broken table header names itself
        return here.strip("[] \t")
    if "=" in here:
        key = here.split("=", 1)[0].strip().strip("\"'")
    for text in reversed(lines[:line]):
        if m := re.match(r"\s*\[+\s*([^\]]+?)\s*\]+", text):
            table = m.group(1)
            break
    return ".".join(p for p in (table, key) if p)


def _mark(origin: dict[str, str], key: str, value: Any, file: str) -> None:
    origin[key] = file
    if isinstance(value, dict):
        for k, v in value.items():
            _mark(origin, f"{key}.{k}", v, file)


def _merge(into: dict[str, Any], data: Mapping[str, Any], file: str, ctx: _Ctx, pre: str) -> None:
    """Tables merge key by key; any other value (lists and band tables too) replaces."""
    for k, v in data.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v, file, ctx, f"{pre}{k}.")
        else:
            into[k] = copy.deepcopy(v)
            _mark(ctx.origin, pre + k, v, file)


def _chain(name: str, directory: Path) -> list[tuple[str, dict[str, Any]]]:
    """The files of a profile, base first, following `extends`."""
    if not _NAME_RE.fullmatch(name) or not (directory / f"{name}.toml").is_file():
        raise ProfileError(f"{name}.toml", "", f"不存在（应位于 {directory}）。")
    files: list[tuple[str, dict[str, Any]]] = []
    current: str | None = name
    while current is not None:
        file = f"{current}.toml"
        data = _read(directory / file)
        files.append((file, data))
        current = data.pop("extends", None)
        if current is None:
            break
        if not isinstance(current, str):
            example = '应为文字（另一策略文件的名称，如 "_base"）'
            raise ProfileError(file, "extends", f"{example}，现为 {_show(current)}。")
        if not _NAME_RE.fullmatch(current) or not (directory / f"{current}.toml").is_file():
            raise ProfileError(file, "extends", f"指向的策略文件 {current}.toml 不存在。")
        if any(f == f"{current}.toml" for f, _ in files):
            loop = " → ".join([f for f, _ in files] + [f"{current}.toml"])
            raise ProfileError(file, "extends", f"形成了循环引用（{loop}）。")
    return files[::-1]


def load_profile(
    name: str, overrides: Mapping[str, Any] | None = None, *, directory: Path | None = None
) -> PolicyProfile:
    """Load, merge and check profile `name`; `overrides` maps dotted keys to a centre's values."""
    directory = directory or profiles_dir()
    files = _chain(name, directory)
    ctx = _Ctx(files[-1][0], {})
    merged: dict[str, Any] = {}
    for file, data in files:
        _merge(merged, data, file, ctx, "")
    label = ctx.leaf + OVERRIDE_LABEL
    for dotted, value in (overrides or {}).items():
        parts = dotted.split(".") if isinstance(dotted, str) else [""]
        node: Any = merged
        for part in parts[:-1]:
            node = node.setdefault(part, {}) if isinstance(node, dict) else None
        if not all(parts) or not isinstance(node, dict) or parts[0] in _INTERNAL:
            raise ProfileError(label, str(dotted), "不是可识别的键。")
        node[parts[-1]] = copy.deepcopy(value)
        _mark(ctx.origin, dotted, value, label)
    values = _fields(PolicyProfile, merged, "", ctx)
    profile = PolicyProfile(
        name=name,
        source_files=tuple(f for f, _ in files),
        overrides=tuple((overrides or {}).items()),
        **values,
    )
    _check(profile, ctx)
    return profile


def available_profiles(directory: Path | None = None) -> list[tuple[str, str]]:
    """(name, display name) of every selectable profile; files starting with "_" are bases."""
    out = []
    for path in sorted((directory or profiles_dir()).glob("*.toml")):
        if path.name.startswith("_"):
            continue
        try:
            display = str(tomllib.loads(path.read_text(encoding="utf-8"))["region"]["name"])
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
            display = path.stem  # load_profile will say what is wrong with it
        out.append((path.stem, display))
    return out


def _check(p: PolicyProfile, ctx: _Ctx) -> None:
    """Rules that tie several keys together."""

    def need(ok: bool, key: str, message: str) -> None:
        if not ok:
            raise ctx.err(key, message)

    b, m, region = p.broker, p.masking, p.region
    need(
        b.age_min <= b.age_max,
        "broker.age_max",
        f"应不小于 broker.age_min（{b.age_min}），现为 {b.age_max}。",
    )
    need(
        region.division_code.startswith(region.province_code),
        "region.division_code",
        f'应以省级代码 {region.province_code} 开头，现为 "{region.division_code}"。',
    )
    for key, head, tail, length in (
        ("masking.id_tail", m.id_head, m.id_tail, 18),
        ("publicity.id_mask_tail", p.publicity.id_mask_head, p.publicity.id_mask_tail, 18),
        ("masking.phone_tail", m.phone_head, m.phone_tail, 11),
        ("masking.bank_tail", m.bank_head, m.bank_tail, p.bank.account_min_digits),
    ):
        need(
            head + tail < length,
            key,
            f"与前段位数之和为 {head + tail}，应小于 {length}，否则没有一位被遮盖。",
        )
    need(
        p.bank.account_min_digits <= p.bank.account_max_digits,
        "bank.account_max_digits",
        "应不小于 bank.account_min_digits。",
    )
    try:
        p.publicity.title_template.format(year=2024, batch=1)
    except (KeyError, IndexError, ValueError):
        need(False, "publicity.title_template", "只能使用 {year} 和 {batch} 两个占位符。")
    for module in (f.name for f in fields(Modules)):
        if getattr(p.modules, module) and (base := _REQUIRES.get(module)):
            need(getattr(p.modules, base), f"modules.{module}", f"需要同时启用 modules.{base}。")
        if getattr(p.modules, module) and module != "broker":
            need(
                getattr(p, module) is not None,
                module,
                f"已在 [modules] 中启用，但没有 [{module}] 节。",
            )
    if p.filing is not None:
        try:
            date(2001, p.filing.deadline_month, p.filing.deadline_day)
        except ValueError:
            need(False, "filing.deadline_day", f"不是 {p.filing.deadline_month} 月的有效日期。")
    if p.fund is not None:
        need(
            p.fund.required_signoffs <= len(p.fund.signoff_parties),
            "fund.required_signoffs",
            "不能多于 fund.signoff_parties 中的签批方数。",
        )
    if p.station is not None:
        s, key = p.station.score, "station.score"
        total = sum(item.points for item in s.items().values())
        need(total == s.total, f"{key}.total", f"应等于各项满分之和 {total}，现为 {s.total}。")
        need(s.pass_min <= s.total, f"{key}.pass_min", f"不能高于总分 {s.total}。")
        need(
            s.skilled_bonus_min <= s.skilled_bonus_max,
            f"{key}.skilled_bonus_max",
            "应不小于 skilled_bonus_min。",
        )
        for name, item in s.items().items():
            top = max((band.value for band in item.bands), default=0)
            top += s.skilled_bonus_max if name == "delivered" else 0
            need(
                top <= item.points,
                f"{key}.{name}.bands",
                f"最高可得 {top} 分，超过该项满分 {item.points}。",
            )
