"""Exact conversions between an item's units, and mixed quantities for counting sheets."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from boh.catalog import services
from boh.catalog.models import Item
from boh.catalog.units import (
    convert_quantity,
    describe_quantity,
    from_base,
    pack_map,
    parse_mixed_quantity,
    to_base,
    unit_factor,
)
from boh.core.errors import BohError
from tests.conftest import World


def test_given_a_750_ml_bottle_when_125_ml_is_converted_then_it_is_one_sixth_both_ways(
    wine: Item,
) -> None:
    conversion = convert_quantity(wine, Decimal(125), "ml", "bottle")

    assert conversion.exact == Fraction(1, 6)
    assert conversion.result == Decimal("0.167")
    assert conversion.fraction == "1/6"
    assert conversion.text == "0.167 bottle (1/6)"
    assert conversion.base_quantity == Decimal("125.000")
    sixth = from_base(wine, Decimal(125), "bottle")
    assert to_base(wine, sixth, "bottle") == Decimal("125.000")
    assert str(to_base(wine, sixth, "bottle")) == "125.000"


def test_given_a_case_of_12_bottles_when_sized_then_it_holds_9000_ml(wine: Item) -> None:
    packs = pack_map(wine)

    assert packs["case"].factor == Decimal("9000")
    assert packs["case"].inner_pack_id == packs["bottle"].pk
    assert packs["case"].inner_count == Decimal(12)
    assert to_base(wine, Decimal(2), "case") == Decimal("18000.000")
    assert convert_quantity(wine, Decimal(1), "case", "l").result == Decimal("9.000")


def test_given_jin_and_liang_when_converted_then_500_and_50_grams(flour: Item) -> None:
    assert to_base(flour, Decimal("1.5"), "斤") == Decimal("750.000")
    assert to_base(flour, Decimal(3), "两") == Decimal("150.000")
    assert to_base(flour, Decimal(1), "jin") == Decimal("500.000")
    assert to_base(flour, Decimal(2), "kg") == Decimal("2000.000")
    assert convert_quantity(flour, Decimal(1), "bag", "jin").result == Decimal("50.000")
    assert convert_quantity(flour, Decimal(1), "liang", "jin").exact == Fraction(1, 10)


def test_given_wine_in_ml_when_grams_are_converted_to_bottles_then_refused_naming_item_and_units(
    wine: Item,
) -> None:
    with pytest.raises(BohError) as refused:
        convert_quantity(wine, Decimal(100), "g", "bottle")

    assert refused.value.code == "unit_dimension_mismatch"
    assert refused.value.fields[0].field == "from_unit"
    assert str(refused.value.message) == (
        "红酒 is kept in ml; g cannot be converted without a pack that defines it."
    )


def test_given_flour_without_bottles_when_bottles_are_asked_for_then_unknown_unit_names_both(
    flour: Item,
) -> None:
    with pytest.raises(BohError) as refused:
        unit_factor(flour, "bottle")

    assert refused.value.code == "unknown_unit"
    assert str(refused.value.message) == "面粉 has no unit or pack called 'bottle'."


def test_given_case_and_bottle_when_9780_ml_is_described_then_mixed_units(wine: Item) -> None:
    packs = list(wine.packs.all())

    assert describe_quantity(wine, Decimal("9780"), packs) == "1 case + 1 bottle + 30 ml"
    assert describe_quantity(wine, Decimal("21750"), packs) == "2 case + 5 bottle"
    assert describe_quantity(wine, Decimal("21750"), packs, names=True) == "2 箱 + 5 瓶"
    assert describe_quantity(wine, Decimal("125"), packs) == "125 ml"
    assert describe_quantity(wine, Decimal("0"), packs) == "0 ml"
    assert describe_quantity(wine, Decimal("-750"), packs) == "-1 bottle"
    assert describe_quantity(wine, Decimal("-9750"), packs) == "-(1 case + 1 bottle)"


def test_given_2_cases_and_5_bottles_when_parsed_then_21750_ml(wine: Item) -> None:
    total = parse_mixed_quantity(wine, [(2, "case"), ("5", "bottle"), (Decimal("0.5"), "l")])

    assert total == Decimal("22250.000")


def test_given_bad_parts_when_a_mixed_quantity_is_parsed_then_every_bad_part_is_named(
    wine: Item,
) -> None:
    with pytest.raises(BohError) as refused:
        parse_mixed_quantity(wine, [(2, "case"), (-1, "bottle"), (3, "kg"), (1, "crate")])

    assert [(f.field, f.code) for f in refused.value.fields] == [
        ("quantities.1.quantity", "too_small"),
        ("quantities.2.unit", "unit_dimension_mismatch"),
        ("quantities.3.unit", "unknown_unit"),
    ]


def test_given_eggs_by_the_tray_when_counted_then_each(world: World) -> None:
    eggs = services.create_item(world.actor, code="EGG01", name="鸡蛋", base_unit="each")
    services.create_pack(world.actor, eggs, code="tray", name="托", quantity=30, unit="each")

    assert parse_mixed_quantity(eggs, [(3, "tray"), (7, "each")]) == Decimal("97.000")
    assert describe_quantity(eggs, Decimal(97), list(eggs.packs.all())) == "3 tray + 7 each"
