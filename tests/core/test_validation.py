"""The Checker collects every field error of a request before refusing it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boh.core.errors import BohError
from boh.core.validation import Checker


def test_given_several_bad_fields_then_one_error_names_them_all() -> None:
    check = Checker()
    check.code("code", "bad code")
    check.integer("hour", 13, minimum=0, maximum=12)
    check.time_zone("tz", "Asia/Shanghai")

    with pytest.raises(BohError) as refused:
        check.raise_if_any()

    assert refused.value.code == "invalid"
    assert refused.value.status == 400
    assert [(f.field, f.code) for f in refused.value.fields] == [
        ("code", "invalid_code"),
        ("hour", "out_of_range"),
    ]


@pytest.mark.parametrize(
    ("value", "places", "code"),
    [
        ("1.2345", 3, "too_precise"),
        ("NaN", 3, "invalid_number"),
        ("Infinity", 3, "invalid_number"),
        ("abc", 3, "invalid_number"),
        (True, 3, "invalid_number"),
        ("0", 3, "not_positive"),
        ("1e15", 3, "too_large"),
        ("-1000000000000000", 3, "too_large"),
        ("1e30", 2, "too_large"),
        ("123456789012345678901234567890.1234", 3, "too_large"),
        ("1.0000000000000000000000000000000001", 3, "too_precise"),
    ],
)
def test_given_a_bad_decimal_then_its_code(value: object, places: int, code: str) -> None:
    check = Checker()

    check.decimal("qty", value, places=places, positive=True)

    assert [(e.field, e.code) for e in check.errors] == [("qty", code)]


def test_given_good_decimals_then_exact_values_without_float_rounding() -> None:
    check = Checker()

    values = [
        check.decimal("a", "1.500", places=3),
        check.decimal("b", 0.1, places=3),
        check.decimal("c", 12, places=3),
    ]

    assert check.errors == []
    assert values == [Decimal("1.500"), Decimal("0.1"), Decimal(12)]


@pytest.mark.parametrize("value", [True, 1.0, "3", None])
def test_given_a_non_integer_then_invalid_integer(value: object) -> None:
    check = Checker()

    check.integer("n", value, minimum=0, maximum=10)

    assert [e.code for e in check.errors] == ["invalid_integer"]


def test_given_the_largest_numbers_each_column_holds_then_they_pass() -> None:
    check = Checker()

    values = [
        check.decimal("qty", "999999999999999.999", places=3),
        check.decimal("cost", "99999999999999.999999", places=6),
        check.decimal("money", "-9999999999999999.99", places=2),
        check.decimal("custom", "99.9", places=1, digits=3),
    ]

    assert check.errors == []
    assert values[0] == Decimal("999999999999999.999")
