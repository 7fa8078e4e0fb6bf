"""Print (system print dialog) and Save-as-PDF buttons for any document core can render.

Core renders the PDF; for printing, pages are rasterised with pdfium at the printer's resolution
and painted onto the QPrinter, so what prints is exactly the PDF that would be saved.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

RenderJob = Callable[[Any, Path], Any]  # (session, out_path) -> anything


class PdfActions:
    """The two buttons plus their behaviour; ``make_job()`` returns the render function."""

    def __init__(self, owner: QWidget, make_job: Callable[[], RenderJob], default_name: Callable[[], str]) -> None:
        self.owner = owner
        self.make_job = make_job
        self.default_name = default_name
        self.print_button = QPushButton("打印(&P)…")
        self.save_button = QPushButton("另存为PDF…")
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_pdf)
        self._tmp = tempfile.TemporaryDirectory(prefix="labordesk-print-")

    def set_enabled(self, enabled: bool, why_not: str = "") -> None:
        for b in (self.print_button, self.save_button):
            b.setEnabled(enabled)
            b.setToolTip(why_not)

    def _state(self):  # type: ignore[no-untyped-def]
        return self.owner.state  # type: ignore[attr-defined]

    def save_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.owner, "另存为PDF", self.default_name(), "PDF 文件 (*.pdf)")
        if not path:
            return
        out = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        job = self.make_job()
        self._state().in_background(
            lambda s: job(s, out),
            on_done=lambda _r: QMessageBox.information(self.owner, "已保存", f"已保存到：\n{out}"),
            parent=self.owner,
            label="正在生成PDF……",
        )

    def print_document(self) -> None:
        out = Path(self._tmp.name) / self.default_name()
        job = self.make_job()
        self._state().in_background(
            lambda s: job(s, out), on_done=lambda _r: self._print_file(out), parent=self.owner,
            label="正在准备打印……",
        )

    def _print_file(self, pdf: Path) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        dialog = QPrintDialog(printer, self.owner)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        print_pdf(pdf, printer)


def print_pdf(pdf: Path, printer: QPrinter) -> int:
    """Paint every page of ``pdf`` onto ``printer``; returns the number of pages printed."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        dpi = max(150, min(printer.resolution(), 600))
        painter = QPainter()
        first = True
        for i in range(len(doc)):
            page = doc[i]
            width, height = page.get_size()
            printer.setPageOrientation(
                QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
            )
            if first:
                if not painter.begin(printer):
                    raise RuntimeError("printer could not start")
                first = False
            else:
                printer.newPage()
            bitmap = page.render(scale=dpi / 72)
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes("raw", "RGB")
            image = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888)
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(0, 0, scaled.width(), scaled.height()), image)
        if not first:
            painter.end()
        return len(doc)
    finally:
        doc.close()
