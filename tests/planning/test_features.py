"""Events, weather and sold-out days reach the forecast as features and gaps."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from boh.org.models import Location
from boh.planning.forecast.panel import PAD
from boh.planning.history import event_matrices, load_history, weather_matrices
from boh.planning.models import ForecastRun, ForecastValue
from boh.planning.services import calendar
from boh.planning.services.forecasts import run_forecast
from tests.conftest import World
from tests.planning.conftest import FAST, Plan


def _stores(world: World) -> dict[int, Location]:
    return {
        loc.pk: loc
        for loc in Location.objects.filter(organization=world.org).select_related("region")
    }


def test_given_events_by_region_and_store_when_building_features_then_the_right_series_days(
    world: World,
) -> None:
    calendar.create_event(
        world.actor,
        kind="promotion",
        name="满减",
        start_date=dt.date(2026, 5, 2),
        end_date=dt.date(2026, 5, 3),
        region_id=world.north.pk,
    )
    calendar.create_event(
        world.actor, kind="local_event", name="音乐节", start_date=dt.date(2026, 5, 3)
    )
    dates = pd.date_range("2026-05-01", "2026-05-04")
    series = np.array([world.store_a.pk, world.store_b.pk])

    flags = event_matrices(world.org.pk, _stores(world), series, dates)

    assert flags["promotion"].tolist() == [[0, 1, 1, 0], [0, 0, 0, 0]]
    assert flags["local_event"].tolist() == [[0, 0, 1, 0], [0, 0, 1, 0]]


def test_given_weather_for_a_store_and_its_region_when_building_features_then_own_first(
    world: World,
) -> None:
    calendar.import_weather(
        world.actor,
        [
            {"region": "N", "date": "2026-05-01", "temperature": "20", "rain_mm": "0"},
            {"region": "N", "date": "2026-05-02", "temperature": "21", "rain_mm": "3"},
            {"location": "A01", "date": "2026-05-02", "temperature": "25.5", "rain_mm": "8"},
        ],
    )
    dates = pd.date_range("2026-05-01", "2026-05-03")
    series = np.array([world.store_a.pk, world.store_b.pk])

    weather = weather_matrices(world.org.pk, _stores(world), series, dates)

    assert np.array_equal(
        weather["temperature"], [[20.0, 25.5, np.nan], [np.nan] * 3], equal_nan=True
    )
    assert np.array_equal(weather["rain_mm"], [[0.0, 8.0, np.nan], [np.nan] * 3], equal_nan=True)


def test_given_a_sold_out_day_when_loading_history_then_it_is_a_gap_not_a_low_day(
    world: World, plan: Plan
) -> None:
    plan.flat_history(world.store_a, days=14, noodles=10, eggs=5)
    short = plan.today - dt.timedelta(days=3)
    calendar.mark_sold_out(
        world.actor, location_id=world.store_a.pk, menu_item_id=plan.noodles.pk, date=short
    )

    history = load_history(
        world.org.pk,
        [world.store_a.pk],
        start=plan.today - dt.timedelta(days=30),
        end=plan.today - dt.timedelta(days=1),
    )

    noodles = f"{world.store_a.pk}:item:{plan.noodles.pk}"
    values = history.panel.values[list(history.panel.series).index(noodles)]
    assert history.first_day == plan.today - dt.timedelta(days=14)
    assert np.isnan(values[history.panel.column(short)])
    assert values[history.panel.column(short - dt.timedelta(days=1))] == 10.0
    # the only gap of every series over the 14 open days
    assert int(np.isnan(history.panel.values[:, PAD:]).sum()) == 1
    assert history.open_days == {world.store_a.pk: 14}


def test_given_events_weather_and_a_closure_when_forecasting_then_features_used_and_closed_zero(
    world: World, plan: Plan
) -> None:
    plan.flat_history(world.store_a, days=42, noodles=10, eggs=5)
    closed = plan.today + dt.timedelta(days=2)
    calendar.create_event(
        world.actor,
        kind="promotion",
        name="周年庆",
        start_date=plan.today - dt.timedelta(days=10),
        end_date=plan.today + dt.timedelta(days=1),
        location_id=world.store_a.pk,
    )
    calendar.create_event(
        world.actor, kind="closure", name="装修", start_date=closed, location_id=world.store_a.pk
    )
    calendar.import_weather(
        world.actor,
        [
            {"location": "A01", "date": str(plan.today - dt.timedelta(days=n)), "temperature": "18"}
            for n in range(-3, 42)
        ],
    )

    run = run_forecast(world.actor, horizon=4, today=plan.today, settings=FAST)

    shut = ForecastValue.objects.filter(run=run, location=world.store_a, date=closed)
    open_day = ForecastValue.objects.get(
        run=run, location=world.store_a, date=plan.today, menu_item=plan.noodles
    )
    assert run.status == ForecastRun.Status.DONE
    assert {(v.p50, v.p90) for v in shut} == {(0.0, 0.0)}
    assert open_day.p50 > 0
