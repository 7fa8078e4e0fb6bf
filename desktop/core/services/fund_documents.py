"""The fund's reports as files: built from fund_reports, written atomically (PDF or .xlsx by the
file's suffix) and audited — a statement lists money and people, so who wrote it and when is kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.fund_tables import distribution_table, outstanding_table, safety_table, statement_table
from desktop.core.documents.table_report import TableReport
from desktop.core.errors import UserError
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services import fund_reports

ENTITY = "合作金报表"


def statement_report(session: Session, profile: PolicyProfile, account_id: int, date_from: date,
                     date_to: date) -> TableReport:
    data = fund_reports.statement(session, profile, account_id, date_from, date_to)
    return statement_table(data, profile, clock.today())


def outstanding_report(session: Session, profile: PolicyProfile, as_of: date,
                       account_id: int | None = None) -> TableReport:
    return outstanding_table(fund_reports.outstanding(session, profile, as_of, account_id), profile, clock.today())


def safety_report(session: Session, profile: PolicyProfile, as_of: date) -> TableReport:
    return safety_table(fund_reports.safety(session, profile, as_of), profile, as_of, clock.today())


def distribution_report(session: Session, profile: PolicyProfile, agreement_id: int, date_from: date,
                        date_to: date) -> TableReport:
    data = fund_reports.distribution(session, profile, agreement_id, date_from, date_to)
    return distribution_table(data, profile, clock.today())


def write_report(session: Session, report: TableReport, out: str | Path) -> Path:
    """Write ``report`` to ``out`` — a .pdf or an .xlsx — and audit it (打印 / 导出)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        from desktop.core.documents.pdf.table_report import render_table_report

        with atomic_write(out) as fh:
            render_table_report(report, fh)
        action = "打印"
    elif suffix == ".xlsx":
        from desktop.core.documents.excel.table_report import write_table_report_xlsx

        write_table_report_xlsx(report, out)  # a path: written through atomic_write
        action = "导出"
    else:
        raise UserError(f"只能保存为 PDF（.pdf）或 Excel（.xlsx）文件，“{out.name}”不是。")
    record_event(session, AuditFact(action, ENTITY, report.title, detail=f"{report.meta[0] if report.meta else ''} → {out.name}"))
    return out


def safe_file_name(text: str) -> str:
    """A file name from a title or account name (no characters Windows refuses)."""
    bad = '<>:"/\\|?*'
    return "".join("_" if ch in bad or ord(ch) < 32 else ch for ch in text).strip(" .") or "报表"
