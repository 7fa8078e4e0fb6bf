"""Pure rules for transfer records (附件2): 民族, 文化程度, contract terms, employer type, the
service-subsidy conditions and the biennial-review flag. No database here.

Decisions (also in docs/ARCHITECTURE.md, section 转移就业):
- 民族 is one of the 56 official names (GB 3304); "汉" is read as 汉族, and so on.
- 文化程度 is the profile's education list (broker.education_levels); common variants
  (中专、技校、大学本科、硕士…) are mapped onto it.
- 劳动合同期限 is kept as written and read as a length: "1年", "一年", "12个月", "1年以上",
  "半年", "2025.3.1-2026.2.28" (a range: whole months from the start to the day after the end),
  "无固定期限" (open-ended: counts as long enough), "以完成一定工作任务为期限" (length unknown).
- 单位类型 (needed for "到企业就业") is chosen on the form; an import infers 企业 from names with
  公司/厂/集团/企业… and leaves it unknown otherwise, which the subsidy check then names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from desktop.core.rules.profile_sections import ReviewRules, SubsidyRules

ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
_ETHNICITY_KEYS = {name: name for name in ETHNICITIES} | {name[:-1]: name for name in ETHNICITIES}
_ETHNICITY_KEYS |= {"维族": "维吾尔族", "蒙族": "蒙古族", "汉": "汉族"}

#: 单位类型 choices on the form; the subsidy's employer condition compares with these names.
EMPLOYER_TYPES = ("企业", "个体工商户", "机关事业单位", "社会组织", "其他")
_ENTERPRISE = re.compile(r"公司|厂|集团|企业|有限|股份|商行|工作室|农场|酒店|宾馆|超市")
_INSTITUTION = re.compile(r"政府|局$|委员会|学校|小学|中学|大学|医院|卫生院|派出所|法院|检察院|街道办")

# Variants people write → the usual education levels of the profile list.
_EDUCATION_ALIASES = {
    "文盲": "未上学", "半文盲": "未上学", "无": "未上学", "未受教育": "未上学", "学前": "未上学",
    "小学及以下": "小学", "初小": "小学", "高小": "小学",
    "初中及以下": "初中", "初级中学": "初中",
    "高中及以上": "高中", "普高": "高中", "职高": "中专/中技", "中职": "中专/中技", "中专": "中专/中技",
    "中技": "中专/中技", "技校": "中专/中技", "中等专科": "中专/中技", "职业高中": "中专/中技",
    "专科": "大专", "大学专科": "大专", "高职": "大专", "大专及以上": "大专",
    "大学": "本科", "大学本科": "本科", "学士": "本科", "本科及以上": "本科",
    "硕士": "研究生", "博士": "研究生", "硕士研究生": "研究生", "博士研究生": "研究生",
}


def normalise_ethnicity(raw: str) -> str | None:
    """The official name for ``raw`` ("" stays ""), or None when it is not one of the 56."""
    text = _fold(raw)
    if not text:
        return ""
    return _ETHNICITY_KEYS.get(text)


def normalise_education(raw: str, levels: Sequence[str]) -> str | None:
    """The profile's level for ``raw`` ("" stays ""), or None when it cannot be mapped."""
    text = _fold(raw)
    if not text:
        return ""
    bare = text.removesuffix("毕业").removesuffix("文化").removesuffix("学历")
    for level in levels:
        if _fold(level) in (text, bare):
            return level
    mapped = _EDUCATION_ALIASES.get(text) or _EDUCATION_ALIASES.get(bare)
    if mapped in levels:
        return mapped
    for level in levels:  # "中专" on a list that says "中专/中技", etc.
        if "/" in level and text in level.split("/"):
            return level
    return None


def guess_employer_type(name: str) -> str:
    """企业 or 机关事业单位 when the name says so, else "" (unknown — never a guess beyond the name)."""
    if _INSTITUTION.search(name):
        return "机关事业单位"
    if _ENTERPRISE.search(name):
        return "企业"
    return ""


def _fold(raw: str) -> str:
    return "".join(unicodedata.normalize("NFKC", raw or "").split())


# --- 劳动合同期限 -----------------------------------------------------------------------------------

OPEN, TASK, FIXED, UNKNOWN = "open", "task", "fixed", ""


@dataclass(frozen=True)
class ContractTerm:
    kind: str  # fixed / open / task / "" (see models.transfer.ContractKind)
    months: int | None = None
    start: date | None = None
    end: date | None = None

    def describe(self) -> str:
        if self.kind == OPEN:
            return "无固定期限"
        if self.kind == TASK:
            return "以完成一定工作任务为期限"
        if self.months is None:
            return "未能识别"
        return months_text(self.months)


def months_text(months: int) -> str:
    years, rest = divmod(months, 12)
    if not rest:
        return f"{years}年"
    return f"{years}年{rest}个月" if years else f"{rest}个月"


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十]+)"
_LENGTH = re.compile(rf"^{_NUM}年(?:{_NUM}个?月)?(?:以上|及以上|期|整)?$|^{_NUM}个?月(?:以上|及以上)?$|^半年$")
_DAY = r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?"
_RANGE = re.compile(rf"^{_DAY}(?:起)?(?:-|—|–|~|～|至|到)+{_DAY}(?:止)?$")
_COMPACT_RANGE = re.compile(r"^(\d{8})(?:-|—|–|~|～|至|到)+(\d{8})$")


def _number(text: str) -> float:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text.startswith("十"):
        text = "一" + text
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + _CN_DIGITS[ch]
    return value


def parse_contract_term(raw: str) -> ContractTerm:
    """Read a 劳动合同期限 as written on the sheet or typed on the form (see the module doc)."""
    text = _fold(raw).replace("（", "(").replace("）", ")")
    text = re.sub(r"^(?:劳动合同|合同期限|合同)[:：]?", "", text).removesuffix("合同")
    if not text:
        return ContractTerm(UNKNOWN)
    if "无固定" in text or text in ("长期", "长期合同"):
        return ContractTerm(OPEN)
    if "工作任务" in text:
        return ContractTerm(TASK)
    if text == "半年":
        return ContractTerm(FIXED, 6)
    m = _LENGTH.match(text)
    if m:
        try:
            if m.group(3) is not None:
                months = _number(m.group(3))
            else:
                months = _number(m.group(1)) * 12 + (_number(m.group(2)) if m.group(2) else 0)
        except KeyError:
            return ContractTerm(UNKNOWN)
        if months != int(months) or months <= 0:
            return ContractTerm(UNKNOWN)
        return ContractTerm(FIXED, int(months))
    return _range(text)


def _range(text: str) -> ContractTerm:
    compact = _COMPACT_RANGE.match(text)
    try:
        if compact:
            a, b = compact.group(1), compact.group(2)
            start = date(int(a[:4]), int(a[4:6]), int(a[6:]))
            end = date(int(b[:4]), int(b[4:6]), int(b[6:]))
        else:
            m = _RANGE.match(text)
            if not m:
                return ContractTerm(UNKNOWN)
            y1, m1, d1, y2, m2, d2 = m.groups()
            start = date(int(y1), int(m1), int(d1) if d1 else 1)
            end = date(int(y2), int(m2), int(d2)) if d2 else _last_day(int(y2), int(m2))
    except ValueError:
        return ContractTerm(UNKNOWN)
    if end < start:
        return ContractTerm(UNKNOWN, None, start, end)
    return ContractTerm(FIXED, whole_months(start, end), start, end)


def _last_day(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def whole_months(start: date, end: date) -> int:
    """Whole months a contract from ``start`` to ``end`` (both inclusive) runs: the largest m with
    start + m months − 1 day ≤ end. 2025-03-01…2026-02-28 is 12, 2025-03-15…2026-03-13 is 11."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    while months > 0 and add_months(start, months) - timedelta(days=1) > end:
        months -= 1
    return max(0, months)


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months, the day clamped to the month's end (Jan 31 + 1 → Feb 28)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, _last_day(year, month + 1).day))


# --- service subsidy (就业创业服务补助) ---------------------------------------------------------------


@dataclass(frozen=True)
class SubsidyFacts:
    poverty_alleviated: bool
    employer_type: str
    contract_kind: str
    contract_months: int | None
    social_insurance: bool


@dataclass(frozen=True)
class SubsidyCheck:
    qualifies: bool
    failures: tuple[str, ...]  # every condition that fails, in plain Chinese

    @property
    def text(self) -> str:
        return "符合" if self.qualifies else "；".join(self.failures)


def subsidy_check(facts: SubsidyFacts, rules: SubsidyRules) -> SubsidyCheck:
    """Whether a placement earns the service subsidy, and if not, every condition that fails."""
    failures: list[str] = []
    if rules.requires_poverty_alleviated and not facts.poverty_alleviated:
        failures.append("不是脱贫人口")
    if rules.employer_types and facts.employer_type not in rules.employer_types:
        wanted = "或".join(rules.employer_types)
        if facts.employer_type:
            failures.append(f"就业单位不是{wanted}（{facts.employer_type}）")
        else:
            failures.append(f"就业单位类型未确认（须为{wanted}）")
    need = rules.min_contract_months
    if need:
        if facts.contract_kind == OPEN:
            pass
        elif facts.contract_kind == TASK:
            failures.append(f"以完成一定工作任务为期限的合同，无法确认满{months_text(need)}")
        elif facts.contract_months is None:
            failures.append(f"劳动合同期限未填写或无法识别（须{months_text(need)}以上）")
        elif facts.contract_months < need:
            failures.append(f"劳动合同期限{months_text(facts.contract_months)}，不满{months_text(need)}")
    if rules.requires_social_insurance and not facts.social_insurance:
        failures.append("未参加社会保险")
    return SubsidyCheck(not failures, tuple(failures))


def covered_months(hire_date: date, months: int) -> list[int]:
    """The YYYYMM months a claim for a placement hired on ``hire_date`` covers (from its month)."""
    out = []
    year, month = hire_date.year, hire_date.month
    for _ in range(max(1, months)):
        out.append(year * 100 + month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# --- biennial review (每两年复核) -------------------------------------------------------------------


def review_years(year: int, rules: ReviewRules) -> tuple[int, ...]:
    """The years whose counts the review of ``year`` looks at, oldest first (Y-1, Y)."""
    return tuple(range(year - rules.consecutive_years + 1, year + 1))


def review_flag(counts: Sequence[int], rules: ReviewRules) -> bool:
    """True when the count is below the minimum ("低于") in every reviewed year."""
    return len(counts) == rules.consecutive_years and all(c < rules.min_transfers_per_year for c in counts)


def reviewable(certified_on: date, year: int, rules: ReviewRules) -> bool:
    """A broker is reviewed only for whole years in the registry: certified on or before 1 January
    of the first reviewed year."""
    return certified_on <= date(review_years(year, rules)[0], 1, 1)
