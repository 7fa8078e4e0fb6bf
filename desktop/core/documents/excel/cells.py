"""Cell conversion shared by every importer: a cell becomes text or a date, or is refused with a reason."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel

MAX_CELL_CHARS = 10_000  # longer cells are refused: nobody types that much into one field
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number; more are lost on entry
_EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#GETTING_DATA"})
_DAY_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DAY_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH_DIGITS = re.compile(r"^(\d{4})(\d{2})$")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_FIRST_YEAR, _LAST_YEAR = 1900, 2100


class CellError(ValueError):
    """One cell cannot be accepted; ``reason`` is plain Chinese (no row or column in it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
