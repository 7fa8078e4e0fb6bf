"""Workers of the cooperatives (登记劳动力), their trips (输送记录) and the 四清 registry.

A trip is one worker sent to work under an agreement on a day; advances are paid per worker and
trip, and the 劳务经济收益金 is shared by the trips of a period. For each poor worker (建档立卡 /
脱贫) the 四清 facts are checked again and again: each check is a new dated row, the latest counts,
and a worker whose latest check is older than ``fund.four_clear_recheck_months`` is due.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.idcard import IdNumberError, is_id_prefix, mask, normalise, parse_id_number
from desktop.core.models.account import Role
from desktop.core.models.cooperative import (
    CoopAgreement,
    Cooperative,
    CooperativeBroker,
    CoopLevel,
    CoopWorker,
    Dispatch,
    FourClearCheck,
)
from desktop.core.models.registry import Broker
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.fund_partners import checked_phone, fund_rules

EDITORS = (Role.CLERK, Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class WorkerInput:
    id_number: str
    name: str
    village_coop_id: int
    phone: str = ""
    poverty_status: str = ""


@dataclass(frozen=True)
class WorkerRow:
    id: int
    name: str
    gender: str
    id_number_masked: str
    phone_masked: str
    village: str
    poverty_status: str
    trips: int


@dataclass(frozen=True)
class WorkerQuery:
    text: str = ""
    village_coop_id: int | None = None
    poor_only: bool = False
    offset: int = 0
    limit: int = 200
    order: str = ""
    descending: bool = False


def register_worker(session: Session, user: SignedInUser, profile: PolicyProfile, data: WorkerInput) -> int:
    require(user, *EDITORS, action="登记劳动力")
    rules = fund_rules(profile)
    try:
        parsed = parse_id_number(data.id_number, clock.today())
    except IdNumberError as exc:
        raise UserError(str(exc), field="id_number") from None
    name = "".join(data.name.split())
    if not name:
        raise UserError("请填写姓名。", field="name")
    existing = session.scalar(select(CoopWorker).where(CoopWorker.id_number == parsed.value))
    if existing is not None:
        raise UserError(f"身份证号码为该号码的劳动力已登记（{existing.name}），请直接查找，不要重复登记。",
                        field="id_number")
    coop = session.get(Cooperative, data.village_coop_id)
    if coop is None or coop.level != CoopLevel.VILLAGE:
        raise UserError("请选择劳动力所在的村级劳务合作社。", field="village_coop_id")
    if data.poverty_status and data.poverty_status not in rules.poverty_statuses:
        raise UserError(f"帮扶类别应为：{'、'.join(rules.poverty_statuses)}，或不填。", field="poverty_status")
    worker = CoopWorker(id_number=parsed.value, name=name, gender=parsed.gender, birth_date=parsed.birth_date,
                        phone=checked_phone(data.phone), village_coop_id=coop.id, poverty_status=data.poverty_status)
    session.add(worker)
    session.flush()
    return worker.id


def _filters(query: WorkerQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    text = normalise(query.text)
    if text:
        if is_id_prefix(text):
            conds.append(and_(CoopWorker.id_number >= text, CoopWorker.id_number < text + "~"))
        else:
            conds.append(CoopWorker.name.contains(text, autoescape=True))
    if query.village_coop_id:
        conds.append(CoopWorker.village_coop_id == query.village_coop_id)
    if query.poor_only:
        conds.append(CoopWorker.poverty_status != "")
    return conds


def count_workers(session: Session, query: WorkerQuery) -> int:
    return session.scalar(select(func.count()).select_from(CoopWorker).where(*_filters(query))) or 0


def search_workers(session: Session, profile: PolicyProfile, query: WorkerQuery) -> list[WorkerRow]:
    trips = (select(func.count()).select_from(Dispatch).where(Dispatch.worker_id == CoopWorker.id)
             .correlate(CoopWorker).scalar_subquery())
    order = {"name": CoopWorker.name, "id_number": CoopWorker.id_number}.get(query.order)
    keys = (order.desc() if query.descending else order.asc(), CoopWorker.id) if order is not None else (CoopWorker.id.desc(),)
    stmt = (select(CoopWorker, Cooperative.name, trips).join(Cooperative, Cooperative.id == CoopWorker.village_coop_id)
            .where(*_filters(query)).order_by(*keys).offset(query.offset).limit(query.limit))
    m = profile.masking
    return [WorkerRow(w.id, w.name, w.gender, mask(w.id_number, m.id_head, m.id_tail, m.mask_char),
                      mask(w.phone, m.phone_head, m.phone_tail, m.mask_char), village, w.poverty_status, n)
            for w, village, n in session.execute(stmt)]


# --- trips -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DispatchInput:
    worker_id: int
    agreement_id: int
    departed_on: date
    broker_id: int | None = None
    employer: str = ""
    workplace: str = ""


@dataclass(frozen=True)
class TripRow:
    id: int
    worker_id: int
    worker: str
    departed_on: date
    agreement: str
    employer: str
    workplace: str
    broker: str

    @property
    def label(self) -> str:
        where = self.employer or self.workplace or "未填用工单位"
        return f"{self.worker} {self.departed_on:%Y-%m-%d} 外出（{where}）"


def record_dispatch(session: Session, user: SignedInUser, data: DispatchInput) -> int:
    require(user, *EDITORS, action="登记输送记录")
    worker = session.get(CoopWorker, data.worker_id)
    agreement = session.get(CoopAgreement, data.agreement_id)
    if worker is None:
        raise UserError("请先选择劳动力。")
    if agreement is None:
        raise UserError("请选择这次输送所依据的劳务合作协议。", field="agreement_id")
    if data.departed_on > clock.today():
        raise UserError("外出日期不能晚于今天。", field="departed_on")
    if not agreement.starts_on <= data.departed_on <= agreement.ends_on:
        raise UserError(f"外出日期不在协议{agreement.number}的合作期限（{agreement.starts_on:%Y-%m-%d} 至 "
                        f"{agreement.ends_on:%Y-%m-%d}）内。", field="departed_on")
    duplicate = session.scalar(select(Dispatch.id).where(Dispatch.worker_id == worker.id,
                                                         Dispatch.agreement_id == agreement.id,
                                                         Dispatch.departed_on == data.departed_on))
    if duplicate is not None:
        raise UserError(f"{worker.name} {data.departed_on:%Y-%m-%d} 的这次输送已经登记过了。")
    if data.broker_id is not None:
        link = session.scalar(select(CooperativeBroker.id).where(
            CooperativeBroker.broker_id == data.broker_id, CooperativeBroker.cooperative_id == worker.village_coop_id,
            CooperativeBroker.joined_on <= data.departed_on,
            or_(CooperativeBroker.left_on.is_(None), CooperativeBroker.left_on >= data.departed_on)))
        if link is None:
            raise UserError("所选的劳务经纪人在外出日期不属于该劳动力所在的村级合作社。", field="broker_id")
    trip = Dispatch(worker_id=worker.id, agreement_id=agreement.id, village_coop_id=worker.village_coop_id,
                    broker_id=data.broker_id, departed_on=data.departed_on, employer=data.employer.strip(),
                    workplace=data.workplace.strip())
    session.add(trip)
    session.flush()
    return trip.id


def _trips(where: list[ColumnElement[bool]]) -> Select:
    return (select(Dispatch, CoopWorker.name, CoopAgreement.number, Broker.name)
            .join(CoopWorker, CoopWorker.id == Dispatch.worker_id)
            .join(CoopAgreement, CoopAgreement.id == Dispatch.agreement_id)
            .outerjoin(Broker, Broker.id == Dispatch.broker_id)
            .where(*where).order_by(Dispatch.departed_on.desc(), Dispatch.id.desc()))


def trips(session: Session, *, worker_id: int | None = None, agreement_id: int | None = None,
          limit: int = 500) -> list[TripRow]:
    where: list[ColumnElement[bool]] = []
    if worker_id is not None:
        where.append(Dispatch.worker_id == worker_id)
    if agreement_id is not None:
        where.append(Dispatch.agreement_id == agreement_id)
    return [TripRow(d.id, d.worker_id, worker, d.departed_on, number, d.employer, d.workplace, broker or "")
            for d, worker, number, broker in session.execute(_trips(where).limit(limit))]


def village_brokers_on(session: Session, worker_id: int, on: date) -> list[tuple[int, str]]:
    """Brokers of the worker's village cooperative on a day (for the trip form)."""
    worker = session.get(CoopWorker, worker_id)
    if worker is None:
        return []
    return [(r[0], r[1]) for r in session.execute(
        select(Broker.id, Broker.name).join(CooperativeBroker, CooperativeBroker.broker_id == Broker.id)
        .where(CooperativeBroker.cooperative_id == worker.village_coop_id, CooperativeBroker.joined_on <= on,
               or_(CooperativeBroker.left_on.is_(None), CooperativeBroker.left_on >= on))
        .order_by(Broker.name))]


# --- 四清 -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FourClearInput:
    worker_id: int
    checked_on: date
    employment: str
    skills: str
    employment_intention: str
    training_intention: str
    checked_by: str = ""


@dataclass(frozen=True)
class FourClearRow:
    worker_id: int
    name: str
    id_number_masked: str
    village: str
    poverty_status: str
    checked_on: date | None
    employment: str
    skills: str
    employment_intention: str
    training_intention: str
    due: bool  # not checked within the recheck period


def record_four_clear(session: Session, user: SignedInUser, profile: PolicyProfile, data: FourClearInput) -> int:
    require(user, *EDITORS, action="登记四清核实情况")
    labels = fund_rules(profile).four_clear_items
    worker = session.get(CoopWorker, data.worker_id)
    if worker is None or not worker.poverty_status:
        raise UserError("四清台账只登记建档立卡（脱贫）劳动力，请先在劳动力信息中填写帮扶类别。")
    if data.checked_on > clock.today():
        raise UserError("核实日期不能晚于今天。", field="checked_on")
    values = (data.employment, data.skills, data.employment_intention, data.training_intention)
    for label, value in zip(labels, values, strict=True):
        if not value.strip():
            raise UserError(f"请填写“{label}”。四清的四项都要核实清楚。", field=label)
    check = FourClearCheck(worker_id=worker.id, checked_on=data.checked_on, employment=data.employment.strip(),
                           skills=data.skills.strip(), employment_intention=data.employment_intention.strip(),
                           training_intention=data.training_intention.strip(), checked_by=data.checked_by.strip())
    session.add(check)
    session.flush()
    return check.id


def recheck_cutoff(profile: PolicyProfile, today: date | None = None) -> date:
    """Checks on or after this day are current ("一年内", the day a year ago included)."""
    today = today or clock.today()
    months = fund_rules(profile).four_clear_recheck_months
    year, month0 = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month0 + 1, min(today.day, calendar.monthrange(year, month0 + 1)[1]))


def four_clear_registry(session: Session, profile: PolicyProfile, *, due_only: bool = False,
                        village_coop_id: int | None = None) -> list[FourClearRow]:
    """Every poor worker with the latest check; ``due_only`` keeps those not checked in the period."""
    cutoff = recheck_cutoff(profile)
    # The latest check by its date (a check typed in later for an earlier day does not count as newer).
    rank = func.row_number().over(partition_by=FourClearCheck.worker_id,
                                  order_by=(FourClearCheck.checked_on.desc(), FourClearCheck.id.desc()))
    ranked = select(FourClearCheck.worker_id, FourClearCheck.id.label("check_id"), rank.label("n")).subquery()
    latest = select(ranked.c.worker_id, ranked.c.check_id).where(ranked.c.n == 1).subquery()
    stmt = (select(CoopWorker, Cooperative.name, FourClearCheck)
            .join(Cooperative, Cooperative.id == CoopWorker.village_coop_id)
            .outerjoin(latest, latest.c.worker_id == CoopWorker.id)
            .outerjoin(FourClearCheck, FourClearCheck.id == latest.c.check_id)
            .where(CoopWorker.poverty_status != "")
            .order_by(Cooperative.region_code, CoopWorker.name, CoopWorker.id))
    if village_coop_id:
        stmt = stmt.where(CoopWorker.village_coop_id == village_coop_id)
    if due_only:
        stmt = stmt.where(or_(FourClearCheck.id.is_(None), FourClearCheck.checked_on < cutoff))
    m = profile.masking
    out = []
    for w, village, c in session.execute(stmt):
        out.append(FourClearRow(
            w.id, w.name, mask(w.id_number, m.id_head, m.id_tail, m.mask_char), village, w.poverty_status,
            c.checked_on if c else None, c.employment if c else "", c.skills if c else "",
            c.employment_intention if c else "", c.training_intention if c else "",
            c is None or c.checked_on < cutoff))
    return out
