"""优秀站点 (excellent stations) and the yearly subsidy summary of the workstations.

The excellent-station check lists every condition of 第十条 with the figures behind it, from the
signed evaluations of the cycle's years. A first award is paid once (20 000 元 in jindong); an
awarded station is re-checked every ``recheck_years`` and keeps or loses the title, never paid
again (第十一条 不重复评选). Every decision is a dated ``StationAward`` with the conditions frozen.

Subsidies of a year (第十二条): the 建站补贴 of stations established that year, the 年度绩效奖励 of
the year's evaluation in force, and the 优秀站点 award decided for the cycle ending that year.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.station import Station, StationAward, StationStatus, StationStep, StationStepKind
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.station_rules import Condition, YearRecord, excellent_check, excellent_years
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.station_evaluations import results, signed_year
from desktop.core.services.stations import get_station, station_rules


@dataclass(frozen=True)
class ExcellentCheck:
    station_id: int
    station_name: str
    check_year: int
    years: tuple[int, ...]
    conditions: tuple[Condition, ...]
    kind: str  # "award" (first time) or "recheck"
    awarded_year: int | None  # the year of the first award, when already excellent
    decided: StationAward | None  # an earlier decision for this very cycle

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.conditions)

    @property
    def kind_label(self) -> str:
        return "评选" if self.kind == "award" else "复核"


def _record(session: Session, profile: PolicyProfile, station_id: int, year: int) -> YearRecord | None:
    row = signed_year(session, station_id, year)
    if row is None:
        return None
    figures = json.loads(row.snapshot)["figures"]
    kept = row.ledger_present.split("、")
    missing = sum(item not in kept for item in station_rules(profile).score.ledger_items)
    return YearRecord(year, Decimal(row.total or 0), figures["delivered"], figures["skilled"],
                      figures["retention_base"], figures["retained"], missing)


def current_title(session: Session, station_id: int) -> tuple[int | None, StationAward | None]:
    """(year first awarded, latest decision) for a station that holds or held the title."""
    awards = list(session.scalars(select(StationAward).where(StationAward.station_id == station_id)
                                  .order_by(StationAward.check_year, StationAward.id)))
    first = next((a.check_year for a in awards if a.kind == "award" and a.passed), None)
    return first, (awards[-1] if awards else None)


def check_excellent(session: Session, profile: PolicyProfile, station_id: int, check_year: int) -> ExcellentCheck:
    ex = station_rules(profile).excellent
    station = get_station(session, station_id)
    years = excellent_years(check_year, ex)
    records = {y: r for y in years if (r := _record(session, profile, station_id, y)) is not None}
    conditions = tuple(excellent_check(ex, station.established_on, check_year, records))
    first, _latest = current_title(session, station_id)
    decided = session.scalar(select(StationAward).where(StationAward.station_id == station_id,
                                                        StationAward.check_year == check_year)
                             .order_by(StationAward.id.desc()).limit(1))
    kind = "recheck" if first is not None and first < check_year else "award"
    return ExcellentCheck(station.id, station.name, check_year, tuple(years), conditions, kind, first, decided)


def decide_excellent(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int,
                     check_year: int, on: date | None = None) -> StationAward:
    """Record the 评选 or 复核 outcome of the cycle ending ``check_year`` with its conditions."""
    require(user, Role.REVIEWER, action="优秀站点评选")
    ex = station_rules(profile).excellent
    station = get_station(session, station_id)
    if station.status != StationStatus.ACTIVE.value:
        raise UserError(f"只有已设立的工作站才能参加优秀站点评选，这个工作站{station.status_enum.label}。")
    check = check_excellent(session, profile, station_id, check_year)
    if check.decided is not None:
        raise UserError(f"{station.name}以 {check_year} 年为止的优秀站点{check.kind_label}已于 "
                        f"{check.decided.decided_on:%Y-%m-%d} 作出结论，不能重复。")
    if check.kind == "recheck" and check.awarded_year is not None:
        due = check.awarded_year + ex.recheck_years
        if check_year < due:
            raise UserError(f"{station.name}于 {check.awarded_year} 年评为优秀站点，每 {ex.recheck_years} 年复核一次，"
                            f"下次复核为 {due} 年。")
    on = on or clock.today()
    first = check.kind == "award" and check.passed
    award = StationAward(station_id=station_id, kind=check.kind, check_year=check_year, decided_on=on,
                         passed=check.passed, award_yuan=ex.award_yuan if first else 0,
                         conditions=json.dumps([asdict(c) for c in check.conditions], ensure_ascii=False),
                         actor=user.username, actor_name=user.display_name)
    session.add(award)
    verdict = ("评为优秀站点" if first else "未评上优秀站点") if check.kind == "award" else (
        "复核通过，保留优秀站点" if check.passed else "复核未通过，不再保留优秀站点")
    failed = [c.name for c in check.conditions if not c.passed]
    session.add(StationStep(station_id=station_id, kind=StationStepKind.EXCELLENT.value, passed=check.passed,
                            occurred_on=on, opinion=f"{'、'.join(map(str, check.years))} 年度：{verdict}"
                            + (f"（未满足：{'；'.join(failed)}）" if failed else ""),
                            actor=user.username, actor_name=user.display_name))
    session.flush()
    return award


def is_excellent(session: Session, station_id: int) -> bool:
    first, latest = current_title(session, station_id)
    return first is not None and latest is not None and latest.passed


@dataclass(frozen=True)
class SubsidyRow:
    station_id: int
    station_name: str
    builder: str
    establishment_yuan: int
    score: Decimal | None
    annual_yuan: int
    excellent_yuan: int

    @property
    def total_yuan(self) -> int:
        return self.establishment_yuan + self.annual_yuan + self.excellent_yuan


@dataclass(frozen=True)
class SubsidySummary:
    year: int
    rows: tuple[SubsidyRow, ...]

    @property
    def total_yuan(self) -> int:
        return sum(r.total_yuan for r in self.rows)

    def column_total(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.rows)


def subsidy_summary(session: Session, profile: PolicyProfile, year: int) -> SubsidySummary:
    """Every station owed something for ``year``, by name (a failed year with nothing else is left out)."""
    rules = station_rules(profile)
    rows: dict[int, dict] = {}

    def entry(station: Station) -> dict:
        return rows.setdefault(station.id, {"station_id": station.id, "station_name": station.name,
                                            "builder": station.builder, "establishment_yuan": 0, "score": None,
                                            "annual_yuan": 0, "excellent_yuan": 0})

    for station in session.scalars(select(Station).where(Station.established_on >= date(year, 1, 1),
                                                         Station.established_on <= date(year, 12, 31))):
        entry(station)["establishment_yuan"] = rules.establishment_subsidy_yuan
    for result in results(session, year):
        e = entry(get_station(session, result.station_id))
        e["score"], e["annual_yuan"] = result.total, result.subsidy_yuan
    for award in session.scalars(select(StationAward).where(StationAward.check_year == year,
                                                            StationAward.award_yuan > 0)):
        entry(get_station(session, award.station_id))["excellent_yuan"] = award.award_yuan
    owed = [SubsidyRow(**r) for r in sorted(rows.values(), key=lambda r: r["station_name"])]
    return SubsidySummary(year, tuple(r for r in owed if r.total_yuan > 0))
