"""Money as integers of 分 (1/100 元): figures for print, and 大写金额 (Chinese capitals).

The capitals follow the 《支付结算办法》 rules for amounts on vouchers: 壹拾 (never a bare 拾),
one 零 for any run of zeros inside the number, 零 between 元 and 分 when 角 is zero, 整 after
an amount that ends at 元, nothing after 角 or 分.
"""

from __future__ import annotations

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")


def yuan_text(fen: int) -> str:
    """12345 → "123.45"; 30000 → "300.00" (for tables; always two decimals)."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


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
