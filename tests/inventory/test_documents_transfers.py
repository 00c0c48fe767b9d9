"""Transfers: each step posts exact moves; lots travel; short, over and damaged receipts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boh.core.errors import BohError
from boh.inventory.documents import selectors, transfers
from boh.inventory.documents.models import Transfer
from boh.inventory.models import MoveKind
from tests.conftest import World
from tests.inventory.test_documents_support import (  # noqa: F401
    Kitchen,
    english_fixture,
    kitchen_fixture,
    moves_of,
    on_hand,
    row_counts,
)

D = Decimal


def _beef_transfer(world: World, kitchen: Kitchen, grams: str = "4000") -> Transfer:
    transfer = transfers.create_transfer(
        world.actor,
        from_location_id=world.kitchen.pk,
        to_location_id=world.store_a.pk,
        lines=[{"item_id": kitchen.beef.pk, "quantity": grams, "unit": "g"}],
    )
    return transfers.approve_transfer(world.actor, transfer)


def test_given_two_lots_when_shipping_then_transfer_out_moves_split_fefo_at_current_cost(
    world: World, kitchen: Kitchen
) -> None:
    transfer = _beef_transfer(world, kitchen)

    transfers.ship_transfer(world.actor, transfer)

    assert moves_of("transfer", transfer.pk) == [
        (MoveKind.TRANSFER_OUT, world.kitchen.pk, kitchen.b1.pk, "-3000.000", "-277.5000"),
        (MoveKind.TRANSFER_OUT, world.kitchen.pk, kitchen.b2.pk, "-1000.000", "-92.5000"),
    ]
    line = transfer.lines.get()
    assert line.shipped_quantity == D("4000")
    assert [(s.lot_id, s.quantity, s.unit_cost, s.value) for s in line.shipments.all()] == [
        (kitchen.b1.pk, D("3000"), D("0.0925"), D("277.5")),
        (kitchen.b2.pk, D("1000"), D("0.0925"), D("92.5")),
    ]
    assert on_hand(world.kitchen, kitchen.beef, kitchen.b1) == D(0)
    assert on_hand(world.kitchen, kitchen.beef, kitchen.b2) == D("4000")
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.SHIPPED


def test_given_a_shipped_transfer_then_the_stock_is_in_transit_for_both_ends_only(
    world: World, kitchen: Kitchen
) -> None:
    transfer = _beef_transfer(world, kitchen)
    transfers.ship_transfer(world.actor, transfer)

    rows = selectors.in_transit(world.actor)

    assert [(r.transfer_id, r.lot_id, r.quantity, r.value, r.state) for r in rows] == [
        (transfer.pk, kitchen.b1.pk, D("3000"), D("277.5"), "shipped"),
        (transfer.pk, kitchen.b2.pk, D("1000"), D("92.5"), "shipped"),
    ]
    assert len(selectors.in_transit(world.actor, location_id=world.store_a.pk)) == 2
    assert selectors.in_transit(world.actor, location_id=world.store_b.pk) == []
    outsider = world.actor_for(world.user("store_manager", location_id=world.store_b.pk))
    assert selectors.in_transit(outsider) == []


def test_given_a_full_receipt_then_the_same_lots_arrive_at_the_shipped_cost(
    world: World, kitchen: Kitchen
) -> None:
    transfer = _beef_transfer(world, kitchen)
    transfers.ship_transfer(world.actor, transfer)

    transfers.receive_transfer(world.actor, transfer)

    assert moves_of("transfer", transfer.pk)[2:] == [
        (MoveKind.TRANSFER_IN, world.store_a.pk, kitchen.b1.pk, "3000.000", "277.5000"),
        (MoveKind.TRANSFER_IN, world.store_a.pk, kitchen.b2.pk, "1000.000", "92.5000"),
    ]
    received = Transfer.objects.get(pk=transfer.pk)
    assert (received.status, received.discrepancy) == ("received", "none")
    assert selectors.in_transit(world.actor) == []


def test_given_short_and_damaged_goods_when_receiving_then_damage_is_wasted_and_short_stays_open(
    world: World, kitchen: Kitchen
) -> None:
    transfer = _beef_transfer(world, kitchen)
    transfers.ship_transfer(world.actor, transfer)
    line = transfer.lines.get()

    transfers.receive_transfer(
        world.actor,
        transfer,
        lines=[
            {
                "line_id": line.pk,
                "received_quantity": "3.5",
                "damaged_quantity": "0.3",
                "unit": "kg",
            }
        ],
    )

    # 3,800 g arrived: all of B1 (300 g of it damaged) and 800 g of B2; 200 g of B2 missing.
    assert moves_of("transfer", transfer.pk)[2:] == [
        (MoveKind.TRANSFER_IN, world.store_a.pk, kitchen.b1.pk, "3000.000", "277.5000"),
        (MoveKind.WASTE, world.store_a.pk, kitchen.b1.pk, "-300.000", "-27.7500"),
        (MoveKind.TRANSFER_IN, world.store_a.pk, kitchen.b2.pk, "800.000", "74.0000"),
    ]
    line.refresh_from_db()
    assert (
        line.received_quantity,
        line.damaged_quantity,
        line.short_quantity,
        line.over_quantity,
    ) == (
        D("3500"),
        D("300"),
        D("200"),
        D("0"),
    )
    assert on_hand(world.store_a, kitchen.beef, kitchen.b1) == D("2700")
    assert on_hand(world.store_a, kitchen.beef, kitchen.b2) == D("800")
    assert Transfer.objects.get(pk=transfer.pk).discrepancy == Transfer.Discrepancy.OPEN
    assert [
        (r.lot_id, r.quantity, r.value, r.state) for r in selectors.in_transit(world.actor)
    ] == [(kitchen.b2.pk, D("200"), D("18.5"), "short")]


def test_given_an_open_shortfall_when_written_off_then_the_sender_books_it_as_waste(
    world: World, kitchen: Kitchen
) -> None:
    transfer = _beef_transfer(world, kitchen)
    transfers.ship_transfer(world.actor, transfer)
    line = transfer.lines.get()
    transfers.receive_transfer(
        world.actor, transfer, lines=[{"line_id": line.pk, "received_quantity": "3800"}]
    )

    transfers.resolve_transfer(world.actor, transfer, resolution="written_off", note="truck")

    assert moves_of("transfer", transfer.pk)[4:] == [
        (MoveKind.TRANSFER_IN, world.kitchen.pk, kitchen.b2.pk, "200.000", "18.5000"),
        (MoveKind.WASTE, world.kitchen.pk, kitchen.b2.pk, "-200.000", "-18.5000"),
    ]
    assert on_hand(world.kitchen, kitchen.beef, kitchen.b2) == D("4000")
    assert Transfer.objects.get(pk=transfer.pk).discrepancy == Transfer.Discrepancy.RESOLVED
    assert selectors.in_transit(world.actor) == []


def test_given_more_arrives_than_shipped_then_over_is_taken_in_at_the_shipped_cost(
    world: World, kitchen: Kitchen
) -> None:
    transfer = transfers.create_transfer(
        world.actor,
        from_location_id=world.kitchen.pk,
        to_location_id=world.store_b.pk,
        lines=[{"item_id": kitchen.beer.pk, "quantity": "1", "unit": "case"}],
    )
    transfers.approve_transfer(world.actor, transfer)
    transfers.ship_transfer(world.actor, transfer)
    line = transfer.lines.get()

    transfers.receive_transfer(
        world.actor,
        transfer,
        lines=[{"line_id": line.pk, "received_quantity": "13", "unit": "bottle"}],
    )

    assert moves_of("transfer", transfer.pk) == [
        (MoveKind.TRANSFER_OUT, world.kitchen.pk, None, "-6000.000", "-120.0000"),
        (MoveKind.TRANSFER_IN, world.store_b.pk, None, "6500.000", "130.0000"),
    ]
    line.refresh_from_db()
    assert (line.requested_quantity, line.entered_quantity, line.entered_unit) == (
        D("6000"),
        D("1"),
        "case",
    )
    assert (line.short_quantity, line.over_quantity) == (D(0), D("500"))
    assert Transfer.objects.get(pk=transfer.pk).discrepancy == Transfer.Discrepancy.OPEN


def test_given_an_approved_transfer_when_cancelled_then_nothing_reaches_the_ledger(
    world: World, kitchen: Kitchen
) -> None:
    transfer = _beef_transfer(world, kitchen)

    transfers.cancel_transfer(world.actor, transfer)

    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.CANCELLED
    assert moves_of("transfer", transfer.pk) == []
    with pytest.raises(BohError) as refused:
        transfers.ship_transfer(world.actor, transfer)
    assert (refused.value.code, refused.value.status) == ("wrong_status", 409)


def test_given_a_shipped_transfer_when_cancelled_then_it_is_refused(
    world: World, kitchen: Kitchen
) -> None:
    transfer = _beef_transfer(world, kitchen)
    transfers.ship_transfer(world.actor, transfer)
    before = row_counts()

    with pytest.raises(BohError) as refused:
        transfers.cancel_transfer(world.actor, transfer)

    assert refused.value.code == "wrong_status"
    assert row_counts() == before


@pytest.mark.parametrize(
    ("line", "field", "code"),
    [
        ({"quantity": "0"}, "lines[0].quantity", "not_positive"),
        ({"quantity": "-5"}, "lines[0].quantity", "not_positive"),
        ({"quantity": "abc"}, "lines[0].quantity", "invalid_number"),
        ({"unit": "barrel"}, "lines[0].unit", "unknown_unit"),
        ({"unit": "kg"}, "lines[0].unit", "unit_dimension_mismatch"),
        ({"item_id": 999_999}, "lines[0].item_id", "not_found"),
    ],
)
def test_given_a_bad_line_when_requesting_then_the_field_is_named_and_nothing_is_written(
    world: World, kitchen: Kitchen, line: dict[str, object], field: str, code: str
) -> None:
    before = row_counts()

    with pytest.raises(BohError) as refused:
        transfers.create_transfer(
            world.actor,
            from_location_id=world.kitchen.pk,
            to_location_id=world.store_a.pk,
            lines=[{"item_id": kitchen.beer.pk, "quantity": "1", "unit": "bottle", **line}],
        )

    assert [(f.field, f.code) for f in refused.value.fields] == [(field, code)]
    assert row_counts() == before


def test_given_the_same_location_twice_when_requesting_then_to_location_is_refused(
    world: World, kitchen: Kitchen
) -> None:
    before = row_counts()

    with pytest.raises(BohError) as refused:
        transfers.create_transfer(
            world.actor,
            from_location_id=world.store_a.pk,
            to_location_id=world.store_a.pk,
            lines=[{"item_id": kitchen.beer.pk, "quantity": "1"}],
        )

    assert [(f.field, f.code) for f in refused.value.fields] == [
        ("to_location_id", "same_location")
    ]
    assert row_counts() == before


def test_given_a_lot_of_another_item_when_requesting_then_lot_id_is_refused(
    world: World, kitchen: Kitchen
) -> None:
    before = row_counts()

    with pytest.raises(BohError) as refused:
        transfers.create_transfer(
            world.actor,
            from_location_id=world.kitchen.pk,
            to_location_id=world.store_a.pk,
            lines=[{"item_id": kitchen.beer.pk, "quantity": "1", "lot_id": kitchen.b1.pk}],
        )

    assert [(f.field, f.code) for f in refused.value.fields] == [
        ("lines[0].lot_id", "lot_of_other_item")
    ]
    assert row_counts() == before


def test_given_more_than_on_hand_when_shipping_then_the_ledger_refusal_names_the_line(
    world: World, kitchen: Kitchen
) -> None:
    transfer = _beef_transfer(world, kitchen, grams="9000")
    before = row_counts()

    with pytest.raises(BohError) as refused:
        transfers.ship_transfer(world.actor, transfer)

    assert refused.value.code == "insufficient_stock"
    assert refused.value.fields[0].field.startswith("lines[0]")
    assert row_counts() == before
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.APPROVED


def test_given_a_store_manager_of_the_sender_only_when_receiving_then_it_is_forbidden(
    world: World, kitchen: Kitchen
) -> None:
    transfer = _beef_transfer(world, kitchen)
    transfers.ship_transfer(world.actor, transfer)
    sender = world.actor_for(world.user("store_manager", location_id=world.kitchen.pk))
    before = row_counts()

    with pytest.raises(BohError) as refused:
        transfers.receive_transfer(sender, transfer)

    assert refused.value.status == 403
    assert row_counts() == before


def test_given_only_damage_when_receiving_then_the_rest_arrived_good(
    world: World, kitchen: Kitchen
) -> None:
    transfer = transfers.create_transfer(
        world.actor,
        from_location_id=world.kitchen.pk,
        to_location_id=world.store_a.pk,
        lines=[{"item_id": kitchen.beer.pk, "quantity": "2", "unit": "case"}],
    )
    transfers.approve_transfer(world.actor, transfer)
    line = transfer.lines.get()
    transfers.ship_transfer(world.actor, transfer, lines=[{"line_id": line.pk, "quantity": None}])

    transfers.receive_transfer(
        world.actor,
        transfer,
        lines=[
            {
                "line_id": line.pk,
                "received_quantity": None,
                "damaged_quantity": "1",
                "unit": "bottle",
            }
        ],
    )

    line.refresh_from_db()
    assert (line.shipped_quantity, line.received_quantity, line.damaged_quantity) == (
        D("12000"),
        D("11500"),
        D("500"),
    )
    assert (line.short_quantity, line.over_quantity) == (D(0), D(0))
    assert on_hand(world.store_a, kitchen.beer) == D("11500")
    assert Transfer.objects.get(pk=transfer.pk).discrepancy == Transfer.Discrepancy.NONE


def test_given_a_bad_receipt_line_then_the_api_field_names_are_used(
    world: World, kitchen: Kitchen
) -> None:
    transfer = _beef_transfer(world, kitchen)
    transfers.ship_transfer(world.actor, transfer)
    line = transfer.lines.get()
    before = row_counts()

    with pytest.raises(BohError) as refused:
        transfers.receive_transfer(
            world.actor,
            transfer,
            lines=[{"line_id": line.pk, "received_quantity": "-1", "damaged_quantity": "x"}],
        )

    assert [(f.field, f.code) for f in refused.value.fields] == [
        ("lines[0].damaged_quantity", "invalid_number"),
        ("lines[0].received_quantity", "too_small"),
    ]
    assert row_counts() == before
