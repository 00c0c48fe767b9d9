"""Two people receiving the same order at the same moment must not post it twice."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from boh.core.errors import BohError
from boh.inventory.models import StockMove
from boh.purchasing import services
from boh.purchasing.models import OrderStatus, Receipt
from tests.conftest import World
from tests.purchasing.conftest import Buying

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason=(
            "SQLite lets one writer in at a time for the whole database, so there is no race "
            "to test; the order row lock matters on PostgreSQL"
        ),
    ),
]


def _race(*calls: Callable[[], Any]) -> list[str]:
    """Run the calls in threads released together; each answers 'ok' or its error code."""
    barrier = threading.Barrier(len(calls))
    results: list[str] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
            outcome = "ok"
        except BohError as exc:
            outcome = exc.code
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(results)


def test_given_two_receivers_of_the_full_order_then_one_posts_and_one_is_refused(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.oil_si, "2"))

    def receive() -> None:
        services.receive_delivery(
            world.actor,
            location_id=world.store_a.pk,
            order_id=order.pk,
            lines=[{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "2"}],
        )

    results = _race(receive, receive)

    # The second finds the order already received once it gets the row lock.
    assert results == ["illegal_transition", "ok"]
    assert list(
        StockMove.objects.filter(source_type="po_receipt").values_list("quantity", flat=True)
    ) == [40000]
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED
    assert order.lines.get().received_quantity == 2
    assert Receipt.objects.filter(status="posted").count() == 1


def test_given_two_receivers_of_two_thirds_each_then_the_second_is_over_tolerance(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.oil_si, "3"))

    def receive() -> None:
        services.receive_delivery(
            world.actor,
            location_id=world.store_a.pk,
            order_id=order.pk,
            lines=[{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "2"}],
        )

    results = _race(receive, receive)

    assert results == ["ok", "over_tolerance"]
    assert StockMove.objects.filter(source_type="po_receipt").count() == 1
    order.refresh_from_db()
    assert (order.status, order.lines.get().received_quantity) == (OrderStatus.PARTLY_RECEIVED, 2)


def test_given_one_open_receipt_posted_twice_at_once_then_posted_once(
    world: World, buying: Buying
) -> None:
    order = buying.sent_order((buying.oil_si, "2"))
    receipt = services.start_receipt(world.actor, location_id=world.store_a.pk, order_id=order.pk)
    services.record_receipt_line(
        world.actor, receipt, supplier_item_id=buying.oil_si.pk, delivered_quantity="1"
    )

    results = _race(
        lambda: services.post_receipt(world.actor, receipt),
        lambda: services.post_receipt(world.actor, receipt),
    )

    assert results == ["ok", "receipt_already_posted"]
    assert StockMove.objects.filter(source_type="po_receipt").count() == 1
    order.refresh_from_db()
    assert order.lines.get().received_quantity == 1
