"""Yearly training of brokers (集中培育, chongqing): sessions, who attended for how many days, and
each broker's days in a year with the list of those under the profile's minimum.

A session counts in the year it starts. Days are recorded in the profile's ``training.day_step``
(half days in chongqing); an attendance defaults to the session's days and may be less (left
early). A wrong attendance is withdrawn with a reason and stays on record.

Brokers counted for a year: those active now and certified by the end of that year; brokers
certified during the year are marked, so the clerk sees who joined late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.idcard import mask
from desktop.core.models.account import Role
from desktop.core.models.performance import TrainingAttendance, TrainingMode, TrainingSession
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.rules.performance import days_problem, meets_training, plain_days
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.profile_sections import TrainingRules
from desktop.core.services.accounts import SignedInUser, require

WRITERS = (Role.CLERK, Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class SessionInput:
    title: str
    start_date: date
    end_date: date
    days: Decimal
    mode: str = TrainingMode.CLASSROOM.value
    location: str = ""
    organiser: str = ""
    note: str = ""


@dataclass(frozen=True)
class SessionRow:
    id: int
    title: str
    start_date: date
    end_date: date
    days: Decimal
    mode_label: str
    location: str
    organiser: str
    attendees: int


@dataclass(frozen=True)
class AttendeeRow:
    attendance_id: int
    broker_id: int
    name: str
    id_number_masked: str
    service_area: str
    days: Decimal
    withdrawn: bool
    withdraw_reason: str


@dataclass(frozen=True)
class BrokerDays:
    broker_id: int
    name: str
    id_number_masked: str
    service_area: str
    certified_on: date
    sessions: int
    days: Decimal
    meets: bool
    joined_in_year: bool

    @property
    def days_text(self) -> str:
        return plain_days(self.days)


@dataclass(frozen=True)
class DaysQuery:
    year: int
    under_only: bool = False
    text: str = ""
    offset: int = 0
    limit: int = 200
    order: str = "days"
    descending: bool = False


def _rules(profile: PolicyProfile) -> TrainingRules:
    if profile.training is None:
        raise UserError(f"本中心的政策配置（{profile.region.name}）没有集中培育天数的规定。")
    return profile.training


def create_session(session: Session, user: SignedInUser, profile: PolicyProfile, data: SessionInput) -> int:
    require(user, *WRITERS, action="登记集中培育")
    rules = _rules(profile)
    if not data.title.strip():
        raise UserError("请填写培育名称，例如“2026年第一期劳务经纪人集中培育”。")
    if data.end_date < data.start_date:
        raise UserError("结束日期不能早于开始日期。")
    if data.start_date > clock.today():
        raise UserError("只能登记已经开始的培育；还没举办的培育请举办后再登记。")
    if problem := days_problem(rules, data.days):
        raise UserError(problem)
    span = (data.end_date - data.start_date).days + 1
    if Decimal(str(data.days)) > span:
        raise UserError(f"培育天数 {plain_days(data.days)} 天超过了起止日期之间的 {span} 天。")
    if data.mode not in {m.value for m in TrainingMode}:
        raise UserError("请选择培育形式。")
    row = TrainingSession(title=data.title.strip(), start_date=data.start_date, end_date=data.end_date,
                          days=Decimal(str(data.days)), mode=data.mode, location=data.location.strip(),
                          organiser=data.organiser.strip(), note=data.note.strip())
    session.add(row)
    session.flush()
    return row.id


def list_sessions(session: Session, year: int) -> list[SessionRow]:
    s, a = TrainingSession, TrainingAttendance
    present = (select(a.session_id, func.count().label("n")).where(a.withdrawn.is_(False))
               .group_by(a.session_id).subquery())
    stmt = (select(s, func.coalesce(present.c.n, 0))
            .outerjoin(present, present.c.session_id == s.id)
            .where(s.start_date >= date(year, 1, 1), s.start_date <= date(year, 12, 31))
            .order_by(s.start_date.desc(), s.id.desc()))
    return [SessionRow(r.id, r.title, r.start_date, r.end_date, r.days, TrainingMode(r.mode).label, r.location,
                       r.organiser, n) for r, n in session.execute(stmt)]


def add_attendance(session: Session, user: SignedInUser, profile: PolicyProfile, session_id: int,
                   broker_ids: tuple[int, ...], days: Decimal | None = None) -> int:
    """Record brokers at a session (``days`` defaults to the session's); returns how many were added.
    Brokers already recorded for this session are skipped."""
    require(user, *WRITERS, action="登记培育签到")
    rules = _rules(profile)
    training = session.get(TrainingSession, session_id)
    if training is None:
        raise UserError("这次培育记录不存在，请刷新后重试。")
    value = Decimal(str(days)) if days is not None else training.days
    if problem := days_problem(rules, value):
        raise UserError(problem)
    if value > training.days:
        raise UserError(f"参加天数 {plain_days(value)} 天多于这次培育的 {plain_days(training.days)} 天。")
    if not broker_ids:
        raise UserError("请选择参加培育的经纪人。")
    brokers = session.execute(select(Broker.id, Broker.name, Broker.status, Broker.certified_on)
                              .where(Broker.id.in_(broker_ids))).all()
    if len(brokers) != len(set(broker_ids)):
        raise UserError("有经纪人记录已不存在，请刷新后重选。")
    wrong = [b.name for b in brokers if b.status != BrokerStatus.ACTIVE.value or b.certified_on > training.end_date]
    if wrong:
        raise UserError(f"只能登记培育时在册的劳务经纪人：{'、'.join(wrong)}。")
    already = set(session.scalars(select(TrainingAttendance.broker_id).where(
        TrainingAttendance.session_id == session_id, TrainingAttendance.withdrawn.is_(False),
        TrainingAttendance.broker_id.in_(broker_ids))))
    added = 0
    for broker_id in dict.fromkeys(broker_ids):
        if broker_id in already:
            continue
        session.add(TrainingAttendance(session_id=session_id, broker_id=broker_id, days=value))
        added += 1
    try:
        session.flush()
    except IntegrityError:
        raise UserError("另一台电脑刚刚登记了其中某位经纪人的签到，请刷新后重试。") from None
    return added


def withdraw_attendance(session: Session, user: SignedInUser, attendance_id: int, reason: str) -> None:
    require(user, Role.REVIEWER, Role.ADMIN, action="撤销培育签到")
    row = session.get(TrainingAttendance, attendance_id)
    if row is None:
        raise UserError("这条签到记录不存在。")
    if row.withdrawn:
        raise UserError("这条签到已经撤销过了。")
    if not reason.strip():
        raise UserError("请填写撤销的原因（例如：误登记、实际未参加）。")
    row.withdrawn = True
    row.withdraw_reason = reason.strip()


def attendees(session: Session, profile: PolicyProfile, session_id: int) -> list[AttendeeRow]:
    a, m = TrainingAttendance, profile.masking
    stmt = (select(a, Broker.name, Broker.id_number, Broker.service_area).join(Broker, Broker.id == a.broker_id)
            .where(a.session_id == session_id).order_by(a.withdrawn, Broker.name, a.id))
    return [AttendeeRow(r.id, r.broker_id, name, mask(idn, m.id_head, m.id_tail, m.mask_char), area, r.days,
                        r.withdrawn, r.withdraw_reason) for r, name, idn, area in session.execute(stmt)]


# --- days per broker per year ---------------------------------------------------------------------


def _year_days(year: int):  # type: ignore[no-untyped-def]
    a, s = TrainingAttendance, TrainingSession
    # Rounded to the column's scale: SQLite adds the halves as binary floats.
    return (select(a.broker_id, func.round(func.sum(a.days), 2).label("days"), func.count().label("sessions"))
            .join(s, s.id == a.session_id)
            .where(a.withdrawn.is_(False), s.start_date >= date(year, 1, 1), s.start_date <= date(year, 12, 31))
            .group_by(a.broker_id).subquery())


def _days_filters(rules: TrainingRules, query: DaysQuery, days_col: ColumnElement) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [Broker.status == BrokerStatus.ACTIVE.value,
                                        Broker.certified_on <= date(query.year, 12, 31)]
    if query.under_only:
        conds.append(days_col < rules.min_days_per_year)
    text = "".join(query.text.split())
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conds.append(and_(Broker.name.like(f"%{escaped}%", escape="\\")))
    return conds


def count_days(session: Session, profile: PolicyProfile, query: DaysQuery) -> int:
    rules = _rules(profile)
    sub = _year_days(query.year)
    days = func.coalesce(sub.c.days, 0)
    stmt = (select(func.count()).select_from(Broker).outerjoin(sub, sub.c.broker_id == Broker.id)
            .where(*_days_filters(rules, query, days)))
    return session.scalar(stmt) or 0


def broker_days(session: Session, profile: PolicyProfile, query: DaysQuery) -> list[BrokerDays]:
    """One page of brokers with their training days in ``query.year`` (fewest days first)."""
    rules, m = _rules(profile), profile.masking
    sub = _year_days(query.year)
    days = func.coalesce(sub.c.days, 0)
    keys = {"days": days, "name": Broker.name, "service_area": Broker.service_area,
            "certified_on": Broker.certified_on}
    key = keys.get(query.order, days)
    order = (key.desc(), Broker.id.desc()) if query.descending else (key.asc(), Broker.id.asc())
    stmt = (select(Broker.id, Broker.name, Broker.id_number, Broker.service_area, Broker.certified_on,
                   func.coalesce(sub.c.sessions, 0), days)
            .outerjoin(sub, sub.c.broker_id == Broker.id)
            .where(*_days_filters(rules, query, days))
            .order_by(*order).offset(query.offset).limit(query.limit))
    out = []
    for bid, name, idn, area, certified, n, total in session.execute(stmt):
        total = Decimal(str(total or 0))
        out.append(BrokerDays(bid, name, mask(idn, m.id_head, m.id_tail, m.mask_char), area, certified, n, total,
                              meets_training(rules, total), certified.year == query.year))
    return out


@dataclass(frozen=True)
class TrainingSummary:
    year: int
    brokers: int
    under: int
    min_days: int


def training_summary(session: Session, profile: PolicyProfile, year: int) -> TrainingSummary:
    rules = _rules(profile)
    return TrainingSummary(year, count_days(session, profile, DaysQuery(year)),
                           count_days(session, profile, DaysQuery(year, under_only=True)), rules.min_days_per_year)
