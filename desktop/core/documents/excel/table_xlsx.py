"""A ``TableDocument`` as an .xlsx that opens cleanly in WPS and Excel and prints on A4.

Title merged across the columns, the header line (left and right notes), the table with borders,
its header frozen and repeated on every printed page, ID numbers and phones as text cells (so no
digits are lost), amounts as numbers with two decimals, then the lines under the table.
"""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.table_document import Table, TableDocument

BODY_FONT, TITLE_FONT = "宋体", "黑体"
MM_PER_CHAR = 1.75  # mm of the PDF layout per Excel width unit (one digit of 10 pt text): an 18-digit ID fits
_thin = Side(style="thin")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_ALIGN = {
    "c": Alignment(horizontal="center", vertical="center", wrap_text=True),
    "l": Alignment(horizontal="left", vertical="center", wrap_text=True),
    "r": Alignment(horizontal="right", vertical="center", wrap_text=True),
}
_LEFT = Alignment(horizontal="left", vertical="center")
_RIGHT = Alignment(horizontal="right", vertical="center")


def write_table_xlsx(doc: TableDocument, out: BinaryIO | str | Path) -> None:
    """Write ``doc`` to ``out``: a path (written atomically) or a binary stream."""
    wb = build_workbook(doc)
    if isinstance(out, (str, Path)):
        with atomic_write(out) as fh:
            wb.save(fh)
    else:
        wb.save(out)


def build_workbook(doc: TableDocument) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = doc.sheet_name[:31]
    wb.properties.title = doc.title
    wb.properties.creator = "LaborDesk"
    ncols = len(doc.tables[0].columns)
    widths = [col.width_mm / MM_PER_CHAR for col in doc.tables[0].columns]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = round(width, 1)
    row = 1
    if doc.corner:
        ws.cell(row, 1, doc.corner).font = Font(name=TITLE_FONT, size=11)
        row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    title = ws.cell(row, 1, doc.title)
    title.font, title.alignment = Font(name=TITLE_FONT, size=16, bold=True), _ALIGN["c"]
    ws.row_dimensions[row].height = 32
    row += 1
    if doc.left_note or doc.right_note:
        half = max(1, ncols // 2)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=half)
        ws.merge_cells(start_row=row, start_column=half + 1, end_row=row, end_column=ncols)
        left, right = ws.cell(row, 1, doc.left_note), ws.cell(row, half + 1, doc.right_note)
        left.font = right.font = Font(name=BODY_FONT, size=11)
        left.alignment, right.alignment = _LEFT, _RIGHT
        ws.row_dimensions[row].height = 22
        row += 1
    first_header = row
    row = _table(ws, doc.tables[0], row, widths)
    row += 1
    for text in doc.after:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        cell = ws.cell(row, 1, text)
        cell.font, cell.alignment = Font(name=BODY_FONT, size=11), Alignment(wrap_text=True, vertical="center")
        ws.row_dimensions[row].height = max(20, _lines(text, sum(widths)) * 15 + 4)
        row += 1
    if doc.signature:
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        cell = ws.cell(row, 1, "\u3000\u3000".join(doc.signature))
        cell.font, cell.alignment = Font(name=BODY_FONT, size=11), _LEFT
        ws.row_dimensions[row].height = 24
        row += 1
    _finish(ws, first_header, ncols, row - 1, doc.landscape)
    for table in doc.tables[1:]:  # further tables (e.g. 按经纪人汇总) each on a sheet of their own
        extra = wb.create_sheet((table.heading or "续表")[:31])
        extra_widths = [col.width_mm / MM_PER_CHAR for col in table.columns]
        for i, width in enumerate(extra_widths, 1):
            extra.column_dimensions[get_column_letter(i)].width = round(width, 1)
        n = len(table.columns)
        extra.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
        cell = extra.cell(1, 1, f"{doc.title}——{table.heading}" if table.heading else doc.title)
        cell.font, cell.alignment = Font(name=TITLE_FONT, size=14, bold=True), _ALIGN["c"]
        extra.row_dimensions[1].height = 30
        end = _table(extra, table, 2, extra_widths)
        _finish(extra, 2, n, end - 1, landscape=False)
    return wb


def _finish(ws: Worksheet, header_row: int, ncols: int, last_row: int, landscape: bool) -> None:
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(ncols)}{last_row}"
    _page_setup(ws, landscape)


def _styles(ws: Worksheet) -> dict[tuple[str, str], str]:
    """Named styles for body cells by (alignment, kind): one style id per cell instead of four
    separate font/alignment/border/format assignments (a roster may have tens of thousands of rows)."""
    wb = ws.parent
    names: dict[tuple[str, str], str] = {}
    for align in ("c", "l", "r"):
        for kind, fmt in (("plain", "General"), ("text", "@"), ("money", "#,##0.00")):
            name = f"ld_{align}_{kind}"
            if name not in wb.named_styles:
                wb.add_named_style(NamedStyle(name=name, font=Font(name=BODY_FONT, size=10), alignment=_ALIGN[align],
                                              border=_BORDER, number_format=fmt))
            names[(align, kind)] = name
    return names


def _table(ws: Worksheet, table: Table, row: int, widths: list[float] | None) -> int:
    header_font = Font(name=BODY_FONT, size=10, bold=True)
    for col, spec in enumerate(table.columns, 1):
        cell = ws.cell(row, col, spec.title)
        cell.font, cell.alignment, cell.border = header_font, _ALIGN["c"], _BORDER
    ws.row_dimensions[row].height = 30
    styles = _styles(ws)
    lines: dict[tuple[str, int], int] = {}
    rows = list(table.rows) + ([table.footer_row] if table.footer_row else [])
    for values in rows:
        row += 1
        tallest = 1
        for col, (spec, value) in enumerate(zip(table.columns, values, strict=True), 1):
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and not spec.text:
                cell = ws.cell(row, col, value)
                cell.style = styles[(spec.align, "money" if isinstance(value, Decimal) else "plain")]
                continue
            text = "" if value is None else str(value)
            cell = ws.cell(row, col, text)
            cell.style = styles[(spec.align, "text" if spec.text else "plain")]
            if widths is not None and text:
                key = (text, col)
                n = lines.get(key)
                if n is None:
                    n = lines[key] = _lines(text, widths[col - 1])
                tallest = max(tallest, n)
        ws.row_dimensions[row].height = max(20.0, min(tallest, 4) * 13.5 + 5)
    return row + 1


def _lines(text: str, width_units: float) -> int:
    units = sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)
    return max(1, math.ceil(units / max(1.0, width_units - 1)))


def _page_setup(ws: Worksheet, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9
