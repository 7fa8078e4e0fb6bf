"""The printable workstation application form (劳务协作工作站设立申请表, seed 004 附件1): one A4 page.

The seed's table, row by row: 申请机构（承建单位）and 省外劳务协作地区, the applicant's head and
phone, the partner organisation, its head and phone, the address, the requested term
(自申请之日起至 年 月 日为止), the station's introduction, the applicant's pledge with the legal
representative's signature, and the two opinion boxes (就业服务中心, 人社局) left empty for the
handwritten opinion, the official seal and the date. A value not recorded leaves its cell empty for
handwriting; the blank form (a walk-in applicant fills it by hand) leaves every cell empty.

The form is the organisation's own signed application, not a listing: phones are printed as
recorded (it holds no ID numbers); every print is audited by the service that calls this.
"""

from __future__ import annotations

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
from desktop.core.documents.pdf.layout import LEADING, Line, draw_lines, emboldened, fit_block, layout_lines

PAGE_W, PAGE_H = A4
LEFT = 20 * mm
TABLE_W = 170 * mm
COLS_MM = (0, 34, 85, 119, 170)  # label | value | label | value
TABLE_TOP = PAGE_H - 48 * mm
TABLE_BOTTOM = 18 * mm
FIELD_H = 13 * mm
FIRST_H = 17 * mm  # two-line labels (盖章 / 省市县)
PLEDGE_H = 34 * mm
OPINION_H = 54 * mm
PAD = 1.5 * mm
BODY_SIZE = 10.5  # 五号
MIN_SIZE = 7.0
CELL_SPREAD = 1.3
LINE_W, BORDER_W = 0.5, 1.0
BLANK_DAY = "\u3000\u3000年\u3000\u3000月\u3000\u3000日"


@dataclass(frozen=True)
class StationApplicationDoc:
    """What is printed on one 附件1 form; empty strings and None print as empty cells."""

    title: str
    pledge: str  # 申请机构承诺, verbatim from the profile
    opinions: tuple[str, str]  # the two opinion boxes' names
    station_name: str = ""
    builder: str = ""
    partner_region: str = ""
    head_name: str = ""
    head_phone: str = ""
    partner_org: str = ""
    partner_head: str = ""
    partner_phone: str = ""
    address: str = ""
    term_end: date | None = None
    intro: str = ""
    applied_on: date | None = None
    attachment_label: str = "附件1"

    def term_text(self) -> str:
        """自申请之日起至 2029 年 12 月 31 日为止 (blanks to fill in when no end date is recorded)."""
        d = self.term_end
        until = f" {d.year} 年 {d.month} 月 {d.day} 日" if d else "\u3000" + BLANK_DAY
        return f"自申请之日起至{until}为止"


def date_text(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else BLANK_DAY


def render_station_application(doc: StationApplicationDoc, out: BinaryIO | str | Path) -> None:
    """Write the one-page A4 form to ``out`` (a path or binary stream), fonts embedded."""
    fonts = register_cjk_fonts()
    c = Canvas(str(out) if isinstance(out, Path) else out, pagesize=A4, initialFontName=fonts.regular)
    c.setTitle(f"{doc.title}（{doc.station_name}）" if doc.station_name else doc.title)
    c.setAuthor("LaborDesk")
    c.setSubject(doc.title)
    c.setCreator("LaborDesk")
    _header(c, fonts, doc)
    _table(c, fonts, doc)
    c.showPage()
    c.save()


def _header(c: Canvas, fonts: CjkFonts, doc: StationApplicationDoc) -> None:
    c.setFont(font_for(doc.attachment_label, bold=True, fonts=fonts), 14)
    c.drawString(LEFT, PAGE_H - 18 * mm, doc.attachment_label)
    font = font_for(doc.title, bold=True, fonts=fonts)
    size = 20.0
    while size > 12 and stringWidth(doc.title, font, size) > TABLE_W:
        size -= 0.5
    mode = emboldened(c, fonts.regular, font, size)
    c.setFont(font, size)
    c.drawCentredString(PAGE_W / 2, PAGE_H - 32 * mm, doc.title, mode=mode)
    left = f"工作站名称：{doc.station_name}"
    right = f"申请日期：{date_text(doc.applied_on)}"
    y = TABLE_TOP + 3 * mm
    right_font = font_for(right, fonts=fonts)
    c.setFont(right_font, BODY_SIZE)
    c.drawRightString(LEFT + TABLE_W, y, right)
    room = TABLE_W - stringWidth(right, right_font, BODY_SIZE) - 8 * mm
    font = font_for(left, fonts=fonts)
    size = BODY_SIZE
    while size > MIN_SIZE and stringWidth(left, font, size) > room:
        size -= 0.25
    while stringWidth(left, font, size) > room:  # a name longer than any real one: cut it
        left = left[:-2] + "…"
    c.setFont(font, size)
    c.drawString(LEFT, y, left)
    if not doc.station_name:  # a line to write the name on
        start = LEFT + stringWidth(left, font, size)
        c.setLineWidth(LINE_W)
        c.line(start, y - 1.2 * mm, start + 70 * mm, y - 1.2 * mm)


def _x(col: int) -> float:
    return LEFT + COLS_MM[col] * mm


def _table(c: Canvas, fonts: CjkFonts, d: StationApplicationDoc) -> None:
    c.setLineWidth(LINE_W)
    y = TABLE_TOP
    y = _pair_row(c, fonts, y, FIRST_H, (["申请机构（盖章）", "（承建单位）"], d.builder),
                  (["省外劳务协作地区", "（省市县）"], d.partner_region))
    y = _pair_row(c, fonts, y, FIELD_H, (["申请机构负责人"], d.head_name), (["联系电话"], d.head_phone))
    y = _wide_row(c, fonts, y, FIELD_H, ["合作机构名称"], d.partner_org)
    y = _pair_row(c, fonts, y, FIELD_H, (["合作机构负责人"], d.partner_head), (["联系电话"], d.partner_phone))
    y = _wide_row(c, fonts, y, FIELD_H, ["劳务协作工作站", "地址"], d.address)
    y = _wide_row(c, fonts, y, FIELD_H, ["申请经营期限"], d.term_text())
    intro_h = y - TABLE_BOTTOM - PLEDGE_H - OPINION_H
    y = _intro_row(c, fonts, y, intro_h, d.intro)
    y = _pledge_row(c, fonts, y, d.pledge)
    _opinions(c, fonts, y, d.opinions)
    c.setLineWidth(BORDER_W)
    c.rect(LEFT, TABLE_BOTTOM, TABLE_W, TABLE_TOP - TABLE_BOTTOM)
    c.setLineWidth(LINE_W)


def _label(c: Canvas, fonts: CjkFonts, lines: Sequence[str], x: float, y: float, w: float, h: float) -> None:
    """Fixed label lines centred in a cell, shrunk until the widest fits."""
    font = font_for("".join(lines), fonts=fonts)
    size = BODY_SIZE
    while size > MIN_SIZE and max(stringWidth(line, font, size) for line in lines) > w - 2 * PAD:
        size -= 0.25
    block = len(lines) * size * LEADING
    draw_lines(c, font, size, [(line, 0.0, False) for line in lines], x, y + (h + block) / 2, w, centre=True)


def _value(c: Canvas, fonts: CjkFonts, text: str, x: float, y: float, w: float, h: float) -> None:
    """A value centred in its cell: one line, else wrapped (shrunk, then cut, only when it must be)."""
    text = text.strip()
    if text:
        font = font_for(text, fonts=fonts)
        size, lines = fit_block(text, font, w - 2 * PAD, h - 2 * PAD, size=BODY_SIZE, min_size=MIN_SIZE,
                                indent=False, spread=CELL_SPREAD)
        lines = _balanced(text, font, size, lines, w - 2 * PAD)
        block = len(lines) * size * CELL_SPREAD
        flat = [(line, 0.0, False) for line, _, _ in lines]
        draw_lines(c, font, size, flat, x + PAD, y + (h + block) / 2, w - 2 * PAD, centre=True, spread=CELL_SPREAD)


def _balanced(text: str, font: str, size: float, lines: list[Line], width: float) -> list[Line]:
    """Wrapped lines of even length (never one character left alone on the last line): the
    narrowest width that still needs no more lines."""
    if len(lines) < 2 or lines[-1][0].endswith("……"):
        return lines
    best = lines
    narrower = width - size / 2
    while narrower > size:
        candidate = layout_lines(text, font, size, narrower, indent=False)
        if len(candidate) > len(lines):
            break
        best, narrower = candidate, narrower - size / 2
    return best


def _pair_row(c: Canvas, fonts: CjkFonts, top: float, h: float, a: tuple[list[str], str],
              b: tuple[list[str], str]) -> float:
    bottom = top - h
    for i, (label, value) in enumerate((a, b)):
        _label(c, fonts, label, _x(2 * i), bottom, _x(2 * i + 1) - _x(2 * i), h)
        _value(c, fonts, value, _x(2 * i + 1), bottom, _x(2 * i + 2) - _x(2 * i + 1), h)
    c.lines([(_x(col), top, _x(col), bottom) for col in (1, 2, 3)] + [(LEFT, bottom, LEFT + TABLE_W, bottom)])
    return bottom


def _wide_row(c: Canvas, fonts: CjkFonts, top: float, h: float, label: list[str], value: str) -> float:
    bottom = top - h
    _label(c, fonts, label, _x(0), bottom, _x(1) - _x(0), h)
    _value(c, fonts, value, _x(1), bottom, _x(4) - _x(1), h)
    c.lines([(_x(1), top, _x(1), bottom), (LEFT, bottom, LEFT + TABLE_W, bottom)])
    return bottom


def _intro_row(c: Canvas, fonts: CjkFonts, top: float, h: float, intro: str) -> float:
    """简介: top-aligned paragraphs indented two characters, shrunk (then cut) to fit the box."""
    bottom = top - h
    _label(c, fonts, ["劳务协作工作站", "简介"], _x(0), bottom, _x(1) - _x(0), h)
    text = intro.strip()
    if text:
        font = font_for(text, fonts=fonts)
        x, w = _x(1) + 2 * PAD, _x(4) - _x(1) - 4 * PAD
        size, lines = fit_block(text, font, w, h - 4 * PAD, size=BODY_SIZE, min_size=MIN_SIZE, indent=True)
        draw_lines(c, font, size, lines, x, top - 2 * PAD, w, centre=False)
    c.lines([(_x(1), top, _x(1), bottom), (LEFT, bottom, LEFT + TABLE_W, bottom)])
    return bottom


def _pledge_row(c: Canvas, fonts: CjkFonts, top: float, pledge: str) -> float:
    """申请机构承诺: the pledge verbatim and the legal representative's signature line."""
    bottom = top - PLEDGE_H
    _label(c, fonts, ["申请机构承诺"], _x(0), bottom, _x(1) - _x(0), PLEDGE_H)
    x, w = _x(1) + 2 * PAD, _x(4) - _x(1) - 4 * PAD
    font = font_for(pledge, fonts=fonts)
    lines = layout_lines(pledge, font, BODY_SIZE, w, indent=True)
    draw_lines(c, font, BODY_SIZE, lines, x, top - 4 * mm, w, centre=False)
    sign = "机构法人签名："
    c.setFont(font_for(sign, fonts=fonts), BODY_SIZE)
    c.drawString(x + w * 0.5, bottom + 10 * mm, sign)
    c.lines([(_x(1), top, _x(1), bottom), (LEFT, bottom, LEFT + TABLE_W, bottom)])
    return bottom


def _opinions(c: Canvas, fonts: CjkFonts, top: float, names: tuple[str, str]) -> None:
    """The two opinion boxes side by side: the name at the top, the seal and the date at the foot."""
    bottom = top - OPINION_H
    half = TABLE_W / 2
    for i, name in enumerate(names):
        x = LEFT + i * half
        text = f"{name}："
        font = font_for(text, fonts=fonts)
        size = BODY_SIZE
        while size > MIN_SIZE and stringWidth(text, font, size) > half - 6 * PAD:
            size -= 0.25
        c.setFont(font, size)
        c.drawString(x + 3 * PAD, top - 4 * mm - 0.86 * size, text)
        right = x + half - 8 * mm
        c.setFont(font_for("（公章）", fonts=fonts), BODY_SIZE)
        c.drawRightString(right - 10 * mm, bottom + 19 * mm, "（公章）")
        c.setFont(font_for(BLANK_DAY, fonts=fonts), BODY_SIZE)
        c.drawRightString(right, bottom + 9 * mm, BLANK_DAY.strip("\u3000"))
    c.line(LEFT + half, top, LEFT + half, bottom)
