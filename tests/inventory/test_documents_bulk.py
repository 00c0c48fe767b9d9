"""Documents written many lines at a time: waste of several lots, a finished count sheet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from boh.core.errors import BohError
from boh.core.models import AuditEntry
from boh.inventory.documents import stocktakes, waste
from boh.inventory.documents.models import Stocktake, StocktakeExpected, WasteEntry
from boh.inventory.models import MoveKind, StockMove
from boh.inventory.services import MoveSpec, post_moves
from tests.conftest import World
from tests.inventory.test_documents_support import (  # noqa: F401
    Kitchen,
    english_fixture,
    kitchen_fixture,
    on_hand,
    row_counts,
)

D = Decimal


def test_given_several_lots_when_wasted_together_then_each_is_an_entry_of_one_batch(
    world: World, kitchen: Kitchen
) -> None:
    entries = waste.log_waste_lines(
        world.actor,
        location_id=world.kitchen.pk,
        lines=[
            {"item_id": kitchen.beer.pk, "quantity": "2", "unit": "bottle"},
            {"item_id": kitchen.beef.pk, "lot_id": kitchen.b2.pk, "quantity": "500"},
        ],
        reason="spoiled",
    )

    assert [(e.item_id, e.lot_id, e.quantity, e.value) for e in entries] == [
        (kitchen.beer.pk, None, D(1000), D("20.0000")),
        (kitchen.beef.pk, kitchen.b2.pk, D(500), D("46.2500")),
    ]
    assert len({e.batch for e in entries}) == 1
    moves = StockMove.objects.filter(kind=MoveKind.WASTE).order_by("id")
    assert [(m.source_line, m.quantity) for m in moves] == [
        (str(entries[0].pk), D(-1000)),
        (str(entries[1].pk), D(-500)),
    ]
    assert on_hand(world.kitchen, kitchen.beef, kitchen.b2) == D(4500)
    assert AuditEntry.objects.filter(object_type="inventory.wasteentry").count() == 2


def test_given_one_bad_line_when_wasting_together_then_it_is_named_and_nothing_is_written(
    world: World, kitchen: Kitchen
) -> None:
    before = row_counts()

    with pytest.raises(BohError) as refused:
        waste.log_waste_lines(
            world.actor,
            location_id=world.kitchen.pk,
            lines=[
                {"item_id": kitchen.beer.pk, "quantity": "2", "unit": "bottle"},
                {"item_id": kitchen.beef.pk, "quantity": "1", "unit": "barrel"},
            ],
            reason="spoiled",
        )

    assert [f.field for f in refused.value.fields] == ["lines[1].unit"]
    assert row_counts() == before
    assert WasteEntry.objects.count() == 0


def test_given_a_count_taken_yesterday_when_entered_today_then_yesterdays_stock_is_expected(
    world: World, kitchen: Kitchen
) -> None:
    store = world.store_a
    yesterday = timezone.now() - dt.timedelta(days=1)
    for at, quantity in ((yesterday - dt.timedelta(hours=2), "6000"), (timezone.now(), "4000")):
        post_moves(
            world.actor,
            [
                MoveSpec(
                    location_id=store.pk,
                    item_id=kitchen.beer.pk,
                    quantity=D(quantity),
                    kind=MoveKind.RECEIPT,
                    unit_cost=D("0.02"),
                    happened_at=at,
                )
            ],
            source_type="test",
            source_id=quantity,
        )

    count = stocktakes.start_stocktake(world.actor, location_id=store.pk, snapshot_at=yesterday)
    line = count.lines.get()
    stocktakes.set_counts(
        world.actor,
        count,
        counts=[{"line_id": line.pk, "entries": [{"quantity": "11", "unit": "bottle"}]}],
    )
    stocktakes.approve_stocktake(world.actor, count)
    posted = stocktakes.post_stocktake(world.actor, count)

    assert count.snapshot_at == yesterday
    assert StocktakeExpected.objects.get(stocktake=count).quantity == D(6000)
    adjustment = StockMove.objects.get(kind=MoveKind.COUNT_ADJUSTMENT)
    assert (adjustment.quantity, adjustment.happened_at) == (D(-500), yesterday)
    assert posted.status == Stocktake.Status.POSTED
    assert on_hand(store, kitchen.beer) == D(9500)


def test_given_a_count_time_in_the_future_when_starting_then_it_is_refused(
    world: World, kitchen: Kitchen
) -> None:
    with pytest.raises(BohError) as refused:
        stocktakes.start_stocktake(
            world.actor,
            location_id=world.store_a.pk,
            snapshot_at=timezone.now() + dt.timedelta(hours=1),
        )

    assert [(f.field, f.code) for f in refused.value.fields] == [("snapshot_at", "in_future")]
    assert Stocktake.objects.count() == 0


def test_given_a_bad_count_on_a_sheet_when_saving_it_then_it_is_named_and_nothing_is_saved(
    world: World, kitchen: Kitchen
) -> None:
    count = stocktakes.start_stocktake(world.actor, location_id=world.kitchen.pk)
    lines = list(count.lines.order_by("item_id"))

    with pytest.raises(BohError) as refused:
        stocktakes.set_counts(
            world.actor,
            count,
            counts=[
                {"line_id": lines[0].pk, "entries": [{"quantity": "1", "unit": "case"}]},
                {"line_id": lines[1].pk, "entries": [{"quantity": "1", "unit": "barrel"}]},
                {"line_id": 0, "entries": []},
            ],
        )

    assert [f.field for f in refused.value.fields] == [
        "counts[1].entries[0].unit",
        "counts[2].line_id",
    ]
    assert count.lines.filter(counted_quantity__isnull=False).count() == 0
