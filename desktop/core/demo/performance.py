"""Demo records for broker performance (chongqing modules): village population, training sessions
with attendance, and the work that earns points — each only where the profile's module is on.

Populations are last year-end's for most villages of the centre's county (a few left unentered);
each year has a handful of sessions (classes, online courses, meetings-as-training, a study tour)
that most brokers attend but some not enough; every broker reports data updates and tasks twice a
year. Rows are written in bulk with one audit entry each, like the rest of the demo.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import clock, regions
from desktop.core.audit import append_facts
from desktop.core.db.database import Database
from desktop.core.demo.transfers import insert_rows
from desktop.core.documents.excel.importing import FactMaker, stamps
from desktop.core.models.performance import (
    BrokerWork,
    TrainingAttendance,
    TrainingMode,
    TrainingSession,
    VillagePopulation,
    WorkKind,
)
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.coverage import township_name

DEMO_ACTOR = "演示数据"
UNENTERED_SHARE = 0.08  # villages whose population nobody has entered yet
SESSIONS = (  # (title, mode, days, month, day)
    ("劳务经纪人业务能力提升集中培育", TrainingMode.CLASSROOM, "2", 3, 10),
    ("劳务经纪人培育管理平台操作线上培训", TrainingMode.ONLINE, "1", 5, 20),
    ("稳岗就业政策宣讲（以会代训）", TrainingMode.MEETING, "0.5", 7, 8),
    ("东西部劳务协作外出学习交流", TrainingMode.STUDY_TOUR, "2", 9, 16),
    ("年度劳务经纪人工作总结及业务培训", TrainingMode.CLASSROOM, "1", 11, 5),
)


@dataclass(frozen=True)
class PerformanceDemoResult:
    villages: int
    sessions: int
    attendances: int
    work_entries: int


def _bulk(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> Sequence[int]:
    """Insert ``rows`` with one audit creation entry each; their new ids in order."""
    if not rows:
        return []
    values = [r | stamps(DEMO_ACTOR, clock.now()) for r in rows]
    ids = insert_rows(session, model.__table__, values)
    make = FactMaker(model).make
    append_facts(session, [make(i, v) for i, v in zip(ids, values, strict=True)])
    return ids


def _populations(session: Session, rng: random.Random, county_code: str, today: date) -> int:
    done = set(session.scalars(select(VillagePopulation.village_code).distinct()))
    as_of = date(today.year - 1, 12, 31)
    rows = []
    for v in regions.villages_of_county(county_code):
        if v.code in done or rng.random() < UNENTERED_SHARE:
            continue
        community = "社区" in v.name
        registered = int(rng.lognormvariate(8.2 if community else 7.9, 0.5))
        resident = int(registered * (rng.uniform(1.0, 1.6) if community else rng.uniform(0.55, 0.95)))
        rows.append({"village_code": v.code, "village_name": v.name, "township_name": township_name(v.code),
                     "registered": registered, "resident": resident, "as_of": as_of,
                     "source": f"{as_of.year}年统计年报", "note": ""})
    _bulk(session, VillagePopulation, rows)
    return len(rows)


def _sessions(session: Session, today: date, center_name: str) -> list[dict[str, Any]]:
    """Last year's and this year's sessions held by today, with their ids."""
    rows = []
    for year in (today.year - 1, today.year):
        for i, (title, mode, days, month, day) in enumerate(SESSIONS, 1):
            start = date(year, month, day)
            if start > today:
                continue
            length = max(1, int(Decimal(days) + Decimal("0.5")))
            rows.append({"title": f"{year}年{title}", "start_date": start,
                         "end_date": start + timedelta(days=length - 1), "days": Decimal(days), "mode": mode.value,
                         "location": "线上" if mode is TrainingMode.ONLINE else f"{center_name}培训室{i}",
                         "organiser": center_name, "note": ""})
    for row, new_id in zip(rows, _bulk(session, TrainingSession, rows), strict=True):
        row["id"] = new_id
    return rows


def _attendance(rng: random.Random, sessions: list[dict[str, Any]], brokers: list[tuple[int, date]]) -> list:
    rows = []
    for s in sessions:
        share = rng.uniform(0.7, 0.92)  # who came to this one
        rows += [{"session_id": s["id"], "broker_id": broker_id, "days": s["days"], "withdrawn": False,
                  "withdraw_reason": ""}
                 for broker_id, certified_on in brokers if certified_on <= s["start_date"] and rng.random() < share]
    return rows


def _work(rng: random.Random, brokers: list[tuple[int, date]], today: date) -> list[dict[str, Any]]:
    """Twice a year per broker: the half-year's data updates and tasks (some report nothing)."""
    rows = []
    for year in (today.year - 1, today.year):
        for half_end in (date(year, 6, 30), date(year, 12, 31)):
            on = min(half_end, today)
            for broker_id, certified_on in brokers:
                if certified_on > on or rng.random() < 0.1:
                    continue
                pace = rng.lognormvariate(0, 0.6)
                rows.append({"broker_id": broker_id, "occurred_on": on, "kind": WorkKind.DATA_UPDATE.value,
                             "quantity": max(1, int(rng.randint(5, 40) * pace)), "note": f"{on.year}年平台导出数据"})
                rows.append({"broker_id": broker_id, "occurred_on": on, "kind": WorkKind.TASK.value,
                             "quantity": max(1, int(rng.randint(1, 8) * pace)), "note": f"{on.year}年平台导出数据"})
    return rows


def add_performance(db: Database, profile: PolicyProfile, county_code: str, center_name: str, *, seed: str,
                    progress: Callable[[str], None] | None = None) -> PerformanceDemoResult:
    """Population, training and points records where the profile's modules use them (once per database)."""
    say = progress or (lambda _text: None)
    rng = random.Random(f"{seed}:performance")
    today = clock.today()
    mods = profile.modules
    with db.session(DEMO_ACTOR, write=False) as s:
        brokers = [(i, c) for i, c in s.execute(select(Broker.id, Broker.certified_on)
                                                .where(Broker.status == BrokerStatus.ACTIVE.value).order_by(Broker.id))]
        has_training = bool(s.scalar(select(func.count()).select_from(TrainingSession)))
        has_work = bool(s.scalar(select(func.count()).select_from(BrokerWork)))
    villages = sessions = attended = worked = 0
    if mods.coverage and county_code:
        with db.session(DEMO_ACTOR) as s:
            villages = _populations(s, rng, county_code, today)
    if mods.training and not has_training:
        with db.session(DEMO_ACTOR) as s:
            held = _sessions(s, today, center_name)
            rows = _attendance(rng, held, brokers)
            _bulk(s, TrainingAttendance, rows)
        sessions, attended = len(held), len(rows)
    if mods.points and not has_work:
        rows = _work(rng, brokers, today)
        with db.session(DEMO_ACTOR) as s:
            _bulk(s, BrokerWork, rows)
        worked = len(rows)
    if villages or sessions or worked:
        say(f"已生成村人口 {villages} 条、集中培育 {sessions} 次（签到 {attended} 人次）、积分工作量 {worked} 条。")
    return PerformanceDemoResult(villages, sessions, attended, worked)
