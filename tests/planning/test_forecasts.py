"""Forecast runs from the daily sales facts: values, quantiles, fallback, accuracy."""

from __future__ import annotations

from boh.planning import selectors
from boh.planning.models import ForecastRun, ForecastValue, Suggestion
from boh.planning.services.forecasts import run_forecast
from boh.planning.services.nightly import plan_organization
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
    noodles_a = values.filter(location=world.store_a, menu_item=plan.noodles).order_by("date")
    assert noodles_a.count() == 7


def test_given_no_store_with_history_when_planning_then_no_forecast_and_each_store_said(
    world: World, plan: Plan
) -> None:
    result = plan_organization(
        world.actor, horizon=7, today=plan.today, now=plan.morning(), settings=FAST
    )

    run = result.run
    assert run.status == ForecastRun.Status.DONE
    assert not ForecastValue.objects.filter(run=run).exists()
    assert not Suggestion.objects.exists()
    assert [selectors.warning_text(w) for w in run.warnings] == [
        f"{store.name} has no sales history and no similar store has any: it has no forecast."
        for store in (world.store_a, world.store_b)
    ]
