"""From a panel of history to P50 and P90 forecasts, choosing the model per series group.

For each group of series (menu items, covers, net sales; or whatever the caller groups by)
the weekday baseline and the global gradient-boosted model are both backtested from
rolling origins: the history is cut `horizon` days before its end (and again a horizon
before that), each model forecasts the cut-off days, and the one with the lower WAPE on
them serves the group. A tie goes to the baseline, the simpler model. The errors of the
chosen model in those backtests give each day ahead its P90 margin.

Everything here works on frames, so the nightly job, `boh forecast` and the benchmarks
share it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from boh.planning.forecast.baselines import weighted_weekday_mean
from boh.planning.forecast.engine import panel_calendar
from boh.planning.forecast.exog import ExogGBM
from boh.planning.forecast.gbm import GlobalGBM
from boh.planning.forecast.panel import PAD, Panel
from boh.planning.forecast.quantiles import (
    horizon_quantiles,
    log_errors,
    spread_from_history,
    upper,
)

logger = logging.getLogger(__name__)

BASELINE = "weighted_mean"
GBM = "gbm"
# A backtest origin needs this many days of history before it.
MIN_TRAIN_DAYS = 28

Progress = Callable[[str], None]


@dataclass
class Settings:
    """How a run forecasts: horizon, holiday calendar, models compared, model size."""

    horizon: int = 14
    country: str = "CN"
    models: tuple[str, ...] = (BASELINE, GBM)
    backtest_origins: int = 2
    n_origins: int = 40
    num_boost_round: int = 900
    quantile: float = 0.9
    # LightGBM threads. OpenMP threads spin while they wait: on a machine whose cores are
    # busy with other work, two threads train many times slower than one.
    threads: int = 1
    # A global model learns as much from a few thousand series as from all of them: above
    # this many, it trains on a fixed random sample of series and forecasts every one.
    train_series: int | None = None


@dataclass
class GroupScore:
    """A model's backtest error on one group of series."""

    wape: float
    bias: float
    actual: float
    points: int


@dataclass
class Result:
    """P50 and P90 per series and day ahead, the model each group chose and why."""

    series: np.ndarray
    dates: pd.DatetimeIndex
    p50: np.ndarray  # (n_series, horizon)
    p90: np.ndarray
    chosen: dict[str, str]
    scores: dict[str, dict[str, GroupScore]] = field(default_factory=dict)
    # (code, group): "not_backtested" (too little history), "p90_from_history".
    notes: list[tuple[str, str]] = field(default_factory=list)

    def backtest_report(self) -> dict[str, Any]:
        """Per group: each model's backtest WAPE and bias, and the model chosen."""
        return {
            group: {
                "chosen": self.chosen[group],
                **{
                    model: {"wape": round(s.wape, 4), "bias": round(s.bias, 4), "points": s.points}
                    for model, s in self.scores.get(group, {}).items()
                },
            }
            for group in sorted(self.chosen)
        }


def truncate(panel: Panel, days: int) -> Panel:
    """The panel's first `days` days of history."""
    return Panel(panel.series, panel.start, panel.values[:, : PAD + days])


def predict(
    model: str,
    panel: Panel,
    cal: pd.DataFrame,
    settings: Settings,
    *,
    static: pd.DataFrame | None = None,
    exog: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """One model's P50 for the horizon after the panel; cal covers history and horizon."""
    horizon = settings.horizon
    if model == BASELINE:
        origin = panel.end + pd.Timedelta(days=1)
        holidays = cal["holiday"].to_numpy()
        return weighted_weekday_mean(panel.extended(horizon), origin, horizon, holidays)
    if model == GBM:
        sample = _training_sample(len(panel.series), settings.train_series)
        train = (
            panel
            if sample is None
            else Panel(panel.series[sample], panel.start, panel.values[sample])
        )
        train_static = (
            static
            if static is None or sample is None
            else static.iloc[sample].reset_index(drop=True)
        )
        width = panel.values.shape[1] + horizon
        gbm: GlobalGBM
        if exog:
            gbm = ExogGBM(
                horizon=horizon,
                n_origins=settings.n_origins,
                num_boost_round=settings.num_boost_round,
                params={"num_threads": settings.threads},
                exog={
                    name: (m if sample is None else m[sample])[:, :width]
                    for name, m in exog.items()
                },
            )
        else:
            gbm = GlobalGBM(
                horizon=horizon,
                n_origins=settings.n_origins,
                num_boost_round=settings.num_boost_round,
                params={"num_threads": settings.threads},
            )
        gbm.fit(train, cal, train_static)
        if isinstance(gbm, ExogGBM) and exog:
            gbm.exog = {name: m[:, :width] for name, m in exog.items()}
        return gbm.predict(panel, cal, static)
    raise ValueError(f"unknown model {model}")


def _training_sample(n: int, limit: int | None) -> np.ndarray | None:
    """Rows of a fixed random sample of series to train on, or None for all of them."""
    if limit is None or n <= limit:
        return None
    return np.sort(np.random.default_rng(0).choice(n, limit, replace=False))


def forecast_groups(
    panel: Panel,
    groups: np.ndarray,
    settings: Settings,
    *,
    static: pd.DataFrame | None = None,
    exog: dict[str, np.ndarray] | None = None,
    events: Iterable[dt.date] = (),
    progress: Progress | None = None,
) -> Result:
    """P50 and P90 of every series for the horizon after the panel, by backtested model."""
    step = progress or (lambda _name: None)
    horizon = settings.horizon
    cal = panel_calendar(panel, horizon, settings.country, events)
    n_days = panel.values.shape[1] - PAD
    names = sorted(set(groups.tolist()))
    notes: list[tuple[str, str]] = []

    # Backtests from rolling origins: errors per model, per origin x series x day ahead.
    errors: dict[str, list[np.ndarray]] = {m: [] for m in settings.models}
    sums: dict[tuple[str, str], list[float]] = {}
    for k in range(1, settings.backtest_origins + 1):
        cut = n_days - k * horizon
        if cut < MIN_TRAIN_DAYS:
            break
        past = truncate(panel, cut)
        past_cal = cal.iloc[: PAD + cut + horizon].reset_index(drop=True)
        actual = panel.values[:, PAD + cut : PAD + cut + horizon]
        for model in settings.models:
            step(f"backtest {model} {k}")
            forecast = predict(model, past, past_cal, settings, static=static, exog=exog)
            known = ~np.isnan(actual)
            errors[model].append(np.where(known, log_errors(forecast, actual), np.nan))
            for group in names:
                rows = groups == group
                a = np.where(known[rows], actual[rows], 0.0)
                f = np.where(known[rows], forecast[rows], 0.0)
                acc = sums.setdefault((group, model), [0.0, 0.0, 0.0, 0.0])
                acc[0] += float(np.abs(f - a).sum())
                acc[1] += float((f - a).sum())
                acc[2] += float(a.sum())
                acc[3] += float(known[rows].sum())

    scores: dict[str, dict[str, GroupScore]] = {}
    chosen: dict[str, str] = {}
    for group in names:
        scores[group] = {}
        for model in settings.models:
            total = sums.get((group, model))
            if total is None or total[2] <= 0:
                continue
            scores[group][model] = GroupScore(
                total[0] / total[2], total[1] / total[2], total[2], int(total[3])
            )
        if scores[group]:
            # min() keeps the first of equal scores, the models being listed simplest first;
            # differences below 0.0001 of WAPE are noise, not a reason to switch.
            chosen[group] = min(scores[group], key=lambda m: round(scores[group][m].wape, 4))
        else:
            chosen[group] = settings.models[0]
            notes.append(("not_backtested", group))

    # The final forecasts: each model the groups chose, on the whole history.
    p50 = np.zeros((len(panel.series), horizon))
    p90 = np.zeros((len(panel.series), horizon))
    logs = panel.log()
    for model in sorted(set(chosen.values())):
        step(f"forecast {model}")
        forecast = predict(model, panel, cal, settings, static=static, exog=exog)
        for group in [g for g in names if chosen[g] == model]:
            rows = groups == group
            p50[rows] = forecast[rows]
            model_errors = errors.get(model) or []
            margin = None
            if model_errors:
                stacked = np.stack([e[rows] for e in model_errors])
                margin = horizon_quantiles(stacked, settings.quantile)
            if margin is None:
                margin = np.full(horizon, spread_from_history(logs[rows], logs.shape[1]))
                notes.append(("p90_from_history", group))
            p90[rows] = upper(forecast[rows], margin[None, :])
    dates = pd.date_range(panel.end + pd.Timedelta(days=1), periods=horizon, freq="D")
    return Result(panel.series, dates, p50, p90, chosen, scores, notes)
