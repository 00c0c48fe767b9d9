"""Forecast error measures, as DOMAIN.md defines them."""

from __future__ import annotations

import numpy as np


def rmsle(forecast: np.ndarray, actual: np.ndarray) -> float:
    f = np.log1p(np.clip(np.asarray(forecast, dtype=float), 0, None))
    a = np.log1p(np.asarray(actual, dtype=float))
    return float(np.sqrt(np.mean((f - a) ** 2)))


def wape(forecast: np.ndarray, actual: np.ndarray) -> float:
    a = np.asarray(actual, dtype=float)
    total = a.sum()
    return float(np.abs(np.asarray(forecast, dtype=float) - a).sum() / total) if total else 0.0


def bias(forecast: np.ndarray, actual: np.ndarray) -> float:
    a = np.asarray(actual, dtype=float)
    total = a.sum()
    return float((np.asarray(forecast, dtype=float) - a).sum() / total) if total else 0.0
