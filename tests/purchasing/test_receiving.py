import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from boh.core.errors import BohError
from boh.inventory.models import Lot, StockMove
from boh.purchasing import services
from boh.purchasing.models import (
    CreditRequest,
    OrderStatus,
    PurchaseOrder,
    Receipt,
    ReceiptLine,
    SupplierReturn,
)
from tests.conftest import World
from tests.purchasing.conftest import Buying

TODAY = timezone.localdate()
GOOD_UNTIL = TODAY + dt.timedelta(days=90)


def beef(qty: str, **extra: Any) -> dict[str, Any]:
    return {
        "delivered_quantity": qty,
        "temperature": "-20.0",
        "lot_code": "B2603",
        "expiry_date": GOOD_UNTIL,
        **extra,
    }


def moves(source_type: str = "po_receipt") -> list[tuple[Any, ...]]:
    return list(
        StockMove.objects.filter(source_type=source_type)
        .order_by("id")
        .values_list("kind", "item__code", "location__code", "quantity", "unit_cost", "value")
    )


def receive(world: World, order: PurchaseOrder, lines: list[dict[str, Any]], **kw: Any) -> Receipt:
    return services.receive_delivery(
        world.actor, location_id=world.store_a.pk, order_id=order.pk, lines=lines, **kw
    )


def test_given_a_full_delivery_when_posted_then_exact_moves_in_base_units_at_cost(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.beef_si, "2"), (buying.oil_si, "1"))

    receipt = receive(
        world,
        order,
        [
            {"supplier_item_id": buying.beef_si.pk, **beef("2")},
            {"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "1"},
        ],
        delivery_note="DN-7781",
    )

    assert moves() == [
        ("receipt", "BEEF", "A01", Decimal("20000.000"), Decimal("0.085000"), Decimal("1700.0000")),
        ("receipt", "OIL", "A01", Decimal("20000.000"), Decimal("0.013000"), Decimal("260.0000")),
    ]
    assert set(StockMove.objects.values_list("source_id", flat=True)) == {str(receipt.pk)}
    lot = Lot.objects.get(item=buying.beef)
    assert (lot.code, lot.expiry_date, lot.supplier_id) == ("B2603", GOOD_UNTIL, buying.supplier.pk)
    assert ReceiptLine.objects.get(receipt=receipt, item=buying.beef).lot_id == lot.pk
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED
    assert list(order.lines.values_list("received_quantity", flat=True)) == [
        Decimal("2.000"),
        Decimal("1.000"),
    ]
    assert (receipt.status, receipt.delivery_note) == ("posted", "DN-7781")


def test_given_two_partial_deliveries_then_partly_received_then_received(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.oil_si, "3"))

    receive(world, order, [{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "1"}])
    order.refresh_from_db()
    first = order.status
    receive(world, order, [{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "2"}])
    order.refresh_from_db()

    assert (first, order.status) == (OrderStatus.PARTLY_RECEIVED, OrderStatus.RECEIVED)
    assert [m[3] for m in moves()] == [Decimal("5000.000") * 4, Decimal("40000.000")]


def test_given_a_short_delivery_when_closing_then_the_order_is_closed_with_the_gap(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.oil_si, "3"))
    receive(world, order, [{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "2"}])

    closed = services.close_order(world.actor, order, reason="供应商缺货")

    assert closed.status == OrderStatus.CLOSED
    assert closed.lines.get().open_quantity == Decimal("1.000")


def test_given_no_tolerance_when_receiving_more_than_ordered_then_refused_and_nothing_written(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.oil_si, "2"))

    with pytest.raises(BohError) as exc:
        receive(world, order, [{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "2.5"}])

    assert exc.value.code == "over_tolerance"
    assert [f.field for f in exc.value.fields] == ["lines[0].delivered_quantity"]
    assert str(exc.value.message) == (
        "菜籽油: 2 ordered, 0 received before, 2.5 now; at most 0% over the order can be accepted."
    )
    assert Receipt.objects.count() == 0
    assert StockMove.objects.count() == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.SENT


def test_given_a_supplier_tolerance_of_10_pct_then_within_is_accepted_beyond_refused(
    world: World, buying: Buying
) -> None:
    services.update_supplier(world.actor, buying.supplier, over_receipt_tolerance_pct="10")
    within = buying.sent_order((buying.oil_si, "10"))
    beyond = buying.sent_order((buying.oil_si, "10"))

    receive(world, within, [{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "11"}])
    with pytest.raises(BohError) as exc:
        receive(
            world, beyond, [{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "11.1"}]
        )

    within.refresh_from_db()
    assert within.status == OrderStatus.RECEIVED
    assert within.lines.get().received_quantity == Decimal("11.000")
    assert exc.value.code == "over_tolerance"


def test_given_rejected_crates_then_only_accepted_ones_are_posted(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.lettuce_si, "3"))

    receipt = receive(
        world,
        order,
        [
            {
                "supplier_item_id": buying.lettuce_si.pk,
                "delivered_quantity": "3",
                "rejected_quantity": "1",
                "reject_reason": "quality",
                "temperature": "4.0",
            }
        ],
    )

    assert moves() == [
        ("receipt", "LETTUCE", "A01", Decimal("10000.000"), Decimal("0.006000"), Decimal("60.0000"))
    ]
    line = receipt.lines.get()
    assert (line.accepted_quantity, line.reject_reason) == (Decimal("2.000"), "quality")
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTLY_RECEIVED


def test_given_rejection_without_reason_then_refused_naming_reject_reason(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.lettuce_si, "3"))

    with pytest.raises(BohError) as exc:
        receive(
            world,
            order,
            [
                {
                    "supplier_item_id": buying.lettuce_si.pk,
                    "delivered_quantity": "3",
                    "rejected_quantity": "1",
                    "temperature": "4.0",
                }
            ],
        )

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("lines[0].reject_reason", "reject_reason_required")
    ]


def test_given_chilled_item_without_temperature_then_refused_and_warm_one_is_flagged(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.lettuce_si, "2"))

    with pytest.raises(BohError) as exc:
        receive(
            world, order, [{"supplier_item_id": buying.lettuce_si.pk, "delivered_quantity": "1"}]
        )
    receipt = receive(
        world,
        order,
        [
            {
                "supplier_item_id": buying.lettuce_si.pk,
                "delivered_quantity": "1",
                "temperature": "9.5",
            }
        ],
    )

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("lines[0].temperature", "temperature_required")
    ]
    line = receipt.lines.get()
    assert (line.temperature, line.temperature_out_of_range) == (Decimal("9.5"), True)


def test_given_lot_tracked_item_without_lot_and_expiry_then_both_fields_named(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.beef_si, "1"))

    with pytest.raises(BohError) as exc:
        receive(
            world,
            order,
            [
                {
                    "supplier_item_id": buying.beef_si.pk,
                    "delivered_quantity": "1",
                    "temperature": "-19",
                }
            ],
        )

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("lines[0].lot_code", "lot_code_required"),
        ("lines[0].expiry_date", "expiry_date_required"),
    ]
    assert Receipt.objects.count() == 0


def test_given_an_expiry_date_already_passed_then_refused(world: World, buying: Buying) -> None:
    order = buying.sent_order((buying.beef_si, "1"))

    with pytest.raises(BohError) as exc:
        receive(
            world,
            order,
            [
                {
                    "supplier_item_id": buying.beef_si.pk,
                    **beef("1", expiry_date=TODAY - dt.timedelta(days=1)),
                }
            ],
        )

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("lines[0].expiry_date", "expiry_passed")
    ]
    assert StockMove.objects.count() == 0


def test_given_a_price_as_delivered_then_the_move_is_at_that_cost_and_agreed_kept(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.beef_si, "1"))

    receipt = receive(
        world, order, [{"supplier_item_id": buying.beef_si.pk, **beef("1", unit_price="900.00")}]
    )

    assert [(m[4], m[5]) for m in moves()] == [(Decimal("0.090000"), Decimal("900.0000"))]
    line = receipt.lines.get()
    assert (line.unit_price, line.agreed_price) == (Decimal("900.000000"), Decimal("850.000000"))


def test_given_a_substitute_item_then_it_fills_the_order_line(world: World, buying: Buying) -> None:
    bottles = services.create_supplier_item(
        world.actor,
        buying.supplier,
        item_id=buying.oil.pk,
        supplier_code="XD-OIL-BTL",
        pack_code="BTL",
        pack_size="1.8",
        pack_unit="l",
        price="25.00",
    )
    order = buying.sent_order((buying.oil_si, "1"))
    order_line = order.lines.get()

    receipt = receive(
        world,
        order,
        [
            {
                "order_line_id": order_line.pk,
                "supplier_item_id": bottles.pk,
                "delivered_quantity": "1",
            }
        ],
    )

    line = receipt.lines.get()
    assert (line.is_substitute, line.order_line_id, line.unit_price) == (
        True,
        order_line.pk,
        Decimal("25.000000"),
    )
    assert [(m[3], m[4]) for m in moves()] == [(Decimal("1800.000"), Decimal("0.013889"))]
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED


def test_given_no_order_when_a_supplier_delivers_then_received_at_agreed_price(
    world: World, buying: Buying
) -> None:
    receipt = services.receive_delivery(
        world.actor,
        location_id=world.store_b.pk,
        supplier_id=buying.supplier.pk,
        lines=[{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "2"}],
    )

    assert receipt.order_id is None
    assert moves() == [
        ("receipt", "OIL", "B01", Decimal("40000.000"), Decimal("0.013000"), Decimal("520.0000"))
    ]


def test_given_an_order_not_yet_sent_when_receiving_then_illegal_transition(
    world: World, buying: Buying
) -> None:
    order = services.approve_order(
        world.actor, services.submit_order(world.actor, buying.order((buying.oil_si, "1")))
    )

    with pytest.raises(BohError) as exc:
        receive(world, order, [{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "1"}])

    assert exc.value.code == "illegal_transition"
    assert str(exc.value.message) == f"Order {order.number} is Approved; it cannot be received."


def test_given_a_phone_receipt_when_lines_entered_twice_then_replaced_and_posted_once(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.oil_si, "2"), (buying.lettuce_si, "1"))
    receipt = services.start_receipt(world.actor, location_id=world.store_a.pk, order_id=order.pk)

    services.record_receipt_line(
        world.actor, receipt, supplier_item_id=buying.oil_si.pk, delivered_quantity="1"
    )
    services.record_receipt_line(
        world.actor, receipt, supplier_item_id=buying.oil_si.pk, delivered_quantity="2"
    )
    services.post_receipt(world.actor, receipt)
    with pytest.raises(BohError) as exc:
        services.post_receipt(world.actor, receipt)

    assert list(receipt.lines.values_list("line_no", "delivered_quantity")) == [
        (1, Decimal("2.000"))
    ]
    assert exc.value.code == "receipt_already_posted"
    assert [m[3] for m in moves()] == [Decimal("40000.000")]
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTLY_RECEIVED


def test_given_a_received_lot_when_returning_damaged_cartons_then_moves_out_and_credit(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.beef_si, "2"))
    receipt = receive(world, order, [{"supplier_item_id": buying.beef_si.pk, **beef("2")}])

    ret = services.return_to_supplier(
        world.actor,
        location_id=world.store_a.pk,
        receipt_id=receipt.pk,
        reason="damaged",
        lines=[{"supplier_item_id": buying.beef_si.pk, "quantity": "1"}],
    )

    out = list(
        StockMove.objects.filter(source_type="supplier_return").values_list(
            "kind", "quantity", "lot__code", "value"
        )
    )
    assert out == [("supplier_return", Decimal("-10000.000"), "B2603", Decimal("-850.0000"))]
    credit = CreditRequest.objects.get(supplier_return=ret)
    assert (credit.amount, credit.status) == (Decimal("850.00"), "open")


def test_given_a_receipt_when_returning_more_than_it_accepted_then_refused(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.oil_si, "1"))
    receipt = receive(
        world, order, [{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "1"}]
    )

    with pytest.raises(BohError) as exc:
        services.return_to_supplier(
            world.actor,
            location_id=world.store_a.pk,
            receipt_id=receipt.pk,
            reason="quality",
            lines=[{"supplier_item_id": buying.oil_si.pk, "quantity": "2"}],
        )

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("lines[0].quantity", "return_more_than_received")
    ]
    assert SupplierReturn.objects.count() == 0
    assert StockMove.objects.filter(source_type="supplier_return").count() == 0
