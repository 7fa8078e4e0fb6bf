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

Speed: sheets as Excel, WPS, LibreOffice and openpyxl write them are read by a regular-expression
scanner (``_FastBook``) about five times faster than openpyxl's read-only mode. It reads only the
plain forms those programs write and checks that it accounted for every cell; anything else
(namespace prefixes, pretty-printed XML, unknown cell types…) is read by openpyxl instead, with
the same results. See docs/PERFORMANCE.md.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from desktop.core.errors import UserError

MAX_CELL_CHARS = 10_000  # longer cells are refused: nobody types that much into one field
HEADER_SCAN_ROWS = 30  # the header must be within this many rows from the top
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number; more are lost on entry
FAST_MAX_SHEET_BYTES = 64 << 20  # bigger sheet XML (≈100 000 rows) is streamed by openpyxl instead
_CHUNK_CHARS = 1 << 20  # the fast reader matches cells a megabyte of XML at a time

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# Stream names of an encrypted OOXML package inside its OLE container (UTF-16 directory entries).
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
# What the zip and XML layers raise on a damaged member while rows are being read.
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, ParseError, KeyError, IndexError, OSError)
_EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#GETTING_DATA"})

_TITLE_DROP = re.compile(r"[\s*＊:：]+")
_DAY_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DAY_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH_DIGITS = re.compile(r"^(\d{4})(\d{2})$")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_FIRST_YEAR, _LAST_YEAR = 1900, 2100

Row = tuple[int, tuple[Any, ...]]  # (Excel row number, cell values from column A)


class WorkbookError(UserError):
    """The file as a whole cannot be read; the message says why and what to do."""


class CellError(ValueError):
    """One cell cannot be accepted; ``reason`` is plain Chinese (no row or column in it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
    except (KeyError, ParseError, ValueError, TypeError, EOFError, zlib.error, OSError) as exc:
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


@dataclass
class _Sheet:
    title: str
    rows: Callable[[], Iterator[Row]]  # rows that have at least one cell, in order
    stated_rows: int  # the last row number according to the file, 0 when unknown


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


class _NotPlain(Exception):
    """The file uses a form the fast reader does not handle; openpyxl reads it instead."""


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# One cell as Excel/WPS/LibreOffice/openpyxl write it: r, then s and t in either order, other
# attributes (cm, vm, ph) after them, an optional formula, then a value or an inline string.
_CELL = re.compile(
    r'<c r="([A-Z]{1,3})([0-9]+)"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?(?: s="([0-9]+)")?'
    r'(?: (?![st]=)[a-zA-Z:]+="[^"]*")* ?'
    r"(?:/>|>(?:<f(?: [^>]*)?/>|<f(?: [^>]*)?>[^<]*</f>)?"
    r"(?:<v>([^<]*)</v>|<v ?/>|<is>(.*?)</is>)?</c>)",
    re.S,
)
_LAST_ROW = re.compile(r'<row r="([0-9]+)"')
# Plain text (Chinese Excel and WPS add an empty <phoneticPr/> to most strings), else anything.
_SI = re.compile(
    r'<si><t(?: xml:space="preserve")?>([^<&]*)</t>(?:<phoneticPr[^>]*/>)?</si>|<si>(.*?)</si>|<si/>', re.S
)
_PLAIN_T = re.compile(r'<t(?: xml:space="preserve")?>([^<]*)</t>|<t/>')
_ANY_T = re.compile(r"<t(?: [^>]*)?>([^<]*)</t>|<t(?: [^>]*)?/>")
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ZH_DATE_IDS = frozenset({27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58})  # zh-CN built-in 年月日 formats


def _entity(m: re.Match[str]) -> str:
    name = m.group(1)
    if name[0] != "#":
        return _NAMED[name]
    return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))


def _unescape(text: str) -> str:
    return _ENTITY.sub(_entity, text) if "&" in text else text


def _text_of(xml: str) -> str:
    """The text of a shared or inline string (<t>, or rich-text runs; phonetic guides left out)."""
    m = _PLAIN_T.fullmatch(xml)
    if m is None:
        xml = _PHONETIC.sub("", xml)
        parts = _ANY_T.findall(xml)
        if xml.count("<t") != len(parts):
            raise _NotPlain("text")
        text = "".join(parts)
    else:
        text = m.group(1) or ""
    return _unescape(text)


_COLUMN_INDEX: dict[str, int] = {}


def _column(letters: str) -> int:
    idx = _COLUMN_INDEX.get(letters)
    if idx is None:
        idx = 0
        for ch in letters:
            idx = idx * 26 + ord(ch) - 64
        idx = _COLUMN_INDEX[letters] = idx - 1
    return idx


class _FastBook:
    """A regular-expression reader for the plain .xlsx that office programs write.

    Raises ``_NotPlain`` (before yielding anything) when the file is not in that form.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zf = zipfile.ZipFile(path)
        try:
            self._read_structure()
        except BaseException:
            self.zf.close()
            raise

    def _xml(self, name: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.zf.read(name))

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        out = {}
        for rel in self._xml(rels_name).iter(f"{{{_PKG_REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
        return out

    def _read_structure(self) -> None:
        try:
            book = next(t for kind, t in self._rels("").values() if kind == "officeDocument")
            root = self._xml(book)
            if root.tag != f"{{{_MAIN_NS}}}workbook":
                raise _NotPlain("namespace")
            rels = self._rels(book)
            pr = root.find(f"{{{_MAIN_NS}}}workbookPr")
            self.epoch = MAC_EPOCH if pr is not None and pr.get("date1904") in ("1", "true") else WINDOWS_EPOCH
            self._sheets = []
            for el in root.iter(f"{{{_MAIN_NS}}}sheet"):
                kind, target = rels[el.get(f"{{{_REL_NS}}}id", "")]
                if kind == "worksheet" and el.get("state", "visible") == "visible":
                    self._sheets.append((el.get("name", ""), target))
            parts = {kind: target for kind, target in rels.values()}
            self.strings = self._shared_strings(parts.get("sharedStrings"))
            self.dates, self.durations = self._date_styles(parts.get("styles"))
        except (KeyError, StopIteration, ParseError, ValueError) as exc:
            raise _NotPlain("structure") from exc

    def _shared_strings(self, part: str | None) -> list[str]:
        if part is None:
            return []
        xml = self.zf.read(part).decode("utf-8")
        # Plain <si><t>text</t></si> straight from the pattern; rich text and entities decoded.
        strings = [plain if not other else _text_of(other) for plain, other in _SI.findall(xml)]
        if xml.count("<si") != len(strings) or f'xmlns="{_MAIN_NS}"' not in xml[:1000]:
            raise _NotPlain("shared strings")
        if "x005F_" in xml:  # as openpyxl: drop Excel's escape of an underscore that looks like _xHHHH_
            strings = [t.replace("x005F_", "") for t in strings]
        return strings

    def _date_styles(self, part: str | None) -> tuple[frozenset[int], frozenset[int]]:
        if part is None:
            return frozenset(), frozenset()
        root = self._xml(part)
        custom = {int(f.get("numFmtId", "-1")): f.get("formatCode", "") for f in root.iter(f"{{{_MAIN_NS}}}numFmt")}
        dates, durations = set(), set()
        xfs = root.find(f"{{{_MAIN_NS}}}cellXfs")
        for idx, xf in enumerate(xfs if xfs is not None else ()):
            fmt_id = int(xf.get("numFmtId", "0"))
            code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General")
            if is_timedelta_format(code):
                durations.add(idx)
            elif is_date_format(code) or (fmt_id in _ZH_DATE_IDS and fmt_id not in custom):
                dates.add(idx)
        return frozenset(dates), frozenset(durations)

    def sheets(self) -> list[_Sheet]:
        out = []
        for title, part in self._sheets:
            sheet = _Sheet(title, lambda: iter(()), 0)
            sheet.rows = lambda part=part, sheet=sheet: self._rows(part, sheet)
            out.append(sheet)
        return out

    def _sheet_data(self, part: str) -> str:
        if self.zf.getinfo(part).file_size > FAST_MAX_SHEET_BYTES:
            raise _NotPlain("size")
        try:
            xml = self.zf.read(part).decode("utf-8")
        except UnicodeDecodeError:
            raise _NotPlain("encoding") from None
        start = xml.find("<sheetData")
        if start < 0 or f'xmlns="{_MAIN_NS}"' not in xml[:start]:
            raise _NotPlain("namespace")
        end = xml.find("</sheetData>", start)
        return xml[start : end if end >= 0 else start]

    def _rows(self, part: str, sheet: _Sheet) -> Iterator[Row]:
        data = self._sheet_data(part)
        last = _LAST_ROW.search(data, max(0, data.rfind("<row ")))
        sheet.stated_rows = int(last.group(1)) if last else 0
        return self._decode(data)

    @staticmethod
    def _chunks(data: str) -> Iterator[list[tuple[str, ...]]]:
        """The cells of ``data`` in pieces of whole rows; ``_NotPlain`` as soon as a piece holds a
        cell the pattern does not understand (``Table.rows`` then continues with openpyxl)."""
        pos, size = 0, len(data)
        while pos < size:
            end = data.find("</row>", pos + _CHUNK_CHARS)
            end = size if end < 0 else end + 6
            piece = data[pos:end]
            cells = _CELL.findall(piece)
            if len(cells) != piece.count("<c ") + piece.count("<c>"):
                raise _NotPlain("cells")
            yield cells
            pos = end

    def _decode(self, data: str) -> Iterator[Row]:
        strings, dates, durations, epoch = self.strings, self.dates, self.durations, self.epoch
        columns = _COLUMN_INDEX
        number = ""
        cells: list[Any] = []
        for letters, row, s1, kind, s2, v, inline in chain.from_iterable(self._chunks(data)):
            if row != number:
                if cells:
                    yield int(number), tuple(cells)
                    cells = []
                number = row
            if kind == "s" and v:  # most cells: shared text
                value: Any = strings[int(v)]
            elif inline:
                value = _text_of(inline)
            elif not v:
                value = None
            elif not kind or kind == "n":
                value = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
                style = int(s1 or s2 or 0)
                if style in dates:
                    try:
                        value = from_excel(value, epoch)
                    except (OverflowError, ValueError):
                        value = "#VALUE!"
                elif style in durations:
                    value = from_excel(value, epoch, timedelta=True)
            elif kind == "str" or kind == "e":
                value = _unescape(v)
            elif kind == "b":
                value = v.strip() not in ("0", "false", "")
            elif kind == "d":
                try:
                    value = from_ISO8601(v)
                except ValueError:
                    value = v
            else:  # inlineStr without <is>, or a type no program writes: keep the raw text
                value = _unescape(v)
            col = columns.get(letters)
            if col is None:
                col = _column(letters)
            if col == len(cells):
                cells.append(value)
            elif col > len(cells):
                cells.extend([None] * (col - len(cells)))
                cells.append(value)
            else:  # out of order: no program writes this, but keep the value in its column
                cells[col] = value
        if cells:
            yield int(number), tuple(cells)

    def close(self) -> None:
        self.zf.close()


def _open_book(path: Path, fast: bool) -> _FastBook | _OpenpyxlBook:
    if fast:
        try:
            return _FastBook(path)
        except _NotPlain:
            pass
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
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

    return Header(sheet.title, number, found, missing), rest(), True


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


# --- cells ---------------------------------------------------------------------------------------


def cell_text(value: Any, *, max_chars: int = MAX_CELL_CHARS) -> str:
    """The cell as trimmed text ("" when empty).

    Whole numbers print without ".0". A number of more than 15 digits is refused: Excel keeps
    only 15 significant digits, so an ID or bank account typed into a number cell has lost its
    last digits and we cannot know what they were. Excel error values (#N/A…) are refused too.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) > max_chars:
            raise CellError(f"内容太长（{len(value)} 个字），一个单元格最多 {max_chars} 个字，请检查是否粘贴错了内容。")
        if value in _EXCEL_ERRORS:
            raise CellError(f"单元格是 Excel 的错误值 {value}（公式出错），请改成实际内容。")
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            if abs(value) >= 10 ** (EXCEL_DIGITS - 1):
                raise _lost_digits(value)
            return repr(value)
        if len(str(abs(int(value)))) > EXCEL_DIGITS:
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
    for pattern, month_only in ((_DAY_TEXT, False), (_DAY_DIGITS, False), (_MONTH_TEXT, True), (_MONTH_DIGITS, True)):
        m = pattern.match(compact)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            d = 1 if month_only else int(m.group(3))
            return DateValue(_checked(y, mo, d, text), month_only)
    raise CellError(f"“{text[:40]}”不是可识别的日期，请写成如 2024-03-05 或 2024年3月5日。")
