"""Phone numbers and bank accounts: the checks DOMAIN.md asks for (refuse vs. warn)."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Landline with area code: 0 + 2–3 digit area code, optional separator, 7–8 digit number,
# optional extension. 010-12345678, 0838-1234567, (028)12345678.
_LANDLINE = re.compile(r"^\(?0\d{2,3}\)?[-\s]?\d{7,8}(?:-\d{1,6})?$")


def normalise_phone(raw: str) -> str:
    return "".join(raw.split()).replace("－", "-").replace("（", "(").replace("）", ")")


def phone_problem(raw: str) -> str | None:
    """None when the phone is a mainland mobile or a landline with area code, else why not."""
    value = normalise_phone(raw)
    if not value:
        return "请填写联系电话。"
    if _MOBILE.match(value) or _LANDLINE.match(value):
        return None
    if value.isdigit() and value.startswith("1"):
        return f"手机号码应为以13–19开头的11位数字，现在是{len(value)}位，请核对。"
    return "联系电话应为11位手机号，或带区号的固定电话（如0838-1234567），请核对。"


def normalise_account(raw: str) -> str:
    return "".join(raw.split()).replace("-", "")


def bank_account_problem(raw: str) -> str | None:
    """A refusal reason (not 12–19 digits), or None."""
    value = normalise_account(raw)
    if not value:
        return "请填写个人银行账号。"
    if not value.isdigit():
        return "个人银行账号只能由数字组成，请去掉字母或符号。"
    if not 12 <= len(value) <= 19:
        return f"个人银行账号应为12–19位数字，现在是{len(value)}位，请核对存折或银行卡。"
    return None


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def bank_account_warning(raw: str) -> str | None:
    """A warning (never a refusal): the Luhn check fails, which some book accounts do."""
    value = normalise_account(raw)
    if bank_account_problem(value) is None and not luhn_ok(value):
        return "个人银行账号未通过银行卡校验（部分存折账号本就不校验），请与存折或银行卡逐位核对后再保存。"
    return None
