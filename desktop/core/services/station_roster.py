"""The delivered-worker roster (累计输送劳动力名册, 附件2) of a workstation: entry, the paged list
with each worker's delivered check and cross-station duplicates, and the figures the evaluation
counts from it.

Decisions (docs/ARCHITECTURE.md, 劳务协作工作站):
- A worker is counted once per station and year however many rows they have that year.
- A worker whom another station also counts as delivered in the same year is flagged on both
  rosters ("重复"); both still count, and the evaluation line says how many, for the evaluator
  to verify — the roster alone cannot tell which station really placed the worker.
- Retention (留用率): of the year's delivered workers whose 6-month date has passed by the
  evaluation date; a worker with 6个月后是否在职 not recorded counts as not retained (the station
  must keep the 留用人员花名册), and the line says how many.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.idcard import IdNumberError, is_id_prefix, mask, normalise, parse_id_number
from desktop.core.models.station import Station, StationWorker
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.station_rules import WorkerFacts, add_months, delivered_check, hukou_province
from desktop.core.rules.station_scoring import RosterFigures
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.stations import COUNTER, get_station, station_rules

MAX_SI_MONTHS = 600


@dataclass(frozen=True)
class WorkerInput:
    name: str
    id_number: str
    hukou: str
    employer: str
    hired_on: date | None
    si_months: int
    dispatched: bool
    skilled: bool
    retained: bool | None  # None: not recorded (yet)
    note: str = ""


def worker_values(data: WorkerInput, today: date) -> tuple[dict[str, object], list[str]]:
    """The columns to store and the warnings, or UserError (with the field) for what must be fixed."""
    name = data.name.strip()
    if not name:
        raise UserError("姓名：必填，请按身份证填写。", field="name")
    if len(name) > 50:
        raise UserError("姓名：太长了，请按身份证填写。", field="name")
    try:
        parsed = parse_id_number(normalise(data.id_number), today)
    except IdNumberError as exc:
        raise UserError(f"身份证号：{exc}", field="id_number") from None
    if not data.employer.strip():
        raise UserError("入职企业：必填。", field="employer")
    if data.hired_on is None:
        raise UserError("入职时间：必填。", field="hired_on")
    if data.hired_on > today:
        raise UserError("入职时间：不能晚于今天。", field="hired_on")
    if data.hired_on <= parsed.birth_date:
        raise UserError("入职时间：早于出生日期，请核对。", field="hired_on")
    if not 0 <= data.si_months <= MAX_SI_MONTHS:
        raise UserError(f"社保连续月数：应在 0–{MAX_SI_MONTHS} 之间。", field="si_months")
    code, warning = hukou_province(data.hukou, parsed.value)
    values: dict[str, object] = {
        "name": name, "id_number": parsed.value, "gender": parsed.gender, "birth_date": parsed.birth_date,
        "hukou": data.hukou.strip()[:200], "hukou_province_code": code, "employer": data.employer.strip()[:200],
        "hired_on": data.hired_on, "si_months": data.si_months, "dispatched": data.dispatched,
        "skilled": data.skilled, "retained": data.retained, "note": data.note.strip()[:200],
    }
    return values, [warning] if warning else []


def _editable(station: Station) -> None:
    if station.status in ("rejected", "revoked"):
        raise UserError(f"这个工作站{station.status_enum.label}，名册只能查看。")


def add_worker(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int,
               data: WorkerInput) -> tuple[int, list[str]]:
    """Enter one delivered worker; returns the new id and any warnings (户籍 from the ID…)."""
    require(user, *COUNTER, action="录入输送劳动力")
    station_rules(profile)
    station = get_station(session, station_id)
    _editable(station)
    values, warnings = worker_values(data, clock.today())
    _not_listed(session, station.id, values, None)
    row = StationWorker(station_id=station.id, **values)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise UserError(f"{values['name']}于 {data.hired_on:%Y-%m-%d} 入职的记录已在本站名册中，不能重复录入。",
                        field="id_number") from None
    return row.id, warnings


def update_worker(session: Session, user: SignedInUser, profile: PolicyProfile, worker_id: int,
                  data: WorkerInput) -> list[str]:
    """Correct a roster row (e.g. 6个月后是否在职 once known); the old values stay in the audit log."""
    require(user, *COUNTER, action="修改输送劳动力")
    station_rules(profile)
    row = session.get(StationWorker, worker_id)
    if row is None:
        raise UserError("这条名册记录不存在。")
    _editable(get_station(session, row.station_id))
    values, warnings = worker_values(data, clock.today())
    _not_listed(session, row.station_id, values, row.id)
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
    return warnings


def worker_input(session: Session, worker_id: int) -> WorkerInput:
    """A roster row as the edit form shows it (the full ID number: the clerk is correcting it)."""
    row = session.get(StationWorker, worker_id)
    if row is None:
        raise UserError("这条名册记录不存在。")
    return WorkerInput(row.name, row.id_number, row.hukou, row.employer, row.hired_on, row.si_months, row.dispatched,
                       row.skilled, row.retained, row.note)


def _not_listed(session: Session, station_id: int, values: dict[str, object], own_id: int | None) -> None:
    other = session.scalar(select(StationWorker.id).where(
        StationWorker.station_id == station_id, StationWorker.id_number == values["id_number"],
        StationWorker.hired_on == values["hired_on"]))
    if other is not None and other != own_id:
        raise UserError(f"{values['name']}于 {values['hired_on']:%Y-%m-%d} 入职的记录已在本站名册中，不能重复录入。",
                        field="id_number")


def facts_of(row: Any) -> WorkerFacts:
    """The delivered rule's facts of a roster row (an ORM object or a row with those columns)."""
    return WorkerFacts(row.gender, row.birth_date, row.hukou_province_code, row.hired_on, row.si_months,
                       row.dispatched)


# --- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterQuery:
    station_id: int
    text: str = ""
    year: int | None = None
    offset: int = 0
    limit: int = 200
    order: str = ""
    descending: bool = False


@dataclass(frozen=True)
class WorkerRow:
    id: int
    name: str
    id_number_masked: str
    gender: str
    hukou: str
    employer: str
    hired_on: date
    si_months: int
    dispatched: bool
    skilled: bool
    retained: bool | None
    counts: bool
    check_text: str
    duplicate_with: str  # other stations counting the same worker in the same year

    @property
    def retained_label(self) -> str:
        return {True: "是", False: "否", None: "未登记"}[self.retained]


SORT_KEYS = {"name": StationWorker.name, "hired_on": StationWorker.hired_on, "employer": StationWorker.employer,
             "hukou": StationWorker.hukou}


def _filters(query: RosterQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [StationWorker.station_id == query.station_id]
    text = "".join(query.text.split()).upper()
    if text:
        if is_id_prefix(text):
            conds.append(and_(StationWorker.id_number >= text, StationWorker.id_number < text + "~"))
        else:
            conds.append(StationWorker.name.contains(text, autoescape=True))
    if query.year:
        conds.append(and_(StationWorker.hired_on >= date(query.year, 1, 1),
                          StationWorker.hired_on <= date(query.year, 12, 31)))
    return conds


def count_workers(session: Session, query: RosterQuery) -> int:
    return session.scalar(select(func.count()).select_from(StationWorker).where(*_filters(query))) or 0


def search_workers(session: Session, profile: PolicyProfile, query: RosterQuery) -> list[WorkerRow]:
    rules = station_rules(profile)
    key = SORT_KEYS.get(query.order)
    if key is None:
        order = (StationWorker.hired_on.desc(), StationWorker.id.desc())
    else:
        order = (key.desc(), StationWorker.id.desc()) if query.descending else (key.asc(), StationWorker.id.asc())
    rows = list(session.scalars(select(StationWorker).where(*_filters(query)).order_by(*order)
                                .offset(query.offset).limit(query.limit)))
    checks = {r.id: delivered_check(facts_of(r), rules, profile.working_age) for r in rows}
    dups = duplicates(session, profile, query.station_id,
                      [(r.id_number, r.hired_on.year) for r in rows if checks[r.id].counts])
    m = profile.masking
    return [
        WorkerRow(r.id, r.name, mask(r.id_number, m.id_head, m.id_tail, m.mask_char), r.gender, r.hukou, r.employer,
                  r.hired_on, r.si_months, r.dispatched, r.skilled, r.retained, checks[r.id].counts,
                  checks[r.id].text, "、".join(dups.get((r.id_number, r.hired_on.year), ())))
        for r in rows
    ]


def duplicates(session: Session, profile: PolicyProfile, station_id: int,
               keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], list[str]]:
    """(ID number, year) → names of other stations that also count that worker that year."""
    rules = station_rules(profile)
    wanted = set(keys)
    ids = sorted({k[0] for k in wanted})
    found: dict[tuple[str, int], list[str]] = {}
    for i in range(0, len(ids), 500):
        stmt = (select(*_FIGURE_COLUMNS, Station.name).join(Station, Station.id == W.station_id)
                .where(W.id_number.in_(ids[i:i + 500]), W.station_id != station_id))
        for worker in session.execute(stmt):
            name = worker.name
            key = (worker.id_number, worker.hired_on.year)
            if key in wanted and delivered_check(facts_of(worker), rules, profile.working_age).counts:
                names = found.setdefault(key, [])
                if name not in names:
                    names.append(name)
    return found


# --- figures ----------------------------------------------------------------------------------


W = StationWorker
_FIGURE_COLUMNS = (W.id_number, W.gender, W.birth_date, W.hukou_province_code, W.hired_on, W.si_months, W.dispatched,
                   W.skilled, W.retained)


def _counting(session: Session, profile: PolicyProfile, station_id: int, *conds: ColumnElement[bool]
              ) -> dict[str, Any]:
    """The station's counting workers (first counting row per ID number) matching ``conds``, as
    plain rows of the columns the figures need (no ORM objects: a station may list thousands)."""
    rules = station_rules(profile)
    out: dict[str, Any] = {}
    stmt = (select(*_FIGURE_COLUMNS).where(W.station_id == station_id, *conds).order_by(W.hired_on, W.id))
    for row in session.execute(stmt):
        if row.id_number not in out and delivered_check(facts_of(row), rules, profile.working_age).counts:
            out[row.id_number] = row
    return out


def cumulative_delivered(session: Session, profile: PolicyProfile, station_id: int, until: date | None = None) -> int:
    """Distinct workers counting as delivered, hired on or before ``until`` (the 50-worker condition)."""
    conds = [StationWorker.hired_on <= until] if until else []
    return len(_counting(session, profile, station_id, *conds))


def year_figures(session: Session, profile: PolicyProfile, station_id: int, year: int, as_of: date) -> RosterFigures:
    """What the evaluation of ``year`` counts from the roster, as of the evaluation date."""
    rules = station_rules(profile)
    rows = _counting(session, profile, station_id, StationWorker.hired_on >= date(year, 1, 1),
                     StationWorker.hired_on <= date(year, 12, 31))
    months = rules.retention_check_months
    base = [r for r in rows.values() if add_months(r.hired_on, months) <= as_of]
    dups = duplicates(session, profile, station_id, [(k, year) for k in rows])
    return RosterFigures(
        delivered=len(rows),
        skilled=sum(r.skilled for r in rows.values()),
        retention_base=len(base),
        retained=sum(r.retained is True for r in base),
        not_yet_due=len(rows) - len(base),
        retention_unknown=sum(r.retained is None for r in base),
        duplicates=len(dups),
    )


@dataclass(frozen=True)
class RosterSummary:
    rows: int
    delivered: int  # distinct counting workers, all years
    not_counted: int  # rows that do not count
    by_year: tuple[tuple[int, int], ...]  # (year, delivered that year)


def roster_summary(session: Session, profile: PolicyProfile, station_id: int) -> RosterSummary:
    rules = station_rules(profile)
    total = 0
    not_counted = 0
    seen: set[str] = set()
    years: dict[int, set[str]] = {}
    for row in session.execute(select(*_FIGURE_COLUMNS).where(W.station_id == station_id)):
        total += 1
        if delivered_check(facts_of(row), rules, profile.working_age).counts:
            seen.add(row.id_number)
            years.setdefault(row.hired_on.year, set()).add(row.id_number)
        else:
            not_counted += 1
    return RosterSummary(total, len(seen), not_counted, tuple(sorted((y, len(s)) for y, s in years.items())))
