"""Weekly dish forecasts of a real takeaway against each dish's weekday mean of the last 8 weeks.

    .venv/bin/python bench/forecast_takeaway.py \
        --data ../shared/data/takeaway-restaurant-1/restaurant-1-orders.csv \
        --cutoff 2019-04-30 --horizon 28 --out var/takeaway.csv

Reads order lines (Order Number, Order Date dd/mm/yyyy HH:MM, Item Name, Quantity, ...),
trains on the days up to the cutoff and writes date,item,quantity for every dish sold in
the last 8 weeks and every day of the horizon. Orders before 04:00 belong to the previous
business date, as at a BOH location with a 04:00 day cut-off.

Most dishes sell a few times a week or less: a model per dish learns mostly noise. So:

1. The restaurant's total daily quantity is forecast with the engine (`forecast_panel`,
   weekday x holiday baseline, England's holidays), and its level calibrated on rolling
   origins: the engine works on log1p values, which estimates a median-like level, while a
   weekly total needs the mean, so the ratio of actual to forecast totals over the last
   `--backtests` horizons of history scales the forecast.
2. Each dish gets its share of that total, weighted to recent weeks (half-life 16 weeks,
   over the last year), among dishes sold in the last 8 weeks.
3. A dish forecast to sell under `--sparse-below` a week gets its weekly P50 (the median of
   a Poisson count with that mean) instead of its mean, because the median is the forecast
   that minimises absolute error; its days share that weekly P50 like the total's days.
   Below ln 2 (0.69) a week that median is 0: such a dish is forecast not to sell.
4. The result is blended with the dish's own weekday mean of the last 8 weeks (`--blend`,
   the baseline's weight): the share model knows the restaurant's level and calendar, the
   dish's own recent weekdays know what the share misses (a dish on the way up or out).
   Chosen on cutoffs 2018-12-31, 2019-01-31, 2019-02-28 and 2019-03-31 (mean ratio 0.956
   with half-life 8 weeks and no blend, 0.950 with 16 weeks and a blend of 0.2).

When the file has days after the horizon's start, the script scores WAPE and bias of
weekly quantities per dish (weeks of 7 days from the first forecast day) against the
baseline computed in the same run: each dish's mean per weekday over the last 8 weeks of
open days (a day the restaurant sold nothing counts as closed).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from boh.planning.forecast.engine import forecast_panel
from boh.planning.forecast.metrics import bias, wape
from boh.planning.forecast.panel import PAD, Panel, build_panel

COUNTRY = "GB"
RECENT_WEEKS = 8
SHARE_HALFLIFE_WEEKS = 16.0
DAY_CUTOFF_HOURS = 4


def poisson_median(mean: np.ndarray) -> np.ndarray:
    """The median of a Poisson count with each mean: the least k with P(X <= k) >= 1/2."""
    result = np.zeros(mean.shape)
    for index, lam in np.ndenumerate(mean):
        k, term = 0, math.exp(-lam)
        total = term
        while total < 0.5:
            k += 1
            term *= lam / k
            total += term
        result[index] = k
    return result


def read_orders(path: Path) -> pd.DataFrame:
    orders = pd.read_csv(path)
    moment = pd.to_datetime(orders["Order Date"], format="%d/%m/%Y %H:%M")
    return pd.DataFrame(
        {
            "date": (moment - pd.Timedelta(hours=DAY_CUTOFF_HOURS)).dt.normalize(),
            "item": orders["Item Name"].astype(str),
            "quantity": orders["Quantity"].astype(float),
        }
    )


def calibrated_total(train: pd.DataFrame, cutoff: pd.Timestamp, horizon: int, backtests: int):
    """The engine's daily forecast of the total, and the mean/median scale from backtests."""
    total = train.groupby("date")["quantity"].sum()
    panel = build_panel(
        pd.DataFrame({"series": "total", "date": total.index, "y": total.to_numpy()}),
        end=cutoff,
    )
    n_days = panel.values.shape[1] - PAD
    actual_sum = forecast_sum = 0.0
    used = 0
    for k in range(1, backtests + 1):
        cut = n_days - k * horizon
        if cut < 8 * 7:
            break
        past = Panel(panel.series, panel.start, panel.values[:, : PAD + cut])
        forecast = forecast_panel(past, horizon, country=COUNTRY, model="weighted_mean").p50[0]
        actual = panel.values[0, PAD + cut : PAD + cut + horizon]
        seen = ~np.isnan(actual)
        actual_sum += float(actual[seen].sum())
        forecast_sum += float(forecast[seen].sum())
        used += 1
    scale = actual_sum / forecast_sum if forecast_sum > 0 else 1.0
    result = forecast_panel(panel, horizon, country=COUNTRY, model="weighted_mean")
    return result.dates, result.p50[0], scale, used


def dish_shares(train: pd.DataFrame, cutoff: pd.Timestamp, dishes: list[str]) -> pd.Series:
    """Each dish's share of the quantity sold, weighted to recent weeks."""
    year = train[train["date"] > cutoff - pd.Timedelta(days=364)]
    age_weeks = ((cutoff - year["date"]).dt.days // 7).to_numpy()
    weights = 0.5 ** (age_weeks / SHARE_HALFLIFE_WEEKS)
    weighted = (year["quantity"] * weights).groupby(year["item"]).sum()
    weighted = weighted.reindex(dishes, fill_value=0.0)
    return weighted / weighted.sum()


def weekly(daily: np.ndarray) -> np.ndarray:
    """(dishes, days) -> (dishes, weeks): sums of 7-day blocks; a last short block too."""
    n_weeks = -(-daily.shape[1] // 7)
    padded = np.zeros((daily.shape[0], n_weeks * 7))
    padded[:, : daily.shape[1]] = daily
    return padded.reshape(daily.shape[0], n_weeks, 7).sum(axis=2)


def forecast_dishes(
    orders: pd.DataFrame,
    cutoff: pd.Timestamp,
    horizon: int,
    backtests: int,
    sparse_below: float,
    blend: float,
) -> tuple[pd.DatetimeIndex, list[str], np.ndarray, dict[str, object]]:
    train = orders[orders["date"] <= cutoff]
    recent = train[train["date"] > cutoff - pd.Timedelta(days=7 * RECENT_WEEKS)]
    dishes = sorted(recent["item"].unique())
    dates, total, scale, used = calibrated_total(train, cutoff, horizon, backtests)
    total = total * scale
    shares = dish_shares(train, cutoff, dishes).to_numpy()
    daily = shares[:, None] * total[None, :]

    # Sparse dishes: the weekly P50, spread over the week's days like the total.
    weeks = weekly(daily)
    per_week_mean = weeks.mean(axis=1) * 7 / min(7, horizon)
    sparse = per_week_mean < sparse_below
    day_weight = np.array(
        [total[d] / total[(d // 7) * 7 : (d // 7) * 7 + 7].sum() for d in range(horizon)]
    )
    for row in np.flatnonzero(sparse):
        median = poisson_median(weeks[row])
        daily[row] = median[np.arange(horizon) // 7] * day_weight
    daily = (1 - blend) * daily + blend * baseline(orders, cutoff, dates, dishes)
    notes = {
        "dishes": len(dishes),
        "sparse": int(sparse.sum()),
        "scale": scale,
        "backtests": used,
        "total_per_day": float(total.mean()),
        "blend": blend,
    }
    return dates, dishes, daily, notes


def baseline(
    orders: pd.DataFrame, cutoff: pd.Timestamp, dates: pd.DatetimeIndex, dishes: list[str]
):
    """Each dish's mean quantity per weekday over the last 8 weeks of open days."""
    train = orders[orders["date"] <= cutoff]
    window = train[train["date"] > cutoff - pd.Timedelta(days=7 * RECENT_WEEKS)]
    open_days = pd.DatetimeIndex(sorted(window["date"].unique()))
    per_day = window.groupby(["item", "date"])["quantity"].sum().unstack(fill_value=0.0)
    per_day = per_day.reindex(index=dishes, columns=open_days, fill_value=0.0)
    by_weekday = per_day.T.groupby(open_days.dayofweek).mean().T
    return np.array(
        [
            [
                by_weekday.at[dish, d.dayofweek] if d.dayofweek in by_weekday.columns else 0.0
                for d in dates
            ]
            for dish in dishes
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--cutoff", required=True, type=pd.Timestamp)
    parser.add_argument("--horizon", type=int, default=28)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--backtests", type=int, default=6, help="rolling origins for the level")
    parser.add_argument(
        "--sparse-below", type=float, default=0.5, help="weekly mean under which P50 is used"
    )
    parser.add_argument(
        "--blend", type=float, default=0.2, help="weight of the dish's 8-week weekday mean"
    )
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    started = time.perf_counter()
    orders = read_orders(args.data)
    cutoff = args.cutoff.normalize()
    dates, dishes, daily, notes = forecast_dishes(
        orders, cutoff, args.horizon, args.backtests, args.sparse_below, args.blend
    )
    seconds = time.perf_counter() - started
    out = pd.DataFrame(
        {
            "date": np.tile(dates.strftime("%Y-%m-%d"), len(dishes)),
            "item": np.repeat(dishes, len(dates)),
            "quantity": daily.reshape(-1).round(4),
        }
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(args.out, index=False)
    print(
        f"{notes['dishes']} dishes sold in the last {RECENT_WEEKS} weeks forecast from the "
        f"engine's total ({notes['total_per_day']:.1f} a day, level x{notes['scale']:.3f} "
        f"from {notes['backtests']} backtests) by recent share; {notes['sparse']} sparse "
        f"dishes (under {args.sparse_below:g} a week) at their weekly P50; blended "
        f"{notes['blend']:g} with the 8-week weekday mean; "
        f"{seconds:.1f}s; wrote {args.out}"
    )

    truth = orders[(orders["date"] >= dates[0]) & (orders["date"] <= dates[-1])]
    if truth.empty:
        print("no sales after the cutoff in the file: nothing to score")
        return
    every = sorted(set(dishes) | set(truth["item"]))
    actual = (
        truth.groupby(["item", "date"])["quantity"]
        .sum()
        .unstack(fill_value=0.0)
        .reindex(index=every, columns=dates, fill_value=0.0)
        .to_numpy()
    )
    row_of = {dish: i for i, dish in enumerate(every)}
    model = np.zeros_like(actual)
    base = np.zeros_like(actual)
    rows = [row_of[d] for d in dishes]
    model[rows] = daily
    base[rows] = baseline(orders, cutoff, dates, dishes)
    unseen = [d for d in every if d not in set(dishes)]
    unseen_sold = actual[[row_of[d] for d in unseen]].sum()
    a, m, b = weekly(actual), weekly(model), weekly(base)
    model_wape, base_wape = wape(m, a), wape(b, a)
    print(
        f"scored {len(every)} dishes x {a.shape[1]} weeks ({a.sum():.0f} sold); "
        f"{len(unseen)} dishes sold only after the cutoff ({unseen_sold:.0f}) "
        "count as forecast 0 in both"
    )
    print(
        f"baseline (weekday mean of the last 8 weeks): wape {base_wape:.3f} bias {bias(b, a):+.1%}"
    )
    print(
        f"ratio {model_wape / base_wape:.2f} wape {model_wape:.2f} vs baseline {base_wape:.2f} "
        f"bias {bias(m, a) * 100:+.1f}%"
    )


if __name__ == "__main__":
    main()
