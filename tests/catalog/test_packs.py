"""Packs: exact sizes from standard units or other packs, refused when they make no sense."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boh.catalog import services
from boh.catalog.models import Item, Pack
from boh.core.errors import BohError
from boh.core.models import AuditEntry
from tests.conftest import World


def _fields(error: BohError) -> list[tuple[str, str]]:
    return [(f.field, f.code) for f in error.fields]


def test_given_a_bag_of_25_kg_when_defined_then_it_is_25000_g(flour: Item) -> None:
    bag = flour.packs.get(code="bag")

    assert bag.factor == Decimal("25000")
    assert (bag.inner_pack_id, bag.inner_count) == (None, None)


def test_given_a_tray_of_30_eggs_and_a_case_of_12_trays_when_defined_then_360_each(
    world: World,
) -> None:
    eggs = services.create_item(world.actor, code="EGG01", name="鸡蛋", base_unit="each")
    tray = services.create_pack(world.actor, eggs, code="tray", name="托", quantity=30, unit="each")

    case = services.create_pack(world.actor, eggs, code="case", name="箱", quantity=12, unit="TRAY")

    assert case.factor == Decimal("360")
    assert (case.inner_pack_id, case.inner_count) == (tray.pk, Decimal(12))


@pytest.mark.parametrize(
    ("quantity", "unit", "expected"),
    [
        (0, "bottle", [("quantity", "not_positive")]),
        (-2, "ml", [("quantity", "not_positive")]),
        ("1.0000001", "ml", [("quantity", "too_precise")]),
        (1, "crate", [("unit", "unknown_unit")]),
        (1, "kg", [("unit", "unit_dimension_mismatch")]),
        (10**13, "l", [("quantity", "pack_too_precise")]),
    ],
)
def test_given_a_senseless_size_when_defining_a_pack_then_refused_naming_the_field(
    quantity: object, unit: str, expected: list[tuple[str, str]], wine: Item, world: World
) -> None:
    with pytest.raises(BohError) as refused:
        services.create_pack(
            world.actor, wine, code="magnum", name="大瓶", quantity=quantity, unit=unit
        )

    assert _fields(refused.value) == expected
    assert not wine.packs.filter(code="magnum").exists()


def test_given_a_pack_code_that_is_a_standard_unit_when_defining_then_refused(
    wine: Item, world: World
) -> None:
    with pytest.raises(BohError) as refused:
        services.create_pack(world.actor, wine, code="L", name="升", quantity=1000, unit="ml")

    assert _fields(refused.value) == [("code", "reserved_unit_name")]


def test_given_an_existing_pack_code_when_defining_another_then_409(
    wine: Item, world: World
) -> None:
    with pytest.raises(BohError) as refused:
        services.create_pack(world.actor, wine, code="Bottle", name="瓶", quantity=500, unit="ml")

    assert (refused.value.status, _fields(refused.value)) == (409, [("code", "duplicate_code")])
    assert wine.packs.count() == 2


def test_given_case_of_bottles_when_the_bottle_is_made_of_cases_then_refused_as_a_cycle(
    wine: Item, world: World
) -> None:
    bottle = wine.packs.get(code="bottle")

    with pytest.raises(BohError) as refused:
        services.update_pack(world.actor, bottle, quantity=Decimal("0.5"), unit="case")
    with pytest.raises(BohError) as itself:
        services.update_pack(world.actor, bottle, quantity=1, unit="bottle")

    assert _fields(refused.value) == [("unit", "pack_cycle")]
    assert _fields(itself.value) == [("unit", "pack_cycle")]
    bottle.refresh_from_db()
    assert bottle.factor == Decimal("750")


def test_given_a_case_of_bottles_when_the_bottle_shrinks_then_the_case_follows_and_is_audited(
    wine: Item, world: World
) -> None:
    bottle = wine.packs.get(code="bottle")

    services.update_pack(world.actor, bottle, quantity=700)

    case = wine.packs.get(code="case")
    assert (wine.packs.get(code="bottle").factor, case.factor) == (Decimal("700"), Decimal("8400"))
    entry = AuditEntry.objects.get(
        object_type="catalog.pack", object_id=str(case.pk), verb="resized_with_inner_pack"
    )
    assert entry.changes == {"factor": ["9000.000000", "8400.000000"]}


def test_given_a_bottle_that_a_case_is_built_on_when_deleted_then_409(
    wine: Item, world: World
) -> None:
    with pytest.raises(BohError) as refused:
        services.delete_pack(world.actor, wine.packs.get(code="bottle"))

    assert (refused.value.status, refused.value.code) == (409, "pack_in_use")
    assert wine.packs.count() == 2


def test_given_a_case_with_its_own_gtin_when_the_case_is_deleted_then_its_barcode_goes_too(
    wine: Item, world: World
) -> None:
    case = wine.packs.get(code="case")
    services.add_barcode(world.actor, wine, code="10012345678902", pack_id=case.pk)

    services.delete_pack(world.actor, case)

    assert list(wine.packs.values_list("code", flat=True)) == ["bottle"]
    assert not wine.barcodes.exists()
    assert not Pack.objects.filter(pk=case.pk).exists()
