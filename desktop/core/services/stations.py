"""Workstation registry and application (劳务协作工作站的申请与设立, seed 004 第三–五、八条).

Flow: 申请 (附件1 fields, the 第四条 materials) → 区就业服务中心初审 → 区人社局审核 → 设立 (dated).
Each decision is a dated ``StationStep`` with who recorded it, by the 审核 role; a failed step
keeps the application as ``rejected``. An established station can be revoked (取消资格) with one
of the profile's reasons; a revoked organisation may not apply again within the ban (see
rules.station_rules.reapply_ban), and the refusal names the first day it may.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.contact import normalise_phone, phone_problem
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.station import APPLYING, Station, StationStatus, StationStep, StationStepKind
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.profile_sections import StationRules
from desktop.core.rules.station_rules import reapply_ban
from desktop.core.services.accounts import SignedInUser, require

S = StationStatus
COUNTER = (Role.CLERK, Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class StationInput:
    """The 附件1 fields as typed."""

    name: str
    builder: str
    partner_region: str
    head_name: str
    head_phone: str
    partner_org: str
    partner_head: str
    partner_phone: str
    address: str
    term_end: date | None
    intro: str
    applied_on: date


LABELS = {
    "name": "工作站名称", "builder": "申请机构（承建单位）", "partner_region": "省外劳务协作地区",
    "head_name": "申请机构负责人", "head_phone": "负责人联系电话", "partner_org": "合作机构名称",
    "partner_head": "合作机构负责人", "partner_phone": "合作机构联系电话", "address": "劳务协作工作站地址",
    "term_end": "申请经营期限", "intro": "劳务协作工作站简介", "applied_on": "申请日期",
}
REQUIRED = ("name", "builder", "partner_region", "head_name", "head_phone", "address")
LIMITS = {"name": 100, "builder": 200, "partner_region": 200, "head_name": 50, "partner_org": 200,
          "partner_head": 50, "address": 200}


def station_rules(profile: PolicyProfile) -> StationRules:
    if profile.station is None or not profile.modules.station:
        raise UserError(f"当前政策配置（{profile.region.name}）没有开启劳务协作工作站模块。")
    return profile.station


def problems(data: StationInput) -> list[tuple[str, str]]:
    """(field, message) for everything wrong with ``data``; empty when it may be saved."""
    out: list[tuple[str, str]] = []
    for key in REQUIRED:
        if not str(getattr(data, key)).strip():
            out.append((key, f"{LABELS[key]}：必填，请填写。"))
    for key, limit in LIMITS.items():
        if len(str(getattr(data, key)).strip()) > limit:
            out.append((key, f"{LABELS[key]}：太长了，最多 {limit} 个字。"))
    for key in ("head_phone", "partner_phone"):
        value = getattr(data, key).strip()
        if value and (why := phone_problem(value)):
            out.append((key, f"{LABELS[key]}：{why}"))
    if data.applied_on > clock.today():
        out.append(("applied_on", "申请日期：不能晚于今天。"))
    if data.term_end is not None and data.term_end <= data.applied_on:
        out.append(("term_end", "申请经营期限：截止日期应晚于申请日期。"))
    return out


def _clean(data: StationInput) -> dict[str, object]:
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = normalise_phone(value) if key.endswith("_phone") else value.strip()
    return values


def reapply_problem(session: Session, profile: PolicyProfile, name: str, builder: str, on: date) -> str:
    """Why an organisation revoked less than the ban ago may not apply on ``on``, or ""."""
    rules = station_rules(profile)
    revoked = session.scalars(
        select(Station).where(Station.status == S.REVOKED.value,
                              or_(Station.builder == builder.strip(), Station.name == name.strip()))
        .order_by(Station.revoked_on.desc())
    )
    for old in revoked:
        if old.revoked_on is None:
            continue
        ban = reapply_ban(old.revoked_on, rules)
        if ban.blocks(on):
            return (f"“{old.name}”（{old.builder}）于 {old.revoked_on:%Y-%m-%d} 被取消劳务协作工作站资格"
                    f"（{old.revoke_reason}），{rules.reapply_ban_years} 年内不得重新申报，"
                    f"即到 {ban.last_day:%Y-%m-%d} 为止；自 {ban.may_apply_from:%Y-%m-%d} 起可以重新申请。")
    return ""


def apply(session: Session, user: SignedInUser, profile: PolicyProfile, data: StationInput) -> int:
    """Record a new application (附件1); refused during a re-application ban or with a name in use."""
    require(user, *COUNTER, action="登记工作站申请")
    station_rules(profile)
    found = problems(data)
    if found:
        raise UserError(found[0][1], field=found[0][0])
    ban = reapply_problem(session, profile, data.name, data.builder, data.applied_on)
    if ban:
        raise UserError(ban, field="builder")
    _name_free(session, data.name.strip(), None)
    station = Station(**_clean(data), status=S.APPLIED.value)
    session.add(station)
    try:
        session.flush()
    except IntegrityError:
        raise UserError(f"名称“{data.name.strip()}”刚被另一台电脑登记，请刷新后再看。") from None
    return station.id


def _name_free(session: Session, name: str, own_id: int | None) -> None:
    stmt = select(Station).where(Station.name == name, Station.status.not_in((S.REJECTED.value, S.REVOKED.value)))
    other = session.scalar(stmt)
    if other is not None and other.id != own_id:
        raise UserError(f"已有名为“{name}”的工作站（{other.status_enum.label}），请核对或换一个名称。", field="name")


def update_application(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int,
                       data: StationInput) -> None:
    """Correct the 附件1 fields (every change is audited); the application date stays as recorded."""
    require(user, *COUNTER, action="修改工作站信息")
    row = get_station(session, station_id)
    if row.status in (S.REJECTED.value, S.REVOKED.value):
        raise UserError(f"这个工作站{row.status_enum.label}，信息只能查看。")
    found = problems(data)
    if found:
        raise UserError(found[0][1], field=found[0][0])
    _name_free(session, data.name.strip(), row.id)
    for key, value in _clean(data).items():
        if key != "applied_on" and getattr(row, key) != value:
            setattr(row, key, value)


def get_station(session: Session, station_id: int) -> Station:
    row = session.get(Station, station_id)
    if row is None:
        raise UserError("这个工作站不存在。")
    return row


def find_station(session: Session, name: str) -> Station:
    """By name (the open one first, else the latest), or by id for a number."""
    text = name.strip()
    if text.isdigit():
        return get_station(session, int(text))
    rows = list(session.scalars(select(Station).where(Station.name == text).order_by(Station.id.desc())))
    if not rows:
        like = list(session.scalars(select(Station).where(Station.name.contains(text, autoescape=True)).limit(5)))
        hint = f"名称相近的有：{'、'.join(r.name for r in like)}。" if like else ""
        raise UserError(f"没有名为“{text}”的工作站。{hint}")
    open_rows = [r for r in rows if r.status not in (S.REJECTED.value, S.REVOKED.value)]
    return (open_rows or rows)[0]


def _step(session: Session, row: Station, user: SignedInUser, kind: StationStepKind, passed: bool, on: date,
          opinion: str) -> None:
    session.add(StationStep(station_id=row.id, kind=kind.value, passed=passed, occurred_on=on,
                            opinion=opinion.strip(), actor=user.username, actor_name=user.display_name))


def _check_on(session: Session, row: Station, on: date, what: str) -> None:
    if on > clock.today():
        raise UserError(f"{what}日期不能晚于今天。")
    last = session.scalar(select(StationStep.occurred_on).where(StationStep.station_id == row.id)
                          .order_by(StationStep.id.desc()).limit(1)) or row.applied_on
    if on < last:
        raise UserError(f"{what}日期不能早于上一步的日期 {last:%Y-%m-%d}。")


def _expect(row: Station, status: StationStatus, action: str) -> None:
    if row.status != status.value:
        raise UserError(f"“{action}”只能在工作站处于“{status.label}”时进行，现在是“{row.status_enum.label}”。"
                        "请刷新后再看。")


def center_review(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int, *, passed: bool,
                  on: date, opinion: str) -> None:
    """区就业服务中心初审: passing needs every material and the delivered-worker condition."""
    from desktop.core.services.station_materials import missing_items
    from desktop.core.services.station_roster import cumulative_delivered

    require(user, Role.REVIEWER, action="工作站初审")
    rules = station_rules(profile)
    row = get_station(session, station_id)
    _expect(row, S.APPLIED, "初审")
    _check_on(session, row, on, "初审")
    if profile.workflow.four_eyes and row.created_by == user.username:
        raise UserError("这份申请是您本人登记的，按“录入与审核分离”规定不能由您初审，请其他审核人员办理。")
    if passed:
        missing = missing_items(session, profile, row.id)
        if missing:
            raise UserError(f"申请材料还缺 {len(missing)} 项：{'；'.join(missing)}。请收齐（登记纸质份数或附上扫描件）后再通过初审。")
        delivered = cumulative_delivered(session, profile, row.id, on)
        if delivered < rules.application_min_delivered:
            raise UserError(f"按输送名册，截至 {on:%Y-%m-%d} 计入的输送劳动力只有 {delivered} 人，"
                            f"申请条件为 {rules.application_min_delivered} 人以上（含）。请补录名册或不予通过。")
        opinion = opinion.strip() or f"材料齐全，已输送劳动力 {delivered} 人，同意上报区人社局审核。"
    _decide(session, row, user, StationStepKind.CENTER_REVIEW, passed, on, opinion, S.CENTER_REVIEWED)


def bureau_review(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int, *, passed: bool,
                  on: date, opinion: str) -> None:
    """区人社局审核 (recorded by the centre from the bureau's written opinion)."""
    require(user, Role.REVIEWER, action="录入人社局审核意见")
    station_rules(profile)
    row = get_station(session, station_id)
    _expect(row, S.CENTER_REVIEWED, "人社局审核")
    _check_on(session, row, on, "审核")
    _decide(session, row, user, StationStepKind.BUREAU_REVIEW, passed, on, opinion or "审核通过，同意设立。",
            S.APPROVED)


def _decide(session: Session, row: Station, user: SignedInUser, kind: StationStepKind, passed: bool, on: date,
            opinion: str, next_status: StationStatus) -> None:
    if not passed and not opinion.strip():
        raise UserError("不通过时，请写明原因。")
    _step(session, row, user, kind, passed, on, opinion)
    row.status = next_status.value if passed else S.REJECTED.value


def establish(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int, *, on: date,
              document: str) -> None:
    """设立: the bureau's establishing document is issued; the station is active from ``on``."""
    require(user, Role.REVIEWER, action="登记工作站设立")
    station_rules(profile)
    row = get_station(session, station_id)
    _expect(row, S.APPROVED, "设立")
    _check_on(session, row, on, "设立")
    if not document.strip():
        raise UserError("请填写设立文件（文号或名称），例如“金东人社〔2026〕15号”。")
    _step(session, row, user, StationStepKind.ESTABLISH, True, on, f"发文设立：{document.strip()}")
    row.status = S.ACTIVE.value
    row.established_on = on


def revoke(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int, *, on: date,
           reason: str, detail: str = "") -> None:
    """取消资格 with one of the profile's reasons (and the particulars); never silent, never undone."""
    require(user, Role.REVIEWER, action="取消工作站资格")
    rules = station_rules(profile)
    row = get_station(session, station_id)
    _expect(row, S.ACTIVE, "取消资格")
    _check_on(session, row, on, "取消资格")
    if reason not in rules.revocation_reasons:
        raise UserError("请从列表中选择取消资格的情形（办法第八条）。")
    full = reason + (f"：{detail.strip()}" if detail.strip() else "")
    _step(session, row, user, StationStepKind.REVOKE, False, on, full)
    row.status = S.REVOKED.value
    row.revoked_on = on
    row.revoke_reason = full


@dataclass(frozen=True)
class StationRow:
    id: int
    name: str
    builder: str
    partner_region: str
    status: str
    status_label: str
    applied_on: date
    established_on: date | None
    revoked_on: date | None


def list_stations(session: Session, status: str = "") -> list[StationRow]:
    """Every station (a district has tens), open ones first, then by name."""
    stmt = select(Station)
    if status == "applying":
        stmt = stmt.where(Station.status.in_(APPLYING))
    elif status:
        stmt = stmt.where(Station.status == status)
    order = {S.ACTIVE.value: 0, **{s: 1 for s in APPLYING}, S.REVOKED.value: 2, S.REJECTED.value: 3}
    rows = sorted(session.scalars(stmt), key=lambda r: (order.get(r.status, 9), r.name, r.id))
    return [StationRow(r.id, r.name, r.builder, r.partner_region, r.status, r.status_enum.label, r.applied_on,
                       r.established_on, r.revoked_on) for r in rows]


@dataclass(frozen=True)
class StepRow:
    on: date
    label: str
    passed: bool
    opinion: str
    actor: str


def steps(session: Session, station_id: int) -> list[StepRow]:
    from desktop.core.models.account import User

    row = get_station(session, station_id)
    clerk = session.scalar(select(User.display_name).where(User.username == row.created_by)) or row.created_by
    out = [StepRow(row.applied_on, "申请", True, f"{row.builder}提交设立申请表", clerk)]
    for step in session.scalars(select(StationStep).where(StationStep.station_id == station_id)
                                .order_by(StationStep.id)):
        kind = StationStepKind(step.kind)
        label = kind.label
        if kind in (StationStepKind.CENTER_REVIEW, StationStepKind.BUREAU_REVIEW):
            label += "：" + ("通过" if step.passed else "不通过")
        out.append(StepRow(step.occurred_on, label, step.passed, step.opinion, step.actor_name or step.actor))
    return out


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    allowed: bool
    why_not: str = ""


def available_actions(station: Station | StationRow, user: SignedInUser) -> list[Action]:
    """The flow buttons for the station's status, each saying why it is disabled."""
    reviewer = user.role is Role.REVIEWER
    why = "" if reviewer else "需要审核角色。"
    status = StationStatus(station.status)
    table = {
        S.APPLIED: ("center_review", "就业服务中心初审…"),
        S.CENTER_REVIEWED: ("bureau_review", "录入人社局审核…"),
        S.APPROVED: ("establish", "登记设立…"),
        S.ACTIVE: ("revoke", "取消资格…"),
    }
    if status not in table:
        return []
    key, label = table[status]
    return [Action(key, label, reviewer, why)]
