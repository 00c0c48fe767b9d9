"""A dense series x day matrix of history, with closed days and stock-out days as gaps.

Closed days are missing, not zero; a stock-out day's sales understate demand, so it is a
gap too. Everything downstream reads NaN as "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PAD = 371  # 53 weeks of gap before the first day, so year-ago windows always exist


@dataclass
class Panel:
    series: np.ndarray
    start: pd.Timestamp  # date of column PAD
    values: np.ndarray  # (n_series, PAD + n_days), float64, NaN = unknown

    @property
    def end(self) -> pd.Timestamp:
        """The last day of history."""
        return self.start + pd.Timedelta(days=self.values.shape[1] - PAD - 1)

    def column(self, day: pd.Timestamp) -> int:
        return PAD + int((pd.Timestamp(day) - self.start).days)

    def log(self) -> np.ndarray:
        return np.log1p(self.values)

    def extended(self, days: int) -> Panel:
        """The same panel with `days` unknown days appended (the forecast horizon)."""
        gap = np.full((len(self.series), days), np.nan)
        return Panel(self.series, self.start, np.hstack([self.values, gap]))


def build_panel(
    history: pd.DataFrame,
    *,
    series_col: str = "series",
    date_col: str = "date",
    value_col: str = "y",
    stockout_col: str | None = None,
    end: pd.Timestamp | None = None,
    series: list[str] | None = None,
) -> Panel:
    """Pivot long history (one row per series and open day) into a Panel."""
    frame = history[[series_col, date_col, value_col]].copy()
    frame[date_col] = pd.to_datetime(frame[date_col])
    if stockout_col is not None:
        frame.loc[history[stockout_col].astype(bool).to_numpy(), value_col] = np.nan
    ids = np.array(sorted(set(frame[series_col])) if series is None else series, dtype=object)
    start = frame[date_col].min()
    last = frame[date_col].max() if end is None else pd.Timestamp(end)
    n_days = int((last - start).days) + 1
    values = np.full((len(ids), PAD + n_days), np.nan)
    row_of = {s: i for i, s in enumerate(ids)}
    rows = frame[series_col].map(row_of)
    keep = rows.notna() & (frame[date_col] <= last)
    cols = PAD + (frame.loc[keep, date_col] - start).dt.days.to_numpy()
    values[rows[keep].astype(int).to_numpy(), cols] = frame.loc[keep, value_col].to_numpy(float)
    return Panel(ids, start, values)
