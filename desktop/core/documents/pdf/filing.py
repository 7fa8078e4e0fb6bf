"""The annual filing (备案信息表, 附件3) as a PDF: A4 landscape, any length, fonts embedded.

Same content as the .xlsx (documents/excel/filing.py): title, the 填报市（州） line, the ten
columns with the header repeated on every page, the 填报人/审核人/填报日期 line and the note. Rows
are drawn straight onto the canvas at a fixed height after the pages are planned (as the
publicity notice does), so the time grows linearly with the number of brokers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desktop.core.documents.filing_layout import HEADERS, FilingDocument, FilingRow, header_text, month_text
from desktop.core.documents.fonts import CjkFonts, font_for, register_cjk_fonts
from desktop.core.documents.pdf.layout import draw_cell, emboldened

COL_MM = (11, 20, 10, 41, 17, 23, 30, 50, 27, 44)  # sums to the 273 mm text width
PAGE_W, PAGE_H = landscape(A4)
LEFT = 12 * mm
TEXT_W = PAGE_W - 2 * LEFT
TOP = PAGE_H - 12 * mm
BOTTOM = 14 * mm
PAGE_NO_Y = 7 * mm
TITLE_SIZE, UNIT_SIZE, CELL_SIZE, HEADER_SIZE = 18.0, 11.0, 10.0, 9.5
TITLE_H, UNIT_H = 12 * mm, 9 * mm
HEADER_H, ROW_H = 11 * mm, 7 * mm
TAIL_H = 18 * mm  # the 填报人 line and the note
TAIL_CARRY = 3  # rows moved onto the last page so the footer never stands alone
LINE_W, BORDER_W = 0.5, 1.0


@dataclass(frozen=True)
class _Page:
    first: int
    stop: int
    tail: bool


def render_filing_pdf(doc: FilingDocument, out: BinaryIO | str | Path) -> None:
    """Write the filing as an A4 landscape PDF to ``out`` (a path or a binary stream)."""
    fonts = register_cjk_fonts()
    target = str(out) if isinstance(out, Path) else out
    c = Canvas(target, pagesize=(PAGE_W, PAGE_H), initialFontName=fonts.regular, initialFontSize=CELL_SIZE)
    title = f"{doc.year}年{doc.title}"
    c.setTitle(title)
    c.setSubject(title)
    c.setAuthor("LaborDesk")
    c.setCreator("LaborDesk")
    pages = paginate(len(doc.rows))
    table = _Table(fonts)
    for number, page in enumerate(pages, 1):
        y = TOP
        if number == 1:
            y = _heading(c, fonts, doc, y)
        y = table.draw(c, doc.rows, page.first, page.stop, y)
        if page.tail:
            _tail(c, fonts, doc, y - 7 * mm)
        text = f"第 {number} 页 共 {len(pages)} 页"
        c.setFont(font_for(text, fonts=fonts), 9.5)
        c.drawCentredString(PAGE_W / 2, PAGE_NO_Y, text)
        c.showPage()
    c.save()


def paginate(n: int) -> list[_Page]:
    """Rows per page (fewer on the first, under the title); the footer under the last row, with a
    few rows carried over when it does not fit."""
    first_cap = int((TOP - TITLE_H - UNIT_H - HEADER_H - BOTTOM) // ROW_H)
    full = int((TOP - HEADER_H - BOTTOM) // ROW_H)
    pages: list[_Page] = []
    i = 0
    while i < n or not pages:
        take = min(first_cap if not pages else full, n - i)
        pages.append(_Page(i, i + take, False))
        i += take
    last = pages[-1]
    top = TOP - (TITLE_H + UNIT_H if len(pages) == 1 else 0)
    room = top - HEADER_H - (last.stop - last.first) * ROW_H - BOTTOM
    if room >= TAIL_H:
        pages[-1] = _Page(last.first, last.stop, True)
        return pages
    carry = max(0, min(TAIL_CARRY, last.stop - last.first - 1))
    pages[-1] = _Page(last.first, last.stop - carry, False)
    pages.append(_Page(last.stop - carry, last.stop, True))
    return pages


def _heading(c: Canvas, fonts: CjkFonts, doc: FilingDocument, top: float) -> float:
    font = font_for(doc.title, bold=True, fonts=fonts)
    mode = emboldened(c, fonts.regular, font, TITLE_SIZE)
    c.setFont(font, TITLE_SIZE)
    c.drawCentredString(PAGE_W / 2, top - TITLE_H + 3 * mm, doc.title, mode=mode)
    y = top - TITLE_H
    base = y - UNIT_H + 3 * mm
    unit, reporter = doc.unit_line(), doc.reporter_line()
    c.setFont(font_for(unit, fonts=fonts), UNIT_SIZE)
    c.drawString(LEFT, base, unit)
    c.setFont(font_for(reporter, fonts=fonts), UNIT_SIZE)
    c.drawRightString(LEFT + TEXT_W, base, reporter)
    return y - UNIT_H


class _Table:
    """Fonts and column edges, resolved once per document."""

    def __init__(self, fonts: CjkFonts) -> None:
        self.fonts = fonts
        self.header_font = font_for("".join(HEADERS), bold=True, fonts=fonts)
        self.digit_font = font_for("0123456789X年月日", fonts=fonts)
        edges = [LEFT]
        for w in COL_MM:
            edges.append(edges[-1] + w * mm)
        self.edges = edges

    def draw(self, c: Canvas, rows: Sequence[FilingRow], first: int, stop: int, top: float) -> float:
        """The header and rows ``first``..``stop`` from ``top`` down; returns the table's bottom."""
        edges, fonts = self.edges, self.fonts
        mode = emboldened(c, fonts.regular, self.header_font, HEADER_SIZE)
        for i, label in enumerate(HEADERS):
            lines = header_text(label).split("\n")
            c.setFont(self.header_font, HEADER_SIZE)
            centre = (edges[i] + edges[i + 1]) / 2
            lead = HEADER_SIZE * 1.25
            y0 = top - HEADER_H / 2 + (len(lines) - 1) * lead / 2 - 0.36 * HEADER_SIZE
            for k, line in enumerate(lines):
                c.drawCentredString(centre, y0 - k * lead, line, mode=mode)
        y = top - HEADER_H
        for row in rows[first:stop]:
            bottom = y - ROW_H
            certified = f"{row.certified_on.year}年{row.certified_on.month}月{row.certified_on.day}日" \
                if row.certified_on else ""
            cells = (str(row.seq), row.name, row.gender, row.id_number, row.education, month_text(row.training_month),
                     certified, row.service_area, row.phone, row.remarks)
            for i, text in enumerate(cells):
                if text:
                    font = self.digit_font if i in (0, 3, 5, 6, 8) else font_for(text, fonts=fonts)
                    draw_cell(c, text, font, edges[i], bottom, edges[i + 1] - edges[i], ROW_H, size=CELL_SIZE)
            y = bottom
        c.setLineWidth(LINE_W)
        rules = [(LEFT, top - HEADER_H - k * ROW_H, edges[-1], top - HEADER_H - k * ROW_H) for k in range(stop - first)]
        rules += [(x, top, x, y) for x in edges[1:-1]]
        c.lines(rules)
        c.setLineWidth(BORDER_W)
        c.rect(LEFT, y, edges[-1] - LEFT, top - y)
        return y


def _tail(c: Canvas, fonts: CjkFonts, doc: FilingDocument, baseline: float) -> None:
    for x, text in zip((LEFT, LEFT + TEXT_W * 0.36, LEFT + TEXT_W * 0.68), doc.footer_parts(), strict=True):
        c.setFont(font_for(text, fonts=fonts), UNIT_SIZE)
        c.drawString(x, baseline, text)
    note = doc.note
    size = UNIT_SIZE
    font = font_for(note, fonts=fonts)
    while size > 8 and stringWidth(note, font, size) > TEXT_W:
        size -= 0.5
    c.setFont(font, size)
    c.drawString(LEFT, baseline - 8 * mm, note)
