"""附件2 per broker and period (组织转移就业人员信息表): .xlsx and A4-landscape PDF, audited.

The sheet lists the broker's current transfers hired in the period, oldest first, in the seed's
14 columns; the hire date and 脱贫人口 ride at the start of 备注 (see transfer_layout). ID numbers
and phones are masked as the profile says unless ``full`` is asked for (the copy sent to the
province for the review needs the full numbers); either way the export is in the audit log, and a
full export says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.documents import transfer_layout as layout
from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.excel.table_xlsx import write_table_xlsx
from desktop.core.documents.pdf.table_pdf import render_table_pdf
from desktop.core.documents.table_document import Table, TableDocument
from desktop.core.errors import UserError
from desktop.core.idcard import mask
from desktop.core.models.account import Role
from desktop.core.models.registry import Broker
from desktop.core.models.transfer import TransferRecord, TransferStatus
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, require

EXPORT_ROLES = (Role.CLERK, Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class ExportResult:
    xlsx: Path
    pdf: Path
    rows: int
    pages: int


def date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def transfer_sheet(session: Session, profile: PolicyProfile, broker_id: int, date_from: date, date_to: date, *,
                   full: bool = False, fill_date: date | None = None) -> TableDocument:
    """The 附件2 document of one broker for hire dates ``date_from``..``date_to`` (inclusive)."""
    broker = session.get(Broker, broker_id)
    if broker is None:
        raise UserError("这位经纪人不存在。")
    if date_to < date_from:
        raise UserError("结束日期早于开始日期，请重新选择期间。")
    records = session.scalars(select(TransferRecord).where(
        TransferRecord.broker_id == broker_id, TransferRecord.status == TransferStatus.CURRENT.value,
        TransferRecord.hire_date >= date_from, TransferRecord.hire_date <= date_to,
    ).order_by(TransferRecord.hire_date, TransferRecord.id)).all()
    m = profile.masking
    rows = []
    for seq, r in enumerate(records, 1):
        id_text = r.id_number if full else mask(r.id_number, m.id_head, m.id_tail)
        phone = r.phone if full else mask(r.phone, m.phone_head, m.phone_tail)
        rows.append((seq, r.worker_name, r.gender, id_text, r.age, r.education, r.ethnicity, r.employer_name,
                     r.work_address, r.contract_term, r.job, "是" if r.social_insurance else "否", phone,
                     layout.remarks_for_export(r.hire_date, r.poverty_alleviated, r.remarks)))
    title = profile.transfer.form_title if profile.transfer is not None else "劳务经纪人组织转移就业人员信息表"
    return TableDocument(
        title=title,
        tables=[Table(layout.COLUMNS, rows)],
        corner=layout.CORNER,
        left_note=f"{layout.BROKER_LABEL}：{broker.name}",
        right_note=f"{layout.FILL_DATE_LABEL}：{date_text(fill_date or clock.today())}",
        landscape=True,
        sheet_name="转移就业人员信息表",
    )


def period_of(year: int | None, date_from: date | None, date_to: date | None) -> tuple[date, date]:
    if year is not None:
        return date(year, 1, 1), date(year, 12, 31)
    if date_from is None or date_to is None:
        raise UserError("请选择导出期间（年度，或起止日期）。")
    return date_from, date_to


def export_transfer_sheet(session: Session, user: SignedInUser, profile: PolicyProfile, broker_id: int,
                          date_from: date, date_to: date, out_dir: str | Path, *, full: bool = False) -> ExportResult:
    """Write 附件2 of one broker as .xlsx and PDF into ``out_dir`` (each file atomically)."""
    require(user, *EXPORT_ROLES, action="导出转移就业人员信息表")
    if full:
        require(user, Role.REVIEWER, Role.ADMIN, action="导出完整身份证号码")
    doc = transfer_sheet(session, profile, broker_id, date_from, date_to, full=full)
    broker = session.get(Broker, broker_id)
    assert broker is not None
    period = f"{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    if date_from.month == 1 and date_from.day == 1 and date_to == date(date_from.year, 12, 31):
        period = f"{date_from.year}年"
    stem = f"转移就业人员信息表_{broker.name}_{period}"
    folder = Path(out_dir)
    xlsx, pdf = folder / f"{stem}.xlsx", folder / f"{stem}.pdf"
    write_table_xlsx(doc, xlsx)
    with atomic_write(pdf) as fh:
        pages = render_table_pdf(doc, fh)
    rows = len(doc.tables[0].rows)
    shown = "完整身份证号码" if full else "身份证号码已遮盖"
    record_event(session, AuditFact("导出", TransferRecord.__audit_entity__, str(broker_id),
                                    detail=f"附件2 {broker.name} {date_from}至{date_to}，{rows} 人次，{shown} → "
                                           f"{xlsx.name}、{pdf.name}"))
    return ExportResult(xlsx, pdf, rows, pages)
