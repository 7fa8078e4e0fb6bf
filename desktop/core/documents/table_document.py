"""A printable table form (登记表/名册): title, a header line, a long table, lines under it.

One description, two renderings: ``pdf/table_pdf.py`` (A4, rows drawn straight onto the page, header
repeated on every page) and ``excel/table_xlsx.py`` (the same layout for WPS/Excel). Used by the
transfer sheet (附件2) and the subsidy claim roster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    align: str = "c"  # c / l / r
    text: bool = False  # keep as text in .xlsx (ID numbers, phones: never turned into numbers)


@dataclass(frozen=True)
class Table:
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]
    heading: str = ""  # a caption above this table (second tables)
    footer_row: Sequence[object] = ()  # e.g. 合计 row, drawn in the table's last line


@dataclass(frozen=True)
class TableDocument:
    title: str
    tables: Sequence[Table]
    corner: str = ""  # "附件2" above the title, left
    left_note: str = ""  # e.g. 劳务经纪人姓名：张三
    right_note: str = ""  # e.g. 填表日期：2026年11月22日
    after: Sequence[str] = ()  # paragraphs under the tables (totals in words…)
    signature: Sequence[str] = ()  # one line of blanks: 填报单位（盖章）, 经办人, 审核人, 日期
    landscape: bool = True
    sheet_name: str = "Sheet1"
    repeat_notes: bool = False  # the PDF draws the left/right note line again on every page
