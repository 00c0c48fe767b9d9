"""The nightly planning chain at chain scale, through the database: 20,000 store x dish
series, two years of days.

    .venv/bin/python bench/forecast_scale.py [--stores 200] [--dishes 100] [--keep DIR]

Builds a fresh SQLite database under a temporary folder (or DIR), in a separate process:
an organization of `--stores` stores in ten regions, 150 ingredients from three suppliers
with weekly deliveries and prices, `--dishes` dishes of six ingredients each, stock on hand
in lots (some about to expire), all through the services; then two years of daily sales
facts, written with the statements the sales module keeps them with
(`boh.sales.services.facts`), in bulk. Poisson sales with store and dish levels, a weekly
shape, a slow trend, and closed days (Chinese New Year week, one random day a month).
The load is timed and printed on its own.

Then, in this process, the nightly chain runs as the nightly job runs it
(`boh.planning.services.nightly.plan_organization`): history read from the daily facts,
every series forecast (weekday baseline and global LightGBM backtested, the better one per
group, P90 from the backtest errors) and stored, menu-item forecasts exploded through the
recipes into ingredient demand and stored, and every store x ingredient sized into
suggested orders and transfers, written. The model is smaller than the nightly default
(`--origins`, `--rounds`, `--train-series`), as a chain of this size would be configured.

Prints the time of each stage, series per second, the CPU time of the chain (on a shared
machine the wall time also counts waiting for a core), and peak memory (this process, and
the loading process apart, from resource.getrusage); the last line compares the chain's
time with the 5-minute goal. `--keep DIR --reuse` plans again on a database already built.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

GOAL_SECONDS = 300
HISTORY_DAYS = 730
INGREDIENTS = 150
SUPPLIERS = 3
REGIONS = 10
LINES_PER_RECIPE = 6
TODAY = dt.date(2026, 4, 1)
PRICE = 20
ROWS_PER_WRITE = 200_000


def setup_django(folder: str, *, migrate: bool) -> None:
    os.environ["BOH_VAR_DIR"] = folder
    os.environ["BOH_DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["BOH_LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("BOH_SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boh.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def synthetic_sales(
    stores: int, dishes: int, seed: int
) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    """Days, (stores, days) open flags and (stores, dishes, days) quantities sold."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(end=pd.Timestamp(TODAY) - pd.Timedelta(days=1), periods=HISTORY_DAYS)
    store_level = rng.lognormal(0.0, 0.4, stores)
    dish_level = rng.lognormal(0.5, 1.0, dishes)
    weekly = np.array([0.85, 0.8, 0.85, 0.9, 1.15, 1.35, 1.2])[days.dayofweek.to_numpy()]
    trend = np.linspace(0.9, 1.1, HISTORY_DAYS)
    rate = store_level[:, None, None] * dish_level[None, :, None] * (weekly * trend)
    sold = rng.poisson(rate).astype(np.int32)
    is_open = np.ones((stores, HISTORY_DAYS), dtype=bool)
    spring = (days >= pd.Timestamp("2025-01-28")) & (days <= pd.Timestamp("2025-02-03"))
    is_open[:, spring] = False
    is_open[np.arange(stores)[:, None], rng.integers(0, HISTORY_DAYS, (stores, 24))] = False
    sold[~np.broadcast_to(is_open[:, None, :], sold.shape)] = 0
    return days, is_open, sold


def build_world(stores: int, dishes: int, seed: int) -> dict[str, Any]:
    """Organization, stores, items, dishes, suppliers and stock, through the services."""
    from boh.catalog import services as catalog
    from boh.inventory.services import LotSpec, MoveSpec, post_moves
    from boh.menu import services as menu
    from boh.org import services as org
    from boh.org.access import system_actor
    from boh.purchasing import services as purchasing

    rng = np.random.default_rng(seed + 1)
    organization = org.create_organization(code="chain", name="Bench 连锁餐饮")
    actor = system_actor(organization)
    org.update_organization(actor, negative_stock="allow")
    regions = [
        org.create_region(actor, code=f"R{r}", name=f"Region {r}").pk for r in range(REGIONS)
    ]
    locations = [
        org.create_location(
            actor, code=f"S{s:03d}", name=f"Store {s}", region_id=regions[s % REGIONS]
        ).pk
        for s in range(stores)
    ]
    items = [
        catalog.create_item(
            actor,
            code=f"I{i:03d}",
            name=f"Ingredient {i}",
            base_unit="g",
            shelf_life_days=int(rng.integers(2, 30)),
        )
        for i in range(INGREDIENTS)
    ]
    menu_items = []
    for d in range(dishes):
        dish = menu.create_menu_item(actor, code=f"D{d:03d}", name=f"Dish {d}")
        used = rng.choice(INGREDIENTS, LINES_PER_RECIPE, replace=False)
        menu.define_recipe(
            actor,
            menu_item_id=dish.pk,
            effective_from=TODAY - dt.timedelta(days=HISTORY_DAYS + 30),
            lines=[
                {
                    "item_id": items[i].pk,
                    "quantity": Decimal(int(rng.integers(5, 250))),
                    "unit": "g",
                }
                for i in used
            ],
        )
        menu_items.append(dish.pk)
    for n in range(SUPPLIERS):
        supplier = purchasing.create_supplier(
            actor, code=f"SUP{n}", name=f"Supplier {n}", email=f"orders{n}@supplier.example"
        )
        for i in range(n, INGREDIENTS, SUPPLIERS):
            si = purchasing.create_supplier_item(
                actor,
                supplier,
                item_id=items[i].pk,
                supplier_code=f"P{i:03d}",
                pack_code="CTN",
                pack_size=1,
                pack_unit="kg",
                price="35.50",
                moq=1,
                valid_from=dt.date(2020, 1, 1),
            )
            purchasing.set_preferred_supplier(actor, supplier_item_id=si.pk)
        for location_id in locations:
            purchasing.set_delivery_terms(
                actor,
                supplier,
                location_id=location_id,
                delivery_weekdays=[1, 4],
                cutoff_time="14:00",
                lead_time_days=1,
            )
    at = dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(22), dt.UTC)
    specs = []
    for s, location_id in enumerate(locations):
        for i, item in enumerate(items):
            specs.append(
                MoveSpec(
                    location_id,
                    item.pk,
                    Decimal(int(rng.integers(200, 3000))),
                    "receipt",
                    new_lot=LotSpec(
                        code=f"L{s}-{i}",
                        expiry_date=TODAY + dt.timedelta(days=int(rng.integers(1, 6))),
                    ),
                    unit_cost=Decimal("0.03"),
                    happened_at=at,
                )
            )
    for start in range(0, len(specs), 5000):
        post_moves(actor, specs[start : start + 5000], source_type="bench", source_id="stock")
    return {"organization_id": organization.pk, "locations": locations, "menu_items": menu_items}


def load_facts(world: dict[str, Any], stores: int, dishes: int, seed: int) -> int:
    """Two years of daily sales facts, in bulk through the sales module's fact statements,
    day by day as tickets would have written them; a dish not sold on a day has no row."""
    from django.db import connection, transaction

    from boh.sales.services import facts, rows

    days, is_open, sold = synthetic_sales(stores, dishes, seed)
    organization_id = world["organization_id"]
    locations = world["locations"]
    menu_items = np.array(world["menu_items"])
    written = 0
    daily: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        # A page cache that holds the fact indexes while loading (SQLite's default is 2 MB).
        cursor.execute("PRAGMA cache_size = -1000000")

    def flush() -> None:
        with transaction.atomic():
            rows.execute_many(facts.UPSERT_DAILY, daily)
            rows.execute_many(facts.UPSERT_ITEMS, items)
        daily.clear()
        items.clear()

    for t, day in enumerate(days):
        stamp = rows.db_date(day.date())
        for s in np.flatnonzero(is_open[:, t]).tolist():
            quantities = sold[s, :, t]
            portions = int(quantities.sum())
            covers = max(1, portions // 3)
            daily.append(
                (
                    organization_id,
                    locations[s],
                    stamp,
                    "dine_in",
                    12,
                    max(1, covers // 2),
                    covers,
                    portions * PRICE,
                    0,
                    0,
                    portions * PRICE,
                )
            )
            dish = np.flatnonzero(quantities)
            items.extend(
                (organization_id, locations[s], stamp, m, q, q * PRICE)
                for m, q in zip(menu_items[dish].tolist(), quantities[dish].tolist(), strict=True)
            )
        if len(items) >= ROWS_PER_WRITE:
            written += len(items)
            flush()
    written += len(items)
    flush()
    return written


def load(args: argparse.Namespace) -> None:
    """The loading process: database, world and history; prints its timings as JSON."""
    setup_django(args.folder, migrate=True)
    t = time.perf_counter()
    world = build_world(args.stores, args.dishes, args.seed)
    built = time.perf_counter() - t
    t = time.perf_counter()
    facts = load_facts(world, args.stores, args.dishes, args.seed)
    loaded = time.perf_counter() - t
    print(json.dumps({"world": built, "facts": loaded, "rows": facts}))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--stores", type=int, default=200)
    parser.add_argument("--dishes", type=int, default=100)
    parser.add_argument("--horizon", type=int, default=14)
    parser.add_argument(
        "--threads", type=int, default=1, help="LightGBM threads (see Settings.threads)"
    )
    parser.add_argument("--origins", type=int, default=4, help="training origins of the GBM")
    parser.add_argument("--rounds", type=int, default=200, help="boosting rounds of the GBM")
    parser.add_argument(
        "--train-series", type=int, default=2000, help="series the global model trains on"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", help="build the database in this folder and keep it")
    parser.add_argument(
        "--reuse", action="store_true", help="plan on the database --keep already holds"
    )
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--load-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if args.load_only:
        load(args)
        return

    folder = args.keep or tempfile.mkdtemp(prefix="boh-forecast-scale-")
    Path(folder).mkdir(parents=True, exist_ok=True)
    if args.reuse and args.keep and (Path(folder) / "bench.sqlite3").exists():
        loaded = None
        setup_django(folder, migrate=True)
    else:
        command = [sys.executable, __file__, "--load-only", "--folder", folder]
        command += ["--stores", str(args.stores), "--dishes", str(args.dishes)]
        command += ["--seed", str(args.seed)]
        # This same script, in a process of its own so that its memory is counted apart.
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
        loaded = json.loads(output.splitlines()[-1])
        setup_django(folder, migrate=False)

    from django.utils import timezone

    from boh.org.access import system_actor
    from boh.org.models import Organization
    from boh.planning.forecast.pipeline import BASELINE, GBM, Settings
    from boh.planning.models import ForecastRun, IngredientDemand, SuggestionLine
    from boh.planning.services.nightly import plan_organization

    settings = Settings(
        horizon=args.horizon,
        country="CN",
        models=(BASELINE, GBM),
        backtest_origins=1,
        n_origins=args.origins,
        num_boost_round=args.rounds,
        threads=args.threads,
        train_series=args.train_series,
    )
    organization = Organization.objects.get(code="chain")
    stages: dict[str, float] = {}
    current = ["start", time.perf_counter()]

    def progress(stage: str) -> None:
        now = time.perf_counter()
        name = str(current[0]).split(" ")[0]
        stages[name] = stages.get(name, 0.0) + now - float(current[1])
        current[:] = [stage, now]

    now = dt.datetime.combine(TODAY, dt.time(9), timezone.get_default_timezone())
    started = time.perf_counter()
    cpu_before = _cpu_seconds()
    result = plan_organization(
        system_actor(organization),
        horizon=args.horizon,
        today=TODAY,
        now=now,
        trigger=ForecastRun.Trigger.NIGHTLY,
        settings=settings,
        progress=progress,
    )
    progress("end")
    total = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before

    run = result.run
    n = run.series_count
    demand = IngredientDemand.objects.filter(run=run).count()
    lines = SuggestionLine.objects.filter(suggestion__in=result.suggestions)
    own, children = peak_mb()
    print(
        f"{n:,} series ({args.stores} stores x {args.dishes} dishes, and covers and net sales "
        f"per store), {HISTORY_DAYS} days of history, horizon {args.horizon}; model {run.model}"
    )
    if loaded is not None:
        print(
            f"  load (separate process): world {loaded['world']:.1f}s, "
            f"{loaded['rows']:,} daily item facts {loaded['facts']:.1f}s"
        )
    else:
        print(f"  load: reused the database in {folder}")
    for group, scores in run.backtest.items():
        print(f"  backtest {group}: {scores}")
    print("  " + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in stages.items()))
    print(
        f"  {demand:,} ingredient demand rows, {len(result.suggestions):,} suggested orders of "
        f"{lines.count():,} lines ({lines.filter(packs__gt=0).count():,} to order), "
        f"{len(result.transfers):,} suggested transfers, "
        f"{len(result.automatic_orders):,} automatic orders"
    )
    print(
        f"  CPU time of the chain {cpu:.0f}s of {total:.0f}s wall (the rest: waiting for a core "
        f"or the disk; load average {os.getloadavg()[0]:.1f} at the end)"
    )
    print(f"  peak memory: {own:,.0f} MB in this process, {children:,.0f} MB loading")
    print(
        f"ratio {total / GOAL_SECONDS:.2f} ({total:.0f}s for {n:,} series = {n / total:,.0f} "
        f"series/s vs goal {GOAL_SECONDS}s; peak {own / 1024:.1f} GB vs 8 GB)"
    )


if __name__ == "__main__":
    main()
