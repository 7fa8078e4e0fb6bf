"""The 公示 notice as an .xlsx for the website or for printing from WPS/Excel (A4 portrait).

Same content and wording as the PDF (:mod:`desktop.core.documents.pdf.publicity_notice`): title
merged across the five columns, the lead, the table with its header frozen and repeated on every
printed page, then the period, objection paragraphs and the issuer with the date. ID numbers are
text cells (already masked), so no spreadsheet program turns them into numbers.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.pdf.publicity_notice import (
    HEADERS,
    PublicityNotice,
    date_text,
    objection_paragraphs,
    period_text,
    rule_note,
)

SHEET_TITLE = "公示名单"
COL_WIDTHS = (7, 13, 7, 32, 23)  # in character units; 82 in all, inside A4 portrait margins
HEADER_ROW = 3  # title, lead, header
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
LINE_PT = 15.0  # row height per line of 11 pt text

_thin = Side(style="thin")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_PARA = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=0)
_RIGHT = Alignment(horizontal="right", vertical="center")


def write_publicity_notice_xlsx(notice: PublicityNotice, out: BinaryIO | str | Path) -> None:
    """Write the notice workbook to ``out``: a path (written atomically) or a binary stream."""
    wb = build_workbook(notice)
    if isinstance(out, (str, Path)):
        with atomic_write(out) as fh:
            wb.save(fh)
    else:
        wb.save(out)


def build_workbook(notice: PublicityNotice) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new Workbook always has one sheet
    ws.title = SHEET_TITLE
    wb.properties.title = notice.title
    wb.properties.creator = "LaborDesk"
    last_col = get_column_letter(len(HEADERS))
    for i, width in enumerate(COL_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width

    _merged(ws, 1, notice.title, Font(name=TITLE_FONT, size=16, bold=True), _CENTRE, height=36)
    lead = "\u3000\u3000" + notice.lead.strip() if notice.lead.strip() else ""
    _merged(ws, 2, lead, Font(name=BODY_FONT, size=11), _PARA)

    header_font = Font(name=BODY_FONT, size=11, bold=True)
    for col, label in enumerate(HEADERS, 1):
        cell = ws.cell(HEADER_ROW, col, label)
        cell.font, cell.alignment, cell.border = header_font, _CENTRE, _BORDER
    ws.row_dimensions[HEADER_ROW].height = 22

    body_font = Font(name=BODY_FONT, size=11)
    row = HEADER_ROW
    for item in notice.rows:
        row += 1
        values = (item.seq, item.name, item.gender, item.village, item.id_number_masked)
        for col, value in enumerate(values, 1):
            cell = ws.cell(row, col, value)
            cell.font, cell.alignment, cell.border = body_font, _CENTRE, _BORDER
        id_cell = ws.cell(row, len(HEADERS))
        id_cell.number_format = "@"  # text: nobody's spreadsheet turns it into a number
        id_cell.data_type = "s"
        ws.row_dimensions[row].height = max(20.0, _lines(item.village, COL_WIDTHS[3]) * LINE_PT + 5)

    row += 2
    paragraphs = [(period_text(notice), 11), (rule_note(notice), 9)]
    paragraphs += [(text, 11) for text in objection_paragraphs(notice)]
    for text, size in paragraphs:
        if text:
            _merged(ws, row, "\u3000\u3000" + text, Font(name=BODY_FONT, size=size), _PARA)
            row += 1
    row += 2  # room for the seal
    for text in (notice.issuer.strip(), date_text(notice.issue_date)):
        _merged(ws, row, text + "\u3000\u3000", Font(name=BODY_FONT, size=12), _RIGHT, height=22)
        row += 1

    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last_col}{row - 1}"
    _page_setup(ws)
    return wb


def _merged(ws: Worksheet, row: int, text: str, font: Font, align: Alignment, height: float | None = None) -> None:
    """Text across all five columns; the row is made tall enough for the wrapped lines."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADERS))
    cell = ws.cell(row, 1, text)
    cell.font, cell.alignment = font, align
    per_line = LINE_PT * (font.sz or 11) / 11
    ws.row_dimensions[row].height = height or max(per_line + 3, _lines(text, sum(COL_WIDTHS)) * per_line + 5)


def _lines(text: str, width_units: float) -> int:
    """Estimated wrapped lines: a CJK character is about two character units wide."""
    units = sum(2.1 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)
    return max(1, math.ceil(units / max(1.0, width_units - 2)))


def _page_setup(ws: Worksheet) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed, never shrunk to one
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.7
    ws.page_margins.top, ws.page_margins.bottom = 0.8, 0.8
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 10
