"""Checks on a broker application (附件1) as the clerk types: errors refuse, warnings ask."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop.core import contact, regions
from desktop.core.idcard import IdNumber, IdNumberError, age_on, parse_id_number
from desktop.core.rules.profile import PolicyProfile

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    severity: str = ERROR


@dataclass(frozen=True)
class ApplicantFacts:
    """The fields of an application that the rules look at (a subset of ApplicationInput)."""

    name: str
    gender: str
    birth_month: str  # "YYYY-MM" as typed, or ""
    id_number: str
    phone: str
    bank_account: str
    application_date: date | None
    hukou_confirmed: bool = False
    required: dict[str, str] = field(default_factory=dict)  # field -> value for "must not be empty"


FIELD_LABELS = {
    "name": "姓名",
    "gender": "性别",
    "birth_month": "出生年月",
    "id_number": "身份证号码",
    "political_status": "政治面貌",
    "education": "学历",
    "phone": "联系电话",
    "employer": "工作单位",
    "bank_account": "个人银行账号",
    "bank_name": "开户银行",
    "home_address": "家庭住址",
    "profile_text": "个人简介",
    "village": "常住村（社区）",
    "category": "申请人类别",
    "application_date": "申请日期",
    "declarations": "承诺事项",
    "hukou_confirmed": "户籍核实",
}


def check_id_number(raw: str, today: date) -> tuple[IdNumber | None, list[Problem]]:
    try:
        return parse_id_number(raw, today), []
    except IdNumberError as exc:
        return None, [Problem("id_number", f"身份证号码：{exc}")]


def check_applicant(facts: ApplicantFacts, profile: PolicyProfile, today: date) -> list[Problem]:
    """All problems with ``facts``; an empty list means it may be saved."""
    problems: list[Problem] = []
    for key, value in facts.required.items():
        if not str(value).strip():
            problems.append(Problem(key, f"{FIELD_LABELS.get(key, key)}：必填，请填写。"))
    if not facts.name.strip():
        problems.append(Problem("name", "姓名：必填，请按身份证填写。"))
    elif len(facts.name.strip()) > 50:
        problems.append(Problem("name", "姓名：太长了，请按身份证填写。"))

    if facts.application_date is None:
        problems.append(Problem("application_date", "申请日期：必填。"))
    elif facts.application_date > today:
        problems.append(Problem("application_date", "申请日期：不能晚于今天。"))

    parsed, id_problems = check_id_number(facts.id_number, today)
    problems.extend(id_problems)
    if parsed is not None:
        problems.extend(_check_against_id(parsed, facts, profile))

    phone_issue = contact.phone_problem(facts.phone)
    if phone_issue:
        problems.append(Problem("phone", f"联系电话：{phone_issue}"))
    if facts.bank_account.strip():
        bank_issue = contact.bank_account_problem(facts.bank_account)
        if bank_issue:
            problems.append(Problem("bank_account", f"个人银行账号：{bank_issue}"))
        else:
            warn = contact.bank_account_warning(facts.bank_account)
            if warn:
                problems.append(Problem("bank_account", f"个人银行账号：{warn}", WARNING))
    return problems


def _check_against_id(parsed: IdNumber, facts: ApplicantFacts, profile: PolicyProfile) -> list[Problem]:
    problems: list[Problem] = []
    if facts.gender and facts.gender != parsed.gender:
        problems.append(
            Problem("gender", f"性别：身份证号码第17位表示“{parsed.gender}”，与填写的“{facts.gender}”不一致，请核对。")
        )
    id_month = f"{parsed.birth_date:%Y-%m}"
    if facts.birth_month and facts.birth_month != id_month:
        problems.append(
            Problem(
                "birth_month",
                f"出生年月：身份证号码显示 {parsed.birth_date:%Y年%m月}，与填写的不一致，请核对。",
            )
        )
    if facts.application_date is not None:
        age = age_on(parsed.birth_date, facts.application_date)
        lo, hi = profile.broker.age_min, profile.broker.age_max
        if not lo <= age <= hi:
            problems.append(
                Problem(
                    "id_number",
                    f"年龄：申请日当天申请人 {age} 周岁，劳务经纪人须在 {lo}—{hi} 周岁之间（含），不符合申请条件。",
                )
            )
    origin = regions.lookup_division(parsed.region_code)
    if origin is None:
        problems.append(
            Problem(
                "id_number",
                f"身份证号码前6位 {parsed.region_code} 在行政区划表中查不到（可能是很老的代码），请核对证件。",
                WARNING,
            )
        )
    allowed = profile.broker.home_province_codes
    if allowed and parsed.province_code not in allowed:
        where = regions.describe_id_origin(parsed.province_code + "0000") or parsed.province_code
        home = profile.region.name
        if facts.hukou_confirmed:
            problems.append(
                Problem(
                    "hukou_confirmed",
                    f"户籍：身份证首次登记地为{where}，已由经办人核实户籍现在{home}。",
                    WARNING,
                )
            )
        else:
            problems.append(
                Problem(
                    "hukou_confirmed",
                    f"户籍：身份证首次登记地为{where}，申请人须为{home}户籍。"
                    f"如已核对户口簿、户籍已迁入{home}，请勾选“已核实户籍”；否则不符合申请条件。",
                )
            )
    return problems
