"""Workstation listings (the subsidy summary, the results list) as .xlsx for WPS/Excel.

Same content as the PDFs (:mod:`desktop.core.documents.pdf.station_lists`): the title merged
across the columns, the lead, the header frozen and repeated on every printed page, the rows with
money and scores as real numbers (so the sheet can be summed), the totals row, the notes and the
issuer with the date; A4 fitted to the page width.
"""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.pdf.station_lists import ListDoc, date_text

_thin = Side(style="thin")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
_PARA = Alignment(horizontal="left", vertical="top", wrap_text=True)
BODY, TITLE = "宋体", "黑体"


def _number(text: str) -> Any:
    raw = text.replace(",", "").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return text
    return int(value) if value == value.to_integral_value() else float(value)


def write_list_xlsx(doc: ListDoc, out: str | Path, sheet: str) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    wb.properties.title = doc.title
    wb.properties.creator = "LaborDesk"
    n = len(doc.headers)
    widths = [max(6.0, w / 2.2) for w in doc.widths_mm]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width

    def merged(row: int, text: str, font: Font, align: Alignment, height: float | None = None) -> None:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
        cell = ws.cell(row, 1, text)
        cell.font, cell.alignment = font, align
        units = sum(2.1 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)
        ws.row_dimensions[row].height = height or max(18.0, math.ceil(units / max(1.0, sum(widths) - 2)) * 15 + 5)

    merged(1, doc.title, Font(name=TITLE, size=16, bold=True), _CENTRE, 34)
    row = 2
    if doc.lead:
        merged(row, "\u3000\u3000" + doc.lead, Font(name=BODY, size=11), _PARA)
        row += 1
    header_row = row
    for col, label in enumerate(doc.headers, 1):
        cell = ws.cell(row, col, label)
        cell.font, cell.alignment, cell.border = Font(name=BODY, size=11, bold=True), _CENTRE, _BORDER
    ws.row_dimensions[row].height = 30
    body = list(doc.rows) + ([doc.totals] if doc.totals else [])
    for k, values in enumerate(body):
        row += 1
        total = doc.totals is not None and k == len(body) - 1
        for col, text in enumerate(values, 1):
            numeric = col - 1 in doc.numeric and text != ""
            cell = ws.cell(row, col, _number(text) if numeric else text)
            cell.font = Font(name=BODY, size=11, bold=total)
            cell.border = _BORDER
            cell.alignment = _RIGHT if numeric else _CENTRE
            if numeric and isinstance(cell.value, int):
                cell.number_format = "#,##0"
            elif not numeric:
                cell.number_format = "@"
        ws.row_dimensions[row].height = 20
    row += 1
    for note in doc.notes:
        row += 1
        merged(row, note, Font(name=BODY, size=10), _PARA)
    row += 2
    for text in (doc.issuer, date_text(doc.issue_date) if doc.issue_date else ""):
        if text:
            merged(row, text + "\u3000\u3000", Font(name=BODY, size=12), _RIGHT, 22)
            row += 1
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(n)}{row - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if doc.landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    with atomic_write(out) as fh:
        wb.save(fh)
