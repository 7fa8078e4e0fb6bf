"""Demo transfer records: realistic, consistent with their ID numbers, some weak brokers and some
double-claim attempts, counts as planned, an intact audit chain."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.core import clock
from desktop.core.app import open_database
from desktop.core.audit import verify_chain
from desktop.core.db.database import Database
from desktop.core.demo import generate_demo
from desktop.core.demo.people import places_of
from desktop.core.demo.transfers import PER_BROKER_YEAR, TransferMaker, TransferPlan, qualifies
from desktop.core.idcard import age_on, parse_id_number
from desktop.core.models.audit import AuditEntry
from desktop.core.models.registry import Broker
from desktop.core.models.transfer import SubsidyClaimRow, TransferRecord
from desktop.core.rules.profile import load_profile

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    clock.pin(datetime(2026, 11, 22, 10, 0))
    yield
    clock.pin(None)


def maker(seed: str = "t") -> TransferMaker:
    return TransferMaker(random.Random(seed), load_profile("sichuan"), places_of(["510923"]), set(), TODAY)


def make_rows(m: TransferMaker, brokers: list, per_year: float = PER_BROKER_YEAR) -> tuple[list, int, int, int]:
    plan = TransferPlan(m, brokers, per_year)
    rows = [r for chunk in plan.chunks(2_000) for r in chunk]
    return rows, plan.weak, plan.doubles, plan.target


def test_rows_are_consistent_with_their_id_numbers_and_dates() -> None:
    brokers = [(i, date(2021, 3, 1) if i % 2 else date(2025, 6, 1), "510923100001") for i in range(1, 301)]
    rows, weak, doubles, target = make_rows(maker(), brokers)
    years = 150 * (TODAY - date(2023, 11, 22)).days / 365 + 150 * (TODAY - date(2025, 6, 2)).days / 365
    assert abs(target - PER_BROKER_YEAR * years) < 0.01 * target
    assert abs(len(rows) - target) < 0.03 * target
    certified = {b: c for b, c, _ in brokers}
    keys = Counter((r["id_number"], r["hire_date"]) for r in rows)
    assert keys.most_common(1)[0][1] == 1  # the same worker never twice on one day
    for r in rows:
        parsed = parse_id_number(r["id_number"], TODAY)
        assert r["gender"] == parsed.gender
        assert r["age"] == age_on(parsed.birth_date, r["hire_date"]) and 16 <= r["age"] <= 60
        assert certified[r["broker_id"]] < r["hire_date"] <= TODAY
        assert r["hire_date"] >= date(2023, 11, 22)
        assert r["employer_name"] and r["work_address"] and r["job"] and r["contract_term"]
        if r["contract_start"]:
            assert r["contract_start"] == r["hire_date"] and r["contract_months"] == 12
    # a broker certified last year has no placements before being certified and fewer of them
    per_broker = Counter(r["broker_id"] for r in rows)
    assert sum(per_broker[b] for b in range(1, 301, 2)) > sum(per_broker[b] for b in range(2, 301, 2))
    assert 0 < weak < 80 and doubles > 0


def test_weak_brokers_fall_under_the_review_minimum_every_year() -> None:
    brokers = [(i, date(2021, 3, 1), "") for i in range(1, 401)]
    m = maker("weak")
    rows, weak, *_ = make_rows(m, brokers)
    by_year = Counter((r["broker_id"], r["hire_date"].year) for r in rows)
    flagged = [b for b, *_ in brokers if by_year[(b, 2025)] < 10 and by_year[(b, 2026)] < 10]
    assert len(flagged) >= weak > 20  # every weak broker, and hardly anyone else
    assert len(flagged) == weak


def test_double_claim_attempts_repeat_a_qualifying_worker_with_another_broker() -> None:
    brokers = [(i, date(2020, 1, 1), "") for i in range(1, 301)]
    rows, _, doubles, _ = make_rows(maker("double"), brokers)
    by_worker: dict[str, list[dict]] = {}
    for r in rows:
        by_worker.setdefault(r["id_number"], []).append(r)
    attempts = 0
    for placements in by_worker.values():
        placements.sort(key=lambda r: r["hire_date"])
        for a, b in itertools.pairwise(placements):
            if a["broker_id"] != b["broker_id"] and (b["hire_date"] - a["hire_date"]).days <= 90 and qualifies(a):
                attempts += 1
                assert qualifies(b) and a["worker_name"] == b["worker_name"]
    assert attempts >= doubles > 0


def test_half_years_end_a_month_before_today() -> None:
    from desktop.core.demo.transfers import half_years

    assert half_years(date(2023, 11, 22), TODAY) == [
        (date(2024, 1, 1), date(2024, 6, 30)), (date(2024, 7, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 6, 30))]


def test_generate_demo_adds_transfers_to_its_brokers(tmp_path: Path) -> None:
    db: Database = open_database(tmp_path / "d.db").db
    try:
        summary = generate_demo(db, size="small", count=30)
        with db.session("测试", write=False) as s:
            brokers = s.scalar(select(func.count()).select_from(Broker))
            records = s.scalar(select(func.count()).select_from(TransferRecord))
            sources = set(s.scalars(select(TransferRecord.source).distinct()))
            creations = s.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.entity == TransferRecord.__audit_entity__, AuditEntry.action == "create"))
            assert verify_chain(s) is None
        assert brokers and 5 * brokers <= records <= 3 * PER_BROKER_YEAR * brokers
        assert creations == records and sources == {"demo"}
        assert f"转移就业记录 {records} 条" in summary
        with db.session("测试", write=False) as s:
            claims = s.scalar(select(func.count()).select_from(SubsidyClaimRow))
        assert claims and "服务补助申领名册" in summary  # built by the subsidy service, as a reviewer would
        generate_demo(db, size="small", count=10)  # a second run: only the new brokers get transfers
        with db.session("测试", write=False) as s:
            again = s.scalar(select(func.count()).select_from(TransferRecord))
            without = s.scalar(select(func.count()).select_from(Broker).where(
                Broker.id.not_in(select(TransferRecord.broker_id))))
        assert again > records and without <= brokers * 0.2
    finally:
        db.dispose()
