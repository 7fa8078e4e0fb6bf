"""Demo data (演示数据): a set-up centre, demo accounts and realistic fictitious applications with
their whole certification history: workflow steps, training results, publicity batches with
objections, and the broker registry (certified through the workflow, and some imported).

Used by the "先看看演示数据" button, ``labordesk demo`` and the benchmarks. Rows are written with
SQLAlchemy Core in a few large transactions, each row with one audit entry (the importers' fast
bulk insert and creation facts), so a city's 14 000 applications take seconds, not minutes.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desktop.core import clock, regions
from desktop.core.audit import AuditFact, append_facts
from desktop.core.db.database import Database
from desktop.core.demo import words
from desktop.core.demo.history import CERTIFIED_REASON, Actor, App, HistoryPlanner, Slot
from desktop.core.demo.people import PeopleMaker, places_of
from desktop.core.demo.records import HistoryRows, RecordMaker
from desktop.core.demo.stations import generate_stations
from desktop.core.documents.excel.importing import FactMaker, insert_and_read_ids, stamps, summary_fact
from desktop.core.models.account import Role
from desktop.core.models.broker import ApplicationStatus, BrokerApplication
from desktop.core.models.certification import ApplicationStep, Objection, PublicityBatch, PublicityEntry, TrainingResult
from desktop.core.models.registry import Broker, BrokerStatus, BrokerStatusChange
from desktop.core.rules.profile import PolicyProfile, load_profile
from desktop.core.rules.workdays import is_working_day
from desktop.core.services import accounts
from desktop.core.services import center as center_service
from desktop.core.services.center import CenterInfo
from desktop.core.services.publicity import calendar_arrangements, preview_end_date

DEMO_ACTOR = "演示数据"
DEMO_CENTER_NAME = "演示县农民工服务中心"
DEMO_PASSWORD = "Demo@2026"


class DemoAccount(NamedTuple):
    username: str
    display_name: str
    role: Role


#: The accounts a new demo centre gets, all with DEMO_PASSWORD and no forced password change.
DEMO_ACCOUNTS = (
    DemoAccount("admin", "演示管理员", Role.ADMIN),
    DemoAccount("jingban", "演示经办员", Role.CLERK),
    DemoAccount("shenhe", "演示审核员", Role.REVIEWER),
    DemoAccount("shenji", "演示审计员", Role.AUDITOR),
)

SIZES = {"small": 60, "county": 1_500, "city": 14_000}
#: A real county of each profile's area, one that has a village table.
DEMO_COUNTIES = {"sichuan": "510923", "chongqing": "500101", "honghe": "532524", "jindong": "330703"}
CHUNK = 10_000  # rows per transaction: few commits, bounded memory
PHOTOS = 3  # only the first few applications of a run get a photo, to keep the file small
IMPORTED_SHARE = 0.15  # of all brokers: certified before the system was used, imported
CLERK, REVIEWER = "jingban", "shenhe"  # who records the steps, who reviews and closes publicity
IMPORT_FILE = "劳务经纪人名册（系统启用前已认定）.xlsx"

Progress = Callable[[str], None]


def generate_demo(
    db: Database,
    *,
    size: str = "small",
    profile_name: str = "sichuan",
    progress: Progress | None = None,
    seed: int = 20261122,
    count: int | None = None,
) -> str:
    """Set up the demo centre if needed and add applications with their history; returns a
    one-line Chinese summary.

    ``size`` is small (≈60), county (≈1 500) or city (≈14 000, over all counties of the centre's
    city); ``count`` overrides the number. Running it again adds new people with new ID numbers,
    in new publicity batches.
    """
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}; use one of {', '.join(SIZES)}")
    say = progress or (lambda _text: None)
    started = time.perf_counter()
    total = SIZES[size] if count is None else max(0, int(count))

    with db.session(DEMO_ACTOR) as s:
        created_centre = _ensure_centre(s, profile_name)
        info = center_service.load_center(s)
        assert info is not None
        profile = info.profile()
        used = set(s.scalars(select(BrokerApplication.id_number))) | set(s.scalars(select(Broker.id_number)))
        existing = s.scalar(select(func.count()).select_from(BrokerApplication)) or 0
    if created_centre:
        say(f"已完成演示中心设置：{info.center_name}（{info.county_name}）。")

    counties = _counties_for(info.county_code, size)
    places = places_of(counties)
    # Seeded by the run's starting point too, so a second run makes different people.
    rng = random.Random(f"{seed}:{existing}")
    maker = PeopleMaker(rng, profile, places, used, clock.today())
    pairs = max(2, total // 150) if total >= 4 else 0
    say(f"正在生成 {total} 条演示申请（{len(counties)} 个县区，{len(places)} 个村、社区）……")

    apps: list[App] = []
    while len(apps) < total:
        n = min(CHUNK, total - len(apps))
        rows = maker.applications(n, round(pairs * n / total))
        if not apps:
            _add_photos(rows[:PHOTOS])
        with db.session(DEMO_ACTOR) as s:
            ids = _insert(s, rows)
        apps.extend(_slim(i, r) for i, r in zip(ids, rows, strict=True))
        say(f"已写入 {len(apps)}/{total} 条申请。")

    say("正在生成认定流程、培训考试、公示和经纪人名册……")
    rng_history = random.Random(f"{seed}:{existing}:history")
    records = RecordMaker(
        rng_history,
        clerk=_account(CLERK),
        reviewer=_account(REVIEWER),
        province_code=profile.region.province_code,
        title_template=profile.publicity.title_template,
        working_days=profile.publicity.working_days,
    )
    with db.session(DEMO_ACTOR) as s:
        planner = _planner(s, profile, rng_history, maker.first_day)
        routes = planner.plan(apps)
        batch_ids = _insert_batches(s, records, planner.closed + planner.open, info)
    certified = 0
    for i in range(0, len(routes), CHUNK):
        rows_ = records.rows(routes[i : i + CHUNK], batch_ids)
        with db.session(DEMO_ACTOR) as s:
            certified += _insert_history(s, rows_)
    imported = round(certified * IMPORTED_SHARE / (1 - IMPORTED_SHARE))
    if imported:
        with db.session(DEMO_ACTOR) as s:
            _insert_imported(s, [maker.imported_broker() for _ in range(imported)])

    fund_summary = ""
    if profile.modules.fund:  # 劳务合作社与劳务合作金 (desktop/core/demo/fund.py)
        from desktop.core.demo.fund import add_fund_demo

        fund_summary = add_fund_demo(db, profile, info, seed=seed, password=DEMO_PASSWORD, progress=say)
    moved, claims = None, (0, 0, 0)
    if profile.modules.transfer:
        from desktop.core.demo.transfers import add_claim_batches, add_transfers

        moved = add_transfers(db, profile, counties, seed=f"{seed}:{existing}", progress=say)
        if profile.modules.subsidy and profile.subsidy is not None:
            claims = add_claim_batches(db, profile, REVIEWER, progress=say)

    mods = profile.modules
    if mods.coverage or mods.training or mods.points:
        from desktop.core.demo.performance import add_performance

        add_performance(db, profile, info.county_code, info.center_name, seed=f"{seed}:{existing}", progress=say)

    station_summary = generate_stations(db, profile, seed, say)
    seconds = time.perf_counter() - started
    counts = {st: sum(a.status == st.value for a in apps) for st in ApplicationStatus}
    summary = (
        f"演示数据已生成：{info.center_name}（{info.county_name}），新增申请 {len(apps)} 条"
        f"（已认定 {counts[ApplicationStatus.CERTIFIED]} 条，公示中 {counts[ApplicationStatus.IN_PUBLICITY]} 条，"
        f"未通过 {counts[ApplicationStatus.REJECTED]} 条）、公示批次 {len(batch_ids)} 个、"
        f"在册经纪人 {certified + imported} 名（其中系统启用前认定、导入 {imported} 名）"
        + (f"、转移就业记录 {moved.records} 条（用时 {moved.seconds:.1f} 秒）" if moved and moved.records else "")
        + (f"、服务补助申领名册 {claims[0]} 批 {claims[1]} 人（拒绝重复申领 {claims[2]} 人）" if claims[0] else "")
        + (f"；{station_summary}" if station_summary else "")
        + f"，用时 {seconds:.1f} 秒。"
    )
    if created_centre:
        names = "、".join(f"{a.username}（{a.role.label}）" for a in DEMO_ACCOUNTS)
        summary += f"演示账号：{names}，密码均为 {DEMO_PASSWORD}。"
    return summary + fund_summary


def _ensure_centre(session: Session, profile_name: str) -> bool:
    """Set up the demo centre and accounts unless the database already has a centre."""
    if center_service.is_initialised(session):
        return False
    county = DEMO_COUNTIES.get(profile_name) or _any_county(load_profile(profile_name))
    admin, *others = DEMO_ACCOUNTS
    center_service.initialise(
        session,
        center_service.SetupInput(
            center_name=DEMO_CENTER_NAME,
            county_code=county,
            profile_name=profile_name,
            admin_username=admin.username,
            admin_display_name=admin.display_name,
            admin_password=DEMO_PASSWORD,
        ),
    )
    profile = load_profile(profile_name)
    for account in others:
        accounts.create_user(
            session,
            profile,
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            password=DEMO_PASSWORD,
            must_change_password=False,
        )
    return True


def _any_county(profile: PolicyProfile) -> str:
    """A county of the profile's area that has villages on file (for profiles added later)."""
    code = profile.region.division_code
    prefix = code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
    candidates = [r.code for r in regions.counties_of(profile.region.province_code) if r.code.startswith(prefix)]
    for candidate in candidates:
        if regions.villages_of_county(candidate):
            return candidate
    if not candidates:
        raise ValueError(f"no county for profile {profile.name}")
    return candidates[0]


def _counties_for(county_code: str, size: str) -> list[str]:
    """The centre's county; for the city size every county of its city (or municipality)."""
    if size != "city":
        return [county_code]
    county = regions.lookup_division(county_code)
    parent = county.parent if county else None
    siblings = [r.code for r in regions.counties_of(county_code[:2]) if parent and r.parent == parent]
    return siblings or [county_code]


def _add_photos(rows: list[dict[str, Any]]) -> None:
    try:
        from PIL import Image, ImageDraw
    except ImportError:  # Pillow is optional for the demo: no photos then
        return
    for i, row in enumerate(rows):
        img = Image.new("RGB", (70, 98), (67 + 40 * i, 132, 200))  # 2寸 proportions, blue background
        draw = ImageDraw.Draw(img)
        draw.ellipse((22, 16, 48, 48), fill=(236, 200, 170))
        draw.rectangle((12, 56, 58, 98), fill=(40, 40, 48))
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=80)
        row["photo"], row["photo_type"] = buf.getvalue(), "jpeg"


def _slim(app_id: int, r: dict[str, Any]) -> App:
    return App(
        app_id,
        r["status"],
        r["application_date"],
        r["id_number"],
        r["name"],
        r["gender"],
        r["birth_date"],
        r["education"],
        r["phone"],
        r["village_code"],
        r["village_name"],
    )


def _insert(session: Session, rows: list[dict[str, Any]]) -> Sequence[int]:
    """Insert ``rows`` and append one creation entry per row, as the ORM's audit hook would."""
    stamp = stamps(DEMO_ACTOR, clock.now()) | {"version": 1}
    stamped = [r | stamp for r in rows]
    table = BrokerApplication.__table__
    # RETURNING, not insert_and_read_ids: a re-applying person's two rows share the ID number.
    ids = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), stamped).scalars().all()
    make = FactMaker(BrokerApplication).make
    append_facts(session, [make(pk, r) for pk, r in zip(ids, rows, strict=True)])
    return ids


def _account(username: str) -> Actor:
    account = next(a for a in DEMO_ACCOUNTS if a.username == username)
    return Actor(account.username, account.display_name)


def _planner(session: Session, profile: PolicyProfile, rng: random.Random, first_day: date) -> HistoryPlanner:
    arrangements = calendar_arrangements(session)
    cal = profile.calendar

    def is_workday(d: date) -> bool:
        return is_working_day(d, arrangements, weekend_days=cal.weekend_days, holiday_source=cal.holiday_source)

    return HistoryPlanner(
        rng, clock.today(), first_day, lambda start: preview_end_date(session, profile, start), is_workday
    )


def _bulk(
    session: Session, model: type[Any], rows: list[dict[str, Any]], key: str
) -> tuple[dict[Any, int], list[AuditFact]]:
    """Insert ``rows`` (``key`` unique among them) with their creation facts; {key: id}, facts."""
    if not rows:
        return {}, []
    stamp = stamps(DEMO_ACTOR, clock.now())
    values = [r | stamp for r in rows]
    ids = insert_and_read_ids(session, model.__table__, values, key)
    make = FactMaker(model).make
    return ids, [make(ids[v[key]], v) for v in values]


def _insert_batches(session: Session, records: RecordMaker, slots: list[Slot], info: CenterInfo) -> dict[int, int]:
    """The publicity batches with people in them; returns id(slot) → batch id."""
    last_seq = dict(
        session.execute(select(PublicityBatch.year, func.max(PublicityBatch.seq)).group_by(PublicityBatch.year)).all()
    )
    code = info.county_code
    area = next((v for k, v in words.AREA_CODES.items() if code.startswith(k)), "")
    phone = f"{area}-{records.rng.randint(2, 8)}{records.rng.randrange(10**6):06d}" if area else "12333"
    address = f"{info.county_name or '本县'}人力资源和社会保障局一楼就业服务大厅{records.rng.randint(1, 9)}号窗口"
    batches = records.batches(slots, last_seq, phone, address, info.center_name)
    ids, facts = _bulk(session, PublicityBatch, [row for _slot, row in batches], "title")
    append_facts(session, facts)
    return {id(slot): ids[row["title"]] for slot, row in batches}


def _insert_history(session: Session, rows: HistoryRows) -> int:
    """Steps, training results, publicity entries, objections and certified brokers; returns how
    many brokers were registered."""
    facts: list[AuditFact] = []
    for layer in rows.steps:
        facts += _bulk(session, ApplicationStep, layer, "application_id")[1]
    for layer in rows.training:
        facts += _bulk(session, TrainingResult, layer, "application_id")[1]
    facts += _bulk(session, PublicityEntry, rows.entries, "application_id")[1]
    facts += _bulk(session, Objection, rows.objections, "application_id")[1]
    facts += _register(session, rows.brokers, CERTIFIED_REASON)
    append_facts(session, facts)
    return len(rows.brokers)


def _register(session: Session, brokers: list[dict[str, Any]], reason: str) -> list[AuditFact]:
    """Brokers and their first status change (在册), as register_from_application and the import do."""
    ids, facts = _bulk(session, Broker, brokers, "id_number")
    changes = [
        {
            "broker_id": ids[b["id_number"]],
            "status": BrokerStatus.ACTIVE.value,
            "changed_on": b["certified_on"],
            "reason": reason,
        }
        for b in brokers
    ]
    return facts + _bulk(session, BrokerStatusChange, changes, "broker_id")[1]


def _insert_imported(session: Session, brokers: list[dict[str, Any]]) -> None:
    """Brokers certified before the system was used, as the registry import enters them."""
    file_name = IMPORT_FILE
    facts = _register(session, brokers, f"系统启用前已认定，从“{file_name}”导入")
    facts.append(summary_fact(Broker.__audit_entity__, file_name, len(brokers), len(brokers)))
    append_facts(session, facts)
