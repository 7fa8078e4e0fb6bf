"""A ``TableDocument`` as an A4 PDF: rows drawn at a fixed height, the header repeated on each page.

Like the publicity notice, the pages are planned first (so every page says "共 M 页") and each row
is drawn straight onto the canvas, so the time grows linearly with the rows. A cell's text is
shrunk to fit one line, else wrapped onto up to three lines at a smaller size, else cut with "…".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desktop.core.documents.fonts import CjkFonts, font_for, register_cjk_fonts
from desktop.core.documents.pdf.layout import draw_lines, layout_lines
from desktop.core.documents.table_document import Table, TableDocument

MARGIN = 15 * mm
TOP_GAP = 12 * mm
BOTTOM = 16 * mm
PAGE_NO_Y = 8 * mm
TITLE_SIZE = 16.0
NOTE_SIZE = 10.5
CELL_SIZE, CELL_MIN = 9.0, 6.0
HEADER_H, ROW_H = 12 * mm, 9 * mm
HEADING_H = 8 * mm
PAD = 1.0 * mm
LINE_W, BORDER_W = 0.5, 0.9
PARA_LEADING = 1.6
CARRY = 3  # rows moved onto a page that would otherwise hold only the lines under the tables


@dataclass(frozen=True)
class _Block:
    kind: str  # "rows" (table index, first, stop) or "after"
    table: int = 0
    first: int = 0
    stop: int = 0


def render_table_pdf(doc: TableDocument, out: BinaryIO | str | Path) -> int:
    """Write ``doc`` as a PDF to ``out``; returns the number of pages."""
    fonts = register_cjk_fonts()
    size = landscape(A4) if doc.landscape else A4
    page_w, page_h = size
    width = page_w - 2 * MARGIN
    c = Canvas(str(out) if isinstance(out, Path) else out, pagesize=size, initialFontName=fonts.regular)
    c.setTitle(doc.title)
    c.setAuthor("LaborDesk")
    c.setCreator("LaborDesk")
    top = page_h - TOP_GAP
    head_h = _head_height(doc, fonts, width)
    after_h = _after_height(doc, fonts, width)
    again_h = _notes_height(doc, fonts, width) if doc.repeat_notes else 0.0
    pages = _plan(doc, top - head_h, top - again_h, after_h)
    for number, blocks in enumerate(pages, 1):
        y = top
        if number == 1:
            y = _draw_head(c, doc, fonts, y, width)
        elif doc.repeat_notes:
            y = _draw_notes(c, doc, fonts, y, width) - 2 * mm
        for block in blocks:
            if block.kind == "rows":
                y = _draw_rows(c, doc.tables[block.table], fonts, block, y, width) - 4 * mm
            else:
                _draw_after(c, doc, fonts, y, width)
        text = f"第 {number} 页 共 {len(pages)} 页"
        c.setFont(font_for(text, fonts=fonts), 9)
        c.drawCentredString(page_w / 2, PAGE_NO_Y, text)
        c.showPage()
    c.save()
    return len(pages)


def _head_height(doc: TableDocument, fonts: CjkFonts, width: float) -> float:
    h = TITLE_SIZE * 1.8
    if doc.corner:
        h += NOTE_SIZE * 1.6
    return h + _notes_height(doc, fonts, width) + 2 * mm


def _note_rows(doc: TableDocument, fonts: CjkFonts, width: float) -> int:
    """0 without notes; 1 when the left and right notes fit side by side; else 2 (right under left)."""
    if not (doc.left_note or doc.right_note):
        return 0
    used = sum(stringWidth(t, font_for(t, fonts=fonts), NOTE_SIZE) for t in (doc.left_note, doc.right_note) if t)
    return 1 if used + 4 * NOTE_SIZE <= width else 2


def _notes_height(doc: TableDocument, fonts: CjkFonts, width: float) -> float:
    rows = _note_rows(doc, fonts, width)
    return NOTE_SIZE * (0.6 + 1.4 * rows) if rows else 0.0


def _after_lines(doc: TableDocument, fonts: CjkFonts, width: float) -> list[tuple[str, list]]:
    out = []
    for text in [*doc.after, "\u3000\u3000".join(doc.signature) if doc.signature else ""]:
        if text:
            font = font_for(text, fonts=fonts)
            out.append((font, layout_lines(text, font, NOTE_SIZE, width, indent=False)))
    return out


def _after_height(doc: TableDocument, fonts: CjkFonts, width: float) -> float:
    lines = sum(len(lines) for _, lines in _after_lines(doc, fonts, width))
    extra = 6 * mm if doc.signature else 0
    return lines * NOTE_SIZE * PARA_LEADING + extra + 2 * mm


def _plan(doc: TableDocument, first_top: float, top: float, after_h: float) -> list[list[_Block]]:
    """Blocks per page: table slices (header repeated), then the lines under the tables."""
    pages: list[list[_Block]] = [[]]
    y = first_top
    for index, table in enumerate(doc.tables):
        heading = HEADING_H if table.heading else 0  # on every page the table continues on
        total = len(table.rows) + (1 if table.footer_row else 0)
        i = 0
        while True:
            room = int((y - BOTTOM - heading - HEADER_H) // ROW_H)
            if room <= 0 or (i == 0 and total and room < min(3, total)):
                pages.append([])
                y = top
                continue
            take = min(room, total - i)
            pages[-1].append(_Block("rows", index, i, i + take))
            y -= heading + HEADER_H + take * ROW_H + 4 * mm
            i += take
            if i >= total:
                break
            pages.append([])
            y = top
    if y - BOTTOM < after_h:
        pages.append(_carried(pages[-1]))
    pages[-1].append(_Block("after"))
    return pages


def _carried(page: list[_Block]) -> list[_Block]:
    """The start of the page the lines under the tables move to: the last table's last few rows
    move with them (header repeated), so that page never holds the totals and signatures alone."""
    last = page[-1] if page and page[-1].kind == "rows" else None
    if last is None or last.stop - last.first <= CARRY:
        return []
    page[-1] = _Block("rows", last.table, last.first, last.stop - CARRY)
    return [_Block("rows", last.table, last.stop - CARRY, last.stop)]


def _draw_head(c: Canvas, doc: TableDocument, fonts: CjkFonts, top: float, width: float) -> float:
    y = top
    if doc.corner:
        c.setFont(font_for(doc.corner, bold=True, fonts=fonts), NOTE_SIZE)
        c.drawString(MARGIN, y - NOTE_SIZE, doc.corner)
        y -= NOTE_SIZE * 1.6
    font = font_for(doc.title, bold=True, fonts=fonts)
    size = TITLE_SIZE
    while size > 11 and stringWidth(doc.title, font, size) > width:
        size -= 0.5
    mode = None
    if font == fonts.regular:  # no separate bold face: embolden by stroking, as the notice does
        c.setLineWidth(size * 0.03)
        mode = 2
    c.setFont(font, size)
    c.drawCentredString(MARGIN + width / 2, y - TITLE_SIZE * 1.2, doc.title, mode=mode)
    y -= TITLE_SIZE * 1.8
    return _draw_notes(c, doc, fonts, y, width) - 2 * mm


def _draw_notes(c: Canvas, doc: TableDocument, fonts: CjkFonts, top: float, width: float) -> float:
    """The left and right notes on one line, or the right one under the left when both do not fit."""
    rows = _note_rows(doc, fonts, width)
    if not rows:
        return top
    base = top - NOTE_SIZE * 1.3
    if doc.left_note:
        c.setFont(font_for(doc.left_note, fonts=fonts), NOTE_SIZE)
        c.drawString(MARGIN, base, doc.left_note)
    if doc.right_note:
        c.setFont(font_for(doc.right_note, fonts=fonts), NOTE_SIZE)
        c.drawRightString(MARGIN + width, base - (rows - 1) * NOTE_SIZE * 1.4, doc.right_note)
    return top - _notes_height(doc, fonts, width)


def _edges(table: Table, width: float) -> list[float]:
    total = sum(col.width_mm for col in table.columns)
    edges = [MARGIN]
    for col in table.columns:
        edges.append(edges[-1] + col.width_mm / total * width)
    return edges


def _draw_rows(c: Canvas, table: Table, fonts: CjkFonts, block: _Block, top: float, width: float) -> float:
    y = top
    if table.heading:
        heading = table.heading if block.first == 0 else f"{table.heading}（续）"
        c.setFont(font_for(heading, bold=True, fonts=fonts), NOTE_SIZE)
        c.drawString(MARGIN, y - HEADING_H + 2.5 * mm, heading)
        y -= HEADING_H
    edges = _edges(table, width)
    header_font = font_for("".join(col.title for col in table.columns), bold=True, fonts=fonts)
    for i, col in enumerate(table.columns):
        _cell(c, col.title, header_font, edges[i], y - HEADER_H, edges[i + 1] - edges[i], HEADER_H, "c", max_lines=3)
    table_top = y
    y -= HEADER_H
    rows: Sequence[Sequence[object]] = list(table.rows) + ([table.footer_row] if table.footer_row else [])
    for row in rows[block.first:block.stop]:
        bottom = y - ROW_H
        for i, value in enumerate(row):
            text = "" if value is None else f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
            if text:
                font = font_for(text, fonts=fonts)
                _cell(c, text, font, edges[i], bottom, edges[i + 1] - edges[i], ROW_H, table.columns[i].align)
        y = bottom
    c.setLineWidth(LINE_W)
    n = block.stop - block.first
    lines = [(MARGIN, table_top - HEADER_H - k * ROW_H, edges[-1], table_top - HEADER_H - k * ROW_H) for k in range(n)]
    lines += [(x, table_top, x, y) for x in edges[1:-1]]
    c.lines(lines)
    c.setLineWidth(BORDER_W)
    c.rect(MARGIN, y, edges[-1] - MARGIN, table_top - y)
    return y


def _cell(c: Canvas, text: str, font: str, x: float, y: float, w: float, h: float, align: str,
          max_lines: int = 3) -> None:
    avail = w - 2 * PAD
    width = stringWidth(text, font, CELL_SIZE)
    if "\n" not in text and width * 0.8 <= avail:
        size = min(CELL_SIZE, CELL_SIZE * avail / width) if width else CELL_SIZE
        c.setFont(font, size)
        base = y + h / 2 - 0.36 * size
        if align == "l":
            c.drawString(x + PAD, base, text)
        elif align == "r":
            c.drawRightString(x + w - PAD, base, text)
        else:
            c.drawCentredString(x + w / 2, base, text)
        return
    size = CELL_SIZE
    lines = layout_lines(text, font, size, avail, indent=False)
    while (len(lines) > max_lines or len(lines) * size * 1.15 > h - PAD) and size > CELL_MIN:
        size -= 0.5
        lines = layout_lines(text, font, size, avail, indent=False)
    if len(lines) > max_lines:
        keep = lines[max_lines - 1][0]
        while keep and stringWidth(keep + "…", font, size) > avail:
            keep = keep[:-1]
        lines = [*lines[: max_lines - 1], (keep + "…", 0.0, False)]
    block = len(lines) * size * 1.15
    flat = [(text, 0.0, False) for text, _, _ in lines]  # no stretched spacing inside cells
    draw_lines(c, font, size, flat, x + PAD, y + (h + block) / 2, avail, centre=align != "l", spread=1.15)


def _draw_after(c: Canvas, doc: TableDocument, fonts: CjkFonts, top: float, width: float) -> None:
    y = top - 2 * mm
    parts = _after_lines(doc, fonts, width)
    for index, (font, lines) in enumerate(parts):
        if doc.signature and index == len(parts) - 1:
            y -= 6 * mm  # room to sign
        draw_lines(c, font, NOTE_SIZE, lines, MARGIN, y, width, centre=False, spread=PARA_LEADING)
        y -= len(lines) * NOTE_SIZE * PARA_LEADING
