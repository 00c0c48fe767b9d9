"""Upper quantiles (P90) from the errors a model made in backtests, per day ahead.

Errors are measured as log1p(actual) - log1p(forecast), which makes them relative for busy
series and absolute for sparse ones (a dish sold once or twice a day). A quantile of that
error added to log1p(P50) is the same quantile of the value, because log1p is monotone.
"""

from __future__ import annotations

import warnings

import numpy as np

# Fewer errors than this for one day ahead: pool every day ahead instead.
MIN_PER_HORIZON = 30
Z90 = 1.2815515655446004


def log_errors(forecast: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """log1p(actual) - log1p(forecast), NaN where the actual is unknown."""
    return np.log1p(np.asarray(actual, dtype=float)) - np.log1p(
        np.clip(np.asarray(forecast, dtype=float), 0, None)
    )


def horizon_quantiles(errors: np.ndarray, q: float = 0.9) -> np.ndarray | None:
    """The q-quantile of errors (origins x series, horizon) for each day ahead, or None when
    there are none; days ahead with few errors take the quantile of all days pooled."""
    flat = errors.reshape(-1, errors.shape[-1])
    seen = ~np.isnan(flat)
    if not seen.any():
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        pooled = float(np.nanquantile(flat, q))
        per_h = np.nanquantile(flat, q, axis=0)
    counts = seen.sum(axis=0)
    result = np.where(counts >= MIN_PER_HORIZON, per_h, pooled)
    return np.where(np.isnan(result), pooled, result)


def spread_from_history(logs: np.ndarray, last: int, window: int = 56) -> float:
    """A P90 margin in log space when there is no backtest: how far each series' days stray
    above its own weekday level over the last weeks, pooled."""
    block = logs[:, max(0, last - window) : last]
    if block.shape[1] < 7 or np.isnan(block).all():
        return float(np.log1p(1.0))
    weeks = block.shape[1] // 7
    block = block[:, block.shape[1] - weeks * 7 :].reshape(len(logs), weeks, 7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        level = np.nanmean(block, axis=1, keepdims=True)
        margin = np.nanquantile(block - level, 0.9)
    return float(margin) if np.isfinite(margin) and margin > 0 else float(np.log1p(1.0))


def upper(p50: np.ndarray, margin: np.ndarray | float) -> np.ndarray:
    """P90 from P50 and a log-space margin per day ahead (never below P50)."""
    level = np.log1p(np.clip(p50, 0, None)) + np.maximum(margin, 0.0)
    return np.maximum(np.expm1(level), p50)


def sigma_from_quantiles(p50: np.ndarray, p90: np.ndarray) -> np.ndarray:
    """The standard deviation a normal demand with this P50 and P90 would have."""
    return np.clip((np.asarray(p90) - np.asarray(p50)) / Z90, 0, None)
