"""The API's JSON parser keeps numbers exact and refuses text no database can store."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import RequestFactory

from boh.core.errors import BohError
from boh.core.http import StrictJsonParser, field_name


def _parse(raw: str) -> object:
    request = RequestFactory().post("/api/v1/x", data=raw, content_type="application/json")
    return StrictJsonParser().parse_body(request)


def test_given_numbers_a_float_cannot_hold_then_they_stay_exact_decimals() -> None:
    parsed = _parse('{"qty": 123456789012345.123, "price": 0.1, "huge": 1e400, "n": 7}')

    assert parsed == {
        "qty": Decimal("123456789012345.123"),
        "price": 0.1,
        "huge": Decimal("1E+400"),
        "n": 7,
    }
    assert isinstance(parsed["price"], float)  # type: ignore[index]


def test_given_nul_bytes_and_lone_surrogates_then_every_path_is_named() -> None:
    with pytest.raises(BohError) as refused:
        _parse('{"name": "a\\u0000", "lines": [{"note": "ok"}, {"note": "\\ud83d"}]}')

    assert refused.value.code == "invalid_text"
    assert [f.field for f in refused.value.fields] == ["name", "lines.1.note"]


def test_given_a_paired_surrogate_escape_then_the_emoji_is_accepted() -> None:
    assert _parse('{"name": "\\ud83c\\udf72 火锅"}') == {"name": "🍲 火锅"}


@pytest.mark.parametrize(
    ("loc", "name"),
    [
        (("body", "payload", "code"), "code"),
        (("body", "payload", "lines", 0, "item_id"), "lines.0.item_id"),
        (("body", "payload"), "body"),
        (("query", "page_size"), "page_size"),
        (("path", "region_id"), "region_id"),
    ],
)
def test_pydantic_error_locations_become_the_clients_field_names(
    loc: tuple[object, ...], name: str
) -> None:
    assert field_name(loc) == name
