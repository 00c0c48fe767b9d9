"""The global model with features that differ by series and day: promotions, local events,
weather. The calendar is shared by every series; these are not (a fair in one district, rain
in one city), so they come as (n_series, n_columns) matrices aligned with the panel's
columns followed by the horizon, NaN where unknown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from boh.planning.forecast.gbm import GlobalGBM, rows_for_origin
from boh.planning.forecast.panel import Panel

logger = logging.getLogger(__name__)


def _add_exog(
    frame: pd.DataFrame, exog: dict[str, np.ndarray], o: int, horizon: int, n: int
) -> pd.DataFrame:
    """Each exogenous value of the row's series on the row's target day, as x_<name>."""
    s = np.repeat(np.arange(n), horizon)
    h = np.tile(np.arange(horizon), n)
    for name, matrix in exog.items():
        frame[f"x_{name}"] = matrix[s, o + h]
    return frame


@dataclass
class ExogGBM(GlobalGBM):
    """GlobalGBM whose rows also carry the series' exogenous values on the target day."""

    exog: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def training_frame(
        self, panel: Panel, cal: pd.DataFrame, static: pd.DataFrame | None, last_day: int
    ) -> tuple[pd.DataFrame, np.ndarray]:
        """Rows from past origins whose whole horizon lies inside history up to last_day."""
        logs = panel.log()
        dows = cal["dow"].to_numpy()
        n = logs.shape[0]
        s = np.repeat(np.arange(n), self.horizon)
        h = np.tile(np.arange(self.horizon), n)
        frames, targets = [], []
        latest = last_day + 1 - self.horizon
        for k in range(self.n_origins):
            o = latest - k * self.origin_step
            if o - 364 < 0:
                break
            frame, base = rows_for_origin(logs, o, self.horizon, dows, cal, static)
            frame = _add_exog(frame, self.exog, o, self.horizon, n)
            y = logs[s, o + h] - base
            keep = ~np.isnan(y) & ~np.isnan(base)
            frames.append(frame[keep])
            targets.append(y[keep])
        return pd.concat(frames, ignore_index=True), np.concatenate(targets)

    def predict(
        self, panel: Panel, cal: pd.DataFrame, static: pd.DataFrame | None = None
    ) -> np.ndarray:
        """Forecasts (n_series, horizon) for the days right after the panel's history."""
        o = panel.values.shape[1]
        n = len(panel.series)
        logs = panel.extended(self.horizon).log()
        frame, base = rows_for_origin(logs, o, self.horizon, cal["dow"].to_numpy(), cal, static)
        frame = _add_exog(frame, self.exog, o, self.horizon, n)
        pred = np.mean([m.predict(frame[self.feature_names]) for m in self.models], axis=0)  # type: ignore[attr-defined]
        level = np.where(np.isnan(base), 0.0, base) + pred
        return np.clip(np.expm1(level), 0, None).reshape(n, self.horizon)
