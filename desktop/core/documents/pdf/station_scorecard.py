"""The printable workstation scorecard (金东区劳务协作工作站评估表, 附件3): one A4 portrait page.

The seed's table — 类别 / 指标 / 评分标准 / 参考权重 / 实际得分 — with the points filled in, plus a
得分依据 column saying how each item's points were reached (the archive copy must show the
arithmetic). Categories span their rows as in the seed; the 总分 row, the verdict and the subsidy
tier follow, then the evaluator's and reviewer's signature lines and the stamp area. The text
size steps down until the whole table fits the page, so the card is always one sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop.core.documents.fonts import CjkFonts, font_for, register_cjk_fonts
from desktop.core.documents.pdf.layout import Line, draw_lines, layout_lines

PAGE_W, PAGE_H = A4
LEFT = 18 * mm
TEXT_W = PAGE_W - 2 * LEFT
TOP = PAGE_H - 16 * mm
BOTTOM = 14 * mm
HEADERS = ("类 别", "指 标", "评分标准", "参考\n权重", "实际\n得分", "得分依据")
COL_MM = (17, 21, 52, 11, 11, 62)  # sums to TEXT_W (174 mm)
PAD = 1.3 * mm
SPREAD = 1.28
FOOT_H = 46 * mm  # verdict, signatures and the stamp area under the table


@dataclass(frozen=True)
class CardLine:
    category: str  # e.g. 站点管理（20分）
    name: str
    criteria: str
    full: str
    points: str
    how: str


@dataclass(frozen=True)
class ScorecardDoc:
    title: str
    station: str
    builder: str
    year: int
    evaluated_on: date
    evaluator: str
    lines: tuple[CardLine, ...]
    total_full: str
    total: str
    verdict: str
    subsidy: str  # e.g. 年度绩效奖励：40 000 元
    status_note: str  # "" when signed; else 草稿 (未审核) wording
    signed_by: str
    signed_on: date | None
    version_note: str  # e.g. 第 2 版（更正：……）


def _date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "     年    月    日"


class _Layout:
    def __init__(self, doc: ScorecardDoc, fonts: CjkFonts, size: float) -> None:
        self.size = size
        self.fonts = fonts
        edges = [LEFT]
        for w in COL_MM:
            edges.append(edges[-1] + w * mm)
        self.edges = edges
        self.rows: list[tuple[float, list[tuple[str, list[Line]]]]] = []
        for line in doc.lines:
            cells = [line.name, line.criteria, line.full, line.points, line.how]
            laid = []
            for i, text in enumerate(cells, 1):
                font = font_for(text, fonts=fonts)
                laid.append((font, layout_lines(text, font, size, self.width(i) - 2 * PAD, indent=False)))
            height = max(len(ls) for _f, ls in laid) * size * SPREAD + 2 * PAD
            self.rows.append((height, laid))
        self.header_h = 2 * size * SPREAD + 2 * PAD
        self.total_h = size * SPREAD + 3 * PAD

    def width(self, col: int) -> float:
        return self.edges[col + 1] - self.edges[col]

    @property
    def table_h(self) -> float:
        return self.header_h + sum(h for h, _ in self.rows) + self.total_h


def render_scorecard(doc: ScorecardDoc, out: BinaryIO | str | Path) -> None:
    """Write the scorecard as a one-page A4 PDF, fonts embedded."""
    fonts = register_cjk_fonts()
    target = str(out) if isinstance(out, Path) else out
    c = Canvas(target, pagesize=A4, initialFontName=fonts.regular)
    c.setTitle(f"{doc.title}（{doc.station} {doc.year}年度）")
    c.setAuthor("LaborDesk")
    c.setCreator("LaborDesk")

    y = TOP
    title_font = font_for(doc.title, bold=True, fonts=fonts)
    c.setFont(title_font, 18)
    c.drawCentredString(PAGE_W / 2, y - 18, doc.title, mode=_bold(c, fonts, title_font, 18))
    y -= 30
    if doc.status_note:
        note_font = font_for(doc.status_note, fonts=fonts)
        c.setFont(note_font, 10)
        c.setFillColorRGB(0.75, 0.1, 0.1)
        c.drawCentredString(PAGE_W / 2, y - 4, doc.status_note)
        c.setFillColorRGB(0, 0, 0)
        y -= 14
    info = [f"工作站：{doc.station}", f"承建单位：{doc.builder}"]
    info2 = [f"评估年度：{doc.year}年", f"评估日期：{_date(doc.evaluated_on)}", f"评估人：{doc.evaluator}"]
    for parts in (info, info2):
        text = "    ".join(parts)
        c.setFont(font_for(text, fonts=fonts), 10)
        c.drawString(LEFT, y - 10, text)
        y -= 15
    if doc.version_note:
        c.setFont(font_for(doc.version_note, fonts=fonts), 9)
        c.drawString(LEFT, y - 9, doc.version_note)
        y -= 13
    y -= 3

    room = y - BOTTOM - FOOT_H
    size = 9.0
    layout = _Layout(doc, fonts, size)
    while layout.table_h > room and size > 6.0:
        size -= 0.25
        layout = _Layout(doc, fonts, size)
    bottom = _table(c, doc, layout, y)
    _foot(c, doc, fonts, bottom - 6 * mm)
    c.showPage()
    c.save()


def _bold(c: Canvas, fonts: CjkFonts, font: str, size: float) -> int | None:
    if font != fonts.regular:
        return None
    c.setLineWidth(size * 0.035)
    return 2


def _centred(c: Canvas, font: str, size: float, lines: list[Line], x: float, w: float, top: float, h: float) -> None:
    block = len(lines) * size * SPREAD
    draw_lines(c, font, size, lines, x + PAD, top - (h - block) / 2, w - 2 * PAD, centre=True, spread=SPREAD)


def _table(c: Canvas, doc: ScorecardDoc, layout: _Layout, top: float) -> float:
    fonts, size, edges = layout.fonts, layout.size, layout.edges
    head_font = font_for("".join(HEADERS), bold=True, fonts=fonts)
    for i, label in enumerate(HEADERS):
        lines = [(part, 0.0, False) for part in label.split("\n")]
        _centred(c, head_font, size, lines, edges[i], layout.width(i), top, layout.header_h)
    y = top - layout.header_h
    c.setLineWidth(0.5)
    c.line(LEFT, y, edges[-1], y)
    spans: list[tuple[str, float, float]] = []  # category, top, bottom
    for line, (height, cells) in zip(doc.lines, layout.rows, strict=True):
        bottom = y - height
        for col, (font, lines) in enumerate(cells, 1):
            if col in (1, 3, 4):
                _centred(c, font, size, lines, edges[col], layout.width(col), y, height)
            else:
                draw_lines(c, font, size, lines, edges[col] + PAD, y - PAD, layout.width(col) - 2 * PAD,
                           centre=False, spread=SPREAD)
        if spans and spans[-1][0] == line.category:
            spans[-1] = (line.category, spans[-1][1], bottom)
        else:
            spans.append((line.category, y, bottom))
        c.line(edges[1], bottom, edges[-1], bottom)
        y = bottom
    for category, span_top, span_bottom in spans:
        font = font_for(category, fonts=fonts)
        lines = layout_lines(category, font, size, layout.width(0) - 2 * PAD, indent=False)
        _centred(c, font, size, lines, edges[0], layout.width(0), span_top, span_top - span_bottom)
        c.line(LEFT, span_bottom, edges[1], span_bottom)
    # 总分 row: label across the first three columns, the weight and the total
    bottom = y - layout.total_h
    bold = font_for("总分" + doc.total, bold=True, fonts=fonts)
    mode = _bold(c, fonts, bold, size + 1)
    c.setFont(bold, size + 1)
    mid = y - layout.total_h / 2 - 0.36 * (size + 1)
    c.drawCentredString((edges[0] + edges[3]) / 2, mid, "总    分", mode=mode)
    c.drawCentredString((edges[3] + edges[4]) / 2, mid, doc.total_full, mode=mode)
    c.drawCentredString((edges[4] + edges[5]) / 2, mid, doc.total, mode=mode)
    c.setLineWidth(0.5)
    inner = [(x, top, x, y) for x in edges[1:-1]] + [(x, y, x, bottom) for x in edges[3:-1]]
    c.lines(inner)
    c.setLineWidth(1.0)
    c.rect(LEFT, bottom, edges[-1] - LEFT, top - bottom)
    return bottom


def _foot(c: Canvas, doc: ScorecardDoc, fonts: CjkFonts, top: float) -> None:
    y = top
    for text, size in ((f"评估结论：{doc.verdict}", 11.0), (doc.subsidy, 11.0)):
        if text:
            font = font_for(text, fonts=fonts)
            lines = layout_lines(text, font, size, TEXT_W, indent=False)
            draw_lines(c, font, size, lines, LEFT, y, TEXT_W, centre=False)
            y -= len(lines) * size * 1.4 + 2
    y -= 7 * mm
    rows = ((f"评估人（签字）：{'_' * 14}", f"审核人（签字）：{'_' * 14}"),
            (f"日期：{_date(doc.evaluated_on)}", f"日期：{_date(doc.signed_on)}"))
    for left, right in rows:
        for x, text in ((LEFT, left), (LEFT + TEXT_W / 2, right)):
            c.setFont(font_for(text, fonts=fonts), 11)
            c.drawString(x, y, text)
        y -= 9 * mm
    stamp = "区就业服务中心（盖章）"
    c.setFont(font_for(stamp, fonts=fonts), 11)
    c.drawRightString(LEFT + TEXT_W - 8 * mm, y - 4 * mm, stamp)
    record = (f"系统记录：{doc.signed_by}于 {doc.signed_on:%Y-%m-%d} 审核确认。" if doc.signed_on
              else "系统记录：尚未审核。")
    c.setFont(font_for(record, fonts=fonts), 8)
    c.setFillColorRGB(0.35, 0.35, 0.35)
    c.drawString(LEFT, BOTTOM - 4 * mm, record)
    c.setFillColorRGB(0, 0, 0)
