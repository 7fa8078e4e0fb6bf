"""Reading .xlsx tables for every importer: open safely, find the header, convert cells strictly.

The rules every importer shares:
- A file that cannot be read (not a workbook, truncated, password-protected, old .xls, empty)
  raises ``WorkbookError`` with a plain-Chinese message saying what to do.
- The header row is found by its titles, wherever it is in the first rows: a title row above
  it, merged cells, blank rows, full-width brackets and stray spaces are all tolerated.
- Blank rows anywhere are skipped; reading never stops at a run of blank rows, because a clerk
  who left a gap in the middle would silently lose the rows below it.
- A cell is converted or refused with a reason (``CellError``), never guessed: an 18-digit ID
  number that Excel stored as a number has already lost its last digits and cannot be recovered.

Cells are converted by cells.py, re-exported here. Speed: sheets as Excel, WPS, LibreOffice and
openpyxl write them are read by a regular-expression scanner (``_FastBook`` in xlsx_fast.py)
about five times faster than openpyxl's read-only mode. It reads only the plain forms those
programs write and checks that it accounted for every cell; anything else (namespace prefixes,
pretty-printed XML, unknown cell types…) is read by openpyxl instead, with the same results.
See docs/PERFORMANCE.md.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH

from desktop.core.documents.excel.cells import EXCEL_DIGITS as EXCEL_DIGITS
from desktop.core.documents.excel.cells import MAX_CELL_CHARS as MAX_CELL_CHARS
from desktop.core.documents.excel.cells import CellError as CellError
from desktop.core.documents.excel.cells import DateValue as DateValue
from desktop.core.documents.excel.cells import cell_date as cell_date
from desktop.core.documents.excel.cells import cell_text as cell_text
from desktop.core.documents.excel.xlsx_fast import FAST_MAX_SHEET_BYTES as FAST_MAX_SHEET_BYTES
from desktop.core.documents.excel.xlsx_fast import Row, _FastBook, _NotPlain, _Sheet
from desktop.core.errors import UserError

HEADER_SCAN_ROWS = 30  # the header must be within this many rows from the top

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# Stream names of an encrypted OOXML package inside its OLE container (UTF-16 directory entries).
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
# What the zip and XML layers raise on a damaged member while rows are being read. A flipped bit
# in a zip header can also claim an unknown compression or zip version (NotImplementedError), an
# encrypted member (RuntimeError), or undecodable names (UnicodeDecodeError) — found by the fuzz tests.
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, ParseError, KeyError, IndexError, OSError,
           NotImplementedError, RuntimeError, UnicodeDecodeError, struct.error)

_TITLE_DROP = re.compile(r"[\s*＊:：]+")


class WorkbookError(UserError):
    """The file as a whole cannot be read; the message says why and what to do."""


# --- opening -------------------------------------------------------------------------------------


def _sniff(path: Path) -> None:
    """Refuse files that are not .xlsx with the right explanation, before any parser sees them."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1 << 20)
            tail = b""
            if size > len(head):
                fh.seek(max(len(head), size - (1 << 20)))
                tail = fh.read()
    except FileNotFoundError:
        raise WorkbookError(f"找不到文件“{path}”，请确认文件还在（U盘是否已拔出）。") from None
    except IsADirectoryError:
        raise WorkbookError(f"“{path}”是一个文件夹，请选择其中的 Excel 文件。") from None
    except PermissionError:
        raise WorkbookError(f"没有权限读取“{path.name}”，或文件正被其他程序占用。请关闭 Excel/WPS 后重试。") from None
    except OSError as exc:
        raise WorkbookError(f"读取“{path.name}”失败：{exc.strerror or exc}。请把文件复制到电脑上再导入。") from None
    if size == 0:
        raise WorkbookError(f"“{path.name}”是空文件（0 字节），可能复制或下载没有完成，请重新获取文件。")
    if head.startswith(_OLE_MAGIC):
        if any(m in head or m in tail for m in _ENCRYPTED_MARKERS):
            raise WorkbookError(
                f"“{path.name}”设置了打开密码，无法读取。请在 Excel 或 WPS 中输入密码打开，"
                "取消文件密码（文件加密）后保存，再导入。"
            )
        raise WorkbookError(
            f"“{path.name}”是旧版 Excel 97-2003 格式（.xls），无法直接导入。"
            "请在 Excel 或 WPS 中打开，“另存为”Excel 工作簿（.xlsx）后再导入。"
        )
    if not head.startswith(_ZIP_MAGIC):
        sample = head[:512].lstrip().lower()
        if sample.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")):
            raise WorkbookError(
                f"“{path.name}”实际上是网页/XML 格式（有些系统导出的“Excel”就是这样），无法直接导入。"
                "请在 Excel 或 WPS 中打开，“另存为”Excel 工作簿（.xlsx）后再导入。"
            )
        raise WorkbookError(
            f"“{path.name}”不是 Excel 工作簿（.xlsx）文件。如果是 CSV、WPS 表格（.et）或其他格式，"
            "请在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（.xlsx）再导入。"
        )
    if not zipfile.is_zipfile(path):
        raise WorkbookError(
            f"“{path.name}”不完整或已损坏（可能复制、下载没有完成，或U盘被提前拔出）。"
            "请重新复制或重新导出这个文件后再导入。"
        )


def _damaged(path: Path) -> WorkbookError:
    return WorkbookError(f"“{path.name}”的内容已损坏，无法读取。请在 Excel 或 WPS 中打开检查，另存一份后再导入。")


def open_workbook(path: str | Path) -> Any:
    """The openpyxl workbook, read-only with cached values (formulas give their last result).

    For importers that need openpyxl itself; ``read_table`` is faster for plain tables. The caller
    must ``close()`` it. Raises ``WorkbookError``.
    """
    path = Path(path)
    _sniff(path)
    return _load_openpyxl(path)


def _load_openpyxl(path: Path) -> Any:
    try:
        with warnings.catch_warnings():
            # "Workbook contains no default style", unsupported extensions…: harmless for reading.
            warnings.simplefilter("ignore")
            return load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise _damaged(path) from None
    except (KeyError, ParseError, ValueError, TypeError, EOFError, zlib.error, OSError, NotImplementedError,
            RuntimeError, struct.error) as exc:
        names: list[str] = []
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError):
            pass
        if names and not any(n.endswith("workbook.xml") for n in names):
            if "mimetype" in names:
                raise WorkbookError(
                    f"“{path.name}”是 OpenDocument（.ods）等其他格式，请在 Excel 或 WPS 中打开后"
                    "“另存为”Excel 工作簿（.xlsx）再导入。"
                ) from None
            raise WorkbookError(
                f"“{path.name}”是一个压缩包或 Word 等其他文件，不是 Excel 工作簿（.xlsx）。请选择正确的文件。"
            ) from None
        raise _damaged(path) from exc


# --- the two readers: both give the sheets and, per sheet, its non-empty rows ---------------------


class _OpenpyxlBook:
    """Any workbook openpyxl can read, streamed in read-only mode."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = _load_openpyxl(path)
        self.epoch = self.wb.epoch or WINDOWS_EPOCH

    def sheets(self) -> list[_Sheet]:
        out = []
        for ws in self.wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible" or not hasattr(ws, "iter_rows"):
                continue
            stated = ws.max_row or 0
            # Some programs write a wrong <dimension> (e.g. A1 only); openpyxl would then stop
            # early and silently drop rows. Ignore it and read what is really there.
            ws.reset_dimensions()
            out.append(_Sheet(ws.title, lambda ws=ws: self._rows(ws), stated))
        return out

    @staticmethod
    def _rows(ws: Any) -> Iterator[Row]:
        for number, values in enumerate(ws.iter_rows(values_only=True), 1):
            if values:
                yield number, values

    def close(self) -> None:
        self.wb.close()


def _open_book(path: Path, fast: bool) -> _FastBook | _OpenpyxlBook:
    if fast:
        try:
            return _FastBook(path)
        except _NotPlain:
            pass
        except _DAMAGE:
            raise _damaged(path) from None
    return _OpenpyxlBook(path)


# --- header --------------------------------------------------------------------------------------


def normalise_title(text: Any) -> str:
    """A header title reduced for comparison: full-width forms folded (（）→()), spaces, line
    breaks, required-field stars and trailing colons removed."""
    if text is None:
        return ""
    return _TITLE_DROP.sub("", unicodedata.normalize("NFKC", str(text)))


@dataclass(frozen=True)
class ColumnSpec:
    """A column an importer reads: its title as printed on the template, and accepted variants."""

    title: str
    required: bool = True
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Header:
    sheet: str
    row: int  # Excel row number (1-based) of the header
    positions: dict[str, int]  # spec title -> 0-based column index, for columns found
    missing: tuple[str, ...]  # required titles not found
    preamble: tuple[Row, ...] = ()  # the non-blank rows above the header (title, 填表人/日期 lines…)

    def letter(self, title: str) -> str:
        return get_column_letter(self.positions[title] + 1) if title in self.positions else ""


def is_blank(values: Sequence[Any]) -> bool:
    """True for a row with nothing but empty cells or spaces (fast for the common all-None row)."""
    if not any(values):
        return True  # None and "" — and also 0 / False, which are re-checked below
    for v in values:
        if v is None:
            continue
        if isinstance(v, str):
            if v.strip():
                return False
            continue
        return False
    return True


def _match_row(values: Sequence[Any], keys: dict[str, str]) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """Columns of ``values`` whose title matches a spec; also (title, first, second) repeats."""
    found: dict[str, int] = {}
    repeats: list[tuple[str, int, int]] = []
    for idx, value in enumerate(values):
        if not isinstance(value, str):
            continue
        title = keys.get(normalise_title(value))
        if title is None:
            continue
        if title in found:
            repeats.append((title, found[title], idx))
        else:
            found[title] = idx
    return found, repeats


@dataclass
class Table:
    """The first sheet that holds the expected header, ready to stream its data rows."""

    path: Path
    header: Header
    specs: tuple[ColumnSpec, ...]
    estimated_rows: int  # data rows according to the file; 0 when unknown
    epoch: datetime
    _rows: Iterator[Row] = field(repr=False)
    _fallback: Callable[[int], Iterator[Row]] | None = field(repr=False, default=None)

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(Excel row number, raw values in ``specs`` order; None for an absent column) for every
        non-blank row below the header. Raises ``WorkbookError`` if the file turns out damaged."""
        positions = [self.header.positions.get(s.title, -1) for s in self.specs]
        used = max(positions, default=-1) + 1
        # Each row is cut to the columns used plus one always-empty cell, which absent columns
        # read; the extra last pick keeps itemgetter returning a tuple even for one column.
        pick = itemgetter(*[i if i >= 0 else used for i in positions], used)
        padding = (None,) * (used + 1)
        last = self.header.row
        source = self._rows
        while True:
            try:
                for number, values in source:
                    last = number
                    if is_blank(values):
                        continue
                    values = values[:used] + padding[min(len(values), used) :]
                    yield number, pick(values)[:-1]
                return
            except _NotPlain:
                if self._fallback is None:
                    raise _damaged(self.path) from None
                # The fast reader met a form it does not know: openpyxl reads the rest.
                source, self._fallback = self._fallback(last), None
            except _DAMAGE:
                raise _damaged(self.path) from None


def _find_header(
    sheet: _Sheet, specs: Sequence[ColumnSpec], scan_rows: int
) -> tuple[Header | None, Iterator[Row], bool]:
    """The header (or None), the rows after it, and whether the scanned rows had any content."""
    keys: dict[str, str] = {}
    for spec in specs:
        for name in (spec.title, *spec.aliases):
            keys[normalise_title(name)] = spec.title
    rows = sheet.rows()
    head: list[Row] = []
    for row in rows:
        head.append(row)
        if row[0] >= scan_rows:
            break
    best: tuple[int, int, dict[str, int], list[tuple[str, int, int]]] | None = None
    for pos, (number, values) in enumerate(head):
        if number > scan_rows:
            break
        found, repeats = _match_row(values, keys)
        if len(found) >= min(2, len(specs)) and (best is None or len(found) > len(best[2])):
            best = (pos, number, found, repeats)
    content = any(not is_blank(values) for _, values in head)
    if best is None:
        return None, iter(()), content
    pos, number, found, repeats = best
    if repeats:
        title, first, second = repeats[0]
        raise WorkbookError(
            f"工作表“{sheet.title}”第 {number} 行的表头中“{title}”出现了两次"
            f"（{get_column_letter(first + 1)} 列和 {get_column_letter(second + 1)} 列），"
            "无法确定用哪一列。请删除或改名其中一列后再导入。"
        )
    missing = tuple(s.title for s in specs if s.required and s.title not in found)

    def rest() -> Iterator[Row]:
        yield from head[pos + 1 :]
        yield from rows

    preamble = tuple(row for row in head[:pos] if not is_blank(row[1]))
    return Header(sheet.title, number, found, missing, preamble), rest(), True


@contextmanager
def read_table(
    path: str | Path, specs: Sequence[ColumnSpec], *, scan_rows: int = HEADER_SCAN_ROWS, fast: bool = True
) -> Iterator[Table]:
    """Open ``path`` and find the first visible sheet whose header (within ``scan_rows`` rows)
    matches at least two of ``specs``, the one matching most if several rows do.

    Missing required columns are listed in ``table.header.missing`` for the importer to report;
    no matching header at all, a repeated title or an unreadable file raise ``WorkbookError``.
    ``fast=False`` always reads with openpyxl (the fast reader falls back to it by itself).
    """
    path = Path(path)
    _sniff(path)
    book = _open_book(path, fast)
    extra: list[_OpenpyxlBook] = []
    try:
        try:
            found = _first_table(book, specs, scan_rows)
        except _NotPlain:
            book.close()
            book = _OpenpyxlBook(path)
            found = _first_table(book, specs, scan_rows)
        except _DAMAGE:
            raise _damaged(path) from None
        if found is None:
            raise WorkbookError(f"“{path.name}”里没有任何内容（工作表是空的），请确认选对了文件。")
        if isinstance(found, str):
            raise WorkbookError(
                f"在“{path.name}”各工作表的前 {scan_rows} 行里没有找到表头（应有 {found} 这些列标题）。"
                "请确认选对了文件，或使用系统提供的导入模板。"
            )
        header, rows, stated = found
        estimated = max(0, stated - header.row)
        fallback = None
        if isinstance(book, _FastBook):

            def fallback(after: int, title: str = header.sheet) -> Iterator[Row]:
                slow = _OpenpyxlBook(path)
                extra.append(slow)
                sheet = next(s for s in slow.sheets() if s.title == title)
                return (row for row in sheet.rows() if row[0] > after)

        yield Table(path, header, tuple(specs), estimated, book.epoch, rows, fallback)
    finally:
        book.close()
        for other in extra:
            other.close()


def _first_table(
    book: _FastBook | _OpenpyxlBook, specs: Sequence[ColumnSpec], scan_rows: int
) -> tuple[Header, Iterator[Row], int] | str | None:
    """(header, rows after it, stated size) of the first sheet with the header; else the expected
    titles as text when some sheet had content, or None when every sheet was empty."""
    any_content = False
    for sheet in book.sheets():
        header, rows, content = _find_header(sheet, specs, scan_rows)
        any_content = any_content or content
        if header is not None:
            return header, rows, sheet.stated_rows
    if not any_content:
        return None
    return "、".join(s.title for s in specs[:6]) + ("等" if len(specs) > 6 else "")
