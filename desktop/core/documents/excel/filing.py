"""The annual filing (备案信息表, 附件3) as an .xlsx that opens cleanly in WPS and Excel.

Title merged across the ten columns, the 填报市（州） line, the header (frozen, and repeated on
every printed page), one row per broker, then the 填报人/审核人/填报日期 line and the profile's
note. ID numbers and phones are text cells (never numbers, so no digit is lost, and never
formulas); 参加培训时间 and 认定时间 are real dates shown as 2021年6月 / 2021年6月18日. Column widths
follow the content; A4 landscape, fitted to the page width. The data rows go through the fast row
writer (xlsx_rows.py); everything else is plain openpyxl.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.excel.xlsx_rows import rows_xml, save_with_rows, style_id
from desktop.core.documents.filing_layout import HEADERS, FilingDocument, FilingRow, header_text

SHEET_TITLE = "备案信息表"
HEADER_ROW = 3  # title, 填报市（州）, header
FIRST_ROW = HEADER_ROW + 1
BODY_FONT, TITLE_FONT = "宋体", "黑体"
BODY_SIZE = 11
LINE_PT = 14.5  # row height per line of 11 pt text
ROW_PT = 20.0
MONTH_FORMAT = 'yyyy"年"m"月"'
DAY_FORMAT = 'yyyy"年"m"月"d"日"'
# Column widths in character units: (least, most). A CJK character is about 2.1 units wide.
WIDTH_LIMITS = ((6, 7), (8, 14), (6, 7), (21, 21), (10, 12), (16, 16), (15, 15), (17, 30), (11, 16), (8, 28))
WRAP_COLUMNS = (7, 9)  # 主要服务区域, 备注: long text wraps within the widest width instead
TEXT_COLUMNS = (1, 3, 4, 7, 8, 9)  # shown as typed ("@"): names, ID numbers, phones stay text

_thin = Side(style="thin")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Appendix:
    """A table on a second sheet (a city's 合并说明): a heading, its column titles and rows."""

    heading: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[Any]]
    widths: tuple[float, ...]


def write_filing_xlsx(doc: FilingDocument, out: BinaryIO | str | Path, appendix: Sequence[Appendix] = (),
                      appendix_title: str = "合并说明") -> None:
    """Write the filing to ``out`` (a path, written atomically, or a binary stream), with the
    ``appendix`` tables on a second sheet when given."""
    if isinstance(out, (str, Path)):
        with atomic_write(out) as fh:
            _write(doc, fh, appendix, appendix_title)
    else:
        _write(doc, out, appendix, appendix_title)


def _units(text: str) -> float:
    """Display width in column units: GB 18030 spends 2 bytes on a CJK character, 1 on a digit."""
    return len(text.encode("gb18030", "replace")) * 1.05


def column_widths(rows: list[FilingRow]) -> list[float]:
    widths = []
    for col, (least, most) in enumerate(WIDTH_LIMITS):
        header = HEADERS[col]
        head = max(_units(line) for line in header_text(header).split("\n")) + 2
        widest = max((_units(v) for v in _column_texts(rows, col)), default=0.0) + 2
        widths.append(float(min(most, max(least, head, widest))))
    return widths


def _column_texts(rows: list[FilingRow], col: int) -> list[str]:
    if col not in (1, 4, 7, 8, 9):
        return []  # fixed-width content: sequence numbers, gender, IDs, dates
    attr = ("", "name", "", "", "education", "", "", "service_area", "phone", "remarks")[col]
    return [getattr(r, attr) for r in rows]


def _heights(rows: list[FilingRow], widths: list[float]) -> list[float]:
    out: list[float] = []
    for row in rows:
        lines = 1
        for col, text in ((7, row.service_area), (9, row.remarks)):
            if text:
                lines = max(lines, math.ceil(_units(text) / max(1.0, widths[col] - 1.5)))
        out.append(lines * LINE_PT + 6 if lines > 1 else ROW_PT)
    return out


def build_workbook(doc: FilingDocument, widths: list[float]) -> tuple[Workbook, Worksheet, list[int]]:
    """The workbook without its data rows, and the style id of each data column."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new Workbook always has one sheet
    ws.title = SHEET_TITLE
    wb.properties.title = f"{doc.year}年{doc.title}"
    wb.properties.creator = "LaborDesk"
    cols = len(HEADERS)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width

    _merged(ws, 1, 1, cols, doc.title, Font(name=TITLE_FONT, size=18, bold=True), _CENTRE, 34)
    body = Font(name=BODY_FONT, size=BODY_SIZE)
    _merged(ws, 2, 1, 5, doc.unit_line(), body, Alignment(horizontal="left", vertical="center"), 24)
    _merged(ws, 2, 6, cols, doc.reporter_line(), body, Alignment(horizontal="right", vertical="center"), 24)
    bold = Font(name=BODY_FONT, size=BODY_SIZE, bold=True)
    for col, label in enumerate(HEADERS, 1):
        cell = ws.cell(HEADER_ROW, col, header_text(label))
        cell.font, cell.alignment, cell.border = bold, _CENTRE, _BORDER
    ws.row_dimensions[HEADER_ROW].height = 2 * LINE_PT + 8

    styles = [style_id(ws, _data_style(col)) for col in range(cols)]
    last = HEADER_ROW + len(doc.rows)
    footer = last + 2
    parts = doc.footer_parts()
    for (first, end), text in zip(((1, 3), (4, 7), (8, cols)), parts, strict=True):
        _merged(ws, footer, first, end, text, body, Alignment(horizontal="left", vertical="center"), 26)
    _merged(ws, footer + 1, 1, cols, doc.note, body, Alignment(horizontal="left", vertical="center"), 22)

    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(cols)}{footer + 1}"
    _page_setup(ws)
    return wb, ws, styles


def _data_style(col: int) -> Callable[[Cell], None]:
    def apply(cell: Cell) -> None:
        cell.font = Font(name=BODY_FONT, size=BODY_SIZE)
        cell.border = _BORDER
        cell.alignment = _LEFT if col in WRAP_COLUMNS else _CENTRE
        if col == 5:
            cell.number_format = MONTH_FORMAT
        elif col == 6:
            cell.number_format = DAY_FORMAT
        elif col in TEXT_COLUMNS:
            cell.number_format = "@"

    return apply


def _write(doc: FilingDocument, out: BinaryIO, appendix: Sequence[Appendix], appendix_title: str) -> None:
    rows = list(doc.rows)
    widths = column_widths(rows)
    wb, ws, styles = build_workbook(doc, widths)
    if appendix:
        _appendix_sheet(wb.create_sheet(appendix_title), appendix)
    xml = rows_xml(FIRST_ROW, (r.values() for r in rows), styles, _heights(rows, widths))
    save_with_rows(wb, ws, out, first_row=FIRST_ROW, rows_xml_text=xml)


def _appendix_sheet(ws: Worksheet, tables: Sequence[Appendix]) -> None:
    body, bold = Font(name=BODY_FONT, size=BODY_SIZE), Font(name=BODY_FONT, size=BODY_SIZE, bold=True)
    widths: dict[int, float] = {}
    row = 1
    for table in tables:
        ws.cell(row, 1, table.heading).font = Font(name=TITLE_FONT, size=13, bold=True)
        row += 1
        for col, title in enumerate(table.headers, 1):
            cell = ws.cell(row, col, title)
            cell.font, cell.alignment, cell.border = bold, _CENTRE, _BORDER
            widths[col] = max(widths.get(col, 0.0), table.widths[col - 1])
        for values in table.rows:
            row += 1
            for col, value in enumerate(values, 1):
                cell = ws.cell(row, col, value)
                cell.font, cell.alignment, cell.border = body, _LEFT, _BORDER
                if isinstance(value, str):
                    cell.data_type, cell.number_format = "s", "@"  # IDs stay text; "=…" stays text
        if not table.rows:
            row += 1
            ws.cell(row, 1, "（无）").font = body
        row += 2
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _merged(ws: Worksheet, row: int, first: int, last: int, text: str, font: Font, align: Alignment,
            height: float) -> None:
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = ws.cell(row, first, text)
    cell.font, cell.alignment = font, align
    cell.data_type = "s"  # a footer name starting with "=" stays text
    ws.row_dimensions[row].height = height


def _page_setup(ws: Worksheet) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed, never shrunk to one
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 10
