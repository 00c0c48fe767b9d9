"""Simple forecasts that every model must beat, computed from the same panel."""

from __future__ import annotations

import numpy as np
import pandas as pd

from boh.planning.forecast.panel import Panel


def same_weekday_last_week(panel: Panel, origin: pd.Timestamp, horizon: int) -> np.ndarray:
    """The last observed value on the same weekday before origin, per series and day ahead."""
    o = panel.column(origin)
    logs = panel.log()
    out = np.full((len(panel.series), horizon), np.nan)
    for h in range(horizon):
        for back in range(1, 9):
            col = o + h - 7 * ((h // 7) + back)
            filled = np.isnan(out[:, h])
            if not filled.any():
                break
            out[filled, h] = logs[filled, col]
    return np.expm1(_fallback(out, logs[:, :o]))


def weighted_weekday_mean(
    panel: Panel,
    origin: pd.Timestamp,
    horizon: int,
    holidays: np.ndarray,
    halflife_days: float = 90.0,
) -> np.ndarray:
    """Recency-weighted mean of log1p(value) by series x weekday x holiday, back-transformed.

    holidays flags every panel column (history and horizon) that is a public holiday. A
    holiday on a weekday is forecast from the series' weekday holidays, pooled; a holiday
    on a weekend is an ordinary weekend day.
    """
    o = panel.column(origin)
    logs = panel.log()[:, :o]
    ages = (o - 1 - np.arange(o)).astype(float)
    weights = 0.5 ** (ages / halflife_days)
    dows = _dows(panel, o + horizon)
    off_days = ((holidays == 1) & (dows < 5)).astype(np.int8)
    seen = ~np.isnan(logs)
    filled = np.where(seen, logs, 0.0)
    out = np.full((len(panel.series), horizon), np.nan)
    cache: dict[tuple[int, int], np.ndarray] = {}
    for h in range(horizon):
        col = o + h
        key = (int(dows[col]), int(off_days[col]))
        if key not in cache:
            mask = (dows[:o] == key[0]) & (off_days[:o] == key[1])
            if key[1] == 1:
                # Weekday holidays are rare: pool them across weekdays.
                mask = off_days[:o] == 1
            w = weights * mask
            num = (filled * w).sum(axis=1)
            den = (seen * w).sum(axis=1)
            cache[key] = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
        out[:, h] = cache[key]
    # Series without a holiday history fall back to their plain weekday mean.
    for h in range(horizon):
        missing = np.isnan(out[:, h])
        if missing.any():
            col = o + h
            mask = dows[:o] == dows[col]
            w = weights * mask
            num = (filled * w).sum(axis=1)
            den = (seen * w).sum(axis=1)
            out[missing, h] = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)[missing]
    return np.expm1(_fallback(out, logs))


def _dows(panel: Panel, n_cols: int) -> np.ndarray:
    first = (panel.start - pd.Timedelta(days=panel.column(panel.start))).day_of_week
    return (first + np.arange(n_cols)) % 7


def _fallback(out: np.ndarray, logs: np.ndarray) -> np.ndarray:
    """Fill gaps with the series' overall mean, then with zero."""
    with np.errstate(all="ignore"):
        overall = np.nanmean(np.where(np.isnan(logs), np.nan, logs), axis=1)
    overall = np.where(np.isnan(overall), 0.0, overall)
    return np.where(np.isnan(out), overall[:, None], out)
