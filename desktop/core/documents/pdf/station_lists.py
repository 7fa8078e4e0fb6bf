"""Workstation listings as A4 PDFs: the yearly evaluation results for publication (评估结果公示) and
the subsidy summary (补贴汇总). Rows are drawn at a fixed height page by page with the header
repeated, a totals row when given, and the issuer with the date (and stamp room) after the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desktop.core.documents.fonts import CjkFonts, font_for, register_cjk_fonts
from desktop.core.documents.pdf.layout import draw_lines, layout_lines

MARGIN = 18 * mm
ROW_H, HEADER_H = 8 * mm, 10 * mm
CELL, PAD = 10.0, 1.2 * mm
TAIL_H = 40 * mm


@dataclass(frozen=True)
class ListDoc:
    title: str
    lead: str
    headers: tuple[str, ...]
    widths_mm: tuple[float, ...]  # scaled to the page's text width
    rows: Sequence[tuple[str, ...]]
    numeric: frozenset[int] = field(default_factory=frozenset)  # right-aligned columns
    totals: tuple[str, ...] | None = None
    notes: tuple[str, ...] = ()
    issuer: str = ""
    issue_date: date | None = None
    landscape: bool = False


def date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def render_list(doc: ListDoc, out: BinaryIO | str | Path) -> None:
    fonts = register_cjk_fonts()
    size = landscape(A4) if doc.landscape else A4
    page_w, page_h = size
    text_w = page_w - 2 * MARGIN
    scale = text_w / (sum(doc.widths_mm) * mm)
    edges = [MARGIN]
    for w in doc.widths_mm:
        edges.append(edges[-1] + w * mm * scale)
    target = str(out) if isinstance(out, Path) else out
    c = Canvas(target, pagesize=size, initialFontName=fonts.regular)
    c.setTitle(doc.title)
    c.setAuthor("LaborDesk")
    c.setCreator("LaborDesk")

    top = page_h - 18 * mm
    title_font = font_for(doc.title, bold=True, fonts=fonts)
    lead_font = font_for(doc.lead or "中", fonts=fonts)
    lead = layout_lines(doc.lead, lead_font, 11.5, text_w, indent=True) if doc.lead else []
    first_top = top - 12 * mm - len(lead) * 11.5 * 1.6 - (3 * mm if lead else 0)
    body = list(doc.rows) + ([doc.totals] if doc.totals else [])
    pages: list[tuple[int, int]] = []
    i, cap_top = 0, first_top
    while True:
        cap = max(1, int((cap_top - 16 * mm - HEADER_H) // ROW_H))
        pages.append((i, min(len(body), i + cap)))
        i += cap
        cap_top = top
        if i >= len(body):
            break
    last_bottom = (first_top if len(pages) == 1 else top) - HEADER_H - (pages[-1][1] - pages[-1][0]) * ROW_H
    tail_alone = last_bottom - 16 * mm < TAIL_H
    total_pages = len(pages) + (1 if tail_alone else 0)

    for number, (start, stop) in enumerate(pages, 1):
        y = top
        if number == 1:
            c.setFont(title_font, 18)
            c.drawCentredString(page_w / 2, y - 18, doc.title, mode=_bold(c, fonts, title_font, 18))
            y -= 12 * mm
            if lead:
                draw_lines(c, lead_font, 11.5, lead, MARGIN, y, text_w, centre=False, spread=1.6)
            y = first_top
        y = _table(c, fonts, doc, edges, body[start:stop], y, stop == len(body) and doc.totals is not None)
        if number == len(pages) and not tail_alone:
            _tail(c, fonts, doc, y - 6 * mm, text_w)
        _page_no(c, fonts, number, total_pages, page_w)
        c.showPage()
    if tail_alone:
        _tail(c, fonts, doc, top, text_w)
        _page_no(c, fonts, total_pages, total_pages, page_w)
        c.showPage()
    c.save()


def _bold(c: Canvas, fonts: CjkFonts, font: str, size: float) -> int | None:
    if font != fonts.regular:
        return None
    c.setLineWidth(size * 0.035)
    return 2


def _cell(c: Canvas, text: str, font: str, x: float, y: float, w: float, h: float, right: bool, mode=None) -> None:  # type: ignore[no-untyped-def]
    avail = w - 2 * PAD
    width = stringWidth(text, font, CELL)
    size = CELL if width <= avail else CELL * avail / width
    if size >= 7.5:
        c.setFont(font, size)
        base = y + h / 2 - 0.36 * size
        if right:
            c.drawRightString(x + w - PAD, base, text, mode=mode)
        else:
            c.drawCentredString(x + w / 2, base, text, mode=mode)
        return
    lines = layout_lines(text, font, 8.0, avail, indent=False)[:2]
    block = len(lines) * 8.0 * 1.15
    draw_lines(c, font, 8.0, lines, x + PAD, y + (h + block) / 2, avail, centre=True, spread=1.15)


def _table(c: Canvas, fonts: CjkFonts, doc: ListDoc, edges: list[float], rows: Sequence[tuple[str, ...]],
           top: float, last_is_total: bool) -> float:
    head = font_for("".join(doc.headers), bold=True, fonts=fonts)
    mode = _bold(c, fonts, head, CELL)
    for i, label in enumerate(doc.headers):
        _cell(c, label, head, edges[i], top - HEADER_H, edges[i + 1] - edges[i], HEADER_H, False, mode)
    y = top - HEADER_H
    for n, row in enumerate(rows):
        bottom = y - ROW_H
        total = last_is_total and n == len(rows) - 1
        for i, text in enumerate(row):
            if text:
                font = font_for(text, bold=total, fonts=fonts)
                _cell(c, text, font, edges[i], bottom, edges[i + 1] - edges[i], ROW_H, i in doc.numeric,
                      _bold(c, fonts, font, CELL) if total else None)
        y = bottom
    c.setLineWidth(0.5)
    lines = [(edges[0], top - HEADER_H - k * ROW_H, edges[-1], top - HEADER_H - k * ROW_H) for k in range(len(rows))]
    lines += [(x, top, x, y) for x in edges[1:-1]]
    c.lines(lines)
    c.setLineWidth(1.0)
    c.rect(edges[0], y, edges[-1] - edges[0], top - y)
    return y


def _tail(c: Canvas, fonts: CjkFonts, doc: ListDoc, top: float, text_w: float) -> None:
    y = top
    for note in doc.notes:
        font = font_for(note, fonts=fonts)
        lines = layout_lines(note, font, 10, text_w, indent=False)
        draw_lines(c, font, 10, lines, MARGIN, y, text_w, centre=False)
        y -= len(lines) * 14 + 2
    right = MARGIN + text_w - 24
    for text, dy in ((doc.issuer, 14 * mm), (date_text(doc.issue_date) if doc.issue_date else "", 22 * mm)):
        if text:
            c.setFont(font_for(text, fonts=fonts), 12)
            c.drawRightString(right, y - dy, text)


def _page_no(c: Canvas, fonts: CjkFonts, number: int, total: int, page_w: float) -> None:
    text = f"第 {number} 页 共 {total} 页"
    c.setFont(font_for(text, fonts=fonts), 9.5)
    c.drawCentredString(page_w / 2, 9 * mm, text)
