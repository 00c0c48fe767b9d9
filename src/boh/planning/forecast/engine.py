"""Forecasting entry points shared by the nightly job, `boh forecast` and the benchmarks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from boh.planning.forecast.baselines import weighted_weekday_mean
from boh.planning.forecast.calendar import calendar_frame
from boh.planning.forecast.gbm import GlobalGBM
from boh.planning.forecast.panel import PAD, Panel


def panel_calendar(
    panel: Panel, horizon: int, country: str, events: Iterable[dt.date] = ()
) -> pd.DataFrame:
    """Calendar rows aligned with the panel's columns, plus the horizon after them."""
    first = (panel.start - pd.Timedelta(days=PAD)).date()
    last = (panel.end + pd.Timedelta(days=horizon)).date()
    cal = calendar_frame(first, last, country, events)
    assert len(cal) == panel.values.shape[1] + horizon
    return cal


@dataclass
class Forecast:
    series: np.ndarray
    dates: pd.DatetimeIndex
    p50: np.ndarray  # (n_series, horizon)
    model: str


def forecast_panel(
    panel: Panel,
    horizon: int,
    *,
    country: str = "CN",
    static: pd.DataFrame | None = None,
    events: Iterable[dt.date] = (),
    model: str = "gbm",
    n_origins: int = 60,
    threads: int = 1,
) -> Forecast:
    """Forecast every series of the panel for `horizon` days after its last day.

    The global model trains on up to `n_origins` weekly origins; 60 reaches back over a
    year and a quarter, which is all a panel of that length has. `threads` is LightGBM's
    thread count: on a machine whose cores are busy, one thread trains fastest.
    """
    cal = panel_calendar(panel, horizon, country, events)
    origin = panel.end + pd.Timedelta(days=1)
    dates = pd.date_range(origin, periods=horizon, freq="D")
    if model == "weighted_mean":
        ext = panel.extended(horizon)
        p50 = weighted_weekday_mean(ext, origin, horizon, cal["holiday"].to_numpy())
    elif model == "gbm":
        gbm = GlobalGBM(horizon=horizon, n_origins=n_origins, params={"num_threads": threads})
        gbm.fit(panel, cal, static)
        p50 = gbm.predict(panel, cal, static)
    else:
        raise ValueError(f"unknown model {model}")
    return Forecast(panel.series, dates, p50, model)
