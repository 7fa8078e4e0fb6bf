"""Demo labour-cooperation workstations (劳务协作工作站) for the jindong profile.

Nine fictitious stations with partner counties in the labour-exporting provinces, each with a
roster of delivered workers and the history the counter would have recorded: applications with
their materials, reviews and establishment, yearly evaluations signed off by the 审核 role, one
excellent station (优秀站点) with its award, one station with two failing years (the revocation
prompt), one vetoed year, one revoked station under the re-application ban, one application
waiting for review and one station set up this year. The scores land on both sides of the pass
line and in every subsidy tier.

The steps go through the same services the counter uses, with the clock set to the day each
step happened; the rosters (a few thousand rows) are bulk-inserted with one audit entry per row,
as the roster import writes them.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop.core import clock, regions
from desktop.core.audit import append_facts
from desktop.core.db.database import Database
from desktop.core.demo import words
from desktop.core.documents.excel.importing import FactMaker, stamps, summary_fact
from desktop.core.documents.excel.roster_import import insert_workers
from desktop.core.idcard import check_digit
from desktop.core.models.account import Role, User
from desktop.core.models.station import StationWorker
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.station_rules import add_months
from desktop.core.services import station_awards, station_evaluations, stations
from desktop.core.services.accounts import SignedInUser
from desktop.core.services.station_evaluations import EvaluationInput
from desktop.core.services.station_materials import MaterialInput, add_material

ROSTER_FILE = "累计输送劳动力名册（演示）.xlsx"
EMPLOYERS = ("浙江金东机械制造有限公司", "金华市多湖电子科技有限公司", "金东区曹宅五金工具厂", "浙江孝顺汽车配件有限公司",
             "金华市江东纺织有限公司", "浙江傅村食品有限公司", "金华市塘雅家居用品有限公司", "浙江澧浦电器有限公司")


@dataclass(frozen=True)
class Year:
    """One evaluated year: roster size and shape, and what the evaluator found."""

    delivered: int
    skilled: int
    retention: int  # % of the workers past their 6-month date still employed
    facts: dict[str, Any] = field(default_factory=dict)
    bonus: int | None = None
    innovation: str = "0"
    reason: str = ""


@dataclass(frozen=True)
class Plan:
    name: str
    county: str  # the partner county, where the workers come from
    builder: str
    head: str
    established: int | None  # years before this year; None: still applying
    years: dict[int, Year]  # years before this year → the evaluated year
    revoked_days_ago: int | None = None
    extra_workers: int = 0  # delivered in the current year (no evaluation yet)


GOOD = {"management_system": True, "onsite_office": True, "responsible_person": True, "work_plan": True,
        "ledger": 5, "worker": (120, 104), "employer": (16, 14), "events_held": 3}


def _facts(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


PLANS = (
    Plan("贵州榕江劳务协作工作站", "522632", "金华市金才人力资源有限公司", "陈立新", 4, {
        2: Year(332, 41, 72, _facts(), 4, "6", "与榕江县职校共建“订单班”，毕业即输送"),
        1: Year(348, 46, 75, _facts(), 4, "7", "两地联合建立返岗专车和务工人员服务驿站"),
    }, extra_workers=60),
    Plan("云南镇雄劳务协作工作站", "530627", "浙江众诚人力资源服务有限公司", "赵海峰", 3, {
        2: Year(205, 12, 58, _facts(worker=(80, 62), verified_complaints=1), 2, "5", "建立务工人员微信服务群"),
        1: Year(240, 15, 57, _facts(employer=(12, 8), verified_complaints=1, contracts_missing=1), 2, "6",
                "推行“企业+工作站”双向回访"),
    }),
    Plan("四川大英劳务协作工作站", "510923", "金华市启航人力资源有限公司", "刘文斌", 3, {
        1: Year(182, 6, 66, _facts(ledger=4, employer=(10, 7), events_held=1), None, "4", "建立输送人员技能档案"),
    }),
    Plan("江西于都劳务协作工作站", "360731", "金东区安泰劳务服务有限公司", "钟国平", 2, {
        1: Year(121, 4, 46, _facts(ledger=4, worker=(60, 40), employer=(8, 5), events_held=2,
                                  unreported_changes=1, contracts_missing=2), None, "3", "开展岗前安全培训"),
    }),
    Plan("河南固始劳务协作工作站", "411525", "金华市鼎盛人力资源有限公司", "王建军", 4, {
        2: Year(92, 2, 36, _facts(work_plan=False, ledger=3, worker=(50, 20), employer=(6, 4), events_held=0)),
        1: Year(71, 1, 33, _facts(work_plan=False, ledger=3, worker=(40, 15), employer=(5, 2), events_held=0,
                                  unreported_changes=2)),
    }),
    Plan("甘肃会宁劳务协作工作站", "620422", "浙江金西人力资源开发有限公司", "张志刚", 2, {
        1: Year(212, 9, 63, _facts(accidents=1, verified_complaints=2), None, "5", "建立劳务协作联络员制度"),
    }),
    Plan("广西都安劳务协作工作站", "451228", "金华市通达劳务派遣有限公司", "韦永祥", 3, {
        2: Year(84, 1, 40, _facts(ledger=3, events_held=1)),
    }, revoked_days_ago=300),
    Plan("贵州从江劳务协作工作站", "522633", "金华市金才人力资源有限公司", "陈立新", None, {}, extra_workers=58),
    Plan("湖南新化劳务协作工作站", "431322", "浙江湘浙人力资源服务有限公司", "曾祥云", 0, {}, extra_workers=56),
)


@contextmanager
def _on(day: date, hour: int = 10) -> Iterator[None]:
    """Record a step on ``day`` (the clock is set for it, then put back)."""
    prior = clock._fixed  # the demo may run under a pinned clock (tests, screenshots)
    clock.pin(datetime.combine(day, time(hour, 0)))
    try:
        yield
    finally:
        clock.pin(prior)


class _Workers:
    """Fictitious delivered workers: valid IDs of the partner county, names, hire dates."""

    def __init__(self, rng: random.Random, used: set[str]) -> None:
        self.rng, self.used = rng, used

    def person(self, county: str, hired: date) -> tuple[str, str, str]:
        rng = self.rng
        while True:
            male = rng.random() < 0.58
            birth = hired - timedelta(days=rng.randint(19 * 365, 48 * 365))
            seq = f"{rng.randint(0, 99):02d}{rng.choice('13579' if male else '02468')}"
            body = f"{county}{birth:%Y%m%d}{seq}"
            number = body + check_digit(body)
            if number not in self.used:
                self.used.add(number)
                break
        given = rng.choice(words.MALE_CHARS if male else words.FEMALE_CHARS)
        if rng.random() < 0.6:
            given += rng.choice(words.SHARED_CHARS + (words.MALE_CHARS if male else words.FEMALE_CHARS))
        return rng.choice(words.SURNAMES[:60]) + given, number, "男" if male else "女"

    def rows(self, station_id: int, county: str, year: int, n: int, skilled: int, retention: int, as_of: date,
             hukou: str) -> list[dict[str, Any]]:
        """``n`` counting workers hired in ``year`` (up to ``as_of``) plus ~6 % who do not count."""
        rng = self.rng
        last = min(date(year, 12, 20), as_of - timedelta(days=3))
        if last <= date(year, 1, 5):
            return []  # the year has only just begun
        span = (last - date(year, 1, 5)).days
        out = []
        extra = max(1, n * 6 // 100)
        for i in range(n + extra):
            hired = date(year, 1, 5) + timedelta(days=rng.randrange(span))
            kind = "ok" if i < n else rng.choice(("local", "short", "dispatched"))
            origin = "330703" if kind == "local" else county
            name, number, gender = self.person(origin, hired)
            due = add_months(hired, 6) <= as_of
            out.append({
                "station_id": station_id, "name": name, "id_number": number, "gender": gender,
                "birth_date": date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                "hukou": "浙江省金华市金东区" if kind == "local" else hukou,
                "hukou_province_code": origin[:2], "employer": rng.choice(EMPLOYERS), "hired_on": hired,
                "si_months": 1 if kind == "short" else rng.randint(3, 12), "dispatched": kind == "dispatched",
                "skilled": i < skilled, "retained": (rng.random() * 100 < retention) if due else None,
                "note": "", "source": f"导入：{ROSTER_FILE}",
            })
        return out


def _account(session: Any, username: str) -> SignedInUser:
    user = session.scalar(select(User).where(User.username == username))
    return SignedInUser(user.id, user.username, user.display_name, Role(user.role), False)


def _input(profile: PolicyProfile, year: int, y: Year, on: date) -> EvaluationInput:
    f = dict(y.facts)
    ledger = profile.station.score.ledger_items[: f.pop("ledger")] if profile.station else ()
    (ws, wsat), (es, esat) = f.pop("worker"), f.pop("employer")
    events = f["events_held"]
    note = "；".join(f"{m}月 金东区企业专场招聘会" for m in (3, 6, 9, 11)[:events])
    return EvaluationInput(evaluated_on=on, evaluator="区就业服务中心评估组", ledger_present=ledger, worker_surveyed=ws,
                           worker_satisfied=wsat, employer_surveyed=es, employer_satisfied=esat, events_note=note,
                           skilled_bonus=Decimal(y.bonus) if y.bonus else None, innovation=Decimal(y.innovation),
                           innovation_reason=y.reason, **f)


def generate_stations(db: Database, profile: PolicyProfile, seed: int, say: Callable[[str], None]) -> str:
    """Add the demo stations (once per database); returns a one-line summary, "" if they exist."""
    if profile.station is None or not profile.modules.station:
        return ""
    today = clock.today()
    this_year = today.year
    with db.session("演示数据", write=False) as s:
        if stations.list_stations(s):
            return ""
        clerk, reviewer = _account(s, "jingban"), _account(s, "shenhe")
        used = set(s.scalars(select(StationWorker.id_number)))
    say("正在生成劳务协作工作站、输送名册和年度评估……")
    rng = random.Random(f"{seed}:stations")
    people = _Workers(rng, used)
    photo = _office_photo()
    made = 0
    rosters: dict[str, list[dict[str, Any]]] = {}
    for plan in PLANS:
        rosters[plan.name] = _station(db, profile, plan, this_year, today, clerk, reviewer, people, photo)
        made += len(rosters[plan.name])
    made += _duplicates(db, rosters, this_year - 1)
    first = PLANS[0]
    with db.session("shenhe") as s:
        station_id = stations.find_station(s, first.name).id
        with _on(min(today, date(this_year, 2, 20))):
            station_awards.decide_excellent(s, reviewer, profile, station_id, this_year - 1)
    return f"劳务协作工作站 {len(PLANS)} 个（输送名册 {made} 人次，含优秀站点、连续两年不合格、已取消资格和待初审的示例）"


def _office_photo() -> Path | None:
    """A small JPEG standing in for the 办公场所照片 (item 6 of the checklist), when Pillow is there."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        return None
    img = Image.new("RGB", (320, 200), (214, 228, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 60, 280, 190), fill=(245, 245, 240), outline=(90, 90, 90))
    draw.rectangle((130, 120, 190, 190), fill=(120, 90, 60))
    draw.rectangle((60, 20, 260, 55), fill=(180, 30, 30))
    path = Path(tempfile.mkdtemp(prefix="labordesk-demo-")) / "办公场所照片.jpg"
    img.save(path, format="JPEG", quality=70)
    return path


def _duplicates(db: Database, rosters: dict[str, list[dict[str, Any]]], year: int) -> int:
    """A few workers the first station delivered last year, reported again by its sister station
    (same builder) that year: the roster flags them as counted by two stations."""
    source, target = PLANS[0].name, PLANS[7].name
    target_rows = rosters.get(target) or []
    if not target_rows:
        return 0
    station_id = target_rows[0]["station_id"]
    picked = [r for r in rosters.get(source, []) if r["hired_on"].year == year and r["si_months"] >= 3
              and not r["dispatched"] and r["hukou_province_code"] != "33"][:4]
    copies = [r | {"station_id": station_id, "hired_on": r["hired_on"] + timedelta(days=1)} for r in picked
              if (r["hired_on"] + timedelta(days=1)).year == year]
    _insert_roster(db, copies)
    return len(copies)


def _station(db: Database, profile: PolicyProfile, plan: Plan, this_year: int, today: date, clerk: SignedInUser,
             reviewer: SignedInUser, people: _Workers, photo: Path | None) -> list[dict[str, Any]]:
    if plan.established is None:
        applied = today - timedelta(days=20)
        established = None
    else:
        established = date(this_year - plan.established, 4, 18) if plan.established else min(
            today - timedelta(days=10), date(this_year, 3, 16))
        applied = established - timedelta(days=45)
    hukou = regions.full_name(plan.county) or ""
    partner = regions.lookup_division(plan.county)
    data = stations.StationInput(
        plan.name, plan.builder, hukou, plan.head, f"139{rng_digits(people.rng, 8)}",
        f"{partner.name if partner else ''}人力资源和社会保障局", "", "",
        f"金华市金东区{people.rng.choice(('多湖街道', '东孝街道', '孝顺镇', '曹宅镇'))}{people.rng.randint(1, 300)}号",
        date(applied.year + 5, 12, 31), f"与{hukou}建立劳务协作关系，为区内制造业企业输送劳动力。", applied)
    with db.session("jingban") as s, _on(applied):
        sid = stations.apply(s, clerk, profile, data)
        items = len(profile.station.application_materials) if profile.station else 7
        for no in range(1, items + 1 if established else items - 1):
            scan = photo if no == 6 else None  # 办公场所照片: a picture, not paper copies
            add_material(s, clerk, profile, sid, MaterialInput(no, applied, 0 if scan else 2, "", scan))
    # the roster: enough delivered before the application, then each year's workers
    rows = people.rows(sid, plan.county, applied.year - (1 if applied.month < 3 else 0), 56 if established else 58,
                       2, 70, applied, hukou)
    for back, year in sorted(plan.years.items(), reverse=True):
        on = min(today, date(this_year - back + 1, 1, 15))
        rows += people.rows(sid, plan.county, this_year - back, year.delivered, year.skilled, year.retention, on, hukou)
    if plan.extra_workers and established:
        rows += people.rows(sid, plan.county, this_year, plan.extra_workers, 3, 70, today, hukou)
    _insert_roster(db, rows)
    if established is None:
        return rows
    with db.session("shenhe") as s:
        with _on(applied + timedelta(days=7)):
            stations.center_review(s, reviewer, profile, sid, passed=True, on=clock.today(), opinion="")
        with _on(established - timedelta(days=5)):
            stations.bureau_review(s, reviewer, profile, sid, passed=True, on=clock.today(), opinion="")
        with _on(established):
            stations.establish(s, reviewer, profile, sid, on=established,
                               document=f"金东人社〔{established.year}〕{people.rng.randint(10, 60)}号")
    for back, year in sorted(plan.years.items(), reverse=True):
        evaluated = min(today, date(this_year - back + 1, 1, 15))
        with db.session("jingban") as s, _on(evaluated):
            eid = station_evaluations.start_evaluation(s, clerk, profile, sid, this_year - back)
            station_evaluations.save(s, clerk, profile, eid, _input(profile, this_year - back, year, evaluated))
        with db.session("shenhe") as s, _on(min(today, evaluated + timedelta(days=10))):
            station_evaluations.sign_off(s, reviewer, profile, eid)
    if plan.revoked_days_ago:
        with db.session("shenhe") as s, _on(today - timedelta(days=plan.revoked_days_ago)):
            reason = profile.station.revocation_reasons[3] if profile.station else ""
            stations.revoke(s, reviewer, profile, sid, on=clock.today(), reason=reason,
                            detail="虚报输送人数申领年度绩效奖励，经核实")
    return rows


def rng_digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _insert_roster(db: Database, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    with db.session("jingban") as s:
        stamped = [r | stamps("jingban", clock.now()) for r in rows]
        ids = insert_workers(s, stamped)
        make = FactMaker(StationWorker).make
        facts = [make(i, r) for i, r in zip(ids, stamped, strict=True)]
        facts.append(summary_fact(StationWorker.__audit_entity__, ROSTER_FILE, len(rows), len(rows)))
        append_facts(s, facts)
