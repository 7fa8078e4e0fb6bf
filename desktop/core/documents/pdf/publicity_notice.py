"""The printable 公示 notice (publicity notice) of a certification batch: A4 portrait, any length.

Rows are drawn straight onto the canvas at a fixed height, page by page, so the time grows
linearly with the number of people (a single platypus Table re-splits itself on every page and
grows quadratically). Pagination is planned before drawing, so every page knows "共 M 页".

The notice is public: ID numbers arrive already masked (first 6 and last 4 kept, per profile)
and :class:`NoticeRow` refuses anything that still looks like a full number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desktop.core.documents.fonts import CjkFonts, font_for, register_cjk_fonts
from desktop.core.documents.pdf.layout import Line, draw_cell, draw_lines, emboldened, layout_lines

HEADERS = ("序号", "姓名", "性别", "所在村（社区）", "身份证号码")
COL_MM = (14, 30, 14, 58, 44)  # sums to the 160 mm text width

PAGE_W, PAGE_H = A4
LEFT = 25 * mm
TEXT_W = PAGE_W - 2 * LEFT
TOP = PAGE_H - 22 * mm
BOTTOM = 20 * mm  # lowest table line / text; the page number sits below
PAGE_NO_Y = 11 * mm
TITLE_SIZE, TITLE_MIN = 20.0, 16.0
BODY_SIZE, BODY_SPREAD = 12.0, 1.75
CELL_SIZE, CELL_MIN = 10.5, 6.5
NOTE_SIZE = 9.5
HEADER_H, ROW_H = 9 * mm, 7.5 * mm
CELL_PAD = 1.2 * mm
LINE_W, BORDER_W = 0.5, 1.0
STAMP_D = 42 * mm  # room for a 40 mm round seal pressed over the issuer and date
TAIL_CARRY = 3  # rows moved onto the signature page so it never stands without the table

_FULL_ID = re.compile(r"\d{15}")


@dataclass(frozen=True)
class NoticeRow:
    """One person on the notice; ``id_number_masked`` must already be masked."""

    seq: int
    name: str
    gender: str
    village: str
    id_number_masked: str

    def __post_init__(self) -> None:
        if _FULL_ID.search(self.id_number_masked or ""):
            raise ValueError(f"第 {self.seq} 行的身份证号码未遮盖，公示名单只能使用遮盖后的号码。")


@dataclass(frozen=True)
class PublicityNotice:
    """Everything printed on one 公示 notice, as ready-to-print text and dates."""

    title: str
    lead: str
    rows: Sequence[NoticeRow]
    start: date
    end: date
    objection_phone: str
    objection_address: str
    issuer: str
    issue_date: date
    rule_text: str = ""  # which holiday rule counted the working days; printed as a small note
    working_days: int | None = None  # shown as "（5个工作日）" after the period when given


def date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def period_text(notice: PublicityNotice) -> str:
    """公示期：2026年11月23日至2026年11月27日（5个工作日）。"""
    days = f"（{notice.working_days}个工作日）" if notice.working_days else ""
    return f"公示期：{date_text(notice.start)}至{date_text(notice.end)}{days}。"


def rule_note(notice: PublicityNotice) -> str:
    rule = notice.rule_text.strip().rstrip("。")
    return f"注：工作日{rule}。" if rule else ""


def objection_paragraphs(notice: PublicityNotice) -> list[str]:
    """How to object, then the phone and address lines (each omitted when blank)."""
    out = [
        f"公示期间，如有异议，请以书面或电话形式向{notice.issuer}反映。反映情况应实事求是，"
        "以单位名义反映的须加盖单位公章，以个人名义反映的须署本人真实姓名并留联系方式。"
    ]
    if notice.objection_phone.strip():
        out.append(f"联系电话：{notice.objection_phone.strip()}")
    if notice.objection_address.strip():
        out.append(f"联系地址：{notice.objection_address.strip()}")
    return out


@dataclass(frozen=True)
class _Page:
    first: int  # index of the first row drawn on the page
    stop: int
    table: bool  # draw the header (and rows) on this page
    tail: bool  # the period, objection and signature block end this page


def render_publicity_notice(notice: PublicityNotice, out: BinaryIO | str | Path) -> None:
    """Write the notice as an A4 portrait PDF to ``out`` (a path or binary stream), fonts embedded."""
    fonts = register_cjk_fonts()
    target = str(out) if isinstance(out, Path) else out
    c = Canvas(target, pagesize=A4, initialFontName=fonts.regular, initialFontSize=BODY_SIZE)
    c.setTitle(notice.title)
    c.setAuthor("LaborDesk")
    c.setSubject(notice.title)
    c.setCreator("LaborDesk")

    title_font, title_size, title_lines = _title_layout(notice.title, fonts)
    lead_font = font_for(notice.lead, fonts=fonts)
    lead_lines = layout_lines(notice.lead, lead_font, BODY_SIZE, TEXT_W, indent=True) if notice.lead.strip() else []
    title_h = len(title_lines) * title_size * 1.5
    lead_h = len(lead_lines) * BODY_SIZE * BODY_SPREAD
    first_table_top = TOP - title_h - 5 * mm - lead_h - (3 * mm if lead_lines else 0)
    tail = _Tail(notice, fonts)
    pages = _paginate(len(notice.rows), first_table_top, tail.height)

    ctx = _Row(fonts)
    for number, page in enumerate(pages, 1):
        y = TOP
        if number == 1:
            _title(c, fonts, title_font, title_size, title_lines, y)
            y -= title_h + 5 * mm
            if lead_lines:
                draw_lines(c, lead_font, BODY_SIZE, lead_lines, LEFT, y, TEXT_W, centre=False, spread=BODY_SPREAD)
                y = first_table_top
        if page.table:
            y = _table(c, ctx, notice.rows, page.first, page.stop, y)
        if page.tail:
            tail.draw(c, y - 5 * mm)
        _page_number(c, fonts, number, len(pages))
        c.showPage()
    c.save()


def _title_layout(title: str, fonts: CjkFonts) -> tuple[str, float, list[Line]]:
    """One centred line, shrinking to 16 pt; a longer title wraps at 18 pt (公文 titles often do)."""
    font = font_for(title, bold=True, fonts=fonts)
    size = TITLE_SIZE
    while size > TITLE_MIN and stringWidth(title, font, size) > TEXT_W:
        size -= 0.5
    if stringWidth(title, font, size) <= TEXT_W:
        return font, size, [(title, 0.0, False)]
    size = 18.0
    return font, size, layout_lines(title, font, size, TEXT_W - 2 * size, indent=False)


def _title(c: Canvas, fonts: CjkFonts, font: str, size: float, lines: list[Line], top: float) -> None:
    """Centred title lines; without a system 黑体 the one shipped face is emboldened by stroking."""
    mode = _emboldened(c, fonts, font, size)
    c.setFont(font, size)
    for i, (line, _, _) in enumerate(lines):
        c.drawCentredString(PAGE_W / 2, top - (i + 1) * size * 1.5 + 0.45 * size, line, mode=mode)


def _emboldened(c: Canvas, fonts: CjkFonts, font: str, size: float) -> int | None:
    return emboldened(c, fonts.regular, font, size)


def _paginate(n: int, first_table_top: float, tail_h: float) -> list[_Page]:
    """Split ``n`` rows over pages; the tail goes under the last row or onto a page of its own."""
    capacity = [max(0, int((first_table_top - BOTTOM - HEADER_H) // ROW_H))]
    full = int((TOP - BOTTOM - HEADER_H) // ROW_H)
    pages: list[_Page] = []
    i = 0
    while i < n:
        cap = capacity[0] if not pages else full
        take = min(cap, n - i)
        pages.append(_Page(i, i + take, take > 0, False))
        i += take
    if not pages:
        # nobody listed (unusual): still print the header so the notice is recognisably empty
        if first_table_top - HEADER_H - BOTTOM >= tail_h:
            return [_Page(0, 0, True, True)]
        return [_Page(0, 0, True, False), _Page(0, 0, False, True)]
    last = pages[-1]
    top = first_table_top if len(pages) == 1 else TOP
    room = top - HEADER_H - (last.stop - last.first) * ROW_H - BOTTOM - 5 * mm
    if room >= tail_h:
        pages[-1] = _Page(last.first, last.stop, True, True)
        return pages
    carry = min(TAIL_CARRY, last.stop - last.first - 1)
    pages[-1] = _Page(last.first, last.stop - carry, last.table, False)
    pages.append(_Page(last.stop - carry, last.stop, carry > 0, True))
    return pages


class _Row:
    """Fonts and column edges for table cells, resolved once per document."""

    def __init__(self, fonts: CjkFonts) -> None:
        self.fonts = fonts
        self.header_font = font_for("".join(HEADERS), bold=True, fonts=fonts)
        self.digit_font = font_for("0123456789X*", fonts=fonts)
        edges = [LEFT]
        for w in COL_MM:
            edges.append(edges[-1] + w * mm)
        self.edges = edges


def _table(c: Canvas, ctx: _Row, rows: Sequence[NoticeRow], first: int, stop: int, top: float) -> float:
    """The header and rows ``first``..``stop`` from ``top`` down; returns the table's bottom."""
    edges = ctx.edges
    mode = _emboldened(c, ctx.fonts, ctx.header_font, CELL_SIZE)
    for i, label in enumerate(HEADERS):
        _cell(c, label, ctx.header_font, edges[i], top - HEADER_H, edges[i + 1] - edges[i], HEADER_H, mode)
    y = top - HEADER_H
    fonts = ctx.fonts
    for row in rows[first:stop]:
        bottom = y - ROW_H
        cells = (str(row.seq), row.name, row.gender, row.village, row.id_number_masked)
        for i, text in enumerate(cells):
            if not text:
                continue
            font = ctx.digit_font if i in (0, 4) else font_for(text, fonts=fonts)
            _cell(c, text, font, edges[i], bottom, edges[i + 1] - edges[i], ROW_H)
        y = bottom
    c.setLineWidth(LINE_W)
    rules = [(LEFT, top - HEADER_H - k * ROW_H, edges[-1], top - HEADER_H - k * ROW_H) for k in range(stop - first)]
    rules += [(x, top, x, y) for x in edges[1:-1]]
    c.lines(rules)
    c.setLineWidth(BORDER_W)
    c.rect(LEFT, y, edges[-1] - LEFT, top - y)
    return y


def _cell(c: Canvas, text: str, font: str, x: float, y: float, w: float, h: float, mode: int | None = None) -> None:
    draw_cell(c, text, font, x, y, w, h, size=CELL_SIZE, min_size=CELL_MIN, pad=CELL_PAD, mode=mode)


class _Tail:
    """The period, the objection paragraphs and the signature block, laid out once."""

    def __init__(self, notice: PublicityNotice, fonts: CjkFonts) -> None:
        self.blocks: list[tuple[str, float, float, list[Line]]] = []  # font, size, spread, lines
        for text, size in [(period_text(notice), BODY_SIZE), (rule_note(notice), NOTE_SIZE)] + [
            (p, BODY_SIZE) for p in objection_paragraphs(notice)
        ]:
            if text:
                font = font_for(text, fonts=fonts)
                spread = BODY_SPREAD if size == BODY_SIZE else 1.5
                self.blocks.append((font, size, spread, layout_lines(text, font, size, TEXT_W, indent=True)))
        self.issuer = notice.issuer.strip()
        self.when = date_text(notice.issue_date)
        self.issuer_font = font_for(self.issuer or "单位", fonts=fonts)
        self.date_font = font_for(self.when, fonts=fonts)
        text_h = sum(len(lines) * size * spread for _, size, spread, lines in self.blocks)
        self.height = text_h + STAMP_D + 4 * mm

    def draw(self, c: Canvas, top: float) -> None:
        y = top
        for font, size, spread, lines in self.blocks:
            draw_lines(c, font, size, lines, LEFT, y, TEXT_W, centre=False, spread=spread)
            y -= len(lines) * size * spread
        # 公文 style: date right-aligned two characters in, the issuer centred over it, the seal
        # (applied by hand) centred on both; nothing else is printed in that circle.
        right = LEFT + TEXT_W - 2 * BODY_SIZE
        block_w = max(
            stringWidth(self.issuer, self.issuer_font, BODY_SIZE + 1),
            stringWidth(self.when, self.date_font, BODY_SIZE + 1),
        )
        centre_x = right - block_w / 2
        centre_y = y - 4 * mm - STAMP_D / 2
        c.setFont(self.issuer_font, BODY_SIZE + 1)
        c.drawCentredString(centre_x, centre_y + 3 * mm, self.issuer)
        c.setFont(self.date_font, BODY_SIZE + 1)
        c.drawCentredString(centre_x, centre_y - 5 * mm, self.when)


def _page_number(c: Canvas, fonts: CjkFonts, number: int, total: int) -> None:
    text = f"第 {number} 页 共 {total} 页"
    c.setFont(font_for(text, fonts=fonts), 10.5)
    c.drawCentredString(PAGE_W / 2, PAGE_NO_Y, text)
