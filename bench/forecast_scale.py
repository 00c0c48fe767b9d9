"""The nightly planning chain at chain scale: 20,000 store x dish series, two years of days.

    .venv/bin/python bench/forecast_scale.py [--stores 200] [--dishes 100] [--workers 2]

Measured on frames, not through the database: loading 14.6 million daily facts into SQLite
and back is a different question (the sales module's), and at this size it dominates
everything else. What runs here is the same code the nightly job runs after loading:

1. forecast: `boh.planning.forecast.pipeline.forecast_groups` (weekday baseline and global
   LightGBM backtested from rolling origins, the better one per group, P90 from the
   backtest errors), on a synthetic panel with closed days and sold-out gaps;
2. explosion: every dish's P50 and sigma through a recipe matrix into ingredient use per
   store and day (the database path does the same with `RecipeBook` vectors);
3. suggestions: `boh.planning.replenish.size_line` for every store x ingredient, with lots
   about to expire, open orders and weekly deliveries, in `--workers` processes.

Prints the time of each step, series per second and peak memory (this process and its
workers, from resource.getrusage); the last line compares the total with the 5-minute goal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from boh.planning import replenish
from boh.planning.forecast.panel import PAD, Panel
from boh.planning.forecast.pipeline import BASELINE, GBM, Settings, forecast_groups
from boh.planning.forecast.quantiles import sigma_from_quantiles

GOAL_SECONDS = 300
HISTORY_DAYS = 730
INGREDIENTS = 150
LINES_PER_RECIPE = 6


def synthetic_panel(stores: int, dishes: int, seed: int) -> tuple[Panel, np.ndarray]:
    """Poisson sales with store and dish levels, weekly shape, a slow trend, closed days
    (Chinese New Year week, one random day a month) and sold-out days as gaps."""
    rng = np.random.default_rng(seed)
    n = stores * dishes
    days = pd.date_range(end=pd.Timestamp("2026-03-31"), periods=HISTORY_DAYS, freq="D")
    store_level = rng.lognormal(0.0, 0.4, stores)
    dish_level = rng.lognormal(0.5, 1.0, dishes)
    weekly = np.array([0.85, 0.8, 0.85, 0.9, 1.15, 1.35, 1.2])[days.dayofweek.to_numpy()]
    trend = np.linspace(0.9, 1.1, HISTORY_DAYS)
    rate = (
        np.repeat(store_level, dishes)[:, None]
        * np.tile(dish_level, stores)[:, None]
        * (weekly * trend)[None, :]
    )
    values = rng.poisson(rate).astype(float)
    closed = np.zeros((stores, HISTORY_DAYS), dtype=bool)
    spring = (days >= pd.Timestamp("2025-01-28")) & (days <= pd.Timestamp("2025-02-03"))
    closed[:, spring] = True
    closed[np.arange(stores)[:, None], rng.integers(0, HISTORY_DAYS, (stores, 24))] = True
    values[np.repeat(closed, dishes, axis=0)] = np.nan
    values[rng.random(values.shape) < 0.003] = np.nan  # sold out
    full = np.full((n, PAD + HISTORY_DAYS), np.nan)
    full[:, PAD:] = values
    series = np.array([f"s{s}:d{d}" for s in range(stores) for d in range(dishes)], dtype=object)
    groups = np.where(np.tile(dish_level, stores) >= 1.0, "busy", "sparse")
    return Panel(series, days[0], full), groups


def recipes(dishes: int, seed: int) -> np.ndarray:
    """(dishes, ingredients) base quantity per portion."""
    rng = np.random.default_rng(seed + 1)
    matrix = np.zeros((dishes, INGREDIENTS))
    for d in range(dishes):
        used = rng.choice(INGREDIENTS, LINES_PER_RECIPE, replace=False)
        matrix[d, used] = rng.integers(5, 250, LINES_PER_RECIPE)
    return matrix


def _decimal(value: float) -> Decimal:
    return Decimal(repr(round(float(value), 3)))


def size_store(args: tuple[int, np.ndarray, np.ndarray, str, int]) -> tuple[int, int, int]:
    """Suggestions for one store: every ingredient through size_line."""
    store, use, sigma, first_day, seed = args
    rng = np.random.default_rng(seed + store)
    today = dt.date.fromisoformat(first_day)
    terms = replenish.DeliveryTerms(weekdays=(1, 4), cutoff=dt.time(14), lead_time_days=1)
    window = replenish.delivery_window(terms, dt.datetime.combine(today, dt.time(9)))
    lines = ordered = warned = 0
    for ingredient in range(use.shape[0]):
        if use[ingredient].sum() <= 0:
            continue
        demand = [
            replenish.DayDemand(
                today + dt.timedelta(days=h),
                _decimal(use[ingredient, h]),
                _decimal(sigma[ingredient, h]),
            )
            for h in range(use.shape[1])
        ]
        daily = float(use[ingredient].mean())
        lots = [
            replenish.LotStock(
                _decimal(daily * rng.uniform(0, 3)),
                today + dt.timedelta(days=int(rng.integers(1, 6))),
                1,
            ),
            replenish.LotStock(_decimal(daily * rng.uniform(0, 2)), None, None),
        ]
        incoming = [replenish.Incoming(_decimal(daily * 2), today + dt.timedelta(days=1))]
        result = replenish.size_line(
            replenish.LineInput(
                today=today,
                window=window,
                demand=demand,
                lots=lots,
                incoming=incoming,
                pack=replenish.PackTerms(Decimal(1000), Decimal(1), Decimal("35.50")),
                shelf_life_days=int(rng.integers(2, 30)),
                service_level=Decimal("0.95"),
            )
        )
        lines += 1
        ordered += 1 if result.packs else 0
        warned += 1 if result.warnings else 0
    return lines, ordered, warned


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
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="LightGBM threads (see Settings.threads)"
    )
    parser.add_argument("--origins", type=int, default=4, help="training origins of the GBM")
    parser.add_argument("--rounds", type=int, default=200, help="boosting rounds of the GBM")
    parser.add_argument(
        "--train-series", type=int, default=2000, help="series the global model trains on"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")

    timings: dict[str, float] = {}
    started = time.perf_counter()
    panel, groups = synthetic_panel(args.stores, args.dishes, args.seed)
    n = len(panel.series)
    timings["data"] = time.perf_counter() - started

    t = time.perf_counter()
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
    result = forecast_groups(panel, groups, settings)
    timings["forecast"] = time.perf_counter() - t

    t = time.perf_counter()
    matrix = recipes(args.dishes, args.seed)
    p50 = result.p50.reshape(args.stores, args.dishes, args.horizon)
    sigma = sigma_from_quantiles(result.p50, result.p90).reshape(p50.shape)
    use = np.einsum("sdh,di->sih", p50, matrix)
    use_sigma = np.sqrt(np.einsum("sdh,di->sih", sigma**2, matrix**2))
    timings["explosion"] = time.perf_counter() - t

    t = time.perf_counter()
    first_day = result.dates[0].date().isoformat()
    jobs = [(s, use[s], use_sigma[s], first_day, args.seed) for s in range(args.stores)]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        sized = list(
            pool.map(size_store, jobs, chunksize=max(1, args.stores // (4 * args.workers)))
        )
    timings["suggestions"] = time.perf_counter() - t
    total = time.perf_counter() - started

    lines = sum(s[0] for s in sized)
    own, children = peak_mb()
    print(
        f"{n:,} series ({args.stores} stores x {args.dishes} dishes), {HISTORY_DAYS} days of "
        f"history, horizon {args.horizon}; models chosen {result.chosen}"
    )
    for group, scores in result.backtest_report().items():
        print(f"  backtest {group}: {scores}")
    print(
        "  "
        + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items())
        + f"; {lines:,} order lines sized ({sum(s[1] for s in sized):,} to order, "
        f"{sum(s[2] for s in sized):,} with a warning)"
    )
    print(f"  peak memory: {own:,.0f} MB in this process, {children:,.0f} MB in a worker")
    print(
        f"ratio {total / GOAL_SECONDS:.2f} ({total:.0f}s for {n:,} series = {n / total:,.0f} "
        f"series/s vs goal {GOAL_SECONDS}s; peak {max(own, children) / 1024:.1f} GB vs 8 GB)"
    )


if __name__ == "__main__":
    main()
