"""The printable publicity notice (公示) of a batch: its content from the batch, written and audited.

The notice is built only from ``publicity.batch_summary`` / ``batch_people``, whose ID numbers
are already masked as the profile says, plus the batch's lead, objection phone and address and
issuer. It is dated on the first day of the period (the day it is put up). Every file written —
PDF for printing or saving, .xlsx for the website — goes through ``atomic_write`` and leaves an
audit entry: the notice lists people, so who printed it and when is on record.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.audit import AuditFact, record_event
from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.pdf.publicity_notice import NoticeRow, PublicityNotice, render_publicity_notice
from desktop.core.errors import UserError
from desktop.core.models.certification import PublicityBatch
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services import publicity

ENTITY = PublicityBatch.__audit_entity__  # 公示批次


def notice_for(session: Session, profile: PolicyProfile, batch_id: int) -> PublicityNotice:
    """Everything printed on the batch's notice."""
    summary = publicity.batch_summary(session, batch_id)
    batch = session.get(PublicityBatch, batch_id)
    if batch is None:  # pragma: no cover - batch_summary has already said so
        raise UserError("这个公示批次不存在。")
    people = publicity.batch_people(session, profile, batch_id)
    return PublicityNotice(
        title=summary.title,
        lead=batch.lead,
        rows=[NoticeRow(p.seq, p.name, p.gender, p.village, p.id_number_masked) for p in people],
        start=summary.start_date,
        end=summary.end_date,
        objection_phone=batch.objection_phone,
        objection_address=batch.objection_address,
        issuer=batch.issuer,
        issue_date=summary.start_date,
        rule_text=summary.calendar_rule,
        working_days=summary.working_days,
    )


def write_notice_pdf(session: Session, profile: PolicyProfile, batch_id: int, out: str | Path) -> PublicityNotice:
    """Render the notice as a PDF to ``out`` (atomically) and audit it as a print (打印)."""
    out = Path(out)
    notice = notice_for(session, profile, batch_id)
    with atomic_write(out) as fh:
        render_publicity_notice(notice, fh)
    record_event(session, AuditFact("打印", ENTITY, str(batch_id), detail=_detail(notice, out)))
    return notice


def write_notice_xlsx(session: Session, profile: PolicyProfile, batch_id: int, out: str | Path) -> PublicityNotice:
    """Write the notice as an .xlsx to ``out`` (atomically) and audit it as an export (导出)."""
    from desktop.core.documents.excel.publicity_notice import write_publicity_notice_xlsx

    out = Path(out)
    notice = notice_for(session, profile, batch_id)
    write_publicity_notice_xlsx(notice, out)  # a path: written through atomic_write
    record_event(session, AuditFact("导出", ENTITY, str(batch_id), detail=_detail(notice, out)))
    return notice


def _detail(notice: PublicityNotice, out: Path) -> str:
    return f"公示名单《{notice.title}》，{len(notice.rows)} 人 → {out.name}"


def batch_refs(session: Session) -> dict[int, str]:
    """Each batch's id → "YEAR-SEQ", the short name the command line accepts."""
    rows = session.execute(select(PublicityBatch.id, PublicityBatch.year, PublicityBatch.seq))
    return {batch_id: f"{year}-{seq}" for batch_id, year, seq in rows}
