"""Moves per second through post_moves, against a raw executemany insert of the same rows.

    .venv/bin/python bench/ledger_post.py [--moves 20000] [--batch 1000] [--items 300]

Sets up a throwaway SQLite database under var/bench/, posts sales depletions of random
items at one store in batches (FEFO, moving average, balances, audit, event: the real
path), then inserts the very rows post_moves wrote with one executemany per batch into
the same table, in the same database, and compares the two rates. The other ledger
benches import `setup_django` and `make_store` from here.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup_django(name: str) -> Path:
    """A fresh SQLite database and var dir under var/bench/<name>, migrated."""
    var = ROOT / "var" / "bench" / name
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "boh.settings"
    os.environ["BOH_DEBUG"] = "0"
    os.environ["BOH_TESTING"] = "1"
    os.environ["BOH_LOG_LEVEL"] = "WARNING"
    os.environ["BOH_VAR_DIR"] = str(var)
    os.environ["BOH_DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return var


def make_store(items: int, quantity: Decimal = Decimal(10**6)) -> tuple[Any, Any, list[Any]]:
    """An organization, one store and `items` items with opening stock (one batch)."""
    from boh.catalog import services as catalog
    from boh.inventory.services import MoveSpec, post_moves
    from boh.org import services as org
    from boh.org.access import system_actor

    organization = org.create_organization(code="BENCH", name="Bench")
    actor = system_actor(organization)
    store = org.create_location(actor, code="S1", name="Store")
    made = [
        catalog.create_item(actor, code=f"I{n:05d}", name=f"item {n}", base_unit="g")
        for n in range(items)
    ]
    post_moves(
        actor,
        [
            MoveSpec(store.pk, item.pk, quantity, "opening", unit_cost=Decimal("0.013"))
            for item in made
        ],
        source_type="opening",
        source_id="0",
    )
    return actor, store, made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moves", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--items", type=int, default=300)
    args = parser.parse_args()
    setup_django("ledger_post")

    from django.db import connection, transaction

    from boh.inventory.ledger.posting import INSERT_MOVE, MOVE_COLUMNS
    from boh.inventory.models import StockMove
    from boh.inventory.services import MoveSpec, post_moves

    actor, store, items = make_store(args.items)
    rng = random.Random(7)
    batches = [
        [
            MoveSpec(store.pk, rng.choice(items).pk, Decimal(-rng.randint(1, 50)), "sale_depletion")
            for _ in range(args.batch)
        ]
        for _ in range(args.moves // args.batch)
    ]

    started = time.perf_counter()
    posted_batches = []
    for n, specs in enumerate(batches):
        result = post_moves(actor, specs, source_type="pos_ticket", source_id=f"B{n}")
        posted_batches.append(result.batch)
    post_seconds = time.perf_counter() - started
    posted = sum(len(b) for b in batches)

    # The baseline: the same rows, read back as the tuples post_moves wrote.
    rows_by_batch = []
    for batch in posted_batches:
        rows = list(StockMove.objects.filter(batch=batch).order_by("id").values_list(*MOVE_COLUMNS))
        adapted = []
        for row in rows:
            values = list(row)
            values[MOVE_COLUMNS.index("happened_at")] = connection.ops.adapt_datetimefield_value(
                values[MOVE_COLUMNS.index("happened_at")]
            )
            values[MOVE_COLUMNS.index("posted_at")] = connection.ops.adapt_datetimefield_value(
                values[MOVE_COLUMNS.index("posted_at")]
            )
            values[MOVE_COLUMNS.index("batch")] = values[MOVE_COLUMNS.index("batch")].hex
            adapted.append(tuple(values))
        rows_by_batch.append(adapted)
    started = time.perf_counter()
    for rows in rows_by_batch:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(INSERT_MOVE, rows)
    raw_seconds = time.perf_counter() - started
    inserted = sum(len(r) for r in rows_by_batch)

    post_rate = posted / post_seconds
    raw_rate = inserted / raw_seconds
    print(
        f"post_moves: {posted:,} moves in {len(batches)} batches of {args.batch}: "
        f"{post_seconds:.2f} s"
    )
    print(f"raw executemany: {inserted:,} rows: {raw_seconds:.2f} s")
    print(
        f"ratio {post_rate / raw_rate:.2f} "
        f"(post_moves {post_rate:,.0f} moves/s vs raw insert {raw_rate:,.0f} rows/s)"
    )


if __name__ == "__main__":
    main()
