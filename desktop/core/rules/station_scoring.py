"""The workstation scorecard (劳务协作工作站评估表, 附件3): pure scoring with every line explained.

``score_card`` takes the year's recorded facts, the figures counted from the delivered-worker
roster and the evaluator's own points, and returns one ``ScoreLine`` per row of the seed's table —
its points and, in plain Chinese, how they were reached — plus the total, the veto, the verdict
and the annual subsidy tier. Every number comes from the profile's ``station`` section.

Points are ``Decimal``: the table's own items are whole points, but the evaluator may give half
points (e.g. 7.5 for innovation), so a total such as 69.5 exists and sits in the 60–70 tier.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from desktop.core.rules.profile_sections import Band, ScoreItem, StationRules, StationScore, band_points

ZERO = Decimal(0)
HALF = Decimal("0.5")

#: (category, item key) in the order of the seed's table; the category's points are summed.
LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("站点管理", ("management_system", "onsite_office", "responsible_person", "incidents")),
    ("工作管理", ("work_plan", "contracts", "ledger")),
    ("协作效果", ("worker_satisfaction", "employer_satisfaction", "matchmaking", "delivered", "retention")),
    ("创新与发展", ("innovation",)),
)
ITEM_NAMES = {
    "management_system": "建立管理制度",
    "onsite_office": "实地办公",
    "responsible_person": "专人负责制",
    "incidents": "处理意外责任事故及投诉情况",
    "work_plan": "工作计划",
    "contracts": "签订合同",
    "ledger": "建立台账",
    "worker_satisfaction": "输送人员意见",
    "employer_satisfaction": "企业意见",
    "matchmaking": "劳务对接活动",
    "delivered": "输送人数",
    "retention": "留用率",
    "innovation": "工作创新",
}


@dataclass(frozen=True)
class YearFacts:
    """What the centre recorded about a station's year (the evaluator's findings)."""

    management_system: bool = False  # 管理制度 and a 劳务协作协议
    onsite_office: bool = False  # offices both here and in the partner region
    responsible_person: bool = False
    unreported_changes: int = 0  # responsible-person changes not reported beforehand
    verified_complaints: int = 0
    accidents: int = 0  # 安全责任事故
    work_plan: bool = False
    contracts_missing: int = 0  # delivered workers found without a labour contract
    ledger_present: tuple[str, ...] = ()  # which of the profile's ledger items are kept
    worker_surveyed: int = 0
    worker_satisfied: int = 0
    employer_surveyed: int = 0
    employer_satisfied: int = 0
    events_held: int = 0  # 劳务对接活动 (job fairs, school–enterprise events…)


@dataclass(frozen=True)
class RosterFigures:
    """Counted from the roster for the year (see services.station_roster.year_figures)."""

    delivered: int = 0  # distinct workers hired in the year who count as delivered
    skilled: int = 0  # of them, 技术技能人才
    retention_base: int = 0  # of them, whose 6-month date has passed by the evaluation date
    retained: int = 0  # of the base, still employed after 6 months
    not_yet_due: int = 0  # delivered, 6 months not yet passed: left out of the retention rate
    retention_unknown: int = 0  # of the base, 6-month status not recorded: counted as not retained
    duplicates: int = 0  # delivered workers another station also counts in the same year


@dataclass(frozen=True)
class EvaluatorPoints:
    """The points the table leaves to the evaluator's judgement."""

    skilled_bonus: Decimal | None = None  # 2–5, only with 10 or more skilled workers
    innovation: Decimal = ZERO  # 0–10 with a written reason
    innovation_reason: str = ""


@dataclass(frozen=True)
class ScoreLine:
    key: str
    category: str
    name: str
    full: int  # 参考权重
    points: Decimal
    how: str  # how the points were reached, in plain Chinese
    by_evaluator: bool = False  # some or all of the points are the evaluator's


@dataclass(frozen=True)
class Scorecard:
    lines: tuple[ScoreLine, ...]
    total: Decimal
    incidents: int  # accidents + verified complaints
    vetoed: bool
    passed: bool
    verdict: str  # 合格 / 不合格 with the reason
    subsidy_yuan: int
    problems: tuple[str, ...]  # what must be fixed before sign-off (evaluator points)

    def line(self, key: str) -> ScoreLine:
        return next(line for line in self.lines if line.key == key)


def points_text(value: Decimal | int) -> str:
    """69.5 → "69.5", 70.0 → "70"."""
    d = Decimal(value)
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d.normalize())


def percent_text(part: int, whole: int) -> str:
    """``part/whole`` as a percentage: exact when two decimals hold it, else "≈" truncated."""
    exact = Fraction(part * 100, whole)
    shown = Decimal(exact.numerator * 100 // exact.denominator) / 100
    sign = "" if Fraction(shown) == exact else "≈"
    return f"{sign}{points_text(shown)}%"


def band_text(band: Band, unit: str) -> str:
    """[50, 75) → "50% 以上至不足 75%" (wording of the how-column)."""
    if band.lower_inclusive and not band.upper_inclusive and band.upper == band.lower + 1 and unit == "场":
        return f"{band.lower:g}{unit}"
    lo = f"{band.lower:g}{unit}{'（含）以上' if band.lower_inclusive else '以上'}"
    if band.upper == float("inf"):
        return lo
    hi = f"{band.upper:g}{unit}（含）" if band.upper_inclusive else f"不足 {band.upper:g}{unit}"
    if band.lower == 0 and band.lower_inclusive:
        return f"{band.upper:g}{unit}（含）以下" if band.upper_inclusive else f"低于 {band.upper:g}{unit}"
    return f"{lo}至{hi}"


def _band_of(bands: tuple[Band, ...], value: Fraction | int) -> Band:
    return next(b for b in bands if b.contains(value))


def _yes_no(item: ScoreItem, present: bool, yes: str, no: str) -> tuple[Decimal, str]:
    return (Decimal(item.points), f"{yes}，得 {item.points} 分。") if present else (ZERO, f"{no}，不得分。")


def _deducted(item: ScoreItem, cases: int, what: str, unit: str = "例") -> tuple[Decimal, str]:
    if cases <= 0:
        return Decimal(item.points), f"未发现{what}，得满分 {item.points} 分。"
    points = max(0, item.points - item.deduction * cases)
    floor = "（最低为 0）" if item.points - item.deduction * cases < 0 else ""
    return Decimal(points), f"{what} {cases} {unit}，{item.points} - {item.deduction}×{cases} = {points} 分{floor}。"


def _survey(item: ScoreItem, surveyed: int, satisfied: int, who: str) -> tuple[Decimal, str]:
    if surveyed <= 0:
        return ZERO, f"未开展{who}满意度调查，没有满意度结果，不得分。"
    rate = Fraction(satisfied * 100, surveyed)
    band = _band_of(item.bands, rate)
    return Decimal(band.value), (f"满意 {satisfied} / 受访 {surveyed} = {percent_text(satisfied, surveyed)}，"
                                 f"属“{band_text(band, '%')}”档，得 {band.value} 分。")


def score_card(rules: StationRules, facts: YearFacts, roster: RosterFigures, evaluator: EvaluatorPoints) -> Scorecard:
    """Score one station-year; see the module doc."""
    score = rules.score
    lines: dict[str, tuple[Decimal, str, bool]] = {}
    items = score.items()
    lines["management_system"] = (*_yes_no(items["management_system"], facts.management_system,
                                           "有健全的管理制度和劳务协作协议", "没有健全的管理制度或劳务协作协议"), False)
    lines["onsite_office"] = (*_yes_no(items["onsite_office"], facts.onsite_office,
                                       "区内和省外输出地均设有实际工作地点", "未在两地均设实际工作地点"), False)
    rp = items["responsible_person"]
    if not facts.responsible_person:
        lines["responsible_person"] = (ZERO, "未设专人负责两地劳务对接，不得分。", False)
    else:
        lines["responsible_person"] = (*_deducted(rp, facts.unreported_changes, "负责人员变动未及时上报"), False)
    incidents = facts.accidents + facts.verified_complaints
    vetoed = incidents >= score.incident_veto_count
    pts, how = _deducted(items["incidents"], facts.verified_complaints, "经核实的投诉")
    how += f"安全责任事故 {facts.accidents} 次、经核实的投诉 {facts.verified_complaints} 次，合计 {incidents} 次"
    how += (f"，达到 {score.incident_veto_count} 次，一票否决，年度评估不合格。" if vetoed
            else f"（达到 {score.incident_veto_count} 次即一票否决）。")
    lines["incidents"] = (pts, how, False)
    lines["work_plan"] = (*_yes_no(items["work_plan"], facts.work_plan, "有切实可行的年度输送计划", "没有年度输送计划"), False)
    lines["contracts"] = (*_deducted(items["contracts"], facts.contracts_missing, "未签订劳动合同的输送人员"), False)
    lines["ledger"] = (*_ledger(score, facts.ledger_present), False)
    lines["worker_satisfaction"] = (*_survey(items["worker_satisfaction"], facts.worker_surveyed,
                                             facts.worker_satisfied, "输送人员"), False)
    lines["employer_satisfaction"] = (*_survey(items["employer_satisfaction"], facts.employer_surveyed,
                                               facts.employer_satisfied, "企业"), False)
    band = _band_of(items["matchmaking"].bands, max(0, facts.events_held))
    lines["matchmaking"] = (Decimal(band.value), f"全年组织劳务对接活动 {facts.events_held} 场，得 {band.value} 分。", False)
    problems: list[str] = []
    lines["delivered"] = _delivered(score, roster, evaluator, problems)
    lines["retention"] = (*_retention(items["retention"], roster, rules.retention_check_months), False)
    lines["innovation"] = _innovation(items["innovation"], evaluator, problems)

    out = tuple(
        ScoreLine(key, category, ITEM_NAMES[key], items[key].points, lines[key][0], lines[key][1], lines[key][2])
        for category, keys in LAYOUT
        for key in keys
    )
    total = sum((line.points for line in out), ZERO)
    passed = not vetoed and total >= score.pass_min
    if vetoed:
        verdict = f"不合格（事故及投诉 {incidents} 次，一票否决）"
    elif passed:
        verdict = f"合格（{points_text(total)} 分，{score.pass_min} 分及以上为合格）"
    else:
        verdict = f"不合格（{points_text(total)} 分，低于 {score.pass_min} 分）"
    subsidy = annual_subsidy(rules, total, passed)
    return Scorecard(out, total, incidents, vetoed, passed, verdict, subsidy, tuple(problems))


def _ledger(score: StationScore, present: tuple[str, ...]) -> tuple[Decimal, str]:
    item = score.ledger
    missing = [name for name in score.ledger_items if name not in present]
    if not missing:
        return Decimal(item.points), f"台账 {len(score.ledger_items)} 项齐全，得满分 {item.points} 分。"
    points, how = _deducted(item, len(missing), "缺少台账", "项")
    return points, how.rstrip("。") + f"（缺：{'、'.join(missing)}）。"


def _delivered(score: StationScore, roster: RosterFigures, evaluator: EvaluatorPoints,
               problems: list[str]) -> tuple[Decimal, str, bool]:
    item = score.delivered
    band = _band_of(item.bands, roster.delivered)
    how = f"全年输送（计入）{roster.delivered} 人，属“{band_text(band, '人')}”档，得 {band.value} 分"
    if roster.duplicates:
        how += f"（其中 {roster.duplicates} 人同年也被其他工作站计入，请核实）"
    bonus = evaluator.skilled_bonus
    lo, hi = score.skilled_bonus_min, score.skilled_bonus_max
    if roster.skilled >= score.skilled_bonus_min_count:
        if bonus is None:
            problems.append(f"技术技能人才 {roster.skilled} 人（{score.skilled_bonus_min_count} 人及以上），"
                            f"请评估人在“输送人数”一项录入 {lo}–{hi} 分的加分。")
            return Decimal(band.value), how + f"；技术技能人才 {roster.skilled} 人，加分待评估人录入。", True
        if not (lo <= bonus <= hi) or bonus % HALF:
            problems.append(f"技术技能人才加分应在 {lo}–{hi} 分之间（可到 0.5 分），现在是 {points_text(bonus)}。")
            return Decimal(band.value), how + "；技术技能人才加分超出范围，未计入。", True
        return (Decimal(band.value) + bonus,
                how + f"；技术技能人才 {roster.skilled} 人，评估人加 {points_text(bonus)} 分，"
                      f"共 {points_text(band.value + bonus)} 分。", True)
    if bonus:
        problems.append(f"技术技能人才只有 {roster.skilled} 人，不足 {score.skilled_bonus_min_count} 人，不能加分；"
                        "请把加分清空。")
    return Decimal(band.value), how + (f"；技术技能人才 {roster.skilled} 人，不足 {score.skilled_bonus_min_count} 人，"
                                       "无加分。"), False


def _retention(item: ScoreItem, roster: RosterFigures, months: int) -> tuple[Decimal, str]:
    later = (f"（另有 {roster.not_yet_due} 人入职未满 {months} 个月，不计入）" if roster.not_yet_due else "")
    if roster.retention_base <= 0:
        return ZERO, f"没有入职满 {months} 个月的输送人员，无法计算留用率，不得分{later}。"
    rate = Fraction(roster.retained * 100, roster.retention_base)
    band = _band_of(item.bands, rate)
    unknown = f"（{roster.retention_unknown} 人未登记是否在职，按未留用计）" if roster.retention_unknown else ""
    return Decimal(band.value), (
        f"入职满 {months} 个月 {roster.retention_base} 人中仍在职 {roster.retained} 人{unknown}，留用率 "
        f"{percent_text(roster.retained, roster.retention_base)}{later}，属“{band_text(band, '%')}”档，"
        f"得 {band.value} 分。"
    )


def _innovation(item: ScoreItem, evaluator: EvaluatorPoints, problems: list[str]) -> tuple[Decimal, str, bool]:
    pts = evaluator.innovation
    if not (0 <= pts <= item.points) or pts % HALF:
        problems.append(f"工作创新应在 0–{item.points} 分之间（可到 0.5 分），现在是 {points_text(pts)}。")
        return ZERO, "评估人录入的分数超出范围，未计入。", True
    reason = evaluator.innovation_reason.strip()
    if pts > 0 and not reason:
        problems.append("工作创新给分时，请写明理由（创新了哪些制度或做法、取得什么成效）。")
    if pts == 0:
        return ZERO, "评估人评定：" + (reason or "无明显的工作创新") + "，不得分。", True
    return pts, f"评估人评定 {points_text(pts)} 分，理由：{reason or '（未填写）'}", True


def annual_subsidy(rules: StationRules, total: Decimal, passed: bool) -> int:
    """年度绩效奖励 (元) for a year's total; nothing when the year failed."""
    return band_points(rules.annual_subsidy_bands, Fraction(total)) if passed else 0


def criteria_text(score: StationScore, key: str) -> str:
    """The 评分标准 column of the printed scorecard, worded as the seed with the profile's numbers."""
    it = score.items()[key]

    def bands(unit: str) -> str:
        return "，".join(f"{band_text(b, unit)}得 {b.value} 分" for b in it.bands)

    texts = {
        "management_system": "制定健全的劳务协作工作管理制度，与劳务输出地区达成具体有效的劳务协作协议。否则不得分。",
        "onsite_office": "在区内和外省劳务输出地区均设有实际工作地点，配备必要办公设施。否则不得分。",
        "responsible_person": f"设有专人负责两地劳务对接工作，否则不得分。负责人员变动应及时上报，发现未落实一例扣{it.deduction}分。",
        "incidents": (f"输送劳动力过程中没有发生安全责任事故或投诉。投诉经核实一例扣{it.deduction}分。发生安全责任事故或投诉"
                      f"{score.incident_veto_count}次（含）以上，一票否决，年度评估为不合格。"),
        "work_plan": f"有详细的、切实可行的年度省外输送劳动力安排计划。否则扣{it.points}分。",
        "contracts": f"输送劳动力与用人单位签订劳动合同。发现未落实一例扣{it.deduction}分。",
        "ledger": f"建立完备的劳务协作工作纸质台账（包括{'、'.join(score.ledger_items)}等）。缺少一项扣{it.deduction}分。",
        "worker_satisfaction": f"输送外省务工人员对劳务协作工作满意度：{bands('%')}。",
        "employer_satisfaction": f"企业对劳务协作工作满意度：{bands('%')}。",
        "matchmaking": f"每年组织区内企业与外省劳务输出地区之间的招聘会、校企合作等劳务对接活动：{bands('场')}。",
        "delivered": (f"年度输送劳动力{bands('人')}。输送技术技能人才{score.skilled_bonus_min_count}人（含）以上得"
                      f"{score.skilled_bonus_min}-{score.skilled_bonus_max}分。"),
        "retention": f"年度输送劳动力留用率{bands('%')}。",
        "innovation": "创新劳务协作工作制度或做法，并取得明显成效。",
    }
    return texts[key]
