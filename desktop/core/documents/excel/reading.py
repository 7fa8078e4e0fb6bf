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
"""

from __future__ import annotations

import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel

from desktop.core.errors import UserError

MAX_CELL_CHARS = 10_000  # longer cells are refused: nobody types that much into one field
HEADER_SCAN_ROWS = 30  # the header must be within this many rows from the top
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number; more are lost on entry

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# Stream names of an encrypted OOXML package inside its OLE container (UTF-16 directory entries).
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
# What openpyxl and the zip/XML layers raise on a damaged member while rows are being read.
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, ParseError, KeyError, OSError)

_TITLE_DROP = re.compile(r"[\s*＊:：]+")
_DAY_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DAY_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH_DIGITS = re.compile(r"^(\d{4})(\d{2})$")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_FIRST_YEAR, _LAST_YEAR = 1900, 2100


class WorkbookError(UserError):
    """The file as a whole cannot be read; the message says why and what to do."""


class CellError(ValueError):
    """One cell cannot be accepted; ``reason`` is plain Chinese (no row or column in it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- opening -------------------------------------------------------------------------------------


def _sniff(path: Path) -> None:
    """Refuse files that are not .xlsx with the right explanation, before openpyxl sees them."""
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
    return WorkbookError(
        f"“{path.name}”的内容已损坏，无法读取。请在 Excel 或 WPS 中打开检查，另存一份后再导入。"
    )


def open_workbook(path: str | Path) -> Any:
    """The workbook opened read-only with cached values (formulas give their last result).

    The caller must ``close()`` it (``read_table`` does); raises ``WorkbookError``.
    """
    path = Path(path)
    _sniff(path)
    try:
        with warnings.catch_warnings():
            # "Workbook contains no default style", unsupported extensions…: harmless for reading.
            warnings.simplefilter("ignore")
            wb = load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise _damaged(path) from None
    except (KeyError, ParseError, ValueError, TypeError, EOFError, zlib.error, OSError) as exc:
        names: list[str] = []
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError):
            pass
        if names and "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
            if "mimetype" in names:
                raise WorkbookError(
                    f"“{path.name}”是 OpenDocument（.ods）等其他格式，请在 Excel 或 WPS 中打开后"
                    "“另存为”Excel 工作簿（.xlsx）再导入。"
                ) from None
            raise WorkbookError(
                f"“{path.name}”是一个压缩包或 Word 等其他文件，不是 Excel 工作簿（.xlsx）。请选择正确的文件。"
            ) from None
        raise _damaged(path) from exc
    return wb


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

    def letter(self, title: str) -> str:
        return get_column_letter(self.positions[title] + 1) if title in self.positions else ""


def _match_row(values: Sequence[Any], keys: dict[str, str]) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """Columns of ``values`` whose title matches a spec; also (title, first, second) repeats."""
    found: dict[str, int] = {}
    repeats: list[tuple[str, int, int]] = []
    for idx, value in enumerate(values):
        if value is None or isinstance(value, (int, float, datetime, date)):
            continue
        title = keys.get(normalise_title(value))
        if title is None:
            continue
        if title in found:
            repeats.append((title, found[title], idx))
        else:
            found[title] = idx
    return found, repeats


def is_blank(values: Sequence[Any]) -> bool:
    """True for a row with nothing but empty cells or spaces (fast for the common all-None row)."""
    if not any(values):
        return True  # None, "", and also 0 / False; those are re-checked below
    for v in values:
        if v is None:
            continue
        if isinstance(v, str):
            if v.strip():
                return False
            continue
        return False
    return True


def _needed_matches(specs: Sequence[ColumnSpec]) -> int:
    return min(2, len(specs))


# --- the table -----------------------------------------------------------------------------------


@dataclass
class Table:
    """The first sheet that holds the expected header, ready to stream its data rows."""

    path: Path
    header: Header
    specs: tuple[ColumnSpec, ...]
    estimated_rows: int  # data rows according to the sheet's stated size; 0 when unknown
    epoch: datetime
    _buffered: list[tuple[int, tuple[Any, ...]]] = field(repr=False)
    _rest: Iterator[tuple[Any, ...]] = field(repr=False)
    _next_row: int = field(repr=False)

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(Excel row number, raw values in ``specs`` order; None for an absent column) for every
        non-blank row below the header. Raises ``WorkbookError`` if the file turns out damaged."""
        picks = tuple(self.header.positions.get(s.title, -1) for s in self.specs)
        width = max(picks, default=-1) + 1

        def pick(values: tuple[Any, ...]) -> tuple[Any, ...]:
            if len(values) < width:
                values = tuple(values) + (None,) * (width - len(values))
            return tuple(values[i] if i >= 0 else None for i in picks)

        for number, values in self._buffered:
            if not is_blank(values):
                yield number, pick(values)
        number = self._next_row
        try:
            for values in self._rest:
                if values and not is_blank(values):
                    yield number, pick(values)
                number += 1
        except _DAMAGE:
            raise _damaged(self.path) from None


_Found = tuple[Header, list[tuple[int, tuple[Any, ...]]], Iterator[tuple[Any, ...]], int]


def _find_header(ws: Any, specs: Sequence[ColumnSpec], scan_rows: int) -> tuple[_Found | None, bool]:
    """The header and the rows read so far, or None; and whether the scanned rows had anything."""
    keys: dict[str, str] = {}
    for spec in specs:
        for name in (spec.title, *spec.aliases):
            keys[normalise_title(name)] = spec.title
    rows = ws.iter_rows(values_only=True)
    head = [(i + 1, tuple(v)) for i, v in enumerate(islice(rows, scan_rows))]
    best: tuple[int, dict[str, int], list[tuple[str, int, int]]] | None = None
    for number, values in head:
        found, repeats = _match_row(values, keys)
        if len(found) >= _needed_matches(specs) and (best is None or len(found) > len(best[1])):
            best = (number, found, repeats)
    if best is None:
        return None, any(not is_blank(values) for _, values in head)
    number, found, repeats = best
    if repeats:
        title, first, second = repeats[0]
        raise WorkbookError(
            f"工作表“{ws.title}”第 {number} 行的表头中“{title}”出现了两次"
            f"（{get_column_letter(first + 1)} 列和 {get_column_letter(second + 1)} 列），"
            "无法确定用哪一列。请删除或改名其中一列后再导入。"
        )
    missing = tuple(s.title for s in specs if s.required and s.title not in found)
    header = Header(ws.title, number, found, missing)
    return (header, head[number:], rows, len(head) + 1), True


@contextmanager
def read_table(
    path: str | Path, specs: Sequence[ColumnSpec], *, scan_rows: int = HEADER_SCAN_ROWS
) -> Iterator[Table]:
    """Open ``path`` and find the first visible sheet whose header (within ``scan_rows`` rows)
    matches at least two of ``specs``, the one matching most if several rows do.

    Missing required columns are listed in ``table.header.missing`` for the importer to report;
    no matching header at all, a repeated title or an unreadable file raise ``WorkbookError``.
    """
    path = Path(path)
    wb = open_workbook(path)
    try:
        any_content = False
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible" or not hasattr(ws, "iter_rows"):
                continue
            stated_rows = ws.max_row or 0
            # Some programs write a wrong <dimension> (e.g. A1 only); openpyxl would then stop
            # early and silently drop rows. Ignore it and read what is really there.
            ws.reset_dimensions()
            try:
                found, content = _find_header(ws, specs, scan_rows)
            except _DAMAGE:
                raise _damaged(path) from None
            any_content = any_content or content
            if found is None:
                continue
            header, buffered, rest, next_row = found
            estimated = max(0, stated_rows - header.row)
            yield Table(path, header, tuple(specs), estimated, wb.epoch or WINDOWS_EPOCH,
                        buffered, rest, next_row)
            return
        if not any_content:
            raise WorkbookError(f"“{path.name}”里没有任何内容（工作表是空的），请确认选对了文件。")
        titles = "、".join(s.title for s in specs[:6]) + ("等" if len(specs) > 6 else "")
        raise WorkbookError(
            f"在“{path.name}”各工作表的前 {scan_rows} 行里没有找到表头（应有 {titles} 这些列标题）。"
            "请确认选对了文件，或使用系统提供的导入模板。"
        )
    finally:
        wb.close()


# --- cells ---------------------------------------------------------------------------------------


def _digits_of(value: int | float) -> int:
    return len(str(abs(int(value))))


def cell_text(value: Any, *, max_chars: int = MAX_CELL_CHARS) -> str:
    """The cell as trimmed text ("" when empty).

    Whole numbers print without ".0". A number of more than 15 digits is refused: Excel keeps
    only 15 significant digits, so an ID or bank account typed into a number cell has lost its
    last digits and we cannot know what they were.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) > max_chars:
            raise CellError(
                f"内容太长（{len(value)} 个字），一个单元格最多 {max_chars} 个字，请检查是否粘贴错了内容。"
            )
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            if abs(value) >= 10 ** (EXCEL_DIGITS - 1):
                raise _lost_digits(value)
            return repr(value)
        if _digits_of(value) > EXCEL_DIGITS:
            raise _lost_digits(value)
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def _lost_digits(value: int | float) -> CellError:
    shown = f"{value:.14E}" if isinstance(value, float) else str(value)
    return CellError(
        f"这个号码被 Excel 存成了数字（显示为 {shown}），超过 15 位的数字已经丢失，无法还原。"
        "请把这一列设为“文本”格式后重新输入完整号码（或在号码前加英文单引号 ' ）。"
    )


@dataclass(frozen=True)
class DateValue:
    """A date read from a cell; ``month_only`` when the cell gave just a year and month (the
    date is then the 1st of that month)."""

    value: date
    month_only: bool = False

    @property
    def month_text(self) -> str:
        return f"{self.value:%Y-%m}"


def _checked(year: int, month: int, day: int, original: Any) -> date:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise CellError(f"“{original}”的年份不对，请写成如 2024-03-05 的日期。")
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"“{original}”不是真实的日期（没有这一天），请核对。") from None


def cell_date(value: Any, *, epoch: datetime = WINDOWS_EPOCH) -> DateValue | None:
    """A date from a date cell, an Excel serial number or text (2024-03-05, 2024/3/5,
    2024年3月5日, 2024.3.5, 20240305; year-month forms 2024-03, 2024年3月, 202403).
    None for an empty cell; ``CellError`` for anything else."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return DateValue(_checked(value.year, value.month, value.day, value.date()))
    if isinstance(value, date):
        return DateValue(_checked(value.year, value.month, value.day, value))
    if isinstance(value, bool):
        raise CellError("这里应填日期，例如 2024-03-05。")
    if isinstance(value, (int, float)):
        if isinstance(value, int) or value.is_integer():
            text = str(int(value))
            if _DAY_DIGITS.match(text) or _MONTH_DIGITS.match(text):
                return cell_date(text)
        if not 1 <= value < 2958466:  # 1900-01-01 … 9999-12-31 as Excel serials
            raise CellError(f"“{cell_text(value)}”不是日期，请写成如 2024-03-05 的日期。")
        moment = from_excel(value, epoch)
        return DateValue(_checked(moment.year, moment.month, moment.day, moment.date()))
    text = unicodedata.normalize("NFKC", cell_text(value))
    if not text:
        return None
    compact = _TIME_TAIL.sub("", text).strip()
    for pattern, month_only in ((_DAY_TEXT, False), (_DAY_DIGITS, False), (_MONTH_TEXT, True),
                                (_MONTH_DIGITS, True)):
        m = pattern.match(compact)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            d = 1 if month_only else int(m.group(3))
            return DateValue(_checked(y, mo, d, text), month_only)
    raise CellError(f"“{text[:40]}”不是可识别的日期，请写成如 2024-03-05 或 2024年3月5日。")
