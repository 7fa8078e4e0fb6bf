"""Annual evaluations of workstations (年度评估, 附件3): draft, sign-off, corrections, results.

A draft holds the year's recorded facts and the evaluator's points; each time it is shown the
roster is counted again (as of the evaluation date) and the scorecard recomputed. The 审核 role
signs it off — not the person who entered it — which freezes the lines in ``snapshot`` and makes
it read-only. A correction is a new version that starts from the signed one and must say why;
the highest signed version of a year is the one in force (results, subsidies, 优秀站点).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.station import EvaluationStatus, Station, StationEvaluation, StationStatus
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.station_rules import failing_streak, first_evaluation_year
from desktop.core.rules.station_scoring import (
    EvaluatorPoints,
    RosterFigures,
    Scorecard,
    ScoreLine,
    YearFacts,
    score_card,
)
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.station_roster import year_figures
from desktop.core.services.stations import COUNTER, get_station, station_rules

DRAFT, SIGNED = EvaluationStatus.DRAFT.value, EvaluationStatus.SIGNED.value
_COUNTS = ("unreported_changes", "verified_complaints", "accidents", "contracts_missing", "worker_surveyed",
           "worker_satisfied", "employer_surveyed", "employer_satisfied", "events_held")


@dataclass(frozen=True)
class EvaluationInput:
    """What the evaluation page edits: the year's facts and the evaluator's points."""

    evaluated_on: date
    evaluator: str = ""
    management_system: bool = False
    onsite_office: bool = False
    responsible_person: bool = False
    unreported_changes: int = 0
    verified_complaints: int = 0
    accidents: int = 0
    work_plan: bool = False
    contracts_missing: int = 0
    ledger_present: tuple[str, ...] = ()
    worker_surveyed: int = 0
    worker_satisfied: int = 0
    employer_surveyed: int = 0
    employer_satisfied: int = 0
    events_held: int = 0
    events_note: str = ""
    skilled_bonus: Decimal | None = None
    innovation: Decimal = Decimal(0)
    innovation_reason: str = ""

    def facts(self) -> YearFacts:
        names = {f.name for f in fields(YearFacts)}
        return YearFacts(**{k: v for k, v in asdict(self).items() if k in names})

    def evaluator_points(self) -> EvaluatorPoints:
        return EvaluatorPoints(self.skilled_bonus, self.innovation, self.innovation_reason)


@dataclass(frozen=True)
class VersionRow:
    id: int
    version_no: int
    status_label: str
    total: Decimal | None
    passed: bool | None
    signed_by: str
    signed_on: date | None
    correction_reason: str


@dataclass(frozen=True)
class EvaluationView:
    id: int
    station_id: int
    station_name: str
    builder: str
    year: int
    version_no: int
    status: str
    correction_reason: str
    data: EvaluationInput
    figures: RosterFigures
    card: Scorecard
    created_by: str
    signed_by: str
    signed_on: date | None
    versions: tuple[VersionRow, ...]
    failing_years: tuple[int, ...]  # the failed years in a row ending with this one, when signed

    @property
    def editable(self) -> bool:
        return self.status == DRAFT

    @property
    def status_label(self) -> str:
        return EvaluationStatus(self.status).label


def _input_of(row: StationEvaluation) -> EvaluationInput:
    names = [f.name for f in fields(EvaluationInput) if f.name != "ledger_present"]
    values = {k: getattr(row, k) for k in names}
    values["ledger_present"] = tuple(x for x in row.ledger_present.split("、") if x)
    values["innovation"] = Decimal(row.innovation or 0)
    values["skilled_bonus"] = None if row.skilled_bonus is None else Decimal(row.skilled_bonus)
    return EvaluationInput(**values)


def _get(session: Session, evaluation_id: int) -> StationEvaluation:
    row = session.get(StationEvaluation, evaluation_id)
    if row is None:
        raise UserError("这份评估不存在。")
    return row


def find_evaluation(session: Session, station_id: int, year: int) -> int | None:
    """The year's draft if there is one, else its latest signed version, else None."""
    rows = session.execute(select(StationEvaluation.id, StationEvaluation.status)
                           .where(StationEvaluation.station_id == station_id, StationEvaluation.year == year)
                           .order_by(StationEvaluation.version_no.desc())).all()
    draft = next((i for i, status in rows if status == DRAFT), None)
    return draft or (rows[0][0] if rows else None)


def evaluable_years(session: Session, profile: PolicyProfile, station_id: int) -> list[int]:
    """Years the station can be evaluated for: from its first evaluation year up to this year."""
    rules = station_rules(profile)
    station = get_station(session, station_id)
    if station.established_on is None:
        return []
    last = clock.today().year if station.revoked_on is None else station.revoked_on.year
    return list(range(first_evaluation_year(station.established_on, rules), last + 1))


def start_evaluation(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int, year: int) -> int:
    """Create the first version (a draft) of ``year``'s evaluation."""
    require(user, *COUNTER, action="开始年度评估")
    station = get_station(session, station_id)
    if station.status != StationStatus.ACTIVE.value:
        raise UserError(f"只有已设立的工作站才能评估，这个工作站{station.status_enum.label}。")
    years = evaluable_years(session, profile, station_id)
    if year not in years:
        first = years[0] if years else None
        raise UserError(f"{station.name}{station.established_on:%Y-%m-%d} 设立，按规定建立一年后开展评估，"
                        f"可评估的年度为 {first}–{clock.today().year} 年，不能评估 {year} 年。")
    if find_evaluation(session, station_id, year) is not None:
        raise UserError(f"{station.name} {year} 年度已有评估；如需更正已审核的评估，请用“更正（新版本）”。")
    on = min(clock.today(), date(year + 1, 1, 31))
    row = StationEvaluation(station_id=station.id, year=year, version_no=1, status=DRAFT, evaluated_on=on,
                            evaluator=user.display_name)
    session.add(row)
    session.flush()
    return row.id


def validate(data: EvaluationInput, profile: PolicyProfile, year: int) -> None:
    rules = station_rules(profile)
    labels = {"unreported_changes": "未报备的负责人员变动", "verified_complaints": "经核实的投诉",
              "accidents": "安全责任事故", "contracts_missing": "未签合同人数", "worker_surveyed": "输送人员受访人数",
              "worker_satisfied": "输送人员满意人数", "employer_surveyed": "企业受访数",
              "employer_satisfied": "企业满意数", "events_held": "劳务对接活动场次"}
    for key in _COUNTS:
        value = getattr(data, key)
        if not 0 <= value <= 100_000:
            raise UserError(f"{labels[key]}应为 0 或正整数。", field=key)
    for who in ("worker", "employer"):
        if getattr(data, f"{who}_satisfied") > getattr(data, f"{who}_surveyed"):
            raise UserError(f"{labels[who + '_satisfied']}不能多于{labels[who + '_surveyed']}。", field=f"{who}_satisfied")
    unknown = [x for x in data.ledger_present if x not in rules.score.ledger_items]
    if unknown:
        raise UserError(f"台账项“{'、'.join(unknown)}”不在评估表的台账清单中。")
    if not date(year, 1, 1) <= data.evaluated_on <= clock.today():
        raise UserError(f"评估日期应在 {year}-01-01 至今天之间。", field="evaluated_on")


def save(session: Session, user: SignedInUser, profile: PolicyProfile, evaluation_id: int,
         data: EvaluationInput) -> EvaluationView:
    """Save the draft's facts and points (audited field by field); a signed version is read-only."""
    require(user, *COUNTER, action="录入年度评估")
    row = _get(session, evaluation_id)
    if row.status != DRAFT:
        raise UserError("这份评估已审核，只能查看；如需更正，请用“更正（新版本）”。")
    validate(data, profile, row.year)
    for key, value in asdict(data).items():
        if key == "ledger_present":
            value = "、".join(value)
        elif key in ("evaluator", "events_note", "innovation_reason"):
            value = value.strip()
        if getattr(row, key) != value:
            setattr(row, key, value)
    session.flush()
    return view(session, profile, evaluation_id)


def _score(session: Session, profile: PolicyProfile, row: StationEvaluation) -> tuple[RosterFigures, Scorecard]:
    rules = station_rules(profile)
    data = _input_of(row)
    figures = year_figures(session, profile, row.station_id, row.year, data.evaluated_on)
    return figures, score_card(rules, data.facts(), figures, data.evaluator_points())


def preview(session: Session, profile: PolicyProfile, evaluation_id: int,
            data: EvaluationInput) -> tuple[RosterFigures, Scorecard]:
    """The scorecard ``data`` would give, without saving (the page recomputes as the clerk types)."""
    row = _get(session, evaluation_id)
    rules = station_rules(profile)
    figures = year_figures(session, profile, row.station_id, row.year, data.evaluated_on)
    return figures, score_card(rules, data.facts(), figures, data.evaluator_points())


def _snapshot(figures: RosterFigures, card: Scorecard) -> str:
    lines = [{**asdict(line), "points": str(line.points)} for line in card.lines]
    return json.dumps({"figures": asdict(figures), "lines": lines, "verdict": card.verdict,
                       "incidents": card.incidents}, ensure_ascii=False)


def _from_snapshot(row: StationEvaluation) -> tuple[RosterFigures, Scorecard]:
    data = json.loads(row.snapshot)
    lines = tuple(ScoreLine(**{**x, "points": Decimal(x["points"])}) for x in data["lines"])
    card = Scorecard(lines, Decimal(row.total or 0), data["incidents"], row.vetoed, bool(row.passed),
                     data["verdict"], row.subsidy_yuan, ())
    return RosterFigures(**data["figures"]), card


def effective_results(session: Session, station_id: int) -> dict[int, bool]:
    """year → passed, from the signed version in force of each year."""
    out: dict[int, tuple[int, bool]] = {}
    for year, version, passed in session.execute(
        select(StationEvaluation.year, StationEvaluation.version_no, StationEvaluation.passed)
        .where(StationEvaluation.station_id == station_id, StationEvaluation.status == SIGNED)
    ):
        if year not in out or version > out[year][0]:
            out[year] = (version, bool(passed))
    return {y: p for y, (_v, p) in out.items()}


def view(session: Session, profile: PolicyProfile, evaluation_id: int) -> EvaluationView:
    row = _get(session, evaluation_id)
    station = get_station(session, row.station_id)
    figures, card = _from_snapshot(row) if row.status == SIGNED else _score(session, profile, row)
    streak: list[int] = []
    if row.status == SIGNED:
        streak = failing_streak(effective_results(session, row.station_id), row.year, station_rules(profile))
    versions = tuple(
        VersionRow(v.id, v.version_no, EvaluationStatus(v.status).label,
                   None if v.total is None else Decimal(v.total), v.passed, v.signed_name, v.signed_on,
                   v.correction_reason)
        for v in session.scalars(select(StationEvaluation).where(StationEvaluation.station_id == row.station_id,
                                                                 StationEvaluation.year == row.year)
                                 .order_by(StationEvaluation.version_no))
    )
    return EvaluationView(row.id, station.id, station.name, station.builder, row.year, row.version_no, row.status,
                          row.correction_reason, _input_of(row), figures, card, row.created_by, row.signed_name,
                          row.signed_on, versions, tuple(streak))


def sign_off(session: Session, user: SignedInUser, profile: PolicyProfile, evaluation_id: int) -> EvaluationView:
    """审核: freeze the scored lines; refused while the evaluator's points are incomplete."""
    require(user, Role.REVIEWER, action="审核年度评估")
    row = _get(session, evaluation_id)
    if row.status != DRAFT:
        raise UserError("这份评估已经审核过了。")
    if profile.workflow.four_eyes and row.created_by == user.username:
        raise UserError("这份评估是您本人录入的，按“录入与审核分离”规定不能由您审核，请其他审核人员办理。")
    figures, card = _score(session, profile, row)
    if card.problems:
        raise UserError("还不能审核：" + "；".join(card.problems))
    row.total = card.total
    row.passed = card.passed
    row.vetoed = card.vetoed
    row.subsidy_yuan = card.subsidy_yuan
    row.snapshot = _snapshot(figures, card)
    row.status = SIGNED
    row.signed_by, row.signed_name, row.signed_on = user.username, user.display_name, clock.today()
    session.flush()
    return view(session, profile, evaluation_id)


def start_correction(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int, year: int,
                     reason: str) -> int:
    """A new draft version of a signed year, starting from the version in force."""
    require(user, *COUNTER, action="更正年度评估")
    if not reason.strip():
        raise UserError("请写明更正的原因（例如：名册补录了 3 名人员、投诉经复核不成立）。")
    latest = session.scalar(select(StationEvaluation).where(StationEvaluation.station_id == station_id,
                                                            StationEvaluation.year == year)
                            .order_by(StationEvaluation.version_no.desc()).limit(1))
    if latest is None:
        raise UserError(f"{year} 年度还没有评估，请先开始评估。")
    if latest.status == DRAFT:
        raise UserError(f"{year} 年度已有一份未审核的评估（第 {latest.version_no} 版），请在那一份上修改。")
    data = replace(_input_of(latest), evaluated_on=clock.today())
    row = StationEvaluation(station_id=station_id, year=year, version_no=latest.version_no + 1, status=DRAFT,
                            correction_reason=reason.strip())
    for key, value in asdict(data).items():
        setattr(row, key, "、".join(value) if key == "ledger_present" else value)
    session.add(row)
    session.flush()
    return row.id


@dataclass(frozen=True)
class ResultRow:
    evaluation_id: int
    station_id: int
    station_name: str
    builder: str
    total: Decimal
    passed: bool
    vetoed: bool
    subsidy_yuan: int
    version_no: int
    signed_on: date | None

    @property
    def verdict(self) -> str:
        return "合格" if self.passed else ("不合格（一票否决）" if self.vetoed else "不合格")


def results(session: Session, year: int) -> list[ResultRow]:
    """The year's signed evaluations in force, best score first (for publication and subsidies)."""
    newest = (select(StationEvaluation.station_id, func.max(StationEvaluation.version_no).label("v"))
              .where(StationEvaluation.year == year, StationEvaluation.status == SIGNED)
              .group_by(StationEvaluation.station_id).subquery())
    stmt = (select(StationEvaluation, Station)
            .join(newest, (newest.c.station_id == StationEvaluation.station_id) & (newest.c.v == StationEvaluation.version_no))
            .join(Station, Station.id == StationEvaluation.station_id)
            .where(StationEvaluation.year == year, StationEvaluation.status == SIGNED))
    rows = [ResultRow(e.id, s.id, s.name, s.builder, Decimal(e.total or 0), bool(e.passed), e.vetoed, e.subsidy_yuan,
                      e.version_no, e.signed_on) for e, s in session.execute(stmt)]
    return sorted(rows, key=lambda r: (-r.total, r.station_name))


def signed_year(session: Session, station_id: int, year: int) -> StationEvaluation | None:
    return session.scalar(select(StationEvaluation).where(
        StationEvaluation.station_id == station_id, StationEvaluation.year == year,
        StationEvaluation.status == SIGNED).order_by(StationEvaluation.version_no.desc()).limit(1))
