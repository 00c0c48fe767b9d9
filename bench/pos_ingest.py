"""Tickets per second through ingest_tickets, against a raw bulk insert of the same rows.

    .venv/bin/python bench/pos_ingest.py [--tickets 4000] [--batch 500] [--profile]

Builds a fresh SQLite database under a temporary folder, a menu of 10 dishes of 4
ingredients each (20 items) with stock on hand, and tickets of 5 lines (5 dishes, about
20 depletion moves each). Ingestion runs end to end: checking, POS code resolution,
explosion through the recipes, tickets, versions and lines, one post_moves call per batch,
daily facts, audit. The baseline writes the same rows (tickets, versions, lines, moves)
with `executemany` of prepared tuples into the same tables, in one transaction.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup_django(folder: str) -> None:
    os.environ["BOH_DEBUG"] = "1"
    os.environ["BOH_VAR_DIR"] = folder
    os.environ["BOH_DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["BOH_LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boh.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_menu() -> tuple[Any, Any, list[str]]:
    from boh.catalog import services as catalog
    from boh.inventory.services import MoveSpec, post_moves
    from boh.menu import services as menu
    from boh.org import services as org
    from boh.org.access import system_actor

    organization = org.create_organization(code="bench", name="Bench 餐饮")
    actor = system_actor(organization)
    store = org.create_location(actor, code="S1", name="Store 1")
    items = [
        catalog.create_item(actor, code=f"I{n:02d}", name=f"Item {n}", base_unit="g")
        for n in range(20)
    ]
    post_moves(
        actor,
        [
            MoveSpec(
                location_id=store.pk,
                item_id=item.pk,
                quantity=Decimal(10) ** 9,
                kind="receipt",
                unit_cost=Decimal("0.02"),
                happened_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
            )
            for item in items
        ],
        source_type="bench",
        source_id="stock",
    )
    codes = []
    for d in range(10):
        dish = menu.create_menu_item(actor, code=f"D{d}", name=f"Dish {d}")
        parts = [items[(2 * d + k) % 20] for k in range(4)]
        menu.define_recipe(
            actor,
            menu_item_id=dish.pk,
            effective_from=dt.date(2025, 1, 1),
            lines=[
                {"item_id": item.pk, "quantity": Decimal(50 + 10 * k), "unit": "g"}
                for k, item in enumerate(parts)
            ],
        )
        menu.create_pos_code(actor, source="bench", code=f"P{d}", menu_item_id=dish.pk)
        codes.append(f"P{d}")
    return actor, store, codes


def make_tickets(
    store: Any, codes: list[str], n: int, prefix: str, start: dt.datetime
) -> list[dict[str, Any]]:
    tickets = []
    for i in range(n):
        at = start + dt.timedelta(seconds=17 * i)
        first = i % 10
        # Five dishes of ten: odd offsets make 5 dishes that share no ingredient pairs, so
        # each ticket depletes 20 distinct items.
        lines = [
            {"pos_code": codes[(first + 2 * k) % 10], "quantity": "1", "unit_price": "32.00"}
            for k in range(5)
        ]
        tickets.append(
            {
                "source": "bench",
                "external_id": f"{prefix}{i}",
                "location_id": store.pk,
                "closed_at": at.isoformat(),
                "channel": "dine_in",
                "covers": 2,
                "lines": lines,
            }
        )
    return tickets


def run_ingest(actor: Any, tickets: list[dict[str, Any]], batch: int) -> tuple[float, float]:
    """Wall and CPU seconds to ingest the tickets in batches."""
    from boh.sales.services import ingest_tickets

    started, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(tickets), batch):
        result = ingest_tickets(actor, tickets[i : i + batch])
        assert result.count("created") == len(tickets[i : i + batch]), result.counts
    return time.perf_counter() - started, time.process_time() - cpu


def raw_rows(n: int, store_id: int, org_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """The same rows ingestion writes for n tickets, as prepared tuples."""
    from django.db import connection

    from boh.catalog.models import Item
    from boh.menu.models import MenuItem
    from boh.sales.models import TicketBatch

    items = list(Item.objects.filter(organization_id=org_id).values_list("id", flat=True))
    dishes = list(MenuItem.objects.filter(organization_id=org_id).values_list("id", flat=True))
    batch = TicketBatch.objects.create(organization_id=org_id, received_at=dt.datetime.now(dt.UTC))
    now = connection.ops.adapt_datetimefield_value(dt.datetime.now(dt.UTC))
    day = connection.ops.adapt_datefield_value(dt.date(2025, 6, 1))
    tickets, versions, lines, moves = [], [], [], []
    base = 10_000_000
    for i in range(n):
        ticket_id = version_id = base + i
        tickets.append(
            (
                ticket_id,
                org_id,
                store_id,
                "raw",
                f"R{i}",
                day,
                None,
                now,
                "dine_in",
                2,
                False,
                None,
                1,
                "0" * 64,
                Decimal("160.00"),
                Decimal(0),
                Decimal(0),
                Decimal("160.00"),
                5,
                0,
                None,
                None,
                now,
                now,
            )
        )
        versions.append(
            (
                version_id,
                ticket_id,
                1,
                batch.pk,
                store_id,
                day,
                "0" * 64,
                '{"source": "raw", "lines": [1, 2, 3, 4, 5]}',
                '["1"]',
                now,
            )
        )
        for k in range(5):
            lines.append(
                (
                    ticket_id,
                    version_id,
                    k,
                    f"P{k}",
                    "",
                    dishes[k],
                    "[]",
                    "[]",
                    None,
                    Decimal("1.000"),
                    Decimal("32.00"),
                    Decimal(0),
                    Decimal("32.00"),
                    False,
                    False,
                    "posted",
                )
            )
        batch_id = uuid.uuid4().hex
        for item_id in items:
            moves.append(
                (
                    org_id,
                    store_id,
                    item_id,
                    None,
                    "sale_depletion",
                    Decimal("-60.000"),
                    Decimal("0.020000"),
                    Decimal("-1.2000"),
                    False,
                    now,
                    now,
                    None,
                    None,
                    batch_id,
                    "pos_ticket",
                    "raw",
                    f"v{version_id}",
                    "",
                    None,
                    None,
                    False,
                    "",
                )
            )
    return {"tickets": tickets, "versions": versions, "lines": lines, "moves": moves}


def run_raw(rows: dict[str, list[tuple[Any, ...]]]) -> tuple[float, float]:
    """Wall and CPU seconds to insert the prepared rows."""
    from django.db import connection, transaction

    from boh.inventory.ledger.posting import INSERT_MOVE
    from boh.sales.services.ingest import LINE_COLUMNS, TICKET_COLUMNS, VERSION_COLUMNS

    statements = {
        "tickets": ("sales_ticket", ("id", *TICKET_COLUMNS)),
        "versions": ("sales_ticketversion", ("id", *VERSION_COLUMNS)),
        "lines": ("sales_ticketline", LINE_COLUMNS),
    }
    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic(), connection.cursor() as cursor:
        for key, (table, columns) in statements.items():
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows[key]
            )
        cursor.executemany(INSERT_MOVE, rows["moves"])
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest calls")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="boh-bench-") as folder:
        setup_django(folder)
        from boh.inventory.models import StockMove

        actor, store, codes = build_menu()
        warm_start = dt.datetime(2025, 5, 1, 2, 0, tzinfo=dt.UTC)
        run_ingest(actor, make_tickets(store, codes, args.batch, "W", warm_start), args.batch)
        start = dt.datetime(2025, 6, 1, 2, 0, tzinfo=dt.UTC)
        tickets = make_tickets(store, codes, args.tickets, "T", start)
        before = StockMove.objects.filter(source_type="pos_ticket").count()
        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        ingest_s, ingest_cpu = run_ingest(actor, tickets, args.batch)
        if args.profile:
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(25)
        moves = StockMove.objects.filter(source_type="pos_ticket").count() - before
        rows = raw_rows(args.tickets, store.pk, actor.organization_id)
        raw_s, raw_cpu = run_raw(rows)

    ingest_rate = args.tickets / ingest_s
    raw_rate = args.tickets / raw_s
    print(f"tickets: {args.tickets} of 5 lines, batches of {args.batch}")
    print(f"depletion moves per ticket: {moves / args.tickets:.1f}")
    print(f"ingest: {ingest_s:.2f} s, {ingest_rate:,.0f} tickets/s")
    rows_per_ticket = sum(len(v) for v in rows.values()) / args.tickets
    print(f"raw insert: {raw_s:.2f} s, {raw_rate:,.0f} tickets/s ({rows_per_ticket:.0f} rows each)")
    # On a shared machine wall time follows the load; CPU time shows the work itself.
    print(
        f"per CPU second: ingest {args.tickets / ingest_cpu:,.0f} tickets, "
        f"raw insert {args.tickets / raw_cpu:,.0f} tickets"
    )
    print(
        f"ratio {ingest_rate / raw_rate:.2f} "
        f"(ingest {ingest_rate:,.0f} tickets/s vs raw insert {raw_rate:,.0f} tickets/s)"
    )


if __name__ == "__main__":
    main()
