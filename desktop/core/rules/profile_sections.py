"""Policy profile sections: the frozen dataclasses a checked profile is made of (see profile.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from numbers import Real
from typing import Annotated, Any

__all__ = [
    "Age",
    "BackupRules",
    "Band",
    "Bands",
    "BankRules",
    "BrokerRules",
    "CalendarRules",
    "Check",
    "Count",
    "CoverageRules",
    "Digits",
    "FilingRules",
    "FundRules",
    "GoldMedalRules",
    "MaskingRules",
    "Modules",
    "Months",
    "Pct",
    "PhoneRules",
    "PointsRules",
    "PolicyProfile",
    "Province",
    "Pts",
    "PublicityRules",
    "Regex",
    "Region",
    "RetirementGroup",
    "ReviewRules",
    "ScoreItem",
    "SecurityRules",
    "StationExcellent",
    "StationRules",
    "StationScore",
    "SubsidyRules",
    "Texts",
    "TrainingRules",
    "TransferRules",
    "WorkflowRules",
    "WorkingAgeRules",
    "Years",
    "Yuan",
    "band_points",
]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


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
class BackupRules:
    """自动备份: at most one per interval (and one at exit) when the data changed, thinned to the
    newest copy of each of the last N days, weeks and months (Anki's scheme)."""

    min_interval_minutes: Annotated[int, _r(1, 1440)]
    keep_daily: Annotated[int, _r(0, 366)]
    keep_weekly: Annotated[int, _r(0, 520)]
    keep_monthly: Annotated[int, _r(0, 1200)]


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
    roster_title: str = "劳务经纪人就业创业服务补助申领名册"


@dataclass(frozen=True)
class GoldMedalRules:
    quota_per_year: Count
    award_yuan: Yuan


@dataclass(frozen=True)
class FilingRules:
    """备案信息表: the yearly deadline, when the reminder starts, and the form's fixed texts."""

    deadline_month: Annotated[int, _r(1, 12)]
    deadline_day: Annotated[int, _r(1, 31)]
    remind_from_month: Annotated[int, _r(1, 12)]  # the reminder shows from this day to the deadline, both included
    remind_from_day: Annotated[int, _r(1, 31)]
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
    day_step: Annotated[float, _r(0.1, 1)]  # the smallest part of a day recorded (0.5 = half days)


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
    application_commitment: str  # 申请机构承诺 on the application form (附件1), verbatim
    application_opinions: Texts  # the two opinion boxes at the foot of 附件1 (centre, bureau)
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
    """劳务合作社 and 劳务合作金: levels, what may be advanced, the joint sign-off (双签批),
    how the 劳务经济收益金 is shared (see rules/fund_sharing.py) and the 四清 registry."""

    cooperative_levels: Texts  # exactly three: county, township, village
    advance_items: Texts
    signoff_parties: Texts
    required_signoffs: Annotated[int, _r(2, 10)]
    income_uses: Texts  # exactly three: broker rewards, village public works, work funds (the rest)
    four_clear_items: Texts  # exactly four: employment, skills, employment intention, training intention
    return_at_term_end: bool
    income_kinds: Texts
    revenue_income_kind: str  # the income kind that is shared between villages (one of income_kinds)
    repayment_sources: Texts
    payout_purposes: Texts
    broker_reward_percent: Pct  # default for a new agreement; at most two decimals
    public_works_percent: Pct
    remainder_rule: Annotated[str, Check(choices=("largest_remainder", "county_keeps"))]
    poverty_statuses: Texts
    four_clear_recheck_months: Annotated[int, _r(1, 60)]  # checked on or after today − this → current
    advance_overdue_days: Annotated[int, _r(1, 3650)]  # an advance owed longer than this is overdue
    employment_situations: Texts
    employment_intentions: Texts
    training_intentions: Texts


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
    backup: BackupRules
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
