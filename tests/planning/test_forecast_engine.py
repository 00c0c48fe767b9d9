"""The forecasting engine on small synthetic panels: calendar, gaps, baselines, the global model."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from boh.planning.forecast.baselines import same_weekday_last_week, weighted_weekday_mean
from boh.planning.forecast.calendar import calendar_frame
from boh.planning.forecast.engine import forecast_panel, panel_calendar
from boh.planning.forecast.metrics import bias, rmsle, wape
from boh.planning.forecast.panel import build_panel

PATTERN = [40, 42, 45, 50, 80, 120, 110]  # Monday .. Sunday


def _history(days: int, stores: int = 3, start: str = "2025-01-06") -> pd.DataFrame:
    rows = []
    for s in range(stores):
        for d in pd.date_range(start, periods=days, freq="D"):
            rows.append({"series": f"S{s}", "date": d, "y": PATTERN[d.day_of_week] * (1 + s)})
    return pd.DataFrame(rows)


def test_given_china_when_building_the_calendar_then_adjusted_days_and_holidays_show() -> None:
    cal = calendar_frame(dt.date(2026, 2, 13), dt.date(2026, 2, 24), "CN").set_index("date")

    working_saturday = cal.loc[pd.Timestamp("2026-02-14")]
    spring_festival = cal.loc[pd.Timestamp("2026-02-17")]
    assert (working_saturday["workday"], working_saturday["day_type"]) == (1, 3)
    assert working_saturday["off_day"] == 0
    assert working_saturday["major_holiday"] == 0
    assert (spring_festival["holiday"], spring_festival["major_holiday"]) == (1, 1)
    assert spring_festival["off_day"] == 1


def test_given_another_country_when_building_the_calendar_then_its_holidays_are_used() -> None:
    cal = calendar_frame(dt.date(2017, 3, 19), dt.date(2017, 3, 21), "JP").set_index("date")

    assert list(cal["holiday"]) == [0, 1, 0]  # Vernal Equinox Day, Monday 20 March 2017
    assert list(cal["days_to_holiday"])[:2] == [1, 0]


def test_given_closed_and_stock_out_days_when_building_a_panel_then_both_are_gaps() -> None:
    history = _history(14, stores=1)
    history["stockout"] = False
    history.loc[history["date"] == pd.Timestamp("2025-01-08"), "stockout"] = True
    history = history[history["date"] != pd.Timestamp("2025-01-09")]

    panel = build_panel(history, stockout_col="stockout")

    assert np.isnan(panel.values[0, panel.column(pd.Timestamp("2025-01-08"))])
    assert np.isnan(panel.values[0, panel.column(pd.Timestamp("2025-01-09"))])
    assert panel.values[0, panel.column(pd.Timestamp("2025-01-10"))] == 80


def test_given_a_steady_weekly_pattern_when_forecasting_baselines_then_they_repeat_it() -> None:
    panel = build_panel(_history(56))
    horizon = 14
    cal = panel_calendar(panel, horizon, "GB")
    origin = panel.end + pd.Timedelta(days=1)
    expected = np.array(
        [
            [PATTERN[d.day_of_week] * (1 + s) for d in pd.date_range(origin, periods=horizon)]
            for s in range(3)
        ]
    )

    weighted = weighted_weekday_mean(panel.extended(horizon), origin, horizon, np.zeros(len(cal)))
    last_week = same_weekday_last_week(panel.extended(horizon), origin, horizon)

    np.testing.assert_allclose(weighted, expected, rtol=1e-9)
    np.testing.assert_allclose(last_week, expected, rtol=1e-9)


def test_given_a_year_of_history_when_the_global_model_forecasts_then_it_tracks_it() -> None:
    rng = np.random.default_rng(7)
    history = _history(420, stores=6)
    history["y"] = np.round(history["y"] * rng.uniform(0.9, 1.1, len(history)))
    panel = build_panel(history)

    result = forecast_panel(panel, 14, country="GB", model="gbm", n_origins=10)

    truth = np.array(
        [[PATTERN[d.day_of_week] * (1 + s) for d in result.dates] for s in range(6)], dtype=float
    )
    assert result.p50.shape == (6, 14)
    assert (result.p50 >= 0).all()
    assert wape(result.p50, truth) < 0.08
    assert abs(bias(result.p50, truth)) < 0.05


def test_metrics_follow_their_definitions() -> None:
    forecast, actual = np.array([10.0, 0.0, 30.0]), np.array([20.0, 10.0, 30.0])

    assert wape(forecast, actual) == 20 / 60
    assert bias(forecast, actual) == -20 / 60
    assert rmsle(actual, actual) == 0.0
