"""Forecasts tracked against the sales that followed, and China's calendar in the features."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from boh.planning import selectors
from boh.planning.forecast.engine import panel_calendar
from boh.planning.forecast.panel import build_panel
from boh.planning.models import Measure
from boh.planning.services.forecasts import run_forecast, score_forecasts
from tests.conftest import World
from tests.planning.conftest import FAST, Plan


def test_given_a_week_of_sales_after_a_forecast_when_scoring_then_wape_and_bias_per_item(
    world: World, plan: Plan
) -> None:
    # history 10 noodles and 5 egg dishes a day up to 8 days ago; the forecast made then
    # said so for the next 7 days, which then sold 12 and 6 a day
    plan.flat_history(world.store_a, days=63, noodles=10, eggs=5, skip=7)
    plan.flat_history(world.store_a, days=7, noodles=12, eggs=6)
    made_on = plan.today - dt.timedelta(days=7)
    run = run_forecast(world.actor, horizon=7, today=made_on, settings=FAST)

    scored = score_forecasts(world.actor, today=plan.today)

    run.refresh_from_db()
    rows = selectors.accuracy(
        world.actor, run=selectors.scored_run(world.actor), measure=Measure.ITEM
    )
    assert scored == 1
    assert run.scored_through == plan.today - dt.timedelta(days=1)
    assert [(r.menu_item_name, r.days, round(r.forecast, 3), r.actual) for r in rows] == [
        ("牛肉面", 7, 70.0, 84.0),
        ("皮蛋", 7, 35.0, 42.0),
    ]
    assert [(round(r.wape or 0, 4), round(r.bias or 0, 4)) for r in rows] == [
        (0.1667, -0.1667),
        (0.1667, -0.1667),
    ]
    assert (round(run.wape or 0, 4), round(run.bias or 0, 4)) == (0.1667, -0.1667)
    per_store = selectors.accuracy(world.actor, run=run, by_item=False, measure=Measure.ITEM)
    assert [(r.location_name, r.days, r.actual) for r in per_store] == [("A店", 14, 126.0)]
    # a second scoring the same day has nothing new to compare
    assert score_forecasts(world.actor, today=plan.today) == 0


def _calendar_after(last_day: str, horizon: int) -> pd.DataFrame:
    days = pd.date_range(pd.Timestamp(last_day) - pd.Timedelta(days=27), last_day)
    history = pd.DataFrame({"series": "s", "date": days, "y": np.full(len(days), 10.0)})
    panel = build_panel(history)
    cal = panel_calendar(panel, horizon, "CN")
    return cal.iloc[-horizon:].set_index(cal["date"].iloc[-horizon:].dt.date)


@pytest.mark.parametrize(
    ("day", "holiday", "workday", "day_type", "off_day"),
    [
        # Saturday 14 February 2026 is a working day before Spring Festival (调休)
        (dt.date(2026, 2, 14), 0, 1, 3, 0),
        # Sunday 15 February: the holiday starts
        (dt.date(2026, 2, 15), 1, 0, 2, 1),
        # Tuesday 17 February 2026: Spring Festival (春节), a weekday off
        (dt.date(2026, 2, 17), 1, 0, 2, 1),
        # Tuesday 24 February: back to work
        (dt.date(2026, 2, 24), 0, 1, 0, 0),
    ],
)
def test_given_china_when_forecasting_around_spring_festival_then_adjusted_days_are_known(
    day: dt.date, holiday: int, workday: int, day_type: int, off_day: int
) -> None:
    cal = _calendar_after("2026-02-13", 14)

    row = cal.loc[day]
    assert (row["holiday"], row["workday"], row["day_type"], row["off_day"]) == (
        holiday,
        workday,
        day_type,
        off_day,
    )


def test_given_spring_festival_when_forecasting_then_it_is_a_major_holiday() -> None:
    cal = _calendar_after("2026-02-13", 14)

    assert cal.loc[dt.date(2026, 2, 17), "major_holiday"] == 1
    assert cal.loc[dt.date(2026, 2, 16), "next_off"] == 1
