"""The fast .xlsx reader: a regular-expression scanner for the plain sheets office programs write.

It reads only the plain forms Excel, WPS, LibreOffice and openpyxl write and checks that it accounted
for every cell; anything else raises ``_NotPlain`` and reading.py reads the file with openpyxl.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.etree.ElementTree import ParseError

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

FAST_MAX_SHEET_BYTES = 64 << 20  # bigger sheet XML (≈100 000 rows) is streamed by openpyxl instead
_CHUNK_CHARS = 1 << 20  # the fast reader matches cells a megabyte of XML at a time

Row = tuple[int, tuple[Any, ...]]  # (Excel row number, cell values from column A)


@dataclass
class _Sheet:
    title: str
    rows: Callable[[], Iterator[Row]]  # rows that have at least one cell, in order
    stated_rows: int  # the last row number according to the file, 0 when unknown


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
