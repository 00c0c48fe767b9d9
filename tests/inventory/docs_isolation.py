"""Inventory documents for the tenant-isolation walk: a transfer, a waste entry, a stocktake."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from boh.catalog import services as catalog
from boh.catalog.models import Item
from boh.inventory.documents import stocktakes, transfers, waste
from boh.inventory.documents.models import StocktakeLine
from boh.inventory.models import MoveKind
from boh.inventory.services import MoveSpec, post_moves
from tests.isolation import foreign

if TYPE_CHECKING:
    from tests.conftest import World


def _stocked_item(world: World) -> Item:
    """An item with stock at store A, made once per world."""
    found = Item.objects.filter(organization=world.org, code="ISO-DOCS").first()
    if found is not None:
        return found
    item = catalog.create_item(world.actor, code="ISO-DOCS", name="隔离测试", base_unit="g")
    post_moves(
        world.actor,
        [
            MoveSpec(
                location_id=world.store_a.pk,
                item_id=item.pk,
                quantity=Decimal(1000),
                kind=MoveKind.RECEIPT,
                unit_cost=Decimal(1),
            )
        ],
        source_type="test",
        source_id="isolation",
    )
    return item


@foreign("transfer_id")
def _transfer(world: World) -> int:
    item = _stocked_item(world)
    return transfers.create_transfer(
        world.actor,
        from_location_id=world.store_a.pk,
        to_location_id=world.store_b.pk,
        lines=[{"item_id": item.pk, "quantity": "10"}],
    ).pk


@foreign("waste_id")
def _waste(world: World) -> int:
    item = _stocked_item(world)
    return waste.log_waste(
        world.actor,
        location_id=world.store_a.pk,
        item_id=item.pk,
        quantity="1",
        reason="dropped",
    ).pk


def _stocktake_line(world: World) -> StocktakeLine:
    _stocked_item(world)
    line = StocktakeLine.objects.filter(stocktake__organization=world.org).first()
    if line is None:
        started = stocktakes.start_stocktake(world.actor, location_id=world.store_a.pk)
        line = StocktakeLine.objects.filter(stocktake=started).order_by("id").first()
    assert line is not None
    return line


@foreign("stocktake_id")
def _stocktake(world: World) -> int:
    return _stocktake_line(world).stocktake_id


@foreign("line_id")
def _line(world: World) -> int:
    return _stocktake_line(world).pk
