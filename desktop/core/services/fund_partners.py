"""Cooperatives and partners (劳务合作社与合作企业): the three-level tree tied to region codes, the
brokers of each village cooperative, HR service companies and their agreements."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import clock, regions
from desktop.core.contact import normalise_phone, phone_problem
from desktop.core.errors import UserError
from desktop.core.idcard import mask
from desktop.core.models.account import Role
from desktop.core.models.cooperative import (
    CoopAgreement,
    Cooperative,
    CooperativeBroker,
    CoopLevel,
    CoopWorker,
    HrCompany,
)
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.money import format_basis_points
from desktop.core.rules.profile import FundRules, PolicyProfile
from desktop.core.services.accounts import SignedInUser, require

EDITORS = (Role.CLERK, Role.REVIEWER, Role.ADMIN)
_REGION_LEVEL = {CoopLevel.COUNTY: regions.COUNTY, CoopLevel.TOWNSHIP: regions.TOWNSHIP, CoopLevel.VILLAGE: regions.VILLAGE}
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SUFFIXES = ("村民委员会", "居民委员会", "社区居委会", "村委会", "居委会")


def fund_rules(profile: PolicyProfile) -> FundRules:
    if profile.fund is None:
        raise UserError("本中心的政策配置没有启用劳务合作金模块（fund），请管理员在政策配置中开启。")
    return profile.fund


def level_label(profile: PolicyProfile, level: str) -> str:
    return fund_rules(profile).cooperative_levels[CoopLevel(level).index]


def credit_code_problem(code: str) -> str | None:
    """统一社会信用代码 (GB 32100-2015): 18 characters with a check character; None when fine."""
    if not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}", code):
        return "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V），请核对营业执照。"
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(code[:17], _CREDIT_WEIGHTS, strict=True))
    if _CREDIT_CHARS[(31 - total % 31) % 31] != code[17]:
        return "统一社会信用代码的最后一位校验码不对，请逐位核对营业执照。"
    return None


def place_name(region_code: str) -> str:
    """The region's short name for a cooperative's name: 梨子坝村委会 → 梨子坝村."""
    region = regions.lookup(region_code)
    name = region.name if region else ""
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)] + ("村" if suffix.startswith("村") else "社区" if "社区" in suffix else "")
    return name


def default_name(level: str, region_code: str) -> str:
    base = place_name(region_code)
    return f"{base}劳务合作联社" if level == CoopLevel.COUNTY and base else f"{base}劳务合作社" if base else ""


# --- cooperatives -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CooperativeInput:
    level: str
    region_code: str
    name: str = ""
    parent_id: int | None = None
    leader: str = ""
    phone: str = ""
    credit_code: str = ""
    established_on: date | None = None


@dataclass(frozen=True)
class CoopNode:
    id: int
    level: str
    level_label: str
    name: str
    region_code: str
    region_name: str
    parent_id: int | None
    leader: str
    phone_masked: str
    brokers: int
    workers: int


def create_cooperative(session: Session, user: SignedInUser, profile: PolicyProfile, data: CooperativeInput) -> int:
    require(user, *EDITORS, action="登记劳务合作社")
    fund_rules(profile)
    try:
        level = CoopLevel(data.level)
    except ValueError:
        raise UserError("请选择合作社的级别（县、乡、村）。") from None
    code = regions.normalise_code(data.region_code.strip())
    region = regions.lookup(code) if code else None
    if region is None or region.level != _REGION_LEVEL[level]:
        what = {CoopLevel.COUNTY: "县（市、区）", CoopLevel.TOWNSHIP: "乡（镇、街道）", CoopLevel.VILLAGE: "村（社区）"}[level]
        raise UserError(f"请选择合作社所在的{what}（行政区划代码“{data.region_code}”不是一个{what}）。", field="region_code")
    parent = session.get(Cooperative, data.parent_id) if data.parent_id else None
    if level is CoopLevel.COUNTY:
        if parent is not None:
            raise UserError("县级劳务合作社是最上一级，不能有上级合作社。")
    else:
        want = CoopLevel.COUNTY if level is CoopLevel.TOWNSHIP else CoopLevel.TOWNSHIP
        if parent is None or parent.level != want:
            raise UserError(f"请选择上级合作社（{level_label(profile, want)}）。", field="parent_id")
        parent_code = code[:6] if level is CoopLevel.TOWNSHIP else code[:9] + "000"
        if parent.region_code != parent_code:
            raise UserError(f"“{region.name}”不在上级合作社“{parent.name}”的辖区内，请选择正确的上级合作社或地区。",
                            field="region_code")
    existing = session.scalar(select(Cooperative).where(Cooperative.region_code == code))
    if existing is not None:
        raise UserError(f"“{region.name}”已经有劳务合作社：{existing.name}。一个地区只登记一个合作社。", field="region_code")
    phone = checked_phone(data.phone)
    credit = data.credit_code.strip().upper()
    if credit and (problem := credit_code_problem(credit)):
        raise UserError(problem, field="credit_code")
    name = data.name.strip() or default_name(level, code)
    coop = Cooperative(level=level.value, name=name, region_code=code, parent_id=parent.id if parent else None,
                       leader=data.leader.strip(), phone=phone, credit_code=credit, established_on=data.established_on)
    session.add(coop)
    session.flush()
    return coop.id


def checked_phone(raw: str) -> str:
    phone = normalise_phone(raw)
    if phone and (problem := phone_problem(phone)):
        raise UserError(problem, field="phone")
    return phone


def cooperative_tree(session: Session, profile: PolicyProfile) -> list[CoopNode]:
    """Every cooperative, parents before children, siblings by region code."""
    brokers = dict(session.execute(
        select(CooperativeBroker.cooperative_id, func.count()).where(CooperativeBroker.left_on.is_(None))
        .group_by(CooperativeBroker.cooperative_id)).all())
    workers = dict(session.execute(
        select(CoopWorker.village_coop_id, func.count()).group_by(CoopWorker.village_coop_id)).all())
    m = profile.masking
    rows = session.scalars(select(Cooperative).order_by(Cooperative.region_code)).all()
    by_parent: dict[int | None, list[Cooperative]] = {}
    for c in rows:
        by_parent.setdefault(c.parent_id, []).append(c)
    out: list[CoopNode] = []

    def walk(parent: int | None) -> None:
        for c in by_parent.get(parent, []):
            region = regions.lookup(c.region_code)
            out.append(CoopNode(c.id, c.level, level_label(profile, c.level), c.name, c.region_code,
                                region.name if region else "", c.parent_id, c.leader,
                                mask(c.phone, m.phone_head, m.phone_tail, m.mask_char),
                                brokers.get(c.id, 0), workers.get(c.id, 0)))
            walk(c.id)

    walk(None)
    return out


def cooperatives_of_level(session: Session, level: str) -> list[tuple[int, str]]:
    return [(r[0], r[1]) for r in session.execute(select(Cooperative.id, Cooperative.name).where(Cooperative.level == level)
                                .order_by(Cooperative.region_code))]


# --- brokers of a village cooperative --------------------------------------------------------------
@dataclass(frozen=True)
class CoopBrokerRow:
    link_id: int
    broker_id: int
    name: str
    id_number_masked: str
    phone_masked: str
    joined_on: date


def add_broker(session: Session, user: SignedInUser, cooperative_id: int, broker_id: int, joined_on: date) -> int:
    require(user, *EDITORS, action="登记合作社的劳务经纪人")
    coop = session.get(Cooperative, cooperative_id)
    broker = session.get(Broker, broker_id)
    if coop is None or coop.level != CoopLevel.VILLAGE:
        raise UserError("劳务经纪人登记在村级劳务合作社，请先选中一个村级合作社。")
    if broker is None or broker.status != BrokerStatus.ACTIVE:
        raise UserError("只能登记在册的劳务经纪人（已取消资格的不能登记）。")
    if joined_on > clock.today():
        raise UserError("加入日期不能晚于今天。")
    current = session.scalar(select(CooperativeBroker).where(CooperativeBroker.broker_id == broker_id,
                                                             CooperativeBroker.left_on.is_(None)))
    if current is not None:
        other = session.get(Cooperative, current.cooperative_id)
        raise UserError(f"{broker.name}已登记在“{other.name if other else ''}”，请先在那里办理离开，再登记到这里。")
    link = CooperativeBroker(cooperative_id=cooperative_id, broker_id=broker_id, joined_on=joined_on)
    session.add(link)
    session.flush()
    return link.id


def remove_broker(session: Session, user: SignedInUser, link_id: int, left_on: date) -> None:
    """The broker leaves the cooperative; the link is kept with the date (history)."""
    require(user, *EDITORS, action="办理经纪人离开合作社")
    link = session.get(CooperativeBroker, link_id)
    if link is None or link.left_on is not None:
        raise UserError("这名经纪人已不在该合作社，请刷新后再看。")
    if left_on < link.joined_on or left_on > clock.today():
        raise UserError(f"离开日期应在加入日期 {link.joined_on:%Y-%m-%d} 与今天之间。")
    link.left_on = left_on


def cooperative_brokers(session: Session, profile: PolicyProfile, cooperative_id: int) -> list[CoopBrokerRow]:
    m = profile.masking
    rows = session.execute(
        select(CooperativeBroker, Broker).join(Broker, Broker.id == CooperativeBroker.broker_id)
        .where(CooperativeBroker.cooperative_id == cooperative_id, CooperativeBroker.left_on.is_(None))
        .order_by(Broker.name)).all()
    return [CoopBrokerRow(link.id, b.id, b.name, mask(b.id_number, m.id_head, m.id_tail, m.mask_char),
                          mask(b.phone, m.phone_head, m.phone_tail, m.mask_char), link.joined_on) for link, b in rows]


def broker_candidates(session: Session, cooperative_id: int) -> list[tuple[int, str]]:
    """Active brokers not in any cooperative; those serving this village first."""
    coop = session.get(Cooperative, cooperative_id)
    taken = select(CooperativeBroker.broker_id).where(CooperativeBroker.left_on.is_(None))
    rows = session.execute(select(Broker.id, Broker.name, Broker.service_area, Broker.service_village_code)
                           .where(Broker.status == BrokerStatus.ACTIVE.value, Broker.id.not_in(taken))
                           .order_by(Broker.name)).all()
    here = coop.region_code if coop else ""
    rows = sorted(rows, key=lambda r: r.service_village_code != here)
    return [(r.id, f"{r.name}（{r.service_area or '未填服务区域'}）") for r in rows]


# --- companies and agreements ----------------------------------------------------------------------
@dataclass(frozen=True)
class CompanyInput:
    name: str
    credit_code: str = ""
    licence_no: str = ""
    contact: str = ""
    phone: str = ""
    address: str = ""


def create_company(session: Session, user: SignedInUser, data: CompanyInput) -> int:
    require(user, *EDITORS, action="登记人力资源服务企业")
    name = data.name.strip()
    if not name:
        raise UserError("请填写企业名称（与营业执照一致）。", field="name")
    if session.scalar(select(HrCompany.id).where(HrCompany.name == name)) is not None:
        raise UserError(f"“{name}”已经登记过了。", field="name")
    credit = data.credit_code.strip().upper()
    if credit and (problem := credit_code_problem(credit)):
        raise UserError(problem, field="credit_code")
    company = HrCompany(name=name, credit_code=credit, licence_no=data.licence_no.strip(), contact=data.contact.strip(),
                        phone=checked_phone(data.phone), address=data.address.strip())
    session.add(company)
    session.flush()
    return company.id


def companies(session: Session) -> list[tuple[int, str]]:
    return [(r[0], r[1]) for r in session.execute(select(HrCompany.id, HrCompany.name).order_by(HrCompany.name))]


@dataclass(frozen=True)
class AgreementInput:
    number: str
    county_coop_id: int
    company_id: int
    signed_on: date
    starts_on: date
    ends_on: date
    rate_per_worker_fen: int
    fund_amount_fen: int
    reward_bp: int
    public_works_bp: int
    note: str = ""


@dataclass(frozen=True)
class AgreementRow:
    id: int
    number: str
    cooperative: str
    company: str
    starts_on: date
    ends_on: date
    rate_per_worker_fen: int
    fund_amount_fen: int
    shares: str  # "奖励 30%，公益 40%"
    account_id: int | None


def create_agreement(session: Session, user: SignedInUser, profile: PolicyProfile, data: AgreementInput) -> int:
    require(user, Role.REVIEWER, Role.ADMIN, action="登记劳务合作协议")
    fund_rules(profile)
    number = data.number.strip()
    if not number:
        raise UserError("请填写协议编号。", field="number")
    if session.scalar(select(CoopAgreement.id).where(CoopAgreement.number == number)) is not None:
        raise UserError(f"协议编号“{number}”已经登记过了。", field="number")
    coop = session.get(Cooperative, data.county_coop_id)
    if coop is None or coop.level != CoopLevel.COUNTY:
        raise UserError("劳务合作协议由县级劳务合作社签订，请选择县级合作社。", field="county_coop_id")
    if session.get(HrCompany, data.company_id) is None:
        raise UserError("请选择签约的人力资源服务企业。", field="company_id")
    if data.signed_on > clock.today():
        raise UserError("签订日期不能晚于今天。", field="signed_on")
    if data.ends_on <= data.starts_on:
        raise UserError("合作期限的结束日期应晚于开始日期。", field="ends_on")
    if data.rate_per_worker_fen <= 0:
        raise UserError("请填写每输送一人的劳务经济收益金。", field="rate")
    if data.fund_amount_fen <= 0:
        raise UserError("请填写劳务合作金金额。", field="fund")
    if min(data.reward_bp, data.public_works_bp) < 0 or data.reward_bp + data.public_works_bp > 10_000:
        raise UserError("经纪人绩效奖励与村公益事业的比例之和不能超过 100%。", field="reward")
    agreement = CoopAgreement(number=number, county_coop_id=coop.id, company_id=data.company_id,
                              signed_on=data.signed_on, starts_on=data.starts_on, ends_on=data.ends_on,
                              rate_per_worker_fen=data.rate_per_worker_fen, fund_amount_fen=data.fund_amount_fen,
                              reward_bp=data.reward_bp, public_works_bp=data.public_works_bp, note=data.note.strip())
    session.add(agreement)
    session.flush()
    return agreement.id


def list_agreements(session: Session) -> list[AgreementRow]:
    from desktop.core.models.fund import FundAccount

    stmt = (select(CoopAgreement, Cooperative.name, HrCompany.name, FundAccount.id)
            .join(Cooperative, Cooperative.id == CoopAgreement.county_coop_id)
            .join(HrCompany, HrCompany.id == CoopAgreement.company_id)
            .outerjoin(FundAccount, FundAccount.agreement_id == CoopAgreement.id)
            .order_by(CoopAgreement.starts_on.desc(), CoopAgreement.id.desc()))
    return [AgreementRow(a.id, a.number, coop, company, a.starts_on, a.ends_on, a.rate_per_worker_fen,
                         a.fund_amount_fen,
                         f"奖励 {format_basis_points(a.reward_bp)}，公益 {format_basis_points(a.public_works_bp)}",
                         account)
            for a, coop, company, account in session.execute(stmt)]
