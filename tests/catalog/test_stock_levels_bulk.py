"""Par levels of many items at a location in one call: checked as one by one, written at once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boh.catalog import services
from boh.catalog.models import Item, StockLevel
from boh.core.errors import BohError
from boh.core.models import AuditEntry, DomainEvent
from tests.conftest import World


def test_given_levels_in_packs_when_created_together_then_each_is_kept_in_base_units(
    world: World, wine: Item, flour: Item
) -> None:
    levels = services.create_stock_levels(
        world.actor,
        location_id=world.store_a.pk,
        levels=[
            {"item_id": wine.pk, "par": 2, "minimum": 1, "unit": "case", "count_order": 10},
            {"item_id": flour.pk, "par": "1.5", "unit": "bag", "count_order": 20},
        ],
    )

    assert [(lv.item_id, lv.par, lv.minimum, lv.count_order) for lv in levels] == [
        (wine.pk, Decimal(18000), Decimal(9000), 10),
        (flour.pk, Decimal(37500), Decimal(0), 20),
    ]
    assert StockLevel.objects.filter(location=world.store_a).count() == 2
    created = AuditEntry.objects.filter(object_type="catalog.stocklevel", action="create")
    assert created.count() == 2
    events = DomainEvent.objects.filter(name="catalog.stock_level_changed")
    assert sorted(e.payload["item_id"] for e in events) == sorted([wine.pk, flour.pk])


def test_given_one_bad_level_when_created_together_then_it_is_named_and_nothing_is_written(
    world: World, wine: Item, flour: Item
) -> None:
    services.create_stock_level(world.actor, location_id=world.store_a.pk, item_id=wine.pk, par=1)

    with pytest.raises(BohError) as refused:
        services.create_stock_levels(
            world.actor,
            location_id=world.store_a.pk,
            levels=[
                {"item_id": flour.pk, "par": 1, "minimum": 2},
                {"item_id": wine.pk, "par": 3},
                {"item_id": flour.pk, "par": 1, "unit": "barrel"},
            ],
        )

    assert [(f.field, f.code) for f in refused.value.fields] == [
        ("levels[0].minimum", "levels_out_of_order"),
        ("levels[1].item_id", "stock_level_exists"),
        ("levels[2].item_id", "stock_level_exists"),
    ]
    assert StockLevel.objects.filter(location=world.store_a).count() == 1
