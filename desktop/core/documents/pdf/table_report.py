"""A :class:`TableReport` as an A4 PDF (landscape or portrait), fonts embedded, any length.

Like the publicity notice, rows are drawn straight onto the canvas at a fixed height; the layout
is planned first (every block's height is known), so each page can say "第 N 页 共 M 页", and a
table's header is repeated on every page it continues on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desktop.core.documents.fonts import CjkFonts, font_for, register_cjk_fonts
from desktop.core.documents.pdf.layout import draw_lines, layout_lines
from desktop.core.documents.table_report import Column, TableReport, show

MARGIN = 15 * mm
TITLE_SIZE, META_SIZE, HEAD_SIZE, CELL_SIZE, NOTE_SIZE = 17.0, 10.0, 11.0, 9.5, 9.0
TITLE_H, META_H, SECTION_H, HEADER_H, ROW_H = 12 * mm, 5.5 * mm, 8 * mm, 8 * mm, 6.6 * mm
SIGN_ROW_H, SIGN_SIZE, SIGN_ROOM = 9 * mm, 10.5, 38 * mm  # room left after each label for a signature
PAD = 1.2 * mm
LINE_W, BORDER_W = 0.5, 0.9


@dataclass
class _Page:
    ops: list[tuple] = field(default_factory=list)  # (kind, y_top, payload)


class _Planner:
    """Places the report's blocks on pages from the top down; a block never straddles a page."""

    def __init__(self, top: float, bottom: float) -> None:
        self.top, self.bottom = top, bottom
        self.pages = [_Page()]
        self.y = top

    def room(self) -> float:
        return self.y - self.bottom

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = self.top

    def place(self, kind: str, height: float, payload: object = None) -> None:
        if height > self.room():
            self.new_page()
        self.pages[-1].ops.append((kind, self.y, payload))
        self.y -= height


def render_table_report(report: TableReport, out: BinaryIO | str | Path) -> int:
    """Write the report as a PDF; returns the number of pages."""
    fonts = register_cjk_fonts()
    size = landscape(A4) if report.landscape else A4
    width, height = size
    text_w = width - 2 * MARGIN
    canvas = Canvas(str(out) if isinstance(out, Path) else out, pagesize=size, initialFontName=fonts.regular)
    canvas.setTitle(report.title)
    canvas.setAuthor("LaborDesk")
    canvas.setCreator("LaborDesk")

    plan = _Planner(height - MARGIN, MARGIN + 8 * mm)
    plan.place("title", TITLE_H, report.title)
    for line in report.meta:
        plan.place("meta", META_H, line)
    plan.y -= 2 * mm
    for section in report.sections:
        edges = _edges(section.columns, text_w)
        rows = list(section.rows) or [None]
        if section.heading:
            # keep the heading with the header and at least two rows
            if SECTION_H + HEADER_H + min(2, len(rows)) * ROW_H > plan.room():
                plan.new_page()
            plan.place("section", SECTION_H, section.heading)
        plan.place("header", HEADER_H, (section, edges))
        for row in rows:
            if ROW_H > plan.room():
                plan.new_page()
                plan.place("header", HEADER_H, (section, edges))
            plan.place("row", ROW_H, (section, edges, row, False))
        if section.total is not None:
            if ROW_H > plan.room():
                plan.new_page()
                plan.place("header", HEADER_H, (section, edges))
            plan.place("row", ROW_H, (section, edges, section.total, True))
        plan.y -= 4 * mm
    for note in report.notes:
        font = font_for(note, fonts=fonts)
        lines = layout_lines(note, font, NOTE_SIZE, text_w, indent=False)
        plan.place("note", len(lines) * NOTE_SIZE * 1.5, (font, lines))
    if report.signatures or report.issued:
        rows = _signature_rows(report.signatures, fonts, text_w)
        plan.y -= 3 * mm
        plan.place("sign", (len(rows) + 1) * SIGN_ROW_H, (rows, report.issued))

    total = len(plan.pages)
    for number, page in enumerate(plan.pages, 1):
        for kind, y, payload in page.ops:
            _draw(canvas, fonts, kind, y, payload, width, text_w)
        label = f"{report.title}　第 {number} 页 共 {total} 页"
        canvas.setFont(font_for(label, fonts=fonts), 9)
        canvas.drawCentredString(width / 2, MARGIN - 2 * mm, label)
        canvas.showPage()
    canvas.save()
    return total


def _edges(columns: tuple[Column, ...], text_w: float) -> list[float]:
    scale = text_w / sum(c.width for c in columns)
    edges = [MARGIN]
    for c in columns:
        edges.append(edges[-1] + c.width * scale)
    return edges


def _draw(c: Canvas, fonts: CjkFonts, kind: str, y: float, payload: object, width: float, text_w: float) -> None:
    if kind == "title":
        text = str(payload)
        font = font_for(text, bold=True, fonts=fonts)
        size = TITLE_SIZE
        while size > 12 and stringWidth(text, font, size) > text_w:
            size -= 0.5
        mode = _bold(c, fonts, font, size)
        c.setFont(font, size)
        c.drawCentredString(width / 2, y - TITLE_H + 4 * mm, text, mode=mode)
    elif kind == "meta":
        text = str(payload)
        c.setFont(font_for(text, fonts=fonts), META_SIZE)
        c.drawString(MARGIN, y - META_H + 1.6 * mm, text)
    elif kind == "section":
        text = str(payload)
        font = font_for(text, bold=True, fonts=fonts)
        mode = _bold(c, fonts, font, HEAD_SIZE)
        c.setFont(font, HEAD_SIZE)
        c.drawString(MARGIN, y - SECTION_H + 2.2 * mm, text, mode=mode)
    elif kind == "header":
        section, edges = payload  # type: ignore[misc]
        c.setFillGray(0.9)
        c.rect(edges[0], y - HEADER_H, edges[-1] - edges[0], HEADER_H, stroke=0, fill=1)
        c.setFillGray(0)
        for i, col in enumerate(section.columns):
            font = font_for(col.title, bold=True, fonts=fonts)
            _cell(c, fonts, col.title, font, edges[i], y - HEADER_H, edges[i + 1] - edges[i], HEADER_H, "center",
                  _bold(c, fonts, font, CELL_SIZE))
        _grid(c, edges, y, HEADER_H)
    elif kind == "row":
        section, edges, row, is_total = payload  # type: ignore[misc]
        if row is None:
            text = section.empty_text
            c.setFont(font_for(text, fonts=fonts), CELL_SIZE)
            c.drawCentredString((edges[0] + edges[-1]) / 2, y - ROW_H / 2 - 0.36 * CELL_SIZE, text)
            c.setLineWidth(BORDER_W)
            c.rect(edges[0], y - ROW_H, edges[-1] - edges[0], ROW_H)
            return
        for i, (value, col) in enumerate(zip(row, section.columns, strict=True)):
            text = show(value, col)
            if text:
                font = font_for(text, bold=is_total, fonts=fonts)
                mode = _bold(c, fonts, font, CELL_SIZE) if is_total else None
                _cell(c, fonts, text, font, edges[i], y - ROW_H, edges[i + 1] - edges[i], ROW_H, col.align, mode)
        _grid(c, edges, y, ROW_H)
    elif kind == "note":
        font, lines = payload  # type: ignore[misc]
        draw_lines(c, font, NOTE_SIZE, lines, MARGIN, y, text_w, centre=False, spread=1.5)
    elif kind == "sign":
        rows, issued = payload  # type: ignore[misc]
        for r, labels in enumerate(rows):
            step = text_w / len(labels)
            for i, text in enumerate(labels):
                c.setFont(font_for(text, fonts=fonts), SIGN_SIZE)
                c.drawString(MARGIN + i * step, y - (r + 1) * SIGN_ROW_H + 3 * mm, text)
        if issued:
            c.setFont(font_for(issued, fonts=fonts), SIGN_SIZE)
            c.drawRightString(MARGIN + text_w, y - (len(rows) + 1) * SIGN_ROW_H + 3 * mm, issued)


def _signature_rows(labels: tuple[str, ...], fonts: CjkFonts, text_w: float) -> list[list[str]]:
    """Signature labels on as few lines as fit, each with room to sign after it."""
    rows: list[list[str]] = []
    used = text_w
    for label in labels:
        need = stringWidth(label, font_for(label, fonts=fonts), SIGN_SIZE) + SIGN_ROOM
        if used + need > text_w:
            rows.append([])
            used = 0.0
        rows[-1].append(label)
        used += need
    return rows


def _grid(c: Canvas, edges: list[float], top: float, h: float) -> None:
    c.setLineWidth(LINE_W)
    c.lines([(x, top, x, top - h) for x in edges[1:-1]])
    c.setLineWidth(BORDER_W)
    c.rect(edges[0], top - h, edges[-1] - edges[0], h)


def _bold(c: Canvas, fonts: CjkFonts, font: str, size: float) -> int | None:
    """Fill+stroke when only the regular face is there (the shipped font has no bold)."""
    if font != fonts.regular:
        return None
    c.setLineWidth(size * 0.03)
    return 2


def _cell(c: Canvas, fonts: CjkFonts, text: str, font: str, x: float, y: float, w: float, h: float, align: str,
          mode: int | None = None) -> None:
    """One line (shrunk to 8.5 pt if needed), else two lines as large as the cell allows, else cut with …"""
    avail = w - 2 * PAD
    size = CELL_SIZE
    width = stringWidth(text, font, size)
    if width > avail:
        size = max(8.5, CELL_SIZE * avail / width)
    if stringWidth(text, font, size) <= avail:
        c.setFont(font, size)
        base = y + h / 2 - 0.36 * size
        if align == "right":
            c.drawRightString(x + w - PAD, base, text, mode=mode)
        elif align == "center":
            c.drawCentredString(x + w / 2, base, text, mode=mode)
        else:
            c.drawString(x + PAD, base, text, mode=mode)
        return
    size = min(8.5, (h - 2) / 2.3)  # two lines that fill the cell's height
    lines = layout_lines(text, font, size, avail, indent=False)
    if len(lines) > 2:
        keep = lines[1][0]
        while keep and stringWidth(keep + "…", font, size) > avail:
            keep = keep[:-1]
        lines = [lines[0], (keep + "…", 0.0, False)]
    block = len(lines) * size * 1.15
    draw_lines(c, font, size, lines, x + PAD, y + (h + block) / 2, avail, centre=align == "center", spread=1.15)
