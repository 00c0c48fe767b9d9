"""A whole simulation: warm-up history, opening stock, then every day for every policy.

Before the first day the stores have `warmup` days of sales behind them (drawn by the same
demand model, every guest served), which is all either policy knows about demand. Both
policies start with the same stock: each item at the par level the warm-up's use gives.
Then the days run in step: the day's guests are drawn once and every policy serves them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from boh.demo.simulate import metrics
from boh.demo.simulate.guests import Guests
from boh.demo.simulate.policies import (
    PAR,
    POLICIES,
    SYSTEM,
    History,
    ParPolicy,
    SystemPolicy,
    order_days,
)
from boh.demo.simulate.twin import ORDER_TIME, Twin
from boh.demo.simulate.world import World, load_world
from boh.org.models import Organization
from boh.planning import replenish
from boh.planning.forecast import pipeline

WARMUP_DAYS = 56
Progress = Callable[[int, int], None]


@dataclass
class Options:
    """What a run simulates."""

    start: dt.date
    days: int = 60
    stores: int | None = None
    seed: int = 1
    policies: tuple[str, ...] = POLICIES
    warmup: int = WARMUP_DAYS
    forecast_every: int = 7
    # The system's ingredient demand as expected use (see SystemPolicy), not BOH's P50 x recipe.
    expected_use: bool = False
    forecast: pipeline.Settings = field(default_factory=pipeline.Settings)


@dataclass
class Outcome:
    """A finished run: the twins (for their flows) and the report."""

    world: World
    twins: dict[str, Twin]
    report: dict[str, Any]


def _policy(name: str, twin: Twin, options: Options) -> ParPolicy | SystemPolicy:
    if name == SYSTEM:
        return SystemPolicy(
            twin,
            menu_from=options.start,
            forecast_every=options.forecast_every,
            settings=options.forecast,
            expected_use=options.expected_use,
        )
    return ParPolicy(twin)


def simulate(
    organization: Organization, options: Options, progress: Progress | None = None
) -> Outcome:
    """Run every policy over the same days and guests; returns the twins and the report."""
    step = progress or (lambda done, total: None)
    total = options.warmup + options.days
    started = time.perf_counter()
    world = load_world(organization, stores=options.stores, on=options.start)
    guests = Guests(world, options.seed, menu_from=options.start)
    stores = [s.index for s in world.stores]

    warm: dict[int, History] = {s: History() for s in stores}
    for n in range(options.warmup):
        day = options.start - dt.timedelta(days=options.warmup - n)
        for store, guests_of_store in guests.day(day).items():
            sold: dict[int, int] = {}
            for sale in guests_of_store.sales:
                sold[sale.dish] = sold.get(sale.dish, 0) + sale.quantity
            warm[store].served[day] = sold
            warm[store].sold_out[day] = set()
            warm[store].used[day] = dict(guests_of_store.demand_use)
        step(n + 1, total)
    guest_seconds = time.perf_counter() - started

    histories = {
        name: {s: History(dict(h.served), dict(h.sold_out), dict(h.used)) for s, h in warm.items()}
        for name in options.policies
    }
    twins = {name: Twin(world, options.seed) for name in options.policies}
    policies = {name: _policy(name, twins[name], options) for name in options.policies}
    opening = ParPolicy(Twin(world, options.seed))
    opening.review(options.start, warm)
    suppliers = _suppliers(twins[options.policies[0]], warm)
    for twin in twins.values():
        for (store, item_id), level in sorted(opening.levels.items()):
            twin.stock_opening(store, item_id, level, options.start - dt.timedelta(days=1))
    seconds = dict.fromkeys(options.policies, 0.0)

    for n in range(options.days):
        day = options.start + dt.timedelta(days=n)
        mark = time.perf_counter()
        today = guests.day(day)
        guest_seconds += time.perf_counter() - mark
        for name in options.policies:
            mark = time.perf_counter()
            _play_day(twins[name], policies[name], histories[name], suppliers, day, today)
            seconds[name] += time.perf_counter() - mark
        step(options.warmup + n + 1, total)
    for twin in twins.values():
        twin.close()

    report = _report(world, options, twins, policies, seconds, guest_seconds)
    return Outcome(world, twins, report)


def _suppliers(
    twin: Twin, warm: dict[int, History]
) -> dict[int, dict[int, tuple[replenish.DeliveryTerms, list[int]]]]:
    """By store and supplier: the delivery terms and the items the store buys from it."""
    result: dict[int, dict[int, tuple[replenish.DeliveryTerms, list[int]]]] = {}
    for store, history in warm.items():
        items = sorted({i for used in history.used.values() for i in used})
        groups: dict[int, tuple[replenish.DeliveryTerms, list[int]]] = {}
        for item_id in items:
            source = twin.sourcing(store, item_id)
            if source is not None:
                groups.setdefault(source.supplier_id, (source.terms, []))[1].append(item_id)
        result[store] = groups
    return result


def _play_day(
    twin: Twin,
    policy: ParPolicy | SystemPolicy,
    histories: dict[int, History],
    suppliers: dict[int, dict[int, tuple[replenish.DeliveryTerms, list[int]]]],
    day: dt.date,
    today: dict[int, Any],
) -> None:
    policy.nightly(day, histories)
    for store, guests in today.items():
        twin.morning(store, day)
        for supplier_id, (terms, item_ids) in sorted(suppliers[store].items()):
            due = order_days(terms, day)
            if due is None:
                continue
            window = replenish.delivery_window(terms, dt.datetime.combine(day, ORDER_TIME))
            twin.place(store, supplier_id, day, due, policy.order(store, item_ids, day, window))
        twin.score_forecast(store, policy.forecast(store, day), guests)
        twin.serve(store, day, guests)
        twin.evening(store)
        book = twin.books[store]
        history = histories[store]
        history.served[day] = book.served[day]
        history.sold_out[day] = book.sold_out[day]
        history.used[day] = book.used[day]


def _report(
    world: World,
    options: Options,
    twins: dict[str, Twin],
    policies: dict[str, ParPolicy | SystemPolicy],
    seconds: dict[str, float],
    guest_seconds: float,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "start": options.start.isoformat(),
        "days": options.days,
        "seed": options.seed,
        "stores": [s.code for s in world.stores],
        "guest_seconds": round(guest_seconds, 1),
        "expected_use": options.expected_use,
        "policies": {},
    }
    for name, twin in twins.items():
        books = [twin.books[s.index] for s in world.stores]
        automatic = name == SYSTEM
        result["policies"][name] = {
            "seconds": round(seconds[name], 1),
            "total": metrics.figures(books, automatic=automatic),
            "stores": {b.store.code: metrics.figures([b], automatic=automatic) for b in books},
        }
        policy = policies[name]
        if isinstance(policy, SystemPolicy):
            result["policies"][name]["models"] = policy.models
    if PAR in twins and SYSTEM in twins:
        result["ratios"] = ratios(
            result["policies"][SYSTEM]["total"], result["policies"][PAR]["total"]
        )
    return result


def ratios(system: dict[str, Any], par: dict[str, Any]) -> dict[str, float | None]:
    """System's waste, lost sales and days on hand as shares of par's."""

    def share(key: str) -> float | None:
        a, b = system.get(key), par.get(key)
        if a is None or b is None or not float(b):
            return None
        return round(float(a) / float(b), 2)

    return {
        "waste": share("waste_pct"),
        "lost": share("lost_sales"),
        "days_on_hand": share("days_on_hand"),
    }
