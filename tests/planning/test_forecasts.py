"""Forecast runs from the daily sales facts: values, quantiles, fallback, accuracy."""

from __future__ import annotations

from boh.planning.models import ForecastRun, ForecastValue
from boh.planning.services.forecasts import run_forecast
from tests.conftest import World
from tests.planning.conftest import FAST, Plan


def test_given_ten_weeks_of_sales_when_forecasting_then_p50_and_p90_per_item_and_day(
    world: World, plan: Plan
) -> None:
    plan.weekly_history(world.store_a, weeks=10)
    plan.weekly_history(world.store_b, weeks=10, weekday=20, weekend=30)

    run = run_forecast(world.actor, horizon=7, today=plan.today, settings=FAST)

    assert run.status == ForecastRun.Status.DONE
    values = ForecastValue.objects.filter(run=run)
    print(run.backtest, run.warnings, run.model)
    noodles_a = values.filter(location=world.store_a, menu_item=plan.noodles).order_by("date")
    print([(v.date, round(v.p50, 1), round(v.p90, 1)) for v in noodles_a])
    assert noodles_a.count() == 7
