"""Money as integer 分 (1/100 元): reading what a clerk types and showing amounts — never a float.

Amounts are stored, added and compared as ``int`` 分. Typed text is read digit by digit (no
``float()``, no ``Decimal`` rounding): "12.30" → 1230, "1,234.5" → 123450, "１２．３元" → 1230.
Anything that is not a plain non-negative amount with at most two decimals is refused with a
message that says what is wrong and how to write it.

大写金额 (Chinese capitals) follow the 《支付结算办法》 rules for amounts on vouchers: 壹拾 (never a
bare 拾), one 零 for any run of zeros inside the number, 零 between 元 and 分 when 角 is zero, 整
after an amount that ends at 元, nothing after 角 or 分.
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


def yuan_text(fen: int) -> str:
    """12345 → "123.45"; 30000 → "300.00" (for tables; always two decimals, thousands grouped)."""
    return format_fen(fen)


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")


def _group(value: int) -> str:
    """A 1–9999 group: 1005 → 壹仟零伍, 10 → 壹拾, 110 → 壹佰壹拾."""
    out = ""
    zero = False
    for position in range(3, -1, -1):
        digit = value // 10**position % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL_UNITS[position]
    return out


def _integer(yuan: int) -> str:
    groups: list[int] = []
    while yuan:
        yuan, rest = divmod(yuan, 10_000)
        groups.append(rest)
    if len(groups) > len(_GROUP_UNITS):
        raise ValueError("金额太大")
    out = ""
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or value < 1000):
            out += "零"
        out += _group(value) + _GROUP_UNITS[index]
        pending_zero = False
    return out


def amount_in_chinese_capitals(fen: int) -> str:
    """30000 → "叁佰元整"; 168032 → "壹仟陆佰捌拾元叁角贰分"; 32504 → "叁佰贰拾伍元零肆分";
    0 → "零元整". Negative amounts are refused (a roster never pays less than nothing)."""
    if fen < 0:
        raise ValueError("金额不能为负数")
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    head = _integer(yuan)
    if not cents:
        return (head or "零") + "元整"
    out = head + "元" if head else ""
    if jiao:
        out += _DIGITS[jiao] + "角"
    if fen_digit:
        if not jiao and head:
            out += "零"
        out += _DIGITS[fen_digit] + "分"
    return out
