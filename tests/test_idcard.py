"""GB 11643 ID numbers: check digit, dates, lengths, derived gender and age."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.idcard import IdNumberError, age_on, check_digit, mask, parse_id_number

TODAY = date(2026, 11, 22)
# A published example number with check character X.
WITH_X = "11010519491231002X"


def test_valid_with_upper_and_lower_x() -> None:
    assert parse_id_number(WITH_X, TODAY).value == WITH_X
    lower = parse_id_number(WITH_X.lower(), TODAY)
    assert lower.value == WITH_X
    assert lower.gender == "女"
    assert lower.birth_date == date(1949, 12, 31)
    assert lower.region_code == "110105"


def test_spaces_are_ignored() -> None:
    assert parse_id_number(" 110105 19491231 002x ", TODAY).value == WITH_X


def test_wrong_check_digit() -> None:
    with pytest.raises(IdNumberError, match="校验位"):
        parse_id_number("110105194912310021", TODAY)


def test_impossible_date_19900230() -> None:
    first17 = "51092319900230123"
    with pytest.raises(IdNumberError, match=r"19900230.*不是真实日期"):
        parse_id_number(first17 + check_digit(first17), TODAY)


def test_future_birth_date() -> None:
    first17 = "51092320270101123"
    with pytest.raises(IdNumberError, match="晚于今天"):
        parse_id_number(first17 + check_digit(first17), TODAY)


def test_fifteen_digit_legacy_number_is_refused_with_reason() -> None:
    with pytest.raises(IdNumberError, match="15位旧版"):
        parse_id_number("510923850315123", TODAY)


@pytest.mark.parametrize("raw", ["51092319850315A23X", "5109231985031512XX", "X10923198503151234"])
def test_letters(raw: str) -> None:
    with pytest.raises(IdNumberError, match="只能是数字"):
        parse_id_number(raw, TODAY)


@pytest.mark.parametrize("raw,length", [("5109231985", 10), ("5109231985031512345", 19)])
def test_wrong_length(raw: str, length: int) -> None:
    with pytest.raises(IdNumberError, match=f"现在是{length}位"):
        parse_id_number(raw, TODAY)


def test_gender_from_digit_17() -> None:
    male17 = "51092319850315123"  # digit 17 = 3, odd
    female17 = "51092319850315124"
    assert parse_id_number(male17 + check_digit(male17), TODAY).gender == "男"
    assert parse_id_number(female17 + check_digit(female17), TODAY).gender == "女"


@pytest.mark.parametrize(
    "reference,expected",
    [
        (date(2008, 3, 14), 17),  # the day before the 18th birthday
        (date(2008, 3, 15), 18),  # the 18th birthday
        (date(2055, 3, 14), 64),
        (date(2055, 3, 15), 65),  # 65th birthday
        (date(2056, 3, 14), 65),  # last day aged 65
        (date(2056, 3, 15), 66),  # 66th birthday
    ],
)
def test_age_boundaries(reference: date, expected: int) -> None:
    assert age_on(date(1990, 3, 15), reference) == expected


def test_leap_day_birthday() -> None:
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_mask_first6_last4() -> None:
    assert mask("510923198503151234", 6, 4) == "510923********1234"
    assert mask("123", 6, 4) == "123"


def test_what_counts_as_the_start_of_an_id_number() -> None:
    from desktop.core.idcard import is_id_prefix

    assert all(is_id_prefix(t) for t in ("5", "5109", "51092319800101002X", "510923198001010021"))
    assert not any(is_id_prefix(t) for t in ("", "X", "张三", "5X1", "51 09", "x5"))
