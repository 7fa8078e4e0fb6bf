"""Transfer records (组织转移就业, 附件2): entry with live checks, correction as a new dated
version, withdrawal (作废), detail and history. Lists and search are in transfer_search.py.

Duplicates (DOMAIN.md §3): the same worker twice on the same day is refused, whoever logs it;
the same worker on other days (another 人次) is accepted with a reminder of the earlier ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.contact import normalise_phone, phone_problem
from desktop.core.errors import UserError
from desktop.core.idcard import IdNumber, mask, normalise
from desktop.core.models.account import Role
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.models.transfer import NOT_CURRENT, ClaimStatus, SubsidyClaimRow, TransferRecord, TransferStatus
from desktop.core.rules.eligibility import ERROR, WARNING, Problem, check_id_number
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.transfers import (
    EMPLOYER_TYPES,
    SubsidyCheck,
    SubsidyFacts,
    normalise_education,
    normalise_ethnicity,
    parse_contract_term,
    subsidy_check,
)
from desktop.core.services.accounts import SignedInUser, require

ENTRY_ROLES = (Role.CLERK, Role.REVIEWER, Role.ADMIN)
LIMITS = {"worker_name": 50, "employer_name": 100, "work_address": 200, "contract_term": 100, "job": 100,
          "phone": 30, "remarks": 1000, "village_name": 100}
LABELS = {"broker": "劳务经纪人", "worker_name": "组织劳动力姓名", "id_number": "身份证号码", "hire_date": "转移就业日期",
          "education": "文化程度", "ethnicity": "民族", "employer_name": "就业单位名称", "employer_type": "单位类型",
          "work_address": "就业地详细地址", "contract_term": "劳动合同期限", "job": "从事岗位", "phone": "联系电话",
          "remarks": "备注", "village_name": "劳动力所在村（社区）", "reason": "原因"}


@dataclass(frozen=True)
class TransferInput:
    """The 附件2 fields plus broker, hire date, 是否脱贫人口, 单位类型 and village, as typed.
    性别 and 年龄 are not typed: they come from the ID number (age at the hire date)."""

    broker_id: int | None
    worker_name: str
    id_number: str
    hire_date: date | None
    education: str
    ethnicity: str
    employer_name: str
    employer_type: str
    work_address: str
    contract_term: str
    job: str
    social_insurance: bool
    phone: str
    remarks: str = ""
    poverty_alleviated: bool = False
    village_code: str = ""
    village_name: str = ""


@dataclass(frozen=True)
class TransferSaved:
    id: int
    placement_id: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class TransferDetail:
    id: int
    placement_id: int
    status: str
    status_label: str
    broker_name: str
    data: TransferInput
    gender: str
    age: int
    subsidy: SubsidyCheck | None
    claim_text: str  # "" or where the placement was claimed
    created_at: datetime
    created_by: str
    change_reason: str
    source: str


@dataclass(frozen=True)
class TransferVersion:
    """One version of a placement, oldest first, for the history view."""

    id: int
    status_label: str
    kind: str  # 新增 / 导入 / 更正 / 作废
    created_at: datetime
    created_by: str
    reason: str
    summary: str


def validate(data: TransferInput, profile: PolicyProfile, today: date | None = None) -> list[Problem]:
    """Every problem with ``data`` that needs no database: errors refuse, warnings inform."""
    today = today or clock.today()
    problems: list[Problem] = []

    def need(key: str, value: str, message: str = "") -> None:
        if not value.strip():
            problems.append(Problem(key, f"{LABELS[key]}：{message or '必填，请填写。'}"))

    if data.broker_id is None:
        problems.append(Problem("broker", "劳务经纪人：请选择组织这次转移的劳务经纪人。"))
    need("worker_name", data.worker_name, "必填，请按身份证填写。")
    need("employer_name", data.employer_name)
    for key, limit in LIMITS.items():
        if len(str(getattr(data, key)).strip()) > limit:
            problems.append(Problem(key, f"{LABELS[key]}：太长了（最多 {limit} 个字）。"))
    if data.hire_date is None:
        problems.append(Problem("hire_date", "转移就业日期：必填（入职或开始务工的日期）。"))
    elif data.hire_date > today:
        problems.append(Problem("hire_date", "转移就业日期：不能晚于今天，请登记已经上岗的人员。"))
    parsed, id_problems = check_id_number(data.id_number, today)
    problems.extend(id_problems)
    if parsed is not None and data.hire_date is not None:
        problems.extend(_age_problems(parsed, data.hire_date, profile))
    problems.extend(_choice_problems(data, profile))
    term = parse_contract_term(data.contract_term)
    if data.contract_term.strip() and term.kind == "" and term.start is None:
        problems.append(Problem("contract_term", "劳动合同期限：没能识别，可写成“1年”“12个月”“2025.3.1-2026.2.28”"
                                "或“无固定期限”；按原样保存，但补助资格会按期限不明处理。", WARNING))
    elif term.start is not None and term.end is not None and term.end < term.start:
        problems.append(Problem("contract_term", "劳动合同期限：结束日期早于开始日期，请核对。"))
    if not data.contract_term.strip():
        problems.append(Problem("contract_term", "劳动合同期限：未填写，补助资格会按期限不明处理。", WARNING))
    if data.phone.strip() and (issue := phone_problem(data.phone)):
        problems.append(Problem("phone", f"联系电话：{issue}"))
    return problems


def _age_problems(parsed: IdNumber, hire_date: date, profile: PolicyProfile) -> list[Problem]:
    age = parsed.age_on(hire_date)
    rules = profile.working_age
    if age < rules.min_age:
        return [Problem("id_number", f"年龄：转移就业日劳动力 {age} 周岁，未满 {rules.min_age} 周岁，不能登记为转移就业。")]
    if parsed.birth_date >= hire_date:
        return [Problem("hire_date", "转移就业日期：早于出生日期，请核对。")]
    months = rules.retirement_age_months(parsed.gender, parsed.birth_date)
    if age * 12 >= months:
        return [Problem("id_number", f"年龄：转移就业日劳动力 {age} 周岁，已到法定退休年龄，请核对是否属实。", WARNING)]
    return []


def _choice_problems(data: TransferInput, profile: PolicyProfile) -> list[Problem]:
    problems: list[Problem] = []
    levels = profile.broker.education_levels
    if normalise_education(data.education, levels) is None:
        problems.append(Problem("education", f"文化程度：“{data.education}”不在列表中，请从{'、'.join(levels)}中选择。"))
    elif not data.education.strip():
        problems.append(Problem("education", "文化程度：未填写。", WARNING))
    if normalise_ethnicity(data.ethnicity) is None:
        problems.append(Problem("ethnicity", f"民族：“{data.ethnicity}”不是56个民族的名称之一，请核对（如“汉族”“彝族”）。"))
    elif not data.ethnicity.strip():
        problems.append(Problem("ethnicity", "民族：未填写。", WARNING))
    if data.employer_type and data.employer_type not in EMPLOYER_TYPES:
        problems.append(Problem("employer_type", f"单位类型：请从{'、'.join(EMPLOYER_TYPES)}中选择。"))
    return problems


def check_in_database(session: Session, data: TransferInput, *, exclude_placement: int | None = None) -> list[Problem]:
    """The broker's standing and duplicates: the same worker the same day (error), other days (note)."""
    problems: list[Problem] = []
    if data.broker_id is not None:
        broker = session.get(Broker, data.broker_id)
        if broker is None:
            problems.append(Problem("broker", "劳务经纪人：所选经纪人不存在，请重新选择。"))
        elif broker.status != BrokerStatus.ACTIVE.value and data.hire_date is not None and (
            broker.revoked_on is None or data.hire_date >= broker.revoked_on
        ):
            when = f"{broker.revoked_on:%Y-%m-%d}" if broker.revoked_on else ""
            problems.append(Problem("broker", f"劳务经纪人：{broker.name}的资格已于{when}取消，之后的转移不能记在其名下。"))
        elif data.hire_date is not None and data.hire_date < broker.certified_on:
            problems.append(Problem("hire_date", f"转移就业日期：早于{broker.name}的认定日期 {broker.certified_on:%Y-%m-%d}，"
                                    "请核对。", WARNING))
    number = normalise(data.id_number)
    if len(number) != 18:
        return problems
    stmt = (select(TransferRecord.id, TransferRecord.root_id, TransferRecord.hire_date, TransferRecord.employer_name,
                   Broker.name)
            .join(Broker, Broker.id == TransferRecord.broker_id)
            .where(TransferRecord.id_number == number, TransferRecord.status.not_in(NOT_CURRENT))
            .order_by(TransferRecord.hire_date.desc()).limit(20))
    others = [row for row in session.execute(stmt) if (row.root_id or row.id) != exclude_placement]
    for row in others:
        if row.hire_date == data.hire_date:
            problems.append(Problem("id_number", f"重复登记：该劳动力 {row.hire_date:%Y-%m-%d} 已由经纪人{row.name}登记"
                                    f"（{row.employer_name}），同一人同一天只能登记一次。"))
    earlier = [r for r in others if r.hire_date != data.hire_date]
    if earlier:
        last = earlier[0]
        problems.append(Problem("id_number", f"提示：该劳动力已有 {len(earlier)} 次转移记录，最近一次 {last.hire_date:%Y-%m-%d}"
                                f"（经纪人{last.name}，{last.employer_name}）。", WARNING))
    return problems


def _values(data: TransferInput, profile: PolicyProfile) -> dict[str, Any]:
    parsed, _ = check_id_number(data.id_number, clock.today())
    assert parsed is not None and data.hire_date is not None and data.broker_id is not None
    term = parse_contract_term(data.contract_term)
    return {
        "broker_id": data.broker_id, "worker_name": data.worker_name.strip(), "gender": parsed.gender,
        "id_number": parsed.value, "age": parsed.age_on(data.hire_date),
        "education": normalise_education(data.education, profile.broker.education_levels) or "",
        "ethnicity": normalise_ethnicity(data.ethnicity) or "", "employer_name": data.employer_name.strip(),
        "work_address": data.work_address.strip(), "contract_term": data.contract_term.strip(), "job": data.job.strip(),
        "social_insurance": data.social_insurance, "phone": normalise_phone(data.phone), "remarks": data.remarks.strip(),
        "hire_date": data.hire_date, "poverty_alleviated": data.poverty_alleviated, "employer_type": data.employer_type,
        "contract_kind": term.kind, "contract_months": term.months, "contract_start": term.start,
        "contract_end": term.end, "village_code": data.village_code, "village_name": data.village_name.strip(),
    }


def _checked(session: Session, profile: PolicyProfile, data: TransferInput, exclude: int | None) -> list[str]:
    problems = validate(data, profile) + check_in_database(session, data, exclude_placement=exclude)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise UserError("\n".join(p.message for p in errors), field=errors[0].field)
    return [p.message for p in problems if p.severity == WARNING]


def create_transfer(session: Session, user: SignedInUser, profile: PolicyProfile, data: TransferInput) -> TransferSaved:
    """Log a new transfer (one 人次) after every check; returns its id and the warnings shown."""
    require(user, *ENTRY_ROLES, action="登记转移就业")
    warnings = _checked(session, profile, data, None)
    record = TransferRecord(**_values(data, profile), source="entry")
    session.add(record)
    session.flush()
    return TransferSaved(record.id, record.id, tuple(warnings))


def _current(session: Session, record_id: int) -> TransferRecord:
    record = session.get(TransferRecord, record_id, with_for_update=True)
    if record is None:
        raise UserError("这条转移就业记录不存在。")
    if record.status != TransferStatus.CURRENT.value:
        raise UserError(f"这条记录{TransferStatus(record.status).label}，只能更正当前有效的版本；请刷新后再试。")
    return record


def live_claim(session: Session, placement_id: int) -> SubsidyClaimRow | None:
    return session.scalar(select(SubsidyClaimRow).where(SubsidyClaimRow.transfer_root_id == placement_id,
                                                        SubsidyClaimRow.status == ClaimStatus.CLAIMED.value))


def correct_transfer(session: Session, user: SignedInUser, profile: PolicyProfile, record_id: int,
                     data: TransferInput, reason: str) -> TransferSaved:
    """A correction: the current version becomes history, the corrected values a new dated version."""
    require(user, *ENTRY_ROLES, action="更正转移就业记录")
    if not reason.strip():
        raise UserError("请填写更正原因（例如“单位名称写错”），更正记录会保留原来的内容。", field="reason")
    old = _current(session, record_id)
    placement = old.placement_id
    warnings = _checked(session, profile, data, placement)
    values = _values(data, profile)
    claim = live_claim(session, placement)
    if claim is not None and values["id_number"] != old.id_number:
        raise UserError(f"这条记录已在服务补助申领批次（第 {claim.batch_id} 批）中申领，不能更改身份证号码；"
                        "如确属登记错误，请先撤回该笔申领。", field="id_number")
    changed = [k for k, v in values.items() if getattr(old, k) != v]
    if not changed:
        raise UserError("内容没有任何改动，不需要更正。")
    old.status = TransferStatus.SUPERSEDED.value
    session.flush()  # free the worker-day slot before the new version takes it
    new = TransferRecord(**values, status=TransferStatus.CURRENT.value, root_id=placement, supersedes_id=old.id,
                         change_reason=reason.strip(), source=old.source, import_id=old.import_id)
    session.add(new)
    session.flush()
    return TransferSaved(new.id, placement, tuple(warnings))


def void_transfer(session: Session, user: SignedInUser, record_id: int, reason: str) -> TransferSaved:
    """Withdraw a record (作废): a last version with status void; it stops counting everywhere."""
    require(user, Role.REVIEWER, Role.ADMIN, action="作废转移就业记录")
    if not reason.strip():
        raise UserError("请填写作废原因（例如“重复登记”“信息虚假”）。", field="reason")
    old = _current(session, record_id)
    claim = live_claim(session, old.placement_id)
    if claim is not None:
        raise UserError(f"这条记录已在服务补助申领批次（第 {claim.batch_id} 批）中申领，请先撤回该笔申领再作废。")
    old.status = TransferStatus.SUPERSEDED.value
    session.flush()
    columns = {c.key: getattr(old, c.key) for c in TransferRecord.__table__.columns
               if c.key not in ("id", "created_at", "created_by", "updated_at", "updated_by")}
    columns.update(status=TransferStatus.VOID.value, root_id=old.placement_id, supersedes_id=old.id,
                   change_reason=reason.strip())
    new = TransferRecord(**columns)
    session.add(new)
    session.flush()
    return TransferSaved(new.id, old.placement_id, ())


def facts_of(record: Any) -> SubsidyFacts:
    return SubsidyFacts(record.poverty_alleviated, record.employer_type, record.contract_kind, record.contract_months,
                        record.social_insurance)


def input_of(record: TransferRecord) -> TransferInput:
    return TransferInput(record.broker_id, record.worker_name, record.id_number, record.hire_date, record.education,
                         record.ethnicity, record.employer_name, record.employer_type, record.work_address,
                         record.contract_term, record.job, record.social_insurance, record.phone, record.remarks,
                         record.poverty_alleviated, record.village_code, record.village_name)


def transfer_detail(session: Session, profile: PolicyProfile, record_id: int) -> TransferDetail:
    record = session.get(TransferRecord, record_id)
    if record is None:
        raise UserError("这条转移就业记录不存在。")
    broker = session.get(Broker, record.broker_id)
    claim = live_claim(session, record.placement_id)
    claim_text = (f"已在第 {claim.batch_id} 批申领（{claim.amount_fen // 100} 元）" if claim is not None else "")
    check = subsidy_check(facts_of(record), profile.subsidy) if profile.subsidy is not None else None
    return TransferDetail(record.id, record.placement_id, record.status, TransferStatus(record.status).label,
                          broker.name if broker else "", input_of(record), record.gender, record.age, check,
                          claim_text, record.created_at, record.created_by, record.change_reason, record.source)


def transfer_history(session: Session, profile: PolicyProfile, record_id: int) -> list[TransferVersion]:
    """Every version of the record's placement, oldest first."""
    record = session.get(TransferRecord, record_id)
    if record is None:
        raise UserError("这条转移就业记录不存在。")
    root = record.placement_id
    versions = session.scalars(select(TransferRecord).where(or_(TransferRecord.id == root, TransferRecord.root_id == root))
                               .order_by(TransferRecord.id)).all()
    out: list[TransferVersion] = []
    m = profile.masking
    for v in versions:
        if v.status == TransferStatus.VOID.value:
            kind = "作废"
        elif v.supersedes_id is not None:
            kind = "更正"
        else:
            kind = "导入" if v.source == "import" else "新增"
        summary = (f"{v.worker_name}，{mask(v.id_number, m.id_head, m.id_tail)}，{v.hire_date:%Y-%m-%d}，"
                   f"{v.employer_name}，{v.contract_term or '合同期限未填'}，{'有' if v.social_insurance else '无'}社保")
        out.append(TransferVersion(v.id, TransferStatus(v.status).label, kind, v.created_at, v.created_by,
                                   v.change_reason, summary))
    return out
