"""Village population entry and the coverage view (按人口配置劳务经纪人)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.registry import BrokerStatus
from desktop.core.rules.profile import load_profile
from desktop.core.services import accounts
from desktop.core.services.coverage import (
    PopulationInput,
    coverage_report,
    population_history,
    record_population,
    shortfall_by_township,
)
from tests.conftest import ADMIN_PASSWORD, COUNTY
from tests.insights_factories import add_broker

V1, V2, V3 = "510923001002", "510923001003", "510923100001"  # two in 盐井街道, one in 蓬莱镇


def user(db, name: str = "clerk"):  # type: ignore[no-untyped-def]
    with db.session(name) as s:
        return accounts.sign_in(s, load_profile("sichuan"), name, ADMIN_PASSWORD).user


@pytest.fixture
def cq():  # type: ignore[no-untyped-def]
    return load_profile("chongqing")


def village(report, code: str):  # type: ignore[no-untyped-def]
    return next(v for v in report.villages if v.code == code)


def test_every_village_of_the_county_is_listed_and_needs_one(db, cq) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk", write=False) as s:
        report = coverage_report(s, cq, COUNTY)
    assert len(report.villages) == 197
    assert all(v.needed == 1 and v.brokers == 0 and v.population is None for v in report.villages)
    assert report.short_villages == 197 and report.missing_population == 197
    assert report.townships[0].name == "盐井街道"


@pytest.mark.parametrize(("population", "brokers", "needed", "short"),
                         [(5000, 1, 1, 0), (5001, 1, 2, 1), (10000, 2, 2, 0), (10001, 2, 3, 1), (0, 0, 1, 1)])
def test_coverage_boundaries(db, cq, population, brokers, needed, short) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db)
    with db.session("clerk") as s:
        record_population(s, clerk, cq, COUNTY, PopulationInput(V1, population, None, date(2026, 6, 30)))
        for _ in range(brokers):
            add_broker(s, village=V1)
        add_broker(s, village=V1, status=BrokerStatus.REVOKED.value)  # revoked brokers do not count
    with db.session("clerk", write=False) as s:
        v = village(coverage_report(s, cq, COUNTY), V1)
    assert (v.population, v.brokers, v.needed, v.short) == (population, brokers, needed, short)


def test_latest_figure_counts_and_history_is_kept(db, cq) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db)
    with db.session("clerk") as s:
        record_population(s, clerk, cq, COUNTY, PopulationInput(V1, 12000, 9000, date(2025, 12, 31)))
        record_population(s, clerk, cq, COUNTY, PopulationInput(V1, 4800, 4900, date(2026, 6, 30), "人口普查更正"))
        record_population(s, clerk, cq, COUNTY, PopulationInput(V1, 20000, None, date(2024, 12, 31)))  # older
    with db.session("clerk", write=False) as s:
        v = village(coverage_report(s, cq, COUNTY), V1)
        history = population_history(s, V1)
    assert (v.registered, v.resident, v.population, v.needed, v.as_of) == (4800, 4900, 4900, 1, date(2026, 6, 30))
    assert [h.as_of.year for h in history] == [2026, 2025, 2024]
    assert history[0].note == "人口普查更正" and history[0].created_by == "clerk"


def test_basis_variants_decide_the_shortfall(db) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db)
    larger = load_profile("chongqing")
    with db.session("clerk") as s:
        record_population(s, clerk, larger, COUNTY, PopulationInput(V1, 5000, 5001, date(2026, 6, 30)))
        add_broker(s, village=V1)
    for basis, short in (("registered", 0), ("resident", 1), ("larger", 1)):
        profile = load_profile("chongqing", {"coverage.population_basis": basis})
        with db.session("clerk", write=False) as s:
            assert village(coverage_report(s, profile, COUNTY), V1).short == short, basis


def test_shortfall_grouped_by_township(db, cq) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db)
    with db.session("clerk") as s:
        record_population(s, clerk, cq, COUNTY, PopulationInput(V1, 12000, None, date(2026, 6, 30)))
        add_broker(s, village=V1)
        add_broker(s, village=V2)
        add_broker(s, village=V3)
        add_broker(s)  # no village: not counted, reported
    with db.session("clerk", write=False) as s:
        report = coverage_report(s, cq, COUNTY)
    towns = shortfall_by_township(report)
    first = next(t for t in towns if t.code == "510923001000")
    assert first.name == "盐井街道"
    assert all(v.short for t in towns for v in t.villages)
    assert V2 not in {v.code for v in first.villages}
    assert village(report, V1).short == 2
    assert report.unlinked_brokers == 1
    assert report.short_brokers == sum(t.short for t in towns) == 197 - 3 + 2


def test_population_entry_checks(db, cq) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db)
    with db.session("clerk") as s:
        with pytest.raises(UserError, match="至少填写"):
            record_population(s, clerk, cq, COUNTY, PopulationInput(V1, None, None, date(2026, 6, 30)))
        with pytest.raises(UserError, match="负数"):
            record_population(s, clerk, cq, COUNTY, PopulationInput(V1, -1, None, date(2026, 6, 30)))
        with pytest.raises(UserError, match="晚于今天"):
            record_population(s, clerk, cq, COUNTY, PopulationInput(V1, 10, None, date(2026, 12, 1)))
        with pytest.raises(UserError, match="不在本中心所在县"):
            record_population(s, clerk, cq, COUNTY, PopulationInput("500101001001", 10, None, date(2026, 6, 30)))
        with pytest.raises(UserError, match="找不到"):
            record_population(s, clerk, cq, COUNTY, PopulationInput("510923999999", 10, None, date(2026, 6, 30)))
        with pytest.raises(UserError, match="没有按人口配置"):
            record_population(s, clerk, load_profile("sichuan"), COUNTY, PopulationInput(V1, 1, 1, date(2026, 1, 1)))


def test_auditor_cannot_enter_population(db, cq) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.models.account import Role
    from desktop.core.services.accounts import SignedInUser

    auditor = SignedInUser(99, "audit", "审计员", Role.AUDITOR, False)
    with db.session("audit") as s, pytest.raises(PermissionDenied):
        record_population(s, auditor, cq, COUNTY, PopulationInput(V1, 1, 1, date(2026, 1, 1)))
