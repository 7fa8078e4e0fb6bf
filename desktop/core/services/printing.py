"""Printable documents for one record: render, write atomically, and audit the print."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from desktop.core.audit import AuditFact, record_event
from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.pdf.application_form import ApplicationFormData, render_application_form
from desktop.core.idcard import mask
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.applications import ApplicationDetail, get_application, get_by_id_number


def application_form_data(detail: ApplicationDetail) -> ApplicationFormData:
    d = detail.data
    year, _, month = d.birth_month.partition("-")
    return ApplicationFormData(
        name=d.name,
        gender=d.gender,
        birth_month=f"{year}年{month}月" if month else d.birth_month,
        political_status=d.political_status,
        education=d.education,
        phone=d.phone,
        employer=d.employer,
        id_number=d.id_number,
        bank_account=d.bank_account,
        bank_name=d.bank_name,
        home_address=d.home_address,
        profile_text=d.profile_text,
        village=d.village_name,
        application_date=d.application_date,
        photo=d.photo,
    )


def write_application_pdf(detail: ApplicationDetail, profile: PolicyProfile, out: Path) -> None:
    with atomic_write(out) as fh:
        render_application_form(application_form_data(detail), fh, title=profile.broker.application_form_title)


def print_application_pdf(
    session: Session, profile: PolicyProfile, id_number_or_id: str | int, out: Path
) -> ApplicationDetail:
    """Render the 附件1 form of an application to ``out`` and audit it (full ID printed)."""
    if isinstance(id_number_or_id, int):
        detail = get_application(session, id_number_or_id)
    else:
        detail = get_by_id_number(session, id_number_or_id)
    write_application_pdf(detail, profile, out)
    record_event(
        session,
        AuditFact("打印", "经纪人申请", str(detail.id),
                  detail=f"申请认定表 {detail.data.name} {mask(detail.data.id_number, 6, 4)} → {out.name}"),
    )
    return detail
