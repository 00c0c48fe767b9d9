from decimal import Decimal
from typing import Any

import pytest

from boh.core.errors import BohError
from boh.inventory.documents.models import Transfer
from boh.inventory.documents.services import receive_transfer
from boh.inventory.models import MoveKind, StockMove
from boh.inventory.services import MoveSpec, post_moves
from boh.purchasing import services
from boh.purchasing.models import OrderStatus
from tests.conftest import World
from tests.purchasing.conftest import Buying


def test_given_an_internal_order_when_shipped_and_received_then_it_is_a_received_transfer(
    world: World, buying: Buying, django_capture_on_commit_callbacks: Any
) -> None:
    kitchen = services.create_supplier(
        world.actor, code="CK", name="中央厨房", internal_location_id=world.kitchen.pk
    )
    oil = services.create_supplier_item(
        world.actor,
        kitchen,
        item_id=buying.oil.pk,
        supplier_code="CK-OIL",
        pack_code="CASE",
        pack_count=4,
        pack_size=5,
        pack_unit="l",
        price="240",
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
            )
        ],
        source_type="opening",
        source_id="test",
    )
    order = services.create_order(
        world.actor,
        supplier_id=kitchen.pk,
        location_id=world.store_a.pk,
        lines=[{"supplier_item_id": oil.pk, "quantity": "2"}],
    )
    order = services.approve_order(world.actor, services.submit_order(world.actor, order))
    order = services.send_order(world.actor, order)

    order = services.ship_internal_order(world.actor, order)
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


def test_given_an_outside_supplier_when_shipping_then_refused(world: World, buying: Buying) -> None:
    order = buying.sent_order((buying.oil_si, "1"))

    with pytest.raises(BohError) as exc:
        services.ship_internal_order(world.actor, order)

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("supplier_id", "supplier_not_internal")
    ]
