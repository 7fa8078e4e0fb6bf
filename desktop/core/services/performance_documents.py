"""Printable lists of broker performance, as A4 PDF and .xlsx (``TableDocument``): the 金牌劳务经纪人
nomination list, the villages short of brokers by township, and the brokers under the training
minimum. ID numbers are masked with the profile's rules; every export is written atomically and
recorded in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.documents.excel.table_xlsx import write_table_xlsx
from desktop.core.documents.pdf.table_pdf import render_table_pdf
from desktop.core.documents.table_document import Column, Table, TableDocument
from desktop.core.models.account import Role
from desktop.core.rules.performance import plain_days
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.profile_sections import CoverageRules
from desktop.core.services import coverage, cultivation, rankings
from desktop.core.services.accounts import SignedInUser, require

SIGNATURE = ("填报单位（盖章）：\u3000\u3000\u3000\u3000\u3000\u3000", "经办人：\u3000\u3000\u3000\u3000",
             "审核人：\u3000\u3000\u3000\u3000", "填报日期：\u3000\u3000年\u3000\u3000月\u3000\u3000日")
NOMINATION_COLUMNS = (
    Column("名次", 12), Column("姓名", 22), Column("身份证号码", 40, text=True), Column("主要服务区域", 52, "l"),
    Column("认定时间", 24), Column("本年转移人次", 22, "r"), Column("其中脱贫人口", 22, "r"),
    Column("上年转移人次", 22, "r"), Column("备注", 40, "l"),
)
COVERAGE_COLUMNS = (
    Column("乡镇（街道）", 34, "l"), Column("村（社区）", 46, "l"), Column("户籍人口", 20, "r"),
    Column("常住人口", 20, "r"), Column("计算人口", 20, "r"), Column("人口依据", 34, "l"), Column("应配（名）", 18, "r"),
    Column("已有（名）", 18, "r"), Column("缺（名）", 16, "r"),
)
TRAINING_COLUMNS = (
    Column("序号", 12), Column("姓名", 24), Column("身份证号码", 42, text=True), Column("主要服务区域", 60, "l"),
    Column("认定时间", 26), Column("参加次数", 18, "r"), Column("培育天数", 20, "r"), Column("备注", 45, "l"),
)
TIE_RULE = ("排名规则：按本年组织转移就业人次从多到少排列；人次相同的，依次比较其中脱贫人口人次（多者在前）、"
            "上年转移就业人次（多者在前）、认定时间（早者在前）；以上均相同的为并列名次。")


@dataclass(frozen=True)
class Written:
    xlsx: Path
    pdf: Path
    rows: int


def _date_text() -> str:
    d = clock.today()
    return f"{d.year}年{d.month}月{d.day}日"


def _write(session: Session, user: SignedInUser, doc: TableDocument, folder: Path, stem: str, what: str) -> Written:
    folder = Path(folder)
    xlsx, pdf = folder / f"{stem}.xlsx", folder / f"{stem}.pdf"
    write_table_xlsx(doc, xlsx)
    render_table_pdf(doc, pdf)
    rows = sum(len(t.rows) for t in doc.tables)
    record_event(session, AuditFact("导出", what, detail=f"{xlsx.name}、{pdf.name}，{rows} 行（{user.username}）"))
    return Written(xlsx, pdf, rows)


def nomination_document(ranking: rankings.GoldMedalRanking, center_name: str) -> TableDocument:
    """The nominations within the quota, then any brokers tied across the quota line."""
    shown = [r for r in ranking.rows if r.nominated or r.at_line]
    rows = [(r.rank, r.broker.name, r.broker.id_number_masked, r.broker.service_area,
             f"{r.broker.certified_on:%Y-%m-%d}", r.transfers, r.poverty, r.previous_year, r.note) for r in shown]
    after = [TIE_RULE, f"推荐名额 {ranking.quota} 名（省级每年选树 {ranking.quota} 名，每人奖励 {ranking.award_yuan:,} 元）；"
                       f"名额内 {ranking.nominated} 名" + (f"，另有 {ranking.at_line} 名在名额线上并列，需研究确定。"
                                                       if ranking.at_line else "。")]
    return TableDocument(
        title=f"{ranking.year}年度金牌劳务经纪人推荐名单", tables=(Table(NOMINATION_COLUMNS, rows),),
        left_note=f"推荐单位：{center_name}", right_note=f"填表日期：{_date_text()}", after=tuple(after),
        signature=SIGNATURE, sheet_name="推荐名单")


def write_nominations(session: Session, user: SignedInUser, profile: PolicyProfile, year: int, center_name: str,
                      folder: Path) -> Written:
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="导出金牌劳务经纪人推荐名单")
    doc = nomination_document(rankings.gold_medal_ranking(session, profile, year), center_name)
    return _write(session, user, doc, folder, f"{year}年度金牌劳务经纪人推荐名单", "金牌劳务经纪人推荐名单")


def coverage_document(report: coverage.CoverageReport, rules: CoverageRules, county_name: str) -> TableDocument:
    rows = []
    for town in coverage.shortfall_by_township(report):
        for v in town.villages:
            rows.append((town.name, v.name, _n(v.registered), _n(v.resident), _n(v.population), v.basis, v.needed,
                         v.brokers, v.short))
    per = f"{rules.population_per_broker:,}"
    after = (f"配置规则：按{report.basis}计，{per} 人以下配 1 名，每增加 {per} 人（不足 {per} 人也算）增配 1 名，"
             f"每个村（社区）至少 {rules.min_per_village} 名。共 {report.short_villages} 个村（社区）缺少劳务经纪人，"
             f"合计缺 {report.short_brokers} 名。",)
    return TableDocument(title=f"{county_name}劳务经纪人配置不足的村（社区）", tables=(Table(COVERAGE_COLUMNS, rows),),
                         right_note=f"统计日期：{_date_text()}", after=after, sheet_name="配置不足")


def _n(value: int | None) -> object:
    return "未录入" if value is None else value


def write_coverage(session: Session, user: SignedInUser, profile: PolicyProfile, county_code: str, county_name: str,
                   folder: Path) -> Written:
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="导出村级配置情况")
    report = coverage.coverage_report(session, profile, county_code)  # says so when the profile has no coverage
    assert profile.coverage is not None
    doc = coverage_document(report, profile.coverage, county_name)
    return _write(session, user, doc, folder, "劳务经纪人配置不足的村（社区）", "村级配置情况")


def training_document(session: Session, profile: PolicyProfile, year: int, center_name: str) -> TableDocument:
    rules = profile.training
    assert rules is not None
    found = cultivation.broker_days(session, profile, cultivation.DaysQuery(year, under_only=True, limit=1_000_000))
    rows = [(i, r.name, r.id_number_masked, r.service_area, f"{r.certified_on:%Y-%m-%d}", r.sessions, r.days_text,
             "当年新认定" if r.joined_in_year else "") for i, r in enumerate(found, 1)]
    return TableDocument(
        title=f"{year}年集中培育不足 {rules.min_days_per_year} 天的劳务经纪人", tables=(Table(TRAINING_COLUMNS, rows),),
        left_note=f"单位：{center_name}", right_note=f"统计日期：{_date_text()}",
        after=(f"每年集中培育时间不少于 {rules.min_days_per_year} 天；共 {len(rows)} 人不足。"
               f"培育天数按 {plain_days(rules.day_step)} 天记录。",), sheet_name="培育不足")


def write_training(session: Session, user: SignedInUser, profile: PolicyProfile, year: int, center_name: str,
                   folder: Path) -> Written:
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="导出培育不足名单")
    doc = training_document(session, profile, year, center_name)
    return _write(session, user, doc, folder, f"{year}年集中培育不足名单", "培育不足名单")
