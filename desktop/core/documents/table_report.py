"""A printable table report (报表): a title, a few lines about it, tables, notes and signature lines.

The fund's statement, outstanding-advance list, safety summary and distribution report are all
this shape; ``pdf/table_report.py`` draws it on A4 and ``excel/table_report.py`` writes it as an
.xlsx with the same content. Money cells hold integer 分 and are shown as 元 with two decimals.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.money import format_fen

Cell = str | int | None


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative width; the PDF scales the columns to the page, the xlsx to characters
    align: str = "left"  # left / center / right
    money: bool = False  # the cell is an int of 分
    text: bool = False  # keep as text in Excel (ID numbers, account numbers, codes)


@dataclass(frozen=True)
class Section:
    heading: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    empty_text: str = "（无）"

    def __post_init__(self) -> None:
        for row in (*self.rows, *((self.total,) if self.total else ())):
            if len(row) != len(self.columns):
                raise ValueError(f"{self.heading or '表'}: a row has {len(row)} cells for {len(self.columns)} columns")


@dataclass(frozen=True)
class TableReport:
    title: str
    meta: tuple[str, ...]
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ()
    landscape: bool = True
    issued: str = ""

    def all_text(self) -> str:
        """Everything printed, for tests and search."""
        parts = [self.title, *self.meta, *self.notes, *self.signatures, self.issued]
        for s in self.sections:
            parts.append(s.heading)
            parts += [c.title for c in s.columns]
            for row in (*s.rows, *((s.total,) if s.total else ())):
                parts += [show(v, c) for v, c in zip(row, s.columns, strict=True)]
        return "\n".join(parts)


def show(value: Cell, column: Column) -> str:
    if value is None:
        return ""
    if column.money and isinstance(value, int):
        return format_fen(value)
    return str(value)
