"""Storage areas in walking order and par/min/max levels at a location."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boh.catalog import services
from boh.catalog.models import Item, StockLevel, StorageArea
from boh.core.errors import BohError
from boh.core.models import DomainEvent
from tests.conftest import World


def _fields(error: BohError) -> list[tuple[str, str]]:
    return [(f.field, f.code) for f in error.fields]


def _walk(world: World) -> list[str]:
    return list(
        StorageArea.objects.filter(location=world.store_a)
        .order_by("sort_order")
        .values_list("code", flat=True)
    )


def test_given_areas_added_in_turn_when_listed_then_they_follow_in_walking_order(
    world: World,
) -> None:
    for code in ("COOL", "FREEZE", "DRY"):
        services.create_storage_area(
            world.actor, location_id=world.store_a.pk, code=code, name=code
        )

    assert _walk(world) == ["COOL", "FREEZE", "DRY"]
    assert list(
        StorageArea.objects.filter(location=world.store_a)
        .order_by("sort_order")
        .values_list("sort_order", flat=True)
    ) == [0, 10, 20]


def test_given_three_areas_when_reordered_then_the_walk_follows_the_list(world: World) -> None:
    areas = [
        services.create_storage_area(world.actor, location_id=world.store_a.pk, code=c, name=c)
        for c in ("COOL", "FREEZE", "DRY")
    ]

    services.reorder_storage_areas(
        world.actor, location_id=world.store_a.pk, area_ids=[areas[2].pk, areas[0].pk, areas[1].pk]
    )

    assert _walk(world) == ["DRY", "COOL", "FREEZE"]


def test_given_an_incomplete_list_when_reordering_then_refused_and_the_walk_stays(
    world: World,
) -> None:
    areas = [
        services.create_storage_area(world.actor, location_id=world.store_a.pk, code=c, name=c)
        for c in ("COOL", "DRY")
    ]
    elsewhere = services.create_storage_area(
        world.actor, location_id=world.store_b.pk, code="COOL", name="冷库"
    )

    for ids in (
        [areas[1].pk],
        [areas[1].pk, elsewhere.pk],
        [areas[1].pk, areas[1].pk, areas[0].pk],
    ):
        with pytest.raises(BohError) as refused:
            services.reorder_storage_areas(world.actor, location_id=world.store_a.pk, area_ids=ids)
        assert _fields(refused.value) == [("area_ids", "reorder_mismatch")]
    assert _walk(world) == ["COOL", "DRY"]


def test_given_a_duplicate_area_code_at_one_location_when_added_then_409(world: World) -> None:
    services.create_storage_area(
        world.actor, location_id=world.store_a.pk, code="COOL", name="冷库"
    )

    with pytest.raises(BohError) as refused:
        services.create_storage_area(
            world.actor, location_id=world.store_a.pk, code="cool", name="冷库2"
        )

    assert (refused.value.status, _fields(refused.value)) == (409, [("code", "duplicate_code")])


def test_given_a_stock_admin_of_one_store_when_setting_areas_then_only_there(world: World) -> None:
    ops = world.actor_for(world.user("operations", location_id=world.store_a.pk))
    manager = world.actor_for(world.user("store_manager", location_id=world.store_a.pk))

    services.create_storage_area(ops, location_id=world.store_a.pk, code="COOL", name="冷库")
    with pytest.raises(BohError) as elsewhere:
        services.create_storage_area(ops, location_id=world.store_b.pk, code="COOL", name="冷库")
    with pytest.raises(BohError) as not_admin:
        services.create_storage_area(manager, location_id=world.store_a.pk, code="DRY", name="干货")

    assert (elsewhere.value.status, not_admin.value.status) == (403, 403)
    assert _walk(world) == ["COOL"]


def test_given_a_location_of_another_organization_when_adding_an_area_then_no_such_location(
    world: World, other_world: World
) -> None:
    with pytest.raises(BohError) as refused:
        services.create_storage_area(
            world.actor, location_id=other_world.store_a.pk, code="COOL", name="冷库"
        )

    assert _fields(refused.value) == [("location_id", "not_found")]
    assert not StorageArea.objects.exists()


def test_given_levels_in_cases_when_set_then_stored_in_ml_and_announced(
    world: World, wine: Item
) -> None:
    area = services.create_storage_area(
        world.actor, location_id=world.store_a.pk, code="BAR", name="吧台"
    )

    level = services.create_stock_level(
        world.actor,
        location_id=world.store_a.pk,
        item_id=wine.pk,
        par=Decimal("2.5"),
        minimum=1,
        maximum=4,
        unit="case",
        storage_area_id=area.pk,
    )

    level.refresh_from_db()
    assert (level.minimum, level.par, level.maximum) == (
        Decimal("9000.000"),
        Decimal("22500.000"),
        Decimal("36000.000"),
    )
    assert level.storage_area_id == area.pk
    event = DomainEvent.objects.get(name="catalog.stock_level_changed")
    assert event.payload["par"] == "22500.000"


def test_given_min_above_par_or_par_above_max_when_set_then_refused_naming_fields(
    world: World, wine: Item
) -> None:
    with pytest.raises(BohError) as refused:
        services.create_stock_level(
            world.actor,
            location_id=world.store_a.pk,
            item_id=wine.pk,
            par=10,
            minimum=11,
            maximum=9,
        )

    assert _fields(refused.value) == [
        ("minimum", "levels_out_of_order"),
        ("maximum", "levels_out_of_order"),
    ]
    assert not StockLevel.objects.exists()


def test_given_bad_quantities_and_units_when_set_then_each_field_is_named(
    world: World, wine: Item
) -> None:
    with pytest.raises(BohError) as bad_unit:
        services.create_stock_level(
            world.actor, location_id=world.store_a.pk, item_id=wine.pk, par=1, unit="kg"
        )
    with pytest.raises(BohError) as bad_numbers:
        services.create_stock_level(
            world.actor, location_id=world.store_a.pk, item_id=wine.pk, par="-1", minimum="abc"
        )

    assert _fields(bad_unit.value) == [("unit", "unit_dimension_mismatch")]
    assert _fields(bad_numbers.value) == [("par", "too_small"), ("minimum", "invalid_number")]
    assert not StockLevel.objects.exists()


def test_given_a_level_when_the_same_item_is_set_again_at_the_location_then_409(
    world: World, wine: Item
) -> None:
    services.create_stock_level(world.actor, location_id=world.store_a.pk, item_id=wine.pk, par=1)

    with pytest.raises(BohError) as refused:
        services.create_stock_level(
            world.actor, location_id=world.store_a.pk, item_id=wine.pk, par=2
        )

    assert (refused.value.status, refused.value.code) == (409, "stock_level_exists")


def test_given_a_level_when_par_is_raised_in_bottles_then_checked_against_the_stored_max(
    world: World, wine: Item
) -> None:
    level = services.create_stock_level(
        world.actor, location_id=world.store_a.pk, item_id=wine.pk, par=6, maximum=12, unit="bottle"
    )

    services.update_stock_level(world.actor, level, par=10, unit="bottle")
    with pytest.raises(BohError) as refused:
        services.update_stock_level(world.actor, level, par=13, unit="bottle")

    level.refresh_from_db()
    assert (level.par, level.maximum) == (Decimal("7500.000"), Decimal("9000.000"))
    assert _fields(refused.value) == [("maximum", "levels_out_of_order")]


def test_given_an_area_of_another_location_when_set_on_a_level_then_refused(
    world: World, wine: Item
) -> None:
    area_b = services.create_storage_area(
        world.actor, location_id=world.store_b.pk, code="COOL", name="冷库"
    )

    with pytest.raises(BohError) as refused:
        services.create_stock_level(
            world.actor,
            location_id=world.store_a.pk,
            item_id=wine.pk,
            par=1,
            storage_area_id=area_b.pk,
        )

    assert _fields(refused.value) == [("storage_area_id", "wrong_location")]
