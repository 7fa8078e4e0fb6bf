"""A workstation's file (工作站档案) in one read: the 附件1 fields, status, steps, materials, the
delivered-worker condition, each year's evaluation, subsidies, 优秀站点 and what needs doing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.models.station import Station, StationAward, StationEvaluation, StationStatus
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.station_rules import failing_streak, reapply_ban
from desktop.core.services import stations
from desktop.core.services.station_evaluations import effective_results
from desktop.core.services.station_materials import ChecklistItem, checklist
from desktop.core.services.station_roster import cumulative_delivered


@dataclass(frozen=True)
class YearRow:
    year: int
    versions: int
    status_label: str
    total: Decimal | None
    passed: bool | None
    subsidy_yuan: int


@dataclass(frozen=True)
class StationFile:
    station: stations.StationInput
    id: int
    status: str
    status_label: str
    established_on: date | None
    revoked_on: date | None
    revoke_reason: str
    steps: tuple[stations.StepRow, ...]
    materials: tuple[ChecklistItem, ...]
    delivered: int  # distinct workers counting as delivered, all time
    min_delivered: int
    years: tuple[YearRow, ...]
    establishment_yuan: int
    awards: tuple[str, ...]  # 优秀站点 decisions, one line each
    notices: tuple[str, ...]  # what needs attention (two failing years, the ban…)

    @property
    def condition_text(self) -> str:
        ok = self.delivered >= self.min_delivered
        return (f"已输送（计入）{self.delivered} 人，申请条件 {self.min_delivered} 人以上（含）："
                f"{'满足' if ok else '不满足'}")


def station_file(session: Session, profile: PolicyProfile, station_id: int) -> StationFile:
    rules = stations.station_rules(profile)
    row: Station = stations.get_station(session, station_id)
    data = stations.StationInput(row.name, row.builder, row.partner_region, row.head_name, row.head_phone,
                                 row.partner_org, row.partner_head, row.partner_phone, row.address, row.term_end,
                                 row.intro, row.applied_on)
    years: dict[int, list[StationEvaluation]] = {}
    for ev in session.scalars(select(StationEvaluation).where(StationEvaluation.station_id == station_id)
                              .order_by(StationEvaluation.year, StationEvaluation.version_no)):
        years.setdefault(ev.year, []).append(ev)
    year_rows = []
    for year, versions in sorted(years.items(), reverse=True):
        signed = [v for v in versions if v.status == "signed"]
        shown = signed[-1] if signed else versions[-1]
        label = "已审核" if signed else "评估中"
        if signed and versions[-1].status == "draft":
            label = "已审核（更正中）"
        year_rows.append(YearRow(year, len(versions), label, None if shown.total is None else Decimal(shown.total),
                                 shown.passed if signed else None, shown.subsidy_yuan if signed else 0))
    awards = []
    for a in session.scalars(select(StationAward).where(StationAward.station_id == station_id)
                             .order_by(StationAward.id)):
        kind = "评选" if a.kind == "award" else "复核"
        outcome = ("通过" if a.passed else "未通过") + (f"，奖励 {a.award_yuan} 元" if a.award_yuan else "")
        awards.append(f"{a.decided_on:%Y-%m-%d} 优秀站点{kind}（{a.check_year - 1}–{a.check_year} 年度）：{outcome}")
    notices = []
    results = effective_results(session, station_id)
    if row.status == StationStatus.ACTIVE.value and results:
        streak = failing_streak(results, max(results), rules)
        if streak:
            notices.append(f"{'、'.join(map(str, streak))} 年度连续评估不合格，按办法第八条应取消工作站资格，"
                           "请审核人员办理“取消资格”。")
    if row.status == StationStatus.REVOKED.value and row.revoked_on is not None:
        ban = reapply_ban(row.revoked_on, rules)
        if ban.blocks(clock.today()):
            notices.append(f"{row.revoked_on:%Y-%m-%d} 已取消资格，到 {ban.last_day:%Y-%m-%d} 为止不得重新申报"
                           f"（{ban.may_apply_from:%Y-%m-%d} 起可以重新申请）。")
    return StationFile(
        data, row.id, row.status, row.status_enum.label, row.established_on, row.revoked_on, row.revoke_reason,
        tuple(stations.steps(session, station_id)), tuple(checklist(session, profile, station_id)),
        cumulative_delivered(session, profile, station_id), rules.application_min_delivered, tuple(year_rows),
        rules.establishment_subsidy_yuan if row.established_on else 0, tuple(awards), tuple(notices),
    )
