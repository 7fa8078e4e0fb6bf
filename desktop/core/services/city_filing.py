"""The city's merged filing (市州汇总备案表): the rows as decided, the 合并说明 sheet, the audit entry."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.db.database import Database
from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.delivery import OutFile
from desktop.core.documents.excel.filing import Appendix, write_filing_xlsx
from desktop.core.documents.filing_layout import FilingDocument
from desktop.core.documents.pdf.filing import render_filing_pdf
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.center import CenterInfo
from desktop.core.services.consolidation import (
    NOTE_HEADERS,
    PROBLEM_HEADERS,
    Consolidation,
    decision_notes,
    merged_rows,
    problem_rows,
)
from desktop.core.services.filing import EXPORT_ROLES, city_of, filing_rules

ENTITY = "年度备案"


@dataclass(frozen=True)
class CityFiling:
    document: FilingDocument
    appendix: tuple[Appendix, ...]
    decided: int
    left_out: int

    @property
    def stem(self) -> str:
        return f"{self.document.year}年{self.document.title}（{self.document.city}汇总）"

    def files(self) -> tuple[OutFile, ...]:
        xlsx, pdf = io.BytesIO(), io.BytesIO()
        write_filing_xlsx(self.document, xlsx, self.appendix)
        render_filing_pdf(self.document, pdf)
        return OutFile(f"{self.stem}.xlsx", xlsx.getvalue()), OutFile(f"{self.stem}.pdf", pdf.getvalue())


def city_filing(cons: Consolidation, decisions: Mapping[str, int | None], *, user: SignedInUser,
                profile: PolicyProfile, center: CenterInfo, year: int | None = None, city: str = "",
                skip_bad: bool = False, reviewed_by: str = "") -> CityFiling:
    """The merged filing for the city, carrying every decision in its 合并说明 sheet."""
    require(user, *EXPORT_ROLES, action="合并各县备案表")
    rules = filing_rules(profile)
    rows = merged_rows(cons, decisions, skip_bad=skip_bad)
    today = clock.today()
    doc = FilingDocument(
        title=rules.form_title, year=year or cons.year or today.year, unit_label=rules.report_unit_label,
        city=city.strip() or cons.city or city_of(center.county_code), reporter="", rows=rows,
        filled_by=user.display_name, reviewed_by=reviewed_by.strip(), filled_on=today, note=rules.note)
    notes = decision_notes(cons, decisions, user.display_name, today)
    sources = [(name,) for name in cons.files]
    appendix = (
        Appendix(f"合并的文件（{len(cons.files)} 个）：共读取 {cons.rows_read} 行，汇总 {len(rows)} 人，"
                 f"内容相同的重复 {cons.duplicates} 行已合并", ("文件",), sources, (60,)),
        Appendix("身份证号码相同但内容不同：逐人决定的结果", NOTE_HEADERS, notes, (21, 10, 16, 70, 34, 10, 16)),
        Appendix("有问题、未进入汇总表的行", PROBLEM_HEADERS, problem_rows(cons), (30, 8, 22, 80)),
    )
    left_out = sum(1 for c in cons.conflicts if decisions.get(c.id_number) is None)
    return CityFiling(doc, appendix, len(cons.conflicts), left_out)


def record_consolidation(db: Database, user: SignedInUser, cons: Consolidation, result: CityFiling,
                         where: str) -> None:
    detail = (f"{result.document.year}年度 {result.document.city} 汇总：{len(cons.files)} 个文件"
              f"（{'、'.join(cons.files)}），{len(result.document.rows)} 人，决定冲突 {result.decided} 人"
              f"（暂不上报 {result.left_out} 人），跳过有问题的 {len(cons.problems)} 处 → {where}")
    with db.session(user.username) as s:
        record_event(s, AuditFact("合并备案", ENTITY, str(result.document.year), detail=detail))


def write_city_xlsx(db: Database, user: SignedInUser, cons: Consolidation, result: CityFiling, out: Path) -> None:
    """The merged .xlsx (with its 合并说明 sheet) to ``out``, written atomically, and audited."""
    with atomic_write(out) as fh:
        write_filing_xlsx(result.document, fh, result.appendix)
    record_consolidation(db, user, cons, result, str(out))
