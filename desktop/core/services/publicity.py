"""Publicity batches (公示): list applicants who passed the exam, record objections, close.

Closing on or after the end date certifies everyone without an upheld objection (认定时间 = the
closing day) and rejects the rest with the reason; a batch cannot be closed early, and a closed
batch is read-only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.idcard import mask
from desktop.core.models.account import Role
from desktop.core.models.broker import ApplicationStatus, BrokerApplication
from desktop.core.models.certification import (
    BatchStatus,
    CalendarDay,
    Objection,
    ObjectionVerdict,
    PublicityBatch,
    PublicityEntry,
    StepKind,
)
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.workdays import WorkdayResult, YearArrangement, covered_years, publicity_end_date
from desktop.core.services import registry
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.workflow import add_step, latest_training, reject_application


@dataclass(frozen=True)
class BatchInput:
    application_ids: tuple[int, ...]
    start_date: date
    objection_phone: str
    objection_address: str
    issuer: str
    title: str = ""
    lead: str = ""


@dataclass(frozen=True)
class BatchSummary:
    id: int
    year: int
    seq: int
    title: str
    start_date: date
    end_date: date
    working_days: int
    calendar_rule: str
    status: str
    people: int
    objections: int
    pending_objections: int
    closed_on: date | None

    @property
    def status_label(self) -> str:
        return "已结束" if self.status == BatchStatus.CLOSED.value else "公示中"

    @property
    def short_name(self) -> str:
        return f"{self.year}年第{self.seq}批"


@dataclass(frozen=True)
class BatchPerson:
    application_id: int
    seq: int
    name: str
    gender: str
    village: str
    id_number_masked: str
    outcome: str


@dataclass(frozen=True)
class ObjectionRow:
    id: int
    application_id: int
    person: str
    received_on: date
    channel: str
    content: str
    verdict: str
    verdict_label: str
    verdict_reason: str
    decided_by: str
    decided_on: date | None


CHANNELS = ("来信", "来电", "来访", "电子邮件", "网络留言", "其他")


def calendar_arrangements(session: Session) -> dict[int, YearArrangement]:
    """Admin-entered holidays and 调休 working days, by year (used where chinesecalendar has none)."""
    holidays: dict[int, set[date]] = defaultdict(set)
    workdays: dict[int, set[date]] = defaultdict(set)
    for day in session.scalars(select(CalendarDay)):
        (holidays if day.kind == "holiday" else workdays)[day.day.year].add(day.day)
    years = set(holidays) | set(workdays)
    return {y: YearArrangement(frozenset(holidays[y]), frozenset(workdays[y])) for y in years}


def preview_end_date(session: Session, profile: PolicyProfile, start: date) -> WorkdayResult:
    return publicity_end_date(
        start,
        profile.publicity.working_days,
        calendar_arrangements(session),
        count_start_day=profile.publicity.count_start_day,
        weekend_days=profile.calendar.weekend_days,
        holiday_source=profile.calendar.holiday_source,
    )


def eligible_applications(session: Session) -> list[tuple[int, str, str]]:
    """(id, name, village) of applications that passed the exam and are in no open batch."""
    rows = session.execute(
        select(BrokerApplication.id, BrokerApplication.name, BrokerApplication.village_name)
        .where(BrokerApplication.status == ApplicationStatus.TRAINED.value)
        .order_by(BrokerApplication.village_code, BrokerApplication.name)
    )
    return [(r.id, r.name, r.village_name) for r in rows]


def _next_seq(session: Session, year: int) -> int:
    return (session.scalar(select(func.max(PublicityBatch.seq)).where(PublicityBatch.year == year)) or 0) + 1


def create_batch(session: Session, user: SignedInUser, profile: PolicyProfile, data: BatchInput) -> int:
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="新建公示")
    if not data.application_ids:
        raise UserError("请至少选择一名考试合格的申请人。")
    if not data.objection_phone.strip() or not data.objection_address.strip():
        raise UserError("请填写受理异议的电话和地址，公示上必须写明。")
    if not data.issuer.strip():
        raise UserError("请填写发布单位（落款）。")
    apps = session.scalars(select(BrokerApplication).where(BrokerApplication.id.in_(data.application_ids))).all()
    wrong = [a.name for a in apps if a.status_enum is not ApplicationStatus.TRAINED]
    if wrong or len(apps) != len(set(data.application_ids)):
        raise UserError(f"只有“待公示”（考试合格）的申请人才能公示：{'、'.join(wrong) or '有记录已不存在'}。请刷新后重选。")
    result = preview_end_date(session, profile, data.start_date)
    year = data.start_date.year
    seq = _next_seq(session, year)
    title = data.title.strip() or profile.publicity.title_template.format(year=year, batch=seq)
    lead = data.lead.strip() or (
        f"根据劳务经纪人认定有关规定，经个人申请、村（社区）推荐、县级初审和线上培训考试，"
        f"以下 {len(apps)} 名同志拟认定为劳务经纪人，现予以公示。"
    )
    batch = PublicityBatch(year=year, seq=seq, title=title, lead=lead, start_date=data.start_date,
                           end_date=result.end, working_days=profile.publicity.working_days,
                           calendar_rule=result.rule, objection_phone=data.objection_phone.strip(),
                           objection_address=data.objection_address.strip(), issuer=data.issuer.strip())
    session.add(batch)
    session.flush()
    ordered = sorted(apps, key=lambda a: (a.village_code, a.village_name, a.name))
    for i, app in enumerate(ordered, start=1):
        session.add(PublicityEntry(batch_id=batch.id, application_id=app.id, seq=i))
        app.status = ApplicationStatus.IN_PUBLICITY.value
        add_step(session, app, user, StepKind.PUBLICITY, True, data.start_date,
                  f"列入《{title}》，公示期 {data.start_date:%Y-%m-%d} 至 {result.end:%Y-%m-%d}", batch.id)
    return batch.id


def _batch(session: Session, batch_id: int) -> PublicityBatch:
    batch = session.get(PublicityBatch, batch_id)
    if batch is None:
        raise UserError("这个公示批次不存在。")
    return batch


def _open(batch: PublicityBatch) -> None:
    if batch.status == BatchStatus.CLOSED.value:
        raise UserError(f"公示已于 {batch.closed_on:%Y-%m-%d} 结束，结束后的公示只能查看，不能修改。")


def record_objection(session: Session, user: SignedInUser, batch_id: int, application_id: int, *,
                     received_on: date, channel: str, content: str) -> int:
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="登记异议")
    batch = _batch(session, batch_id)
    _open(batch)
    listed = session.scalar(select(PublicityEntry.id).where(PublicityEntry.batch_id == batch_id,
                                                           PublicityEntry.application_id == application_id))
    if listed is None:
        raise UserError("被反映人不在这批公示名单中。")
    if not content.strip():
        raise UserError("请填写异议内容。")
    if received_on < batch.start_date or received_on > clock.today():
        raise UserError(f"收到异议的日期应在公示开始（{batch.start_date:%Y-%m-%d}）之后、今天之前。")
    objection = Objection(batch_id=batch_id, application_id=application_id, received_on=received_on,
                          channel=channel or "其他", content=content.strip())
    session.add(objection)
    session.flush()
    return objection.id


def decide_objection(session: Session, user: SignedInUser, objection_id: int, *, upheld: bool, reason: str) -> None:
    require(user, Role.REVIEWER, action="核实异议")
    objection = session.get(Objection, objection_id)
    if objection is None:
        raise UserError("这条异议不存在。")
    _open(_batch(session, objection.batch_id))
    if not reason.strip():
        raise UserError("请填写核实情况（异议是否成立的理由）。")
    objection.verdict = (ObjectionVerdict.UPHELD if upheld else ObjectionVerdict.NOT_UPHELD).value
    objection.verdict_reason = reason.strip()
    objection.decided_by = user.display_name or user.username
    objection.decided_on = clock.today()


def close_batch(
    session: Session, user: SignedInUser, profile: PolicyProfile, batch_id: int, on: date | None = None
) -> tuple[int, int]:
    """Certify those without an upheld objection, reject the rest; returns (certified, rejected)."""
    require(user, Role.REVIEWER, action="结束公示并认定")
    batch = _batch(session, batch_id)
    _open(batch)
    on = on or clock.today()
    if on < batch.end_date and not profile.publicity.allow_early_close:
        raise UserError(f"公示期到 {batch.end_date:%Y-%m-%d} 才结束，不能提前结束公示。")
    if on > clock.today():
        raise UserError("结束日期不能晚于今天。")
    objections = session.scalars(select(Objection).where(Objection.batch_id == batch_id)).all()
    pending = [o for o in objections if o.verdict == ObjectionVerdict.PENDING.value]
    if pending:
        raise UserError(f"还有 {len(pending)} 条异议未核实，请先核实（成立或不成立）再结束公示。")
    upheld: dict[int, list[str]] = defaultdict(list)
    for o in objections:
        if o.verdict == ObjectionVerdict.UPHELD.value:
            upheld[o.application_id].append(o.verdict_reason)
    entries = session.scalars(select(PublicityEntry).where(PublicityEntry.batch_id == batch_id)).all()
    certified = rejected = 0
    for entry in entries:
        app = session.get(BrokerApplication, entry.application_id)
        assert app is not None
        if entry.application_id in upheld:
            reject_application(session, app, user, on, "公示期间异议成立：" + "；".join(upheld[entry.application_id]), batch.id)
            entry.outcome = "rejected"
            rejected += 1
        else:
            add_step(session, app, user, StepKind.CERTIFICATION, True, on, f"公示无异议，认定为劳务经纪人（{batch.title}）",
                      batch.id)
            app.status = ApplicationStatus.CERTIFIED.value
            training = latest_training(session, app.id)
            registry.register_from_application(session, app, on, training)
            entry.outcome = "certified"
            certified += 1
    batch.status = BatchStatus.CLOSED.value
    batch.closed_on = on
    batch.closed_by = user.display_name or user.username
    return certified, rejected


def list_batches(session: Session, only: int | None = None) -> list[BatchSummary]:
    """Every batch, newest first (or just batch ``only``), with head counts and objections."""
    entries = select(PublicityEntry.batch_id, func.count()).group_by(PublicityEntry.batch_id)
    verdicts = select(Objection.batch_id, Objection.verdict)
    batches = select(PublicityBatch).order_by(PublicityBatch.id.desc())
    if only is not None:
        entries = entries.where(PublicityEntry.batch_id == only)
        verdicts = verdicts.where(Objection.batch_id == only)
        batches = batches.where(PublicityBatch.id == only)
    people = dict(session.execute(entries).all())
    objections: dict[int, list[str]] = defaultdict(list)
    for batch_id, verdict in session.execute(verdicts):
        objections[batch_id].append(verdict)
    return [
        BatchSummary(b.id, b.year, b.seq, b.title, b.start_date, b.end_date, b.working_days, b.calendar_rule, b.status,
                     people.get(b.id, 0), len(objections[b.id]),
                     sum(v == ObjectionVerdict.PENDING.value for v in objections[b.id]), b.closed_on)
        for b in session.scalars(batches)
    ]


def batch_summary(session: Session, batch_id: int) -> BatchSummary:
    found = list_batches(session, only=batch_id)
    if not found:
        raise UserError("这个公示批次不存在。")
    return found[0]


def batch_people(session: Session, profile: PolicyProfile, batch_id: int) -> list[BatchPerson]:
    head, tail = profile.publicity.id_mask_head, profile.publicity.id_mask_tail
    rows = session.execute(
        select(PublicityEntry.seq, PublicityEntry.outcome, BrokerApplication)
        .join(BrokerApplication, BrokerApplication.id == PublicityEntry.application_id)
        .where(PublicityEntry.batch_id == batch_id)
        .order_by(PublicityEntry.seq)
    )
    return [BatchPerson(app.id, seq, app.name, app.gender, app.village_name, mask(app.id_number, head, tail), outcome)
            for seq, outcome, app in rows]


def batch_objections(session: Session, batch_id: int) -> list[ObjectionRow]:
    rows = session.execute(
        select(Objection, BrokerApplication.name)
        .join(BrokerApplication, BrokerApplication.id == Objection.application_id)
        .where(Objection.batch_id == batch_id)
        .order_by(Objection.id)
    )
    return [ObjectionRow(o.id, o.application_id, name, o.received_on, o.channel, o.content, o.verdict,
                         ObjectionVerdict(o.verdict).label, o.verdict_reason, o.decided_by, o.decided_on)
            for o, name in rows]


def find_batch(session: Session, ref: str) -> int:
    """A batch by id ("3") or by year and sequence ("2026-3")."""
    text = ref.strip()
    year, dash, seq = text.partition("-")
    if not (year.isdigit() and (seq.isdigit() if dash else True)):
        raise UserError(f"公示批次应写成编号（如 3）或“年份-批次”（如 2026-3），“{ref}”不对。")
    if dash:
        found = session.scalar(select(PublicityBatch.id).where(PublicityBatch.year == int(year),
                                                              PublicityBatch.seq == int(seq)))
    else:
        found = session.scalar(select(PublicityBatch.id).where(PublicityBatch.id == int(year)))
    if found is None:
        raise UserError(f"没有找到公示批次“{ref}”。用 labordesk publicity list 查看批次编号。")
    return found


@dataclass(frozen=True)
class CalendarDayRow:
    id: int
    day: date
    kind: str
    note: str
    covered_by_package: bool


def list_calendar_days(session: Session) -> list[CalendarDayRow]:
    covered = covered_years()
    return [CalendarDayRow(d.id, d.day, d.kind, d.note, d.day.year in covered)
            for d in session.scalars(select(CalendarDay).order_by(CalendarDay.day))]


def add_calendar_day(session: Session, user: SignedInUser, day: date, kind: str, note: str) -> None:
    """The admin enters a holiday or 调休 working day for a year chinesecalendar does not cover."""
    require(user, Role.ADMIN, action="录入节假日安排")
    if kind not in ("holiday", "workday"):
        raise UserError("类别应为“放假”或“调休上班”。")
    if day.year in covered_years():
        raise UserError(f"{day.year}年的节假日安排已按国务院办公厅公布的安排内置，无需录入。")
    if session.scalar(select(CalendarDay.id).where(CalendarDay.day == day)) is not None:
        raise UserError(f"{day:%Y-%m-%d} 已经录入过了。")
    session.add(CalendarDay(day=day, kind=kind, note=note.strip()))


def remove_calendar_day(session: Session, user: SignedInUser, day_id: int) -> None:
    require(user, Role.ADMIN, action="删除节假日安排")
    row = session.get(CalendarDay, day_id)
    if row is not None:
        session.delete(row)  # audited field by field like every Audited model
