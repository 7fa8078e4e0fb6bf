"""Money as integer 分: typed amounts, display, percentages — never a float."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.money import (
    MoneyError,
    format_basis_points,
    format_fen,
    parse_percent,
    parse_yuan,
    percent_basis_points,
    yuan_to_fen,
)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("12.30", 1230),
        ("12.3", 1230),
        ("12", 1200),
        ("0.01", 1),
        (".5", 50),
        ("12.", 1200),
        ("1,234.50", 123450),
        ("12,345,678", 1234567800),
        ("１２．３０", 1230),  # full-width digits from a Chinese input method
        ("¥12.30", 1230),
        ("￥ 12.30 元", 1230),
        ("  300元 ", 30000),
        ("+8", 800),
    ],
)
def test_parse_accepts_what_clerks_type(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen
    assert isinstance(parse_yuan(text), int)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "请填写金额"),
        ("   ", "请填写金额"),
        ("12.345", "最多精确到分"),
        ("-5", "不能是负数"),
        ("abc", "不是有效的金额"),
        ("12.3.4", "不是有效的金额"),
        ("1e3", "不是有效的金额"),
        ("12,34.5", "千位分隔"),
        ("0", "必须大于 0"),
        ("0.00", "必须大于 0"),
        ("9" * 16, "太大"),
        (".", "不是有效的金额"),
    ],
)
def test_parse_refuses_with_a_plain_message(text: str, says: str) -> None:
    with pytest.raises(MoneyError) as err:
        parse_yuan(text)
    assert says in str(err.value)


def test_parse_names_the_field_and_may_allow_zero() -> None:
    with pytest.raises(MoneyError, match="请填写收回金额"):
        parse_yuan("", what="收回金额")
    assert parse_yuan("0", allow_zero=True) == 0


def test_format() -> None:
    assert format_fen(123450) == "1,234.50"
    assert format_fen(5) == "0.05"
    assert format_fen(-120000) == "-1,200.00"
    assert format_fen(123450, grouping=False) == "1234.50"
    assert format_fen(100, unit=True) == "1.00 元"
    with pytest.raises(TypeError):
        format_fen(1.5)  # type: ignore[arg-type]
    assert yuan_to_fen(300) == 30000


def test_percentages_are_exact_basis_points() -> None:
    assert [percent_basis_points(x) for x in (30, 30.0, 12.5, 33.33, 0, 100)] == [3000, 3000, 1250, 3333, 0, 10000]
    with pytest.raises(ValueError):
        percent_basis_points(33.333)
    assert [format_basis_points(b) for b in (3000, 1250, 3333)] == ["30%", "12.5%", "33.33%"]


@given(st.integers(min_value=1, max_value=10**14))
def test_format_then_parse_round_trips(fen: int) -> None:
    assert parse_yuan(format_fen(fen)) == fen
    assert parse_yuan(format_fen(fen, grouping=False)) == fen


def test_typed_percentages() -> None:
    assert [parse_percent(t) for t in ("30", "30%", "12.5", "０", "100")] == [3000, 3000, 1250, 0, 10000]
    for bad, says in (("", "0 到 100"), ("abc", "0 到 100"), ("12.345", "两位小数"), ("101", "不能超过")):
        with pytest.raises(MoneyError, match=says):
            parse_percent(bad)
