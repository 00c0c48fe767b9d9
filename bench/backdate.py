"""A backdated receipt ahead of 100,000 later moves, against a plain scan of those rows.

    .venv/bin/python bench/backdate.py [--later 100000]

Posts `later` sales depletions of one item at one store after an opening balance, then a
receipt dated before all of them. Its posting returns at once (the revaluation is queued
as a job); the job then replays the later moves and writes one revaluation move per move
whose value changes. The baseline reads the same rows in the same order with one query.
Last line: (posting + job) time / scan time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from decimal import Decimal

from ledger_post import make_store, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--later", type=int, default=100_000)
    args = parser.parse_args()
    setup_django("backdate")

    from django.db import connection
    from django.utils import timezone

    from boh.core.models import Job
    from boh.inventory.ledger.verify import verify_balances
    from boh.inventory.models import PendingRevaluation, StockMove
    from boh.inventory.services import MoveSpec, post_moves
    from boh.inventory.tasks import run_revaluation

    actor, store, items = make_store(1, quantity=Decimal(10**9))
    item = items[0]
    start = timezone.now() - dt.timedelta(days=200)
    for offset in range(0, args.later, 5000):
        specs = [
            MoveSpec(
                store.pk,
                item.pk,
                Decimal(-1),
                "sale_depletion",
                happened_at=start + dt.timedelta(seconds=offset + n),
            )
            for n in range(min(5000, args.later - offset))
        ]
        post_moves(actor, specs, source_type="pos_ticket", source_id=f"H{offset}")

    # The baseline: one plain read of the later moves, in business-time order.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {StockMove._meta.db_table} WHERE location_id = %s AND item_id = %s "
            "AND happened_at >= %s ORDER BY happened_at, id",
            [store.pk, item.pk, connection.ops.adapt_datetimefield_value(start)],
        )
        scanned = len(cursor.fetchall())
    scan = time.perf_counter() - started

    started = time.perf_counter()
    result = post_moves(
        actor,
        [
            MoveSpec(
                store.pk,
                item.pk,
                Decimal(10**9),
                "receipt",
                unit_cost=Decimal("0.05"),
                happened_at=start - dt.timedelta(hours=1),
            )
        ],
        source_type="po_receipt",
        source_id="late",
    )
    posting = time.perf_counter() - started
    assert result.revaluation_job_ids, "expected a revaluation job"
    started = time.perf_counter()
    run_revaluation(result.revaluation_job_ids[0])
    job_seconds = time.perf_counter() - started
    job = Job.objects.get(pk=result.revaluation_job_ids[0])
    assert job.status == "done", job.error
    assert not PendingRevaluation.objects.exists()
    assert verify_balances() == []
    revalued = StockMove.objects.filter(kind="revaluation").count()

    total = posting + job_seconds
    print(f"later moves: {args.later:,}; revaluation moves written: {revalued:,}")
    print(
        f"backdated posting: {posting * 1000:.1f} ms "
        f"(queued job {job.pk}, {job.done:,}/{job.total:,} done)"
    )
    print(f"revaluation job: {job_seconds:.2f} s")
    print(f"plain scan of {scanned:,} rows: {scan:.2f} s")
    print(
        f"ratio {total / scan:.1f} "
        f"(backdate + revaluation {total:.2f} s vs plain scan {scan:.2f} s)"
    )


if __name__ == "__main__":
    main()
