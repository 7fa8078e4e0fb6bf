"""Money as integer 分 (1/100 元): reading what a clerk types and showing amounts — never a float.

Amounts are stored, added and compared as ``int`` 分. Typed text is read digit by digit (no
``float()``, no ``Decimal`` rounding): "12.30" → 1230, "1,234.5" → 123450, "１２．３元" → 1230.
Anything that is not a plain non-negative amount with at most two decimals is refused with a
message that says what is wrong and how to write it.
"""

from __future__ import annotations

import re
import unicodedata

from desktop.core.errors import UserError

FEN_PER_YUAN = 100
MAX_FEN = 10**12 * FEN_PER_YUAN  # 1 万亿元: anything larger is a typing mistake
_AMOUNT = re.compile(r"^(\d*)(?:\.(\d*))?$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_CURRENCY = ("¥", "￥", "RMB", "CNY")


class MoneyError(UserError):
    """Typed text that is not an amount; the message says how to write it."""


def yuan_to_fen(yuan: int) -> int:
    """A whole-元 policy value (profile keys ending in ``_yuan``) in 分."""
    if isinstance(yuan, bool) or not isinstance(yuan, int):
        raise TypeError("yuan_to_fen takes a whole number of 元")
    return yuan * FEN_PER_YUAN


def parse_yuan(text: str, *, what: str = "金额", allow_zero: bool = False) -> int:
    """The 分 in an amount typed in 元 ("12.30" → 1230); ``MoneyError`` names the problem."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    shown = raw[:30]
    for mark in _CURRENCY:
        if raw.upper().startswith(mark):
            raw = raw[len(mark):].strip()
    if raw.endswith("元"):
        raw = raw[:-1].strip()
    raw = raw.replace(" ", "")
    if not raw:
        raise MoneyError(f"请填写{what}（单位：元，如 12.30）。")
    if raw.startswith("-") or raw.startswith("−"):
        raise MoneyError(f"{what}不能是负数。填写实际金额即可；录错的款项请用“冲正”更正。")
    if raw.startswith("+"):
        raw = raw[1:]
    if "," in raw:
        if not _GROUPED.match(raw):
            raise MoneyError(f"“{shown}”的千位分隔逗号位置不对，请直接写数字，如 1234.50。")
        raw = raw.replace(",", "")
    m = _AMOUNT.match(raw)
    if m is None or not (m.group(1) or m.group(2)):
        raise MoneyError(f"“{shown}”不是有效的{what}，请只写数字和小数点，如 12.30（单位：元）。")
    whole, cents = m.group(1) or "0", m.group(2) or ""
    if len(cents) > 2:
        raise MoneyError(f"{what}最多精确到分（小数点后两位），“{shown}”有 {len(cents)} 位小数，请核对。")
    if len(whole) > 15:
        raise MoneyError(f"{what}“{shown}”太大，请核对单位是不是元。")
    fen = int(whole) * FEN_PER_YUAN + int(cents.ljust(2, "0"))
    if fen > MAX_FEN:
        raise MoneyError(f"{what}“{shown}”太大，请核对单位是不是元。")
    if fen == 0 and not allow_zero:
        raise MoneyError(f"{what}必须大于 0。")
    return fen


def format_fen(fen: int, *, grouping: bool = True, unit: bool = False) -> str:
    """Show 分 as 元 with two decimals: 123450 → "1,234.50" (``unit`` adds " 元")."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"amounts are integer 分, got {type(fen).__name__}")
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    text = f"{sign}{whole:,}.{cents:02d}" if grouping else f"{sign}{whole}.{cents:02d}"
    return text + " 元" if unit else text


def percent_basis_points(percent: float) -> int:
    """A profile percentage (0–100, at most two decimals) as exact basis points (30 → 3000)."""
    text = f"{percent:.6f}".rstrip("0").rstrip(".")
    whole, _, decimals = text.partition(".")
    if len(decimals) > 2:
        raise ValueError(f"percentage {percent} has more than two decimals")
    return int(whole) * 100 + int(decimals.ljust(2, "0") or "0")


def format_basis_points(bp: int) -> str:
    """3000 → "30%", 1250 → "12.5%"."""
    whole, rest = divmod(bp, 100)
    return f"{whole}%" if rest == 0 else f"{whole}.{rest:02d}".rstrip("0") + "%"


def parse_percent(text: str, *, what: str = "比例") -> int:
    """A typed percentage ("30", "30%", "12.5") as basis points; at most two decimals, 0–100."""
    raw = unicodedata.normalize("NFKC", text or "").strip().rstrip("%").strip()
    m = _AMOUNT.match(raw)
    if not raw or m is None or not (m.group(1) or m.group(2)):
        raise MoneyError(f"请把{what}写成 0 到 100 之间的数，如 30 或 12.5（单位：%）。")
    whole, decimals = m.group(1) or "0", m.group(2) or ""
    if len(decimals) > 2:
        raise MoneyError(f"{what}最多保留两位小数。")
    bp = int(whole) * 100 + int(decimals.ljust(2, "0"))
    if bp > 10_000:
        raise MoneyError(f"{what}不能超过 100%。")
    return bp
