"""Exporting the county's annual filing onto a USB stick: render, deliver verified, audit.

Three short steps so no write transaction is held while a slow stick is written: read the rows
and render the files (read-only session), deliver them (no database), then one write transaction
records the export in the audit trail (the files list everyone's ID number).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.core.audit import AuditFact, record_event
from desktop.core.db.database import Database
from desktop.core.documents.delivery import CancelFn, Delivery, OutFile, ProgressFn, deliver
from desktop.core.documents.excel.filing import write_filing_xlsx
from desktop.core.documents.filing_layout import FilingDocument
from desktop.core.documents.pdf.filing import render_filing_pdf
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser
from desktop.core.services.center import CenterInfo
from desktop.core.services.filing import SCOPES, FilingQuery, file_stem, filing_document, place_of

ENTITY = "年度备案"


@dataclass(frozen=True)
class PreparedFiling:
    document: FilingDocument
    stem: str
    files: tuple[OutFile, ...]
    scope: str

    @property
    def manifest_name(self) -> str:
        return f"{self.stem}.sha256.txt"


def render_files(doc: FilingDocument, stem: str) -> tuple[OutFile, ...]:
    """The .xlsx and the matching PDF, in memory."""
    xlsx, pdf = io.BytesIO(), io.BytesIO()
    write_filing_xlsx(doc, xlsx)
    render_filing_pdf(doc, pdf)
    return OutFile(f"{stem}.xlsx", xlsx.getvalue()), OutFile(f"{stem}.pdf", pdf.getvalue())


def prepare_filing(session: Session, user: SignedInUser, profile: PolicyProfile, center: CenterInfo,
                   query: FilingQuery, *, reviewed_by: str = "", filled_on: date | None = None) -> PreparedFiling:
    doc = filing_document(session, user, profile, center, query, reviewed_by=reviewed_by, filled_on=filled_on)
    stem = file_stem(doc, place_of(center.county_code))
    return PreparedFiling(doc, stem, render_files(doc, stem), query.scope)


def record_export(session: Session, prepared: PreparedFiling, delivery: Delivery) -> None:
    doc = prepared.document
    names = "、".join(f.path.name for f in delivery.files)
    detail = (f"{doc.year}年度备案信息表（{SCOPES[prepared.scope]}），{len(doc.rows)} 人 → {delivery.folder}："
              f"{names}，校验值 {delivery.manifest.name}")
    record_event(session, AuditFact("导出", ENTITY, str(doc.year), detail=detail))


def export_filing(db: Database, user: SignedInUser, profile: PolicyProfile, center: CenterInfo, query: FilingQuery,
                  folder: str | Path, *, reviewed_by: str = "", progress: ProgressFn | None = None,
                  cancel: CancelFn | None = None) -> tuple[PreparedFiling, Delivery]:
    """Render the filing, write it verified into ``folder`` with its manifest, and audit it."""
    if progress is not None:
        progress(0, 1, "正在生成备案表……")
    with db.session(user.username, write=False) as s:
        prepared = prepare_filing(s, user, profile, center, query, reviewed_by=reviewed_by)
    delivery = deliver(folder, prepared.files, manifest_name=prepared.manifest_name, progress=progress, cancel=cancel)
    with db.session(user.username) as s:
        record_export(s, prepared, delivery)
    return prepared, delivery
