"""On hand for every item of a location, with 1x and 10x the move history behind it.

    .venv/bin/python bench/on_hand.py [--items 300] [--history 10000] [--repeat 30]

Balances are kept with the moves, so reading on hand should not grow with history. Posts
`history` sales depletions over the items, times stock_on_hand for the store, posts nine
times as many more, and times it again (best of `repeat` each). For contrast it also times
on hand *as of* a past time, which does read the ledger. Last line: 10x time / 1x time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

from ledger_post import make_store, setup_django


def best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--history", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_django("on_hand")

    from django.utils import timezone

    from boh.inventory.selectors import stock_on_hand
    from boh.inventory.services import MoveSpec, post_moves

    actor, store, items = make_store(args.items)
    rng = random.Random(11)
    start = timezone.now() - dt.timedelta(days=300)
    posted = 0

    def post_history(count: int) -> None:
        nonlocal posted
        for offset in range(0, count, 2000):
            specs = [
                MoveSpec(
                    store.pk,
                    rng.choice(items).pk,
                    Decimal(-rng.randint(1, 9)),
                    "sale_depletion",
                    happened_at=start + dt.timedelta(seconds=posted + n),
                )
                for n in range(min(2000, count - offset))
            ]
            post_moves(actor, specs, source_type="pos_ticket", source_id=f"H{posted}")
            posted += len(specs)

    def read() -> None:
        rows = stock_on_hand(actor, store.pk)
        assert len(rows) == args.items

    as_of = start + dt.timedelta(seconds=args.history // 2)

    def read_as_of() -> None:
        stock_on_hand(actor, store.pk, as_of=as_of)

    post_history(args.history)
    one = best(read, args.repeat)
    one_as_of = best(read_as_of, max(3, args.repeat // 5))
    post_history(args.history * 9)
    ten = best(read, args.repeat)
    ten_as_of = best(read_as_of, max(3, args.repeat // 5))

    print(f"items: {args.items}, history: {args.history:,} then {posted:,} moves")
    print(f"on hand now:   1x {one * 1000:.2f} ms, 10x {ten * 1000:.2f} ms")
    print(
        f"on hand as of (reads the ledger): 1x {one_as_of * 1000:.2f} ms, "
        f"10x {ten_as_of * 1000:.2f} ms"
    )
    print(
        f"ratio {ten / one:.2f} "
        f"(on hand at 10x history {ten * 1000:.2f} ms vs 1x {one * 1000:.2f} ms)"
    )


if __name__ == "__main__":
    main()
