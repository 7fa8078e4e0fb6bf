"""Demo data (演示数据): a set-up centre, demo accounts and realistic fictitious applications.

Used by the "先看看演示数据" button, ``labordesk demo`` and the benchmarks. Rows are written with
SQLAlchemy Core in a few large transactions, each row with one audit entry, so 100 000
applications take a minute or two rather than hours of per-object flushes.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desktop.core import clock, regions
from desktop.core.audit import append_facts, creation_fact
from desktop.core.db.database import Database
from desktop.core.demo.people import PeopleMaker, places_of
from desktop.core.models.account import Role
from desktop.core.models.broker import ApplicationStatus, BrokerApplication
from desktop.core.rules.profile import PolicyProfile, load_profile
from desktop.core.services import accounts
from desktop.core.services import center as center_service

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
    """Set up the demo centre if needed and add applications; returns a one-line Chinese summary.

    ``size`` is small (≈60), county (≈1 500) or city (≈14 000, over all counties of the centre's
    city); ``count`` overrides the number. Running it again adds new people with new ID numbers.
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
        used = set(s.scalars(select(BrokerApplication.id_number)))
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

    done = rejected = 0
    while done < total:
        n = min(CHUNK, total - done)
        rows = maker.applications(n, round(pairs * n / total))
        if done == 0:
            _add_photos(rows[:PHOTOS])
        with db.session(DEMO_ACTOR) as s:
            _insert(s, rows)
        done += n
        rejected += sum(r["status"] == ApplicationStatus.REJECTED.value for r in rows)
        say(f"已写入 {done}/{total} 条申请。")

    seconds = time.perf_counter() - started
    summary = (
        f"演示数据已生成：{info.center_name}（{info.county_name}），新增申请 {done} 条"
        f"（其中未通过 {rejected} 条），用时 {seconds:.1f} 秒。"
    )
    if created_centre:
        names = "、".join(f"{a.username}（{a.role.label}）" for a in DEMO_ACCOUNTS)
        summary += f"演示账号：{names}，密码均为 {DEMO_PASSWORD}。"
    return summary


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


AUDIT_SKIP = BrokerApplication.__audit_skip__


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` and append one creation entry per row, as the ORM's audit hook would."""
    now = clock.now()
    actor = DEMO_ACTOR
    stamped = [
        {**r, "created_at": now, "created_by": actor, "updated_at": now, "updated_by": actor, "version": 1}
        for r in rows
    ]
    table = BrokerApplication.__table__
    ids = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), stamped).scalars().all()
    entity = BrokerApplication.__audit_entity__
    append_facts(
        session,
        (
            creation_fact(entity, str(pk), {"id": pk, **{k: v for k, v in r.items() if k not in AUDIT_SKIP}})
            for pk, r in zip(ids, rows, strict=True)
        ),
    )
