"""Workstation documents: the printable scorecard (附件3), the results list for publication and the
yearly subsidy summary (PDF and .xlsx). Each is built from the services' data, written through
``atomic_write`` and audited (打印/导出), like the publicity notice.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.pdf.station_lists import ListDoc, render_list
from desktop.core.documents.pdf.station_scorecard import CardLine, ScorecardDoc, render_scorecard
from desktop.core.models.station import StationEvaluation
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.station_scoring import LAYOUT, band_text, criteria_text, points_text
from desktop.core.services import station_awards, station_evaluations
from desktop.core.services.stations import station_rules

ENTITY = StationEvaluation.__audit_entity__


def yuan(amount: int) -> str:
    return f"{amount:,}"


def scorecard_doc(session: Session, profile: PolicyProfile, evaluation_id: int) -> ScorecardDoc:
    rules = station_rules(profile)
    view = station_evaluations.view(session, profile, evaluation_id)
    full = {category: sum(line.full for line in view.card.lines if line.category == category) for category, _ in LAYOUT}
    lines = tuple(
        CardLine(f"{line.category}（{full[line.category]}分）", line.name, criteria_text(rules.score, line.key),
                 str(line.full), points_text(line.points), line.how)
        for line in view.card.lines
    )
    card = view.card
    subsidy = (f"年度绩效奖励：{yuan(card.subsidy_yuan)} 元（按评估分数分档）" if card.passed
               else "年度绩效奖励：评估不合格，不予奖励")
    note = "" if view.status == "signed" else "草稿：本评估尚未审核，得分可能变动，不作为正式评估结果"
    version = ""
    if view.version_no > 1:
        version = f"第 {view.version_no} 版（更正原因：{view.correction_reason}）"
    return ScorecardDoc(
        title=rules.evaluation_form_title, station=view.station_name, builder=view.builder, year=view.year,
        evaluated_on=view.data.evaluated_on, evaluator=view.data.evaluator, lines=lines,
        total_full=str(sum(line.full for line in card.lines)), total=points_text(card.total), verdict=card.verdict,
        subsidy=subsidy, status_note=note, signed_by=view.signed_by, signed_on=view.signed_on, version_note=version,
    )


def write_scorecard_pdf(session: Session, profile: PolicyProfile, evaluation_id: int, out: str | Path) -> ScorecardDoc:
    out = Path(out)
    doc = scorecard_doc(session, profile, evaluation_id)
    with atomic_write(out) as fh:
        render_scorecard(doc, fh)
    record_event(session, AuditFact("打印", ENTITY, str(evaluation_id),
                                    detail=f"{doc.station} {doc.year} 年度评估表 → {out.name}"))
    return doc


def results_doc(session: Session, profile: PolicyProfile, year: int, issuer: str, on: date | None = None) -> ListDoc:
    rules = station_rules(profile)
    rows = station_evaluations.results(session, year)
    body = [(str(i), r.station_name, r.builder, points_text(r.total), r.verdict, yuan(r.subsidy_yuan))
            for i, r in enumerate(rows, 1)]
    passed = sum(r.passed for r in rows)
    lead = (f"根据劳务协作工作站年度评估制度，{issuer or '区就业服务中心'}对全区劳务协作工作站 {year} 年度的工作进行了评估"
            f"（{rules.score.pass_min} 分（含）以上为合格）。共评估 {len(rows)} 个工作站，合格 {passed} 个，"
            f"不合格 {len(rows) - passed} 个。现将评估结果公示如下：")
    notes = (f"注：安全责任事故和经核实的投诉合计 {rules.score.incident_veto_count} 次（含）以上的，一票否决，年度评估为不合格。",
             f"公示期间如有异议，请以书面形式向{issuer or '区就业服务中心'}反映。")
    return ListDoc(f"{year}年度劳务协作工作站评估结果公示", lead,
                   ("序号", "工作站名称", "承建单位", "评估得分", "评估结果", "年度绩效奖励（元）"),
                   (10, 44, 48, 16, 22, 34), body, frozenset({3, 5}), None, notes, issuer, on or clock.today())


def write_results_pdf(session: Session, profile: PolicyProfile, year: int, out: str | Path, *, issuer: str) -> int:
    out = Path(out)
    doc = results_doc(session, profile, year, issuer)
    with atomic_write(out) as fh:
        render_list(doc, fh)
    record_event(session, AuditFact("打印", ENTITY, str(year), detail=f"{doc.title}，{len(doc.rows)} 个工作站 → {out.name}"))
    return len(doc.rows)


def subsidy_doc(session: Session, profile: PolicyProfile, year: int, issuer: str,
                on: date | None = None) -> tuple[ListDoc, station_awards.SubsidySummary]:
    rules = station_rules(profile)
    summary = station_awards.subsidy_summary(session, profile, year)
    body = [(str(i), r.station_name, r.builder, yuan(r.establishment_yuan) if r.establishment_yuan else "",
             points_text(r.score) if r.score is not None else "", yuan(r.annual_yuan) if r.score is not None else "",
             yuan(r.excellent_yuan) if r.excellent_yuan else "", yuan(r.total_yuan))
            for i, r in enumerate(summary.rows, 1)]
    totals = ("合计", "", "", yuan(summary.column_total("establishment_yuan")), "",
              yuan(summary.column_total("annual_yuan")), yuan(summary.column_total("excellent_yuan")),
              yuan(summary.total_yuan))
    tiers = "，".join(f"{band_text(b, '分')} {b.value} 元" for b in rules.annual_subsidy_bands if b.value)
    notes = (f"依据：新设立的工作站一次性建站补贴 {rules.establishment_subsidy_yuan} 元；"
             f"评估合格的年度绩效奖励按分数分档：{tiers}；"
             f"区级优秀站点再给予一次性奖励 {rules.excellent.award_yuan} 元。",
             "年度绩效奖励按该年度已审核的评估（以最新更正版本为准）计算；经区就业服务中心初审、区人社局审核后拨付给承建单位。")
    doc = ListDoc(f"{year}年度劳务协作工作站补贴汇总表", "",
                  ("序号", "工作站名称", "承建单位", "建站补贴（元）", "评估得分", "年度绩效奖励（元）",
                   "优秀站点奖励（元）", "合计（元）"),
                  (10, 46, 56, 24, 16, 28, 28, 26), body, frozenset({3, 4, 5, 6, 7}), totals, notes, issuer,
                  on or clock.today(), landscape=True)
    return doc, summary


def write_subsidy_pdf(session: Session, profile: PolicyProfile, year: int, out: str | Path, *,
                      issuer: str) -> station_awards.SubsidySummary:
    out = Path(out)
    doc, summary = subsidy_doc(session, profile, year, issuer)
    with atomic_write(out) as fh:
        render_list(doc, fh)
    record_event(session, AuditFact("打印", "工作站补贴", str(year), detail=f"{doc.title}，合计 {summary.total_yuan} 元 → {out.name}"))
    return summary


def write_subsidy_xlsx(session: Session, profile: PolicyProfile, year: int, out: str | Path, *,
                       issuer: str) -> station_awards.SubsidySummary:
    from desktop.core.documents.excel.station_lists import write_list_xlsx

    out = Path(out)
    doc, summary = subsidy_doc(session, profile, year, issuer)
    write_list_xlsx(doc, out, "补贴汇总")
    record_event(session, AuditFact("导出", "工作站补贴", str(year), detail=f"{doc.title}，合计 {summary.total_yuan} 元 → {out.name}"))
    return summary
