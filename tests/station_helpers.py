"""Builders for workstation tests: signed-in users, an established station with a roster."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select, update

from desktop.core import clock
from desktop.core.db.database import Database
from desktop.core.documents.excel.importing import stamps
from desktop.core.models.account import Role, User
from desktop.core.models.center import CenterSettings
from desktop.core.models.station import StationWorker
from desktop.core.rules.profile import load_profile
from desktop.core.services.accounts import SignedInUser
from desktop.core.services.station_evaluations import EvaluationInput
from desktop.core.services.station_materials import MaterialInput, add_material
from desktop.core.services.station_roster import WorkerInput, worker_values
from desktop.core.services.stations import StationInput, apply, bureau_review, center_review, establish
from tests.factories import make_id

JINDONG = load_profile("jindong")


def users(db: Database) -> dict[str, SignedInUser]:
    """The template's accounts as signed-in users (without the deliberately slow password hash)."""
    with db.session("admin", write=False) as s:
        return {u.username: SignedInUser(u.id, u.username, u.display_name, Role(u.role), False)
                for u in s.scalars(select(User))}


def station_input(name: str = "贵州榕江劳务协作工作站", **changes: object) -> StationInput:
    values = dict(name=name, builder="金华市金才人力资源有限公司", partner_region="贵州省黔东南州榕江县",
                  head_name="陈立新", head_phone="13905791234", partner_org="榕江县就业局", partner_head="杨光",
                  partner_phone="0855-6621234", address="金华市金东区多湖街道光南路 88 号", term_end=date(2029, 12, 31),
                  intro="为区内制造业企业输送贵州籍务工人员。", applied_on=date(2026, 1, 5))
    values.update(changes)
    return StationInput(**values)  # type: ignore[arg-type]


def worker(seq: int, hired_on: date = date(2026, 3, 1), *, county: str = "522632", birth: date = date(1995, 5, 1),
           **changes: object) -> WorkerInput:
    values = dict(name=f"务工{seq}", id_number=make_id(birth, county, seq=seq % 100, male=seq % 2 == 0),
                  hukou="贵州省黔东南州榕江县", employer="金华市某机械有限公司", hired_on=hired_on, si_months=6,
                  dispatched=False, skilled=False, retained=True, note="")
    values.update(changes)
    return WorkerInput(**values)  # type: ignore[arg-type]


def distinct_birth(seq: int) -> date:
    """A different birth date per seq, so 100+ workers get different ID numbers."""
    return date(1980 + seq // 336 % 20, 1 + seq // 28 % 12, 1 + seq % 28)


def add_workers(db: Database, user: SignedInUser, station_id: int, n: int, start: int = 0, **changes: object) -> None:
    """``n`` checked roster rows in one insert (the service's own checks, without its per-row audit,
    to keep the tests quick; add_worker itself is tested on its own)."""
    stamp = stamps(user.username, clock.now())
    rows = [worker_values(worker(i, birth=distinct_birth(i), **changes), clock.today())[0] | stamp
            | {"station_id": station_id, "source": "测试"} for i in range(start, start + n)]
    if rows:
        with db.session(user.username) as s:
            s.execute(insert(StationWorker), rows)


def established_station(db: Database, name: str = "贵州榕江劳务协作工作站", workers: int = 50,
                        established_on: date = date(2026, 2, 10), applied_on: date = date(2026, 1, 5),
                        hired_on: date = date(2025, 12, 1), start: int = 0) -> int:
    """An active station: applied by the clerk, materials complete, roster, reviewed and established."""
    u = users(db)
    with db.session("clerk") as s:
        station_id = apply(s, u["clerk"], JINDONG, station_input(name, applied_on=applied_on))
        for no in range(1, 8):
            add_material(s, u["clerk"], JINDONG, station_id, MaterialInput(no, applied_on, paper_copies=2))
    add_workers(db, u["clerk"], station_id, workers, start=start, hired_on=hired_on)
    with db.session("reviewer") as s:
        center_review(s, u["reviewer"], JINDONG, station_id, passed=True, on=applied_on, opinion="")
        bureau_review(s, u["reviewer"], JINDONG, station_id, passed=True, on=established_on, opinion="")
        establish(s, u["reviewer"], JINDONG, station_id, on=established_on, document="金东人社〔2026〕15号")
    return station_id


def full_marks(year: int, **changes: object) -> EvaluationInput:
    rules = JINDONG.station
    assert rules is not None
    values = dict(evaluated_on=min(clock.today(), date(year + 1, 1, 20)), evaluator="区就业服务中心评估组",
                  management_system=True, onsite_office=True, responsible_person=True, work_plan=True,
                  ledger_present=rules.score.ledger_items, worker_surveyed=100, worker_satisfied=90,
                  employer_surveyed=10, employer_satisfied=9, events_held=2, innovation=Decimal(8),
                  innovation_reason="建立两地联合招聘直通车")
    values.update(changes)
    return EvaluationInput(**values)  # type: ignore[arg-type]


def make_jindong(db: Database) -> None:
    """Turn the (sichuan) template centre into a 金东 one, as if set up with the jindong profile."""
    with db.session("admin") as s:
        s.execute(update(CenterSettings).values(profile_name="jindong", county_code="330703",
                                                center_name="金东区就业服务中心", county_name="浙江省金华市金东区"))
