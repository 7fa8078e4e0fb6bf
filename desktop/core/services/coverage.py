"""Broker coverage of villages (劳务经纪人配置, chongqing): population entry and the coverage view.

Each village/community needs ``max(min_per_village, ceil(population / population_per_broker))``
active brokers serving it (DOMAIN.md §3); the population counted follows the profile's
``population_basis`` (``rules.performance.basis_population``). A village with no population on
file still needs the minimum. Villages are the centre county's, from the region table, plus any
village with a population or a broker on file; they are grouped by township (乡镇、街道).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import clock, regions
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.performance import VillagePopulation
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.rules.performance import BASIS_LABELS, basis_population, brokers_needed
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.profile_sections import CoverageRules
from desktop.core.services.accounts import SignedInUser, require

MAX_POPULATION = 2_000_000  # a sanity bound on one village's figure, not a policy number
WRITERS = (Role.CLERK, Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class PopulationInput:
    village_code: str
    registered: int | None
    resident: int | None
    as_of: date
    note: str = ""


@dataclass(frozen=True)
class PopulationRow:
    id: int
    village_code: str
    village_name: str
    registered: int | None
    resident: int | None
    as_of: date
    source: str
    note: str
    created_by: str


@dataclass(frozen=True)
class VillageCoverage:
    code: str
    name: str
    township_code: str
    township_name: str
    registered: int | None
    resident: int | None
    population: int | None  # what the basis counts
    basis: str  # which figure that is, in words
    as_of: date | None
    needed: int
    brokers: int

    @property
    def short(self) -> int:
        return max(0, self.needed - self.brokers)


@dataclass(frozen=True)
class TownshipCoverage:
    code: str
    name: str
    villages: tuple[VillageCoverage, ...]

    @property
    def needed(self) -> int:
        return sum(v.needed for v in self.villages)

    @property
    def brokers(self) -> int:
        return sum(v.brokers for v in self.villages)

    @property
    def short(self) -> int:
        return sum(v.short for v in self.villages)

    @property
    def short_villages(self) -> int:
        return sum(1 for v in self.villages if v.short)


@dataclass(frozen=True)
class CoverageReport:
    county_code: str
    basis: str  # the profile's basis, in words
    townships: tuple[TownshipCoverage, ...]
    unlinked_brokers: int  # active brokers with no village code: not counted anywhere

    @property
    def villages(self) -> tuple[VillageCoverage, ...]:
        return tuple(v for t in self.townships for v in t.villages)

    @property
    def short_villages(self) -> int:
        return sum(t.short_villages for t in self.townships)

    @property
    def short_brokers(self) -> int:
        return sum(t.short for t in self.townships)

    @property
    def missing_population(self) -> int:
        return sum(1 for v in self.villages if v.population is None)


def _rules(profile: PolicyProfile) -> CoverageRules:
    if profile.coverage is None:
        raise UserError(f"本中心的政策配置（{profile.region.name}）没有按人口配置经纪人的规定。")
    return profile.coverage


def _village(code: str, county_code: str) -> regions.Region:
    region = regions.lookup(code)
    if region is None or region.level != regions.VILLAGE:
        raise UserError(f"找不到代码为“{code}”的村（社区），请从列表中选择。")
    if county_code and not region.code.startswith(county_code):
        raise UserError(f"{region.name}不在本中心所在县（{regions.describe_id_origin(county_code)}），不能录入。")
    return region


def township_name(village_code: str) -> str:
    town = regions.lookup(village_code[:9] + "000")
    return town.name if town else ""


def population_problem(value: int | None, what: str) -> str | None:
    if value is None:
        return None
    if value < 0:
        return f"{what}不能是负数。"
    if value > MAX_POPULATION:
        return f"{what} {value} 超出一个村（社区）的合理范围，请核对。"
    return None


def record_population(
    session: Session, user: SignedInUser, profile: PolicyProfile, county_code: str, data: PopulationInput
) -> int:
    """Add a dated population figure for a village; earlier figures stay as history."""
    require(user, *WRITERS, action="录入村人口")
    _rules(profile)
    village = _village(data.village_code, county_code)
    if data.registered is None and data.resident is None:
        raise UserError("请至少填写户籍人口或常住人口中的一项。")
    for value, what in ((data.registered, "户籍人口"), (data.resident, "常住人口")):
        if problem := population_problem(value, what):
            raise UserError(problem)
    if data.as_of > clock.today():
        raise UserError(f"统计时点 {data.as_of:%Y-%m-%d} 晚于今天，请核对。")
    row = VillagePopulation(
        village_code=village.code, village_name=village.name, township_name=township_name(village.code),
        registered=data.registered, resident=data.resident, as_of=data.as_of, note=data.note.strip(),
    )
    session.add(row)
    session.flush()
    return row.id


def population_history(session: Session, village_code: str) -> list[PopulationRow]:
    """Every figure entered for a village, newest first."""
    rows = session.scalars(
        select(VillagePopulation)
        .where(VillagePopulation.village_code == village_code)
        .order_by(VillagePopulation.as_of.desc(), VillagePopulation.id.desc())
    )
    return [PopulationRow(r.id, r.village_code, r.village_name, r.registered, r.resident, r.as_of, r.source,
                          r.note, r.created_by) for r in rows]


def latest_populations(session: Session, county_code: str) -> dict[str, VillagePopulation]:
    """The latest figure (by 统计时点, then entry) of each village of the county."""
    p = VillagePopulation
    newest = (
        select(p.id, func.row_number().over(partition_by=p.village_code, order_by=(p.as_of.desc(), p.id.desc()))
               .label("n"))
        .where(p.village_code.startswith(county_code, autoescape=True))
        .subquery()
    )
    rows = session.scalars(select(p).join(newest, newest.c.id == p.id).where(newest.c.n == 1))
    return {r.village_code: r for r in rows}


def broker_counts(session: Session, county_code: str) -> dict[str, int]:
    """Active brokers per service village of the county."""
    stmt = (
        select(Broker.service_village_code, func.count())
        .where(Broker.status == BrokerStatus.ACTIVE.value,
               Broker.service_village_code.startswith(county_code, autoescape=True))
        .group_by(Broker.service_village_code)
    )
    return {code: n for code, n in session.execute(stmt)}


def coverage_report(session: Session, profile: PolicyProfile, county_code: str) -> CoverageReport:
    """Every village of the county with the brokers it needs and has, grouped by township."""
    rules = _rules(profile)
    names = {v.code: v.name for v in regions.villages_of_county(county_code)} if county_code else {}
    populations = latest_populations(session, county_code) if county_code else {}
    counts = broker_counts(session, county_code) if county_code else {}
    codes = set(names) | set(populations) | {c for c in counts if len(c) == 12}
    by_town: dict[str, list[VillageCoverage]] = defaultdict(list)
    town_names: dict[str, str] = {}
    for code in sorted(codes):
        pop = populations.get(code)
        registered, resident = (pop.registered, pop.resident) if pop else (None, None)
        basis = basis_population(rules, registered, resident)
        town = code[:9] + "000"
        if town not in town_names:
            town_names[town] = township_name(code) or (pop.township_name if pop else "") or f"乡镇 {town[6:9]}"
        name = names.get(code) or (pop.village_name if pop else "") or f"村（社区） {code}"
        by_town[town].append(VillageCoverage(
            code, name, town, town_names[town], registered, resident, basis.value, basis.label,
            pop.as_of if pop else None, brokers_needed(rules, basis.value), counts.get(code, 0)))
    unlinked = session.scalar(
        select(func.count()).select_from(Broker).where(Broker.status == BrokerStatus.ACTIVE.value,
                                                       Broker.service_village_code == "")
    ) or 0
    townships = tuple(TownshipCoverage(t, town_names[t], tuple(vs)) for t, vs in sorted(by_town.items()))
    return CoverageReport(county_code, BASIS_LABELS[rules.population_basis], townships, unlinked)


def shortfall_by_township(report: CoverageReport) -> list[TownshipCoverage]:
    """Townships with villages short of brokers, only those villages, most short first."""
    out = []
    for town in report.townships:
        short = tuple(v for v in town.villages if v.short)
        if short:
            out.append(TownshipCoverage(town.code, town.name, short))
    return sorted(out, key=lambda t: (-t.short, t.code))
