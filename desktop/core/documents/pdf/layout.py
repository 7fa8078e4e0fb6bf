"""Shared PDF text layout: Chinese line-breaking (避头尾) and drawing laid-out lines."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

LEADING = 1.4  # line height as a multiple of the font size

# Chinese line-breaking (避头尾): never start a line with closing punctuation, never end one
# with an opening bracket or quote, and keep short runs of digits/Latin letters together.
NO_START = "，。、；：？！）》」』】〕〉”’…—·%‰,.;:?!)]}"
NO_END = "（《「『【〔〈“‘([{"

Line = tuple[str, float, bool]  # text, left indent, stretch to the full width


def layout_lines(text: str, font: str, size: float, width: float, indent: bool) -> list[Line]:
    """Break ``text`` into lines no wider than ``width``, following 避头尾 rules."""
    lines: list[Line] = []
    for para in text.replace("\r\n", "\n").split("\n"):
        para = para.strip() if indent else para
        first_indent = 2 * size if indent and para else 0.0
        line, used, limit = "", 0.0, width - first_indent
        for ch in para:
            cw = stringWidth(ch, font, size)
            if line and used + cw > limit:
                cut = break_point(line, ch)
                lines.append((line[:cut], width - limit, True))
                line = line[cut:]
                used, limit = stringWidth(line, font, size), width
            line += ch
            used += cw
        lines.append((line, width - limit, False))
    return lines


def break_point(line: str, nxt: str) -> int:
    """Where to end ``line`` when ``nxt`` does not fit: move up to 12 characters down."""
    cut = len(line)
    while cut > 1 and len(line) - cut < 12:
        before, after = line[cut - 1], (line[cut] if cut < len(line) else nxt)
        word = before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
        if not (after in NO_START or before in NO_END or word):
            return cut
        cut -= 1
    return len(line)  # no good point nearby: break where the width ran out


def draw_lines(
    c: Canvas,
    font: str,
    size: float,
    lines: Sequence[Line],
    x: float,
    top: float,
    w: float,
    centre: bool,
    spread: float = LEADING,
) -> None:
    """Draw laid-out lines from ``top`` down; stretched lines get even character spacing."""
    leading = size * spread
    c.setFont(font, size)
    for i, (line, indent, stretch) in enumerate(lines):
        baseline = top - i * leading - (leading - size) / 2 - 0.86 * size
        if centre:
            c.drawCentredString(x + w / 2, baseline, line)
            continue
        space = 0.0
        if stretch and len(line) > 1:
            space = max(0.0, (w - indent - stringWidth(line, font, size)) / (len(line) - 1))
        c.drawString(x + indent, baseline, line, charSpace=space)


def emboldened(c: Canvas, regular_font: str, font: str, size: float) -> int | None:
    """Text render mode for bold text: fill+stroke (2) when ``font`` is the regular face (no 黑体)."""
    if font != regular_font:
        return None
    c.setLineWidth(size * 0.035)
    return 2


def draw_cell(c: Canvas, text: str, font: str, x: float, y: float, w: float, h: float, *, size: float = 10.5,
              min_size: float = 6.5, pad: float = 1.2 * mm, mode: int | None = None) -> None:
    """Centre ``text`` in a table cell: one line (shrunk to 8 pt if needed), else two lines down
    to ``min_size``, else the second line cut with …"""
    avail = w - 2 * pad
    width = stringWidth(text, font, size)
    fitted = size if width <= avail else size * avail / width
    if fitted >= 8.0:
        c.setFont(font, fitted)
        c.drawCentredString(x + w / 2, y + h / 2 - 0.36 * fitted, text, mode=mode)
        return
    fitted = 9.0
    lines = layout_lines(text, font, fitted, avail, indent=False)
    while len(lines) > 2 and fitted > min_size:
        fitted -= 0.5
        lines = layout_lines(text, font, fitted, avail, indent=False)
    if len(lines) > 2:
        keep = lines[1][0]
        while keep and stringWidth(keep + "…", font, fitted) > avail:
            keep = keep[:-1]
        lines = [lines[0], (keep + "…", 0.0, False)]
    block = len(lines) * fitted * 1.2
    draw_lines(c, font, fitted, lines, x + pad, y + (h + block) / 2, avail, centre=True, spread=1.2)


def fit_block(text: str, font: str, width: float, height: float, *, size: float, min_size: float,
              indent: bool, spread: float = LEADING) -> tuple[float, list[Line]]:
    """Lay ``text`` out to fill a ``width`` × ``height`` box: step the size down to ``min_size``
    until every line fits, and only then cut the text with "……" (the longest prefix that fits)."""
    while True:
        lines = layout_lines(text, font, size, width, indent=indent)
        if len(lines) * size * spread <= height or size <= min_size:
            break
        size = max(min_size, size - 0.25)
    if len(lines) * size * spread <= height:
        return size, lines
    lo, hi = 0, len(text)
    best = layout_lines("……", font, size, width, indent)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        candidate = layout_lines(text[:mid].rstrip() + "……", font, size, width, indent)
        if len(candidate) * size * spread <= height:
            lo, best = mid, candidate
        else:
            hi = mid - 1
    return size, best
