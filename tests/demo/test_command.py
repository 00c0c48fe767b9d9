"""`boh simulate` on the small demo chain: the table, the files and the ratio line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from boh.demo.chain import DemoChain
from boh.demo.models import SimulationRun
from boh.demo.simulate import services
from boh.planning.forecast import pipeline


@pytest.fixture
def fast_forecast(monkeypatch: pytest.MonkeyPatch) -> None:
    # The weekday baseline alone: the same pipeline, without training a model in a test.
    monkeypatch.setattr(
        services, "SIMULATION_FORECAST", pipeline.Settings(models=(pipeline.BASELINE,))
    )


@pytest.mark.django_db
def test_given_the_demo_chain_when_simulating_from_the_command_line_then_files_match_the_run(
    small_chain: DemoChain, tmp_path: Path, fast_forecast: None
) -> None:
    out = io.StringIO()

    call_command(
        "simulate",
        days=2,
        stores=2,
        seed=11,
        start=small_chain.today.isoformat(),
        out=str(tmp_path),
        no_progress=True,
        stdout=out,
    )

    run = SimulationRun.objects.get()
    assert run.status == SimulationRun.Status.DONE
    lines = out.getvalue().splitlines()
    assert lines[-1].endswith("(system vs par, 2 days, 2 stores, seed 11)")
    assert lines[-1].startswith("waste ")
    stored = json.loads((tmp_path / f"simulation-{run.pk}.json").read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(run.results))
    with (tmp_path / f"simulation-{run.pk}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["policy"], r["store"]) for r in rows] == [
        ("par", "*"),
        ("par", "GZ01"),
        ("par", "SH01"),
        ("system", "*"),
        ("system", "GZ01"),
        ("system", "SH01"),
    ]
    assert rows[0]["net_sales"] == run.results["policies"]["par"]["total"]["net_sales"]


@pytest.mark.django_db
def test_given_an_unknown_policy_when_simulating_then_the_command_names_the_option(
    small_chain: DemoChain,
) -> None:
    with pytest.raises(CommandError, match="policies"):
        call_command("simulate", policies="hunch", no_progress=True, stdout=io.StringIO())

    assert not SimulationRun.objects.exists()
