"""Printing goes through the same PDF: every page is painted onto the printer."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from desktop.core.services import applications as svc
from desktop.core.services.printing import print_application_pdf
from desktop.ui.printing import print_pdf
from tests.factories import application_input


def test_application_pdf_prints_onto_a_printer(qtbot, db, profile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        app_id = svc.create_application(s, profile, application_input())
        print_application_pdf(s, profile, app_id, tmp_path / "form.pdf")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(150)
    assert print_pdf(tmp_path / "form.pdf", printer) == 1
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 1
    assert (tmp_path / "printed.pdf").stat().st_size > 20_000  # a real page image, not a blank page


def test_cli_print_application_writes_pdf_and_audits(db_path: Path, db, profile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from desktop.cli import main
    from desktop.core.models import AuditEntry

    data = application_input()
    with db.session("clerk") as s:
        svc.create_application(s, profile, data)
    out = tmp_path / "申请表.pdf"
    assert main(["--db", str(db_path), "print", "application", data.id_number.lower(), "--out", str(out)]) == 0
    text = PdfReader(out).pages[0].extract_text()
    assert data.id_number in text.replace(" ", "")
    with db.session("t", write=False) as s:
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.action == "打印")).all() == ["打印"]
    assert main(["--db", str(db_path), "print", "application", "110105194912310021", "--out", str(out)]) == 2
