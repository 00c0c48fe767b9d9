"""`boh forecast` and `boh import_weather`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from boh.planning.models import ForecastRun, WeatherDay
from tests.conftest import World
from tests.planning.conftest import Plan


def test_given_sales_when_running_boh_forecast_for_a_store_then_a_run_and_a_summary(
    world: World, plan: Plan
) -> None:
    plan.flat_history(world.store_a, days=28, noodles=10, eggs=5)
    out = io.StringIO()

    call_command(
        "forecast",
        "--org",
        "acme",
        "--location",
        "A01",
        "--horizon",
        "3",
        "--no-progress",
        stdout=out,
    )

    run = ForecastRun.objects.get()
    assert (run.location, run.horizon, run.status) == (world.store_a, 3, "done")
    assert out.getvalue().startswith(f"Forecast run {run.pk}: 4 series from ")


def test_given_an_unknown_store_when_running_boh_forecast_then_a_clear_error(
    world: World,
) -> None:
    with pytest.raises(CommandError, match="--location: no location with code NOPE"):
        call_command("forecast", "--org", "acme", "--location", "NOPE", "--no-progress")


def test_given_a_kitchen_when_running_boh_forecast_for_it_then_refused(world: World) -> None:
    with pytest.raises(CommandError, match="location_id: Only active stores sell to guests"):
        call_command("forecast", "--org", "acme", "--location", "CK1", "--no-progress")

    assert not ForecastRun.objects.exists()


def test_given_a_weather_file_when_importing_then_rows_stored(world: World, tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    path.write_text(
        "location,region,date,temperature,rain_mm\nB01,,2026-07-01,30.5,1.2\n", encoding="utf-8"
    )
    out = io.StringIO()

    call_command("import_weather", str(path), "--org", "acme", "--no-progress", stdout=out)

    day = WeatherDay.objects.get()
    assert (day.location, str(day.temperature), str(day.rain_mm)) == (world.store_b, "30.5", "1.2")
    assert out.getvalue().strip() == "Imported 1 day of weather into acme."


def test_given_a_bad_weather_file_when_importing_then_nothing_and_the_rows_named(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "weather.csv"
    path.write_text("location,date,temperature\nB01,2026-07-01,hot\n", encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"1 errors in 1 rows; nothing was imported\."):
        call_command("import_weather", str(path), "--org", "acme", "--no-progress", stderr=err)

    assert err.getvalue().strip() == "rows[0].temperature: Enter a number. [invalid_number]"
    assert not WeatherDay.objects.exists()
