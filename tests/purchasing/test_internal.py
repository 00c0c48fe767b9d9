from decimal import Decimal
from typing import Any

import pytest

from boh.core.errors import BohError
from boh.inventory.documents.models import Transfer
from boh.inventory.documents.services import receive_transfer
from boh.inventory.models import MoveKind, StockMove
from boh.inventory.selectors import stock_on_hand
from boh.inventory.services import MoveSpec, post_moves
from boh.purchasing import services
from boh.purchasing.models import OrderStatus, PurchaseOrder, Receipt, Supplier, SupplierItem
from tests.conftest import World
from tests.purchasing.conftest import Buying


class Kitchen:
    """The central kitchen as an internal supplier of oil and lettuce, with stock to ship."""

    def __init__(self, world: World, buying: Buying) -> None:
        self.world = world
        self.supplier: Supplier = services.create_supplier(
            world.actor, code="CK", name="中央厨房", internal_location_id=world.kitchen.pk
        )
        # case of 4 x 5 L = 20,000 ml
        self.oil: SupplierItem = services.create_supplier_item(
            world.actor,
            self.supplier,
            item_id=buying.oil.pk,
            supplier_code="CK-OIL",
            pack_code="CASE",
            pack_count=4,
            pack_size=5,
            pack_unit="l",
            price="240",
        )
        # crate of 5 kg
        self.lettuce: SupplierItem = services.create_supplier_item(
            world.actor,
            self.supplier,
            item_id=buying.lettuce.pk,
            supplier_code="CK-LET",
            pack_code="CRATE",
            pack_size=5,
            pack_unit="kg",
            price="25",
        )
        post_moves(
            world.actor,
            [
                MoveSpec(
                    world.kitchen.pk,
                    buying.oil.pk,
                    Decimal("100000"),
                    MoveKind.OPENING,
                    unit_cost=Decimal("0.012"),
                ),
                MoveSpec(
                    world.kitchen.pk,
                    buying.lettuce.pk,
                    Decimal("50000"),
                    MoveKind.OPENING,
                    unit_cost=Decimal("0.004"),
                ),
            ],
            source_type="opening",
            source_id="test",
        )

    def sent(self, *lines: tuple[SupplierItem, str]) -> PurchaseOrder:
        """An internal order for store A, approved and sent (not yet shipped)."""
        actor = self.world.actor
        order = services.create_order(
            actor,
            supplier_id=self.supplier.pk,
            location_id=self.world.store_a.pk,
            lines=[{"supplier_item_id": si.pk, "quantity": q} for si, q in lines],
        )
        order = services.approve_order(actor, services.submit_order(actor, order))
        return services.send_order(actor, order)

    def shipped(self, *lines: tuple[SupplierItem, str]) -> PurchaseOrder:
        return services.ship_internal_order(self.world.actor, self.sent(*lines))


@pytest.fixture
def kitchen(world: World, buying: Buying) -> Kitchen:
    return Kitchen(world, buying)


def _on_hand(world: World, item_id: int) -> Decimal:
    rows = stock_on_hand(world.actor, world.store_a.pk, item_ids=[item_id])
    return rows[0].quantity if rows else Decimal(0)


def test_given_an_internal_order_when_shipped_and_received_then_it_is_a_received_transfer(
    world: World, buying: Buying, kitchen: Kitchen, django_capture_on_commit_callbacks: Any
) -> None:
    order = kitchen.shipped((kitchen.oil, "2"))

    transfer = Transfer.objects.get(pk=order.transfer_ids[0])
    with django_capture_on_commit_callbacks(execute=True):
        receive_transfer(world.actor, transfer)

    assert (transfer.from_location_id, transfer.to_location_id) == (
        world.kitchen.pk,
        world.store_a.pk,
    )
    assert list(
        StockMove.objects.filter(source_type="transfer")
        .order_by("id")
        .values_list("kind", "quantity")
    ) == [("transfer_out", Decimal("-40000.000")), ("transfer_in", Decimal("40000.000"))]
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED
    assert order.lines.get().received_quantity == Decimal("2.000")


def test_given_a_shipped_internal_order_when_received_at_the_back_door_then_transfer_received(
    world: World, buying: Buying, kitchen: Kitchen, django_capture_on_commit_callbacks: Any
) -> None:
    order = kitchen.shipped((kitchen.oil, "2"), (kitchen.lettuce, "1"))
    receipt = services.start_receipt(world.actor, location_id=world.store_a.pk, order_id=order.pk)
    services.record_receipt_line(
        world.actor, receipt, supplier_item_id=kitchen.oil.pk, delivered_quantity="2"
    )
    services.record_receipt_line(
        world.actor,
        receipt,
        supplier_item_id=kitchen.lettuce.pk,
        delivered_quantity="1",
        temperature="4",
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.post_receipt(world.actor, receipt)

    receipt.refresh_from_db()
    transfer = Transfer.objects.get(pk=order.transfer_ids[0])
    order.refresh_from_db()
    assert receipt.transfer_id == transfer.pk
    assert receipt.status == Receipt.Status.POSTED
    assert (transfer.status, transfer.discrepancy) == ("received", "none")
    assert not StockMove.objects.filter(source_type="po_receipt").exists()
    assert list(
        StockMove.objects.filter(source_type="transfer", kind="transfer_in")
        .order_by("item_id")
        .values_list("item_id", "quantity", "unit_cost")
    ) == sorted(
        [
            (buying.oil.pk, Decimal("40000.000"), Decimal("0.012000")),
            (buying.lettuce.pk, Decimal("5000.000"), Decimal("0.004000")),
        ]
    )
    assert order.status == OrderStatus.RECEIVED
    assert list(order.lines.order_by("line_no").values_list("received_quantity", flat=True)) == [
        Decimal("2.000"),
        Decimal("1.000"),
    ]


def test_given_a_short_internal_delivery_when_posted_then_the_transfer_shows_the_shortfall(
    world: World, buying: Buying, kitchen: Kitchen, django_capture_on_commit_callbacks: Any
) -> None:
    order = kitchen.shipped((kitchen.oil, "3"), (kitchen.lettuce, "2"))
    receipt = services.start_receipt(world.actor, location_id=world.store_a.pk, order_id=order.pk)
    # Two cases of oil came, one of them leaking and sent back; the lettuce never came.
    services.record_receipt_line(
        world.actor,
        receipt,
        supplier_item_id=kitchen.oil.pk,
        delivered_quantity="2",
        rejected_quantity="1",
        reject_reason="damaged",
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.post_receipt(world.actor, receipt)

    transfer = Transfer.objects.get(pk=order.transfer_ids[0])
    order.refresh_from_db()
    assert (transfer.status, transfer.discrepancy) == ("received", "open")
    assert list(
        transfer.lines.order_by("position").values_list(
            "item_id", "shipped_quantity", "received_quantity", "short_quantity"
        )
    ) == [
        (buying.oil.pk, Decimal("60000.000"), Decimal("20000.000"), Decimal("40000.000")),
        (buying.lettuce.pk, Decimal("10000.000"), Decimal("0.000"), Decimal("10000.000")),
    ]
    assert _on_hand(world, buying.oil.pk) == Decimal("20000.000")
    assert _on_hand(world, buying.lettuce.pk) == Decimal(0)
    assert order.status == OrderStatus.RECEIVED
    assert list(order.lines.order_by("line_no").values_list("received_quantity", flat=True)) == [
        Decimal("1.000"),
        Decimal("0.000"),
    ]


def test_given_an_internal_order_not_yet_shipped_when_receiving_then_refused(
    world: World, buying: Buying, kitchen: Kitchen
) -> None:
    order = kitchen.sent((kitchen.oil, "1"))

    with pytest.raises(BohError) as exc:
        services.start_receipt(world.actor, location_id=world.store_a.pk, order_id=order.pk)

    assert [(f.field, f.code) for f in exc.value.fields] == [("order_id", "order_not_shipped")]
    assert not Receipt.objects.exists()


def test_given_an_internal_supplier_when_receiving_without_an_order_then_refused(
    world: World, buying: Buying, kitchen: Kitchen
) -> None:
    with pytest.raises(BohError) as exc:
        services.receive_delivery(
            world.actor,
            location_id=world.store_a.pk,
            supplier_id=kitchen.supplier.pk,
            lines=[{"supplier_item_id": kitchen.oil.pk, "delivered_quantity": "1"}],
        )

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("order_id", "internal_delivery_needs_order")
    ]
    assert not Receipt.objects.exists()


def test_given_an_internal_delivery_when_an_item_or_a_price_is_not_the_orders_then_refused(
    world: World, buying: Buying, kitchen: Kitchen
) -> None:
    order = kitchen.shipped((kitchen.oil, "1"))
    receipt = services.start_receipt(world.actor, location_id=world.store_a.pk, order_id=order.pk)

    with pytest.raises(BohError) as not_shipped:
        services.record_receipt_line(
            world.actor,
            receipt,
            supplier_item_id=kitchen.lettuce.pk,
            delivered_quantity="1",
            temperature="3",
        )
    with pytest.raises(BohError) as priced:
        services.record_receipt_line(
            world.actor,
            receipt,
            supplier_item_id=kitchen.oil.pk,
            delivered_quantity="1",
            unit_price="1",
        )

    assert [(f.field, f.code) for f in not_shipped.value.fields] == [
        ("supplier_item_id", "item_not_shipped")
    ]
    assert [(f.field, f.code) for f in priced.value.fields] == [
        ("unit_price", "internal_price_not_entered")
    ]
    assert not receipt.lines.exists()


def test_given_a_transfer_received_on_its_own_page_when_receiving_the_order_then_refused(
    world: World, buying: Buying, kitchen: Kitchen, django_capture_on_commit_callbacks: Any
) -> None:
    order = kitchen.shipped((kitchen.oil, "1"))
    with django_capture_on_commit_callbacks(execute=True):
        receive_transfer(world.actor, Transfer.objects.get(pk=order.transfer_ids[0]))

    with pytest.raises(BohError) as exc:
        services.receive_delivery(
            world.actor,
            location_id=world.store_a.pk,
            order_id=order.pk,
            lines=[{"supplier_item_id": kitchen.oil.pk, "delivered_quantity": "1"}],
        )

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("order_id", "transfer_already_received")
    ]
    assert not Receipt.objects.exists()


def test_given_an_internal_receipt_when_returning_to_the_kitchen_then_refused(
    world: World, buying: Buying, kitchen: Kitchen
) -> None:
    order = kitchen.shipped((kitchen.oil, "1"))
    receipt = services.receive_delivery(
        world.actor,
        location_id=world.store_a.pk,
        order_id=order.pk,
        lines=[{"supplier_item_id": kitchen.oil.pk, "delivered_quantity": "1"}],
    )

    with pytest.raises(BohError) as exc:
        services.return_to_supplier(
            world.actor,
            location_id=world.store_a.pk,
            receipt_id=receipt.pk,
            reason="quality",
            lines=[{"supplier_item_id": kitchen.oil.pk, "quantity": "1"}],
        )

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("receipt_id", "internal_return_is_transfer")
    ]


def test_given_an_outside_supplier_when_shipping_then_refused(world: World, buying: Buying) -> None:
    order = buying.sent_order((buying.oil_si, "1"))

    with pytest.raises(BohError) as exc:
        services.ship_internal_order(world.actor, order)

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("supplier_id", "supplier_not_internal")
    ]
