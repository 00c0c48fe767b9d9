"""A global gradient-boosted model over all series, forecasting every day of a horizon at once.

For a forecast origin (the first day to forecast), each series is described by what was
known the day before: recent levels over several windows, weekday profiles, how it
behaves on rest days, and where it stood a year earlier. Each target day adds its
calendar (weekday, holiday, adjusted working day, days to the next holiday) and its
distance from the origin. The model learns log1p(value) relative to the series' recent
weekday level from many past origins, so one model serves every series and every
horizon, and a new store borrows strength from the others.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from boh.planning.forecast.panel import Panel

logger = logging.getLogger(__name__)

WINDOWS = (7, 14, 28, 56, 112, 364)
DOW_WEEKS = (2, 4, 8, 16, 52)
CALENDAR_COLUMNS = (
    "dow",
    "holiday",
    "workday",
    "off_day",
    "prev_off",
    "next_off",
    "day_type",
    "major_holiday",
    "days_to_holiday",
    "days_since_holiday",
    "day_of_month",
    "month",
    "event",
)


def _nanmean(a: np.ndarray, axis: int) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        return np.nanmean(a, axis=axis)


def _nanmedian(a: np.ndarray, axis: int) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        return np.nanmedian(a, axis=axis)


def _nanstd(a: np.ndarray, axis: int) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        return np.nanstd(a, axis=axis)


def _ewm(block: np.ndarray, halflife: float) -> np.ndarray:
    """Recency-weighted mean along the last axis (most recent last), ignoring gaps."""
    n = block.shape[-1]
    w = 0.5 ** ((n - 1 - np.arange(n)) / halflife)
    seen = ~np.isnan(block)
    num = (np.where(seen, block, 0.0) * w).sum(axis=-1)
    den = (seen * w).sum(axis=-1)
    return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


@dataclass
class OriginFeatures:
    """Everything known about each series the day before an origin."""

    series_stats: dict[str, np.ndarray]  # name -> (n_series,)
    dow_stats: dict[str, np.ndarray]  # name -> (n_series, 7) by weekday
    base: np.ndarray  # (n_series, 7): the weekday level the target is measured against
    holiday_base: np.ndarray  # (n_series,): the level on weekday holidays, NaN if never seen


def _weighted(logs: np.ndarray, o: int, mask: np.ndarray, halflife: float) -> np.ndarray:
    span = min(o, 728)
    block = logs[:, o - span : o]
    w = 0.5 ** ((span - 1 - np.arange(span)) / halflife) * mask[o - span : o]
    seen = ~np.isnan(block)
    num = (np.where(seen, block, 0.0) * w).sum(axis=1)
    den = (seen * w).sum(axis=1)
    return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def origin_features(
    logs: np.ndarray, o: int, dows: np.ndarray, off: np.ndarray, holidays: np.ndarray
) -> OriginFeatures:
    """Series and weekday statistics from the columns before o."""
    stats: dict[str, np.ndarray] = {}
    for w in WINDOWS:
        block = logs[:, o - w : o]
        stats[f"mean_{w}"] = _nanmean(block, 1)
        stats[f"open_{w}"] = (~np.isnan(block)).mean(axis=1)
    for w in (28, 112):
        stats[f"median_{w}"] = _nanmedian(logs[:, o - w : o], 1)
    stats["std_56"] = _nanstd(logs[:, o - 56 : o], 1)
    stats["max_56"] = np.nanmax(np.where(np.isnan(logs[:, o - 56 : o]), -1, logs[:, o - 56 : o]), 1)
    stats["ewm_14"] = _ewm(logs[:, o - 112 : o], 14)
    stats["ewm_56"] = _ewm(logs[:, o - 364 : o], 56)
    seen = ~np.isnan(logs[:, :o])
    first = np.where(seen.any(axis=1), seen.argmax(axis=1), o)
    stats["age_days"] = (o - first).astype(float)
    last_seen = np.where(seen.any(axis=1), o - 1 - seen[:, ::-1].argmax(axis=1), -1)
    stats["days_since_last"] = np.where(last_seen >= 0, o - last_seen, 999).astype(float)
    year = logs[:, o - 364 : o]
    year_off = off[o - 364 : o].astype(bool)
    stats["off_effect"] = _nanmean(year[:, year_off], 1) - _nanmean(year[:, ~year_off], 1)
    stats["trend_28_112"] = stats["mean_28"] - stats["mean_112"]

    # Weekday profiles: the 52 weeks before o, folded so axis 2 is the weekday.
    block = logs[:, o - 364 : o].reshape(len(logs), 52, 7)
    first_dow = int(dows[o - 364])
    order = [(d - first_dow) % 7 for d in range(7)]  # position of weekday d in the fold
    folded = block[:, :, order]
    dow_stats: dict[str, np.ndarray] = {}
    for k in DOW_WEEKS:
        dow_stats[f"dow_mean_{k}w"] = _nanmean(folded[:, -k:, :], 1)
    dow_stats["dow_median_8w"] = _nanmedian(folded[:, -8:, :], 1)
    dow_stats["dow_ewm"] = np.stack([_ewm(folded[:, :, d], 6.0) for d in range(7)], axis=1)
    dow_stats["dow_last"] = folded[:, -1, :]
    dow_stats["dow_share"] = dow_stats["dow_mean_16w"] - stats["mean_112"][:, None]

    # The recency-weighted weekday level, with weekday holidays kept apart: the strongest
    # simple forecast, so the model only has to learn what it misses.
    weekday_holiday = (holidays == 1) & (dows < 5)
    base = np.stack(
        [_weighted(logs, o, (dows == d) & ~weekday_holiday, 60.0) for d in range(7)], axis=1
    )
    dow_stats["dow_wmean"] = base.copy()
    for fallback in (dow_stats["dow_mean_52w"], np.repeat(stats["ewm_56"][:, None], 7, 1)):
        base = np.where(np.isnan(base), fallback, base)
    holiday_base = _weighted(logs, o, weekday_holiday, 60.0)
    return OriginFeatures(stats, dow_stats, base, holiday_base)


def rows_for_origin(
    logs: np.ndarray,
    o: int,
    horizon: int,
    dows: np.ndarray,
    cal: pd.DataFrame,
    static: pd.DataFrame | None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Feature rows for every series x day of the horizon from origin column o, and the base."""
    n = logs.shape[0]
    holidays = cal["holiday"].to_numpy()
    feats = origin_features(logs, o, dows, cal["off_day"].to_numpy(), holidays)
    cols: dict[str, np.ndarray] = {}
    h = np.tile(np.arange(horizon), n)
    s = np.repeat(np.arange(n), horizon)
    target_cols = o + h
    target_dow = dows[target_cols]
    cols["horizon"] = h
    for name, values in feats.series_stats.items():
        cols[name] = values[s]
    for name, values in feats.dow_stats.items():
        cols[name] = values[s, target_dow]
    base = feats.base[s, target_dow]
    target_holiday = (holidays[target_cols] == 1) & (target_dow < 5)
    holiday_level = feats.holiday_base[s]
    cols["holiday_gap"] = holiday_level - base
    base = np.where(target_holiday & ~np.isnan(holiday_level), holiday_level, base)
    for name in CALENDAR_COLUMNS:
        cols[f"t_{name}"] = cal[name].to_numpy()[target_cols]
    year_ago = logs[s, target_cols - 364]
    cols["year_ago"] = year_ago - base
    around = np.stack([logs[s, target_cols - 364 + k] for k in range(-3, 4)], axis=1)
    cols["year_ago_week"] = _nanmean(around, 1) - base
    cols["base"] = base
    for name in list(cols):
        if name.startswith(("mean_", "median_", "ewm_", "dow_", "max_")) and name not in {
            "dow_share",
            "dow_wmean",
        }:
            cols[name] = cols[name] - base
    frame = pd.DataFrame(cols)
    if static is not None:
        for name in static.columns:
            frame[f"s_{name}"] = static[name].to_numpy()[s]
    return frame, base


@dataclass
class GlobalGBM:
    """LightGBM on log1p values relative to each series' weekday level."""

    horizon: int
    n_origins: int = 60
    origin_step: int = 7
    params: dict[str, object] = field(default_factory=dict)
    num_boost_round: int = 900
    seeds: tuple[int, ...] = (1,)
    models: list[object] = field(default_factory=list, repr=False)
    feature_names: list[str] = field(default_factory=list, repr=False)

    def _params(self, seed: int) -> dict[str, object]:
        base: dict[str, object] = {
            "objective": "regression",
            "learning_rate": 0.03,
            "num_leaves": 31,
            "min_data_in_leaf": 300,
            "feature_fraction": 0.7,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "lambda_l2": 1.0,
            "verbose": -1,
            "num_threads": 2,
            "seed": seed,
        }
        base.update(self.params)
        return base

    def training_frame(
        self, panel: Panel, cal: pd.DataFrame, static: pd.DataFrame | None, last_day: int
    ) -> tuple[pd.DataFrame, np.ndarray]:
        """Rows from past origins whose whole horizon lies inside history up to last_day."""
        logs = panel.log()
        dows = cal["dow"].to_numpy()
        frames, targets = [], []
        latest = last_day + 1 - self.horizon
        for k in range(self.n_origins):
            o = latest - k * self.origin_step
            if o - 364 < 0:
                break
            frame, base = rows_for_origin(logs, o, self.horizon, dows, cal, static)
            n = logs.shape[0]
            s = np.repeat(np.arange(n), self.horizon)
            h = np.tile(np.arange(self.horizon), n)
            y = logs[s, o + h] - base
            keep = ~np.isnan(y) & ~np.isnan(base)
            frames.append(frame[keep])
            targets.append(y[keep])
        return pd.concat(frames, ignore_index=True), np.concatenate(targets)

    def fit(self, panel: Panel, cal: pd.DataFrame, static: pd.DataFrame | None = None) -> GlobalGBM:
        """Train on origins ending at the last day of the panel's history."""
        import lightgbm as lgb

        last_day = panel.values.shape[1] - 1
        x, y = self.training_frame(panel, cal, static, last_day)
        self.feature_names = list(x.columns)
        logger.info("training forecast model on %d rows, %d features", len(x), x.shape[1])
        self.models = []
        for seed in self.seeds:
            data = lgb.Dataset(x, y, free_raw_data=False)
            self.models.append(lgb.train(self._params(seed), data, self.num_boost_round))
        return self

    def predict(
        self, panel: Panel, cal: pd.DataFrame, static: pd.DataFrame | None = None
    ) -> np.ndarray:
        """Forecasts (n_series, horizon) for the days right after the panel's history.

        `cal` must cover the history and the horizon; `panel` is the history alone.
        """
        o = panel.values.shape[1]
        logs = panel.extended(self.horizon).log()
        frame, base = rows_for_origin(logs, o, self.horizon, cal["dow"].to_numpy(), cal, static)
        pred = np.mean([m.predict(frame[self.feature_names]) for m in self.models], axis=0)  # type: ignore[attr-defined]
        level = np.where(np.isnan(base), 0.0, base) + pred
        return np.clip(np.expm1(level), 0, None).reshape(len(panel.series), self.horizon)
