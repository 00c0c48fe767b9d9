"""The simulator on the small demo chain: stock is conserved exactly, a seed repeats a run."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from boh.core.errors import BohError
from boh.demo.chain import DemoChain
from boh.demo.models import SimulationRun
from boh.demo.simulate import report
from boh.demo.simulate.run import Options, Outcome, simulate
from boh.demo.simulate.services import play_simulation, record_simulation
from boh.demo.simulate.world import from_milli
from boh.planning.forecast import pipeline
from tests.conftest import World

BASELINE_ONLY = pipeline.Settings(models=(pipeline.BASELINE,))


def small_run(chain: DemoChain, seed: int = 3) -> Outcome:
    options = Options(
        start=chain.today, days=10, stores=3, seed=seed, warmup=21, forecast=BASELINE_ONLY
    )
    return simulate(chain.organization, options)


def without_timings(report: dict[str, Any]) -> dict[str, Any]:
    result = {k: v for k, v in report.items() if k != "guest_seconds"}
    result["policies"] = {
        name: {k: v for k, v in policy.items() if k != "seconds"}
        for name, policy in report["policies"].items()
    }
    return result


@pytest.mark.django_db
def test_given_a_small_run_when_it_ends_then_every_store_and_item_conserves_stock_exactly(
    small_chain: DemoChain,
) -> None:
    outcome = small_run(small_chain)

    checked = 0
    for name, twin in outcome.twins.items():
        for book in twin.books.values():
            for item_id, flow in book.flows.items():
                opening, received = from_milli(flow.opening), from_milli(flow.received)
                used, wasted = from_milli(flow.used), from_milli(flow.wasted)
                ending = from_milli(flow.ending)
                assert isinstance(ending, Decimal)
                assert opening + received - used - wasted == ending, (name, item_id)
                assert flow.ending == book.on_hand(item_id)
                checked += 1
    assert checked > 100
    par, system = outcome.report["policies"]["par"], outcome.report["policies"]["system"]
    assert Decimal(par["total"]["purchases"]) > 0
    assert Decimal(system["total"]["purchases"]) > 0
    assert outcome.report["stores"] == ["GZ01", "SH01", "GZ01-2"]


@pytest.mark.django_db
def test_given_the_same_seed_when_run_twice_then_the_figures_are_the_same(
    small_chain: DemoChain,
) -> None:
    first = small_run(small_chain, seed=3).report
    again = small_run(small_chain, seed=3).report
    other = small_run(small_chain, seed=4).report

    assert without_timings(first) == without_timings(again)
    assert (
        first["policies"]["par"]["total"]["net_sales"]
        != other["policies"]["par"]["total"]["net_sales"]
    )
    assert report.ratio_line(first).endswith("(system vs par, 10 days, 3 stores, seed 3)")


@pytest.mark.django_db
def test_given_bad_options_when_recording_then_each_field_is_named_and_nothing_is_kept(
    small_chain: DemoChain,
) -> None:
    before = SimulationRun.objects.count()

    with pytest.raises(BohError) as caught:
        record_simulation(
            small_chain.actor, days=0, stores=99, seed=-1, start="yesterday", policies=["hunch"]
        )

    fields = {e.field for e in caught.value.fields}
    assert fields == {"days", "stores", "seed", "start", "policies"}
    assert SimulationRun.objects.count() == before


@pytest.mark.django_db
def test_given_an_organization_without_the_demo_menu_when_played_then_the_run_fails_saying_why(
    world: World,
) -> None:
    run = record_simulation(world.actor, days=5, stores=1, seed=2)

    with pytest.raises(BohError) as caught:
        play_simulation(run)

    run.refresh_from_db()
    assert caught.value.code == "simulation_no_chain"
    assert run.status == SimulationRun.Status.FAILED
    assert "boh demo" in run.error
    assert run.results == {}
    assert run.finished_at is not None
