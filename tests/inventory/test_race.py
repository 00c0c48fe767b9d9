"""Concurrent postings on PostgreSQL: no oversell under the refuse policy, no lost update.

Each thread has its own database connection and posts in its own transaction, as
gunicorn workers and Huey consumers do. post_moves locks the item balances it touches
(SELECT ... FOR UPDATE, in (location, item) order) before it reads them.

How this test was checked: with the row locks removed (`sql.for_update` made to return ""
so balances are read without FOR UPDATE), both tests fail. In the first, 240 units were
used out of 100 received: every thread read the same on-hand quantity. In the second,
stored balances no longer equalled their moves (one read 44 where the moves add up to 144):
writers overwrote each other's balances. With the locks back, both pass run after run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections

from boh.core.errors import BohError
from boh.inventory.ledger.verify import verify_balances
from boh.inventory.models import Balance, ItemBalance, StockMove
from boh.inventory.services import MoveSpec, post_moves
from tests.conftest import World
from tests.inventory.conftest import make_pantry, receive

D = Decimal

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL matter; SQLite serialises writers with BEGIN IMMEDIATE",
    ),
]

THREADS = 8


def race(work: Callable[[int], None]) -> list[BaseException]:
    """Run work(n) in THREADS threads released together; each closes its own connection."""
    barrier = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return failures


def test_given_racing_issues_of_the_last_units_when_refusing_negative_stock_then_no_oversell(
    transactional_db: None,
) -> None:
    world = World("race")
    pantry = make_pantry(world)
    receive(world.actor, world.store_a, pantry.oil, "100", "0.5")
    used: list[Decimal] = []
    refused: list[str] = []
    lock = threading.Lock()

    def use(n: int) -> None:
        for i in range(10):
            try:
                post_moves(
                    world.actor,
                    [MoveSpec(world.store_a.pk, pantry.oil.pk, D("-3"), "production_consumption")],
                    source_type="production",
                    source_id=f"P{n}-{i}",
                )
                with lock:
                    used.append(D(3))
            except BohError as exc:
                with lock:
                    refused.append(exc.code)

    assert race(use) == []

    assert sum(used) == D(99)
    assert set(refused) == {"insufficient_stock"}
    assert len(used) + len(refused) == THREADS * 10
    balance = ItemBalance.objects.get(location=world.store_a, item=pantry.oil)
    assert (balance.quantity, balance.value) == (D("1.000"), D("0.5000"))
    assert not Balance.objects.filter(quantity__lt=0).exists()
    assert verify_balances() == []


def test_given_racing_receipts_and_sales_on_a_new_item_when_posted_then_no_update_is_lost(
    transactional_db: None,
) -> None:
    world = World("race")
    pantry = make_pantry(world)
    world.org.negative_stock = "allow"
    world.org.save(update_fields=["negative_stock"])

    def trade(n: int) -> None:
        for i in range(12):
            quantity = D(5) if (n + i) % 2 else D(-2)
            post_moves(
                world.actor,
                [
                    MoveSpec(
                        loc.pk,
                        pantry.rice.pk,
                        quantity,
                        "receipt" if quantity > 0 else "waste",
                        unit_cost=D("1.5") if quantity > 0 else None,
                    )
                    for loc in (world.store_b, world.kitchen)
                ],
                source_type="race",
                source_id=f"{n}-{i}",
            )

    assert race(trade) == []

    assert verify_balances() == []
    for location in (world.store_b, world.kitchen):
        balance = ItemBalance.objects.get(location=location, item=pantry.rice)
        assert balance.quantity == D(THREADS * 6 * (5 - 2))
    assert StockMove.objects.filter(item=pantry.rice, quantity__gt=0).count() == THREADS * 12
