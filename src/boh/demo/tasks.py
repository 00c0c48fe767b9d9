"""Background jobs of the demo module; each calls a function that can also be run directly."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from huey.contrib.djhuey import db_task

from boh.core.jobs import JobProgress
from boh.demo.models import SimulationRun
from boh.demo.simulate.services import play_simulation


def run_simulation_job(job_id: int) -> None:
    """Play the simulation run a job names, with one step of progress per day."""
    with JobProgress(job_id, every=1) as progress:
        run = SimulationRun.objects.select_related("organization").get(
            pk=progress.job.params["run_id"]
        )
        progress.set_total(run.days)
        days_done = 0

        def advance(done: int, total: int) -> None:
            nonlocal days_done
            simulated = max(0, run.days - (total - done))
            if simulated > days_done:
                progress.advance(simulated - days_done)
                days_done = simulated

        report = play_simulation(run, progress=advance)
        progress.finish({"run_id": run.pk, "ratios": report.get("ratios")})


@db_task()
def simulate_task(job_id: int) -> None:
    """The queued form of run_simulation_job."""
    run_simulation_job(job_id)


@contextmanager
def business_logs_quiet() -> Iterator[None]:
    """Only warnings from BOH's modules while the history loads: each of its thousands of
    postings and receipts would log a line, burying what `make demo` printed for signing in
    under them. Warnings (refused tickets, for one) still show."""
    boh_logger = logging.getLogger("boh")
    level = boh_logger.level
    if boh_logger.getEffectiveLevel() < logging.WARNING:
        boh_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        boh_logger.setLevel(level)


def run_history_job(job_id: int) -> None:
    """Load the demo chain's sales history as the job says, a step of progress per day."""
    from boh.demo import services

    with (
        JobProgress(job_id, every=1) as progress,
        services.unlogged_queries(),
        business_logs_quiet(),
    ):
        params = progress.job.params

        def day_done(done: int, total: int) -> None:
            if progress.job.total != total:
                progress.set_total(total)
            progress.advance(done - progress.job.done)

        chain = services.load_demo_chain(
            days=params["days"],
            seed=params["seed"],
            size=params["size"],
            today=dt.date.fromisoformat(params["today"]),
            on_day=day_done,
        )
        progress.finish(
            {
                "tickets": chain.made.get("tickets", 0),
                "tickets_refused": chain.made.get("tickets refused", 0),
            }
        )


@db_task()
def history_task(job_id: int) -> None:
    """The queued form of run_history_job."""
    run_history_job(job_id)
