"""Writing many styled rows into a workbook openpyxl builds: the fast path for long listings.

openpyxl writes each cell through its XML serialiser, which is where nearly all the time of a big
styled sheet goes (a 14 000-row filing with borders takes 1.5× the time of the same cells
unstyled). Here openpyxl still builds the whole workbook — title, header, footer, merged cells,
widths, print setup and every style — with the data rows left empty; the rows are then written
straight into the saved sheet's ``<sheetData>`` as plain cells that use the style ids openpyxl
gave their prototypes. Text is an inline string (Excel, WPS and LibreOffice all read it) and is
always text, never a formula; dates are serial numbers under the column's date format. See
docs/PERFORMANCE.md.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

_EPOCH = date(1899, 12, 30).toordinal()  # Excel's 1900 date system, as openpyxl writes it
_ROW_START = re.compile(r'<row r="(\d+)"')
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def style_id(ws: Worksheet, style: Callable[[Cell], None]) -> int:
    """The workbook's style index (xf) for a cell styled by ``style``; the cell is not placed."""
    cell = Cell(ws)
    style(cell)
    return cell.style_id


def _text_cell(ref: str, sid: int, text: str) -> str:
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    text = text.translate(_ESCAPES)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" s="{sid}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell(ref: str, sid: int, value: Any) -> str:
    if value is None or value == "":
        return f'<c r="{ref}" s="{sid}"/>'
    cls = value.__class__
    if cls is str:
        return _text_cell(ref, sid, value)
    if cls is int or cls is float:
        return f'<c r="{ref}" s="{sid}"><v>{value!r}</v></c>'
    if cls is date or cls is datetime:
        day = value.date() if cls is datetime else value
        return f'<c r="{ref}" s="{sid}"><v>{day.toordinal() - _EPOCH}</v></c>'
    if cls is bool:
        return _text_cell(ref, sid, "是" if value else "否")
    return _text_cell(ref, sid, str(value))


def rows_xml(first_row: int, rows: Iterable[Sequence[Any]], styles: Sequence[int],
             heights: Iterable[float | None] | None = None) -> str:
    """``<row>`` elements for ``rows`` from Excel row ``first_row``; column i uses ``styles[i]``."""
    letters = [get_column_letter(i + 1) for i in range(len(styles))]
    spans = f' spans="1:{len(styles)}"'
    out: list[str] = []
    append = out.append
    height_iter = iter(heights) if heights is not None else None
    for number, values in enumerate(rows, first_row):
        n = str(number)
        height = next(height_iter, None) if height_iter is not None else None
        attrs = spans + (f' ht="{height:g}" customHeight="1"' if height else "")
        cells = "".join([_cell(letter + n, sid, v) for letter, sid, v in zip(letters, styles, values, strict=True)])
        append(f'<row r="{n}"{attrs}>{cells}</row>')
    return "".join(out)


def save_with_rows(wb: Workbook, ws: Worksheet, out: BinaryIO, *, first_row: int, rows_xml_text: str) -> None:
    """Save ``wb`` to ``out`` with ``rows_xml_text`` placed in ``ws`` before its first row at or
    below ``first_row`` (the caller left those rows empty)."""
    built = io.BytesIO()
    wb.save(built)
    part = ws.path.lstrip("/")
    with zipfile.ZipFile(built) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                data = _inserted(data.decode("utf-8"), first_row, rows_xml_text).encode("utf-8")
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def _inserted(xml: str, first_row: int, rows: str) -> str:
    start = xml.find("<sheetData")
    if xml.startswith("<sheetData/>", start):
        return xml[:start] + "<sheetData>" + rows + "</sheetData>" + xml[start + len("<sheetData/>"):]
    for m in _ROW_START.finditer(xml, start):
        if int(m.group(1)) >= first_row:
            return xml[: m.start()] + rows + xml[m.start():]
    end = xml.index("</sheetData>", start)
    return xml[:end] + rows + xml[end:]
