"""A :class:`TableReport` as an .xlsx that opens cleanly in WPS and Excel.

Title merged across the columns, the meta lines, each table with a bold shaded header, money as
numbers in 元 (written from the integer 分 as exact decimals, format ``#,##0.00``) so the sheet
can still add them up, ID-like columns as text, A4 print setup with the first table's header
repeated and page numbers in the footer.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.table_report import Cell, Column, Section, TableReport

BODY_FONT, TITLE_FONT = "宋体", "黑体"
MONEY_FORMAT = "#,##0.00"
_thin = Side(style="thin")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_SHADE = PatternFill("solid", fgColor="E6E6E6")
_ALIGN = {a: Alignment(horizontal=a, vertical="center", wrap_text=True) for a in ("left", "center", "right")}


def write_table_report_xlsx(report: TableReport, out: BinaryIO | str | Path, sheet_title: str = "") -> None:
    wb = build_workbook(report, sheet_title)
    if isinstance(out, (str, Path)):
        with atomic_write(out) as fh:
            wb.save(fh)
    else:
        wb.save(out)


def money_value(fen: int) -> Decimal:
    """分 as an exact decimal number of 元 (never a binary float on our side)."""
    return Decimal(fen).scaleb(-2)


def build_workbook(report: TableReport, sheet_title: str = "") -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = (sheet_title or report.title)[:31]
    wb.properties.title = report.title
    wb.properties.creator = "LaborDesk"
    ncols = max(len(s.columns) for s in report.sections)
    widths = _widths(report, ncols)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w

    row = 1
    _merged(ws, row, ncols, report.title, Font(name=TITLE_FONT, size=15, bold=True), "center", 30)
    for line in report.meta:
        row += 1
        _merged(ws, row, ncols, line, Font(name=BODY_FONT, size=10), "left", 18)
    first_header = 0
    for section in report.sections:
        row += 1  # a blank line before each table
        if section.heading:
            row += 1
            ws.cell(row, 1, section.heading).font = Font(name=BODY_FONT, size=11, bold=True)
        row += 1
        header_font = Font(name=BODY_FONT, size=10, bold=True)
        for col, c in enumerate(section.columns, 1):
            cell = ws.cell(row, col, c.title)
            cell.font, cell.alignment, cell.border, cell.fill = header_font, _ALIGN["center"], _BORDER, _SHADE
        ws.row_dimensions[row].height = 22
        first_header = first_header or row
        body = Font(name=BODY_FONT, size=10)
        if not section.rows:
            row += 1
            _merged(ws, row, len(section.columns), section.empty_text, body, "center", 18, border=True)
        for values in section.rows:
            row += 1
            _row(ws, row, section, values, body)
        if section.total is not None:
            row += 1
            _row(ws, row, section, section.total, Font(name=BODY_FONT, size=10, bold=True))
    row += 1 if report.notes else 0
    for note in report.notes:
        row += 1
        _merged(ws, row, ncols, note, Font(name=BODY_FONT, size=9), "left", 15 * max(1, len(note) * 2 // 140 + 1))
    if report.signatures or report.issued:
        row += 2
        slots = [*report.signatures, report.issued] if report.issued else list(report.signatures)
        step = max(1, ncols // max(1, len(slots)))
        for i, text in enumerate(slots):
            ws.cell(row, 1 + i * step, text).font = Font(name=BODY_FONT, size=11)
        ws.row_dimensions[row].height = 30

    if len(report.sections) == 1 and first_header:
        ws.freeze_panes = f"A{first_header + 1}"
    if first_header:
        ws.print_title_rows = f"{first_header}:{first_header}"
    ws.print_area = f"A1:{get_column_letter(ncols)}{row}"
    _page_setup(ws, report.landscape)
    return wb


def _widths(report: TableReport, ncols: int) -> list[float]:
    """Column widths in characters: the widest table decides; page width ≈ 150 (landscape) / 100."""
    page = 150 if report.landscape else 100
    best = max(report.sections, key=lambda s: len(s.columns))
    scale = page / sum(c.width for c in best.columns)
    widths = [max(6.0, round(c.width * scale, 1)) for c in best.columns]
    return widths + [10.0] * (ncols - len(widths))


def _row(ws: Worksheet, row: int, section: Section, values: tuple[Cell, ...], font: Font) -> None:
    for col, (value, c) in enumerate(zip(values, section.columns, strict=True), 1):
        cell = ws.cell(row, col, _value(value, c))
        cell.font, cell.alignment, cell.border = font, _ALIGN[c.align], _BORDER
        if c.money and isinstance(value, int):
            cell.number_format = MONEY_FORMAT
        elif c.text:
            cell.number_format = "@"
            cell.data_type = "s"
    ws.row_dimensions[row].height = 20


def _value(value: Cell, column: Column) -> object:
    if value is None:
        return None
    if column.money and isinstance(value, int):
        return money_value(value)
    return str(value) if column.text else value


def _merged(ws: Worksheet, row: int, ncols: int, text: str, font: Font, align: str, height: float,
            border: bool = False) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    cell = ws.cell(row, 1, text)
    cell.font, cell.alignment = font, _ALIGN[align]
    if border:
        for col in range(1, ncols + 1):
            ws.cell(row, col).border = _BORDER
    ws.row_dimensions[row].height = height


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
