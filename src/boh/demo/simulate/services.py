"""Simulation runs: record one, run it (now or as a background job), keep its figures.

A run writes no business rows: the twin plays the chain in memory, and only the
SimulationRun with its report is stored.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import BohError
from boh.core.jobs import start_job
from boh.core.models import AuditEntry
from boh.core.services import record_audit
from boh.core.validation import Checker
from boh.demo import errors
from boh.demo.models import SimulationRun
from boh.demo.simulate.policies import POLICIES
from boh.demo.simulate.run import Options, simulate
from boh.menu.selectors import business_today
from boh.org.access import Actor
from boh.org.roles import Perm
from boh.planning.forecast import pipeline

logger = logging.getLogger(__name__)

JOB_KIND = "demo.simulate"
MAX_DAYS = 365
MAX_STORES = 60
MAX_SEED = 2**31 - 1
# The twin's forecasts: BOH's pipeline (weekday baseline against global LightGBM, backtested),
# with a smaller model than the nightly job's so that a run of weeks takes minutes.
SIMULATION_FORECAST = pipeline.Settings(backtest_origins=1, n_origins=8, num_boost_round=200)


def _check(
    actor: Actor, days: Any, stores: Any, seed: Any, start: Any, policies: Any
) -> tuple[int, int | None, int, dt.date, tuple[str, ...]]:
    check = Checker()
    days = check.integer("days", days, minimum=1, maximum=MAX_DAYS)
    if stores is not None:
        stores = check.integer("stores", stores, minimum=1, maximum=MAX_STORES)
    seed = check.integer("seed", seed, minimum=0, maximum=MAX_SEED)
    if start is None:
        start = business_today(actor.organization)
    elif not isinstance(start, dt.date):
        try:
            start = dt.date.fromisoformat(str(start))
        except ValueError:
            check.fail("start", "invalid_date", _("Enter a date as YYYY-MM-DD."))
            start = business_today(actor.organization)
    chosen = tuple(dict.fromkeys(policies or ()))
    if not chosen or any(p not in POLICIES for p in chosen):
        check.fail(
            "policies",
            errors.INVALID_POLICIES,
            _("Choose one or both policies: %(names)s.") % {"names": ", ".join(POLICIES)},
        )
    check.raise_if_any()
    return days, stores, seed, start, chosen


def record_simulation(
    actor: Actor,
    *,
    days: int = 60,
    stores: int | None = None,
    seed: int = 1,
    start: dt.date | str | None = None,
    policies: Sequence[str] = POLICIES,
) -> SimulationRun:
    """Record a simulation run to be played; bad options name their field, nothing is kept."""
    actor.require(Perm.PLANNING_MANAGE)
    days, stores, seed, first, chosen = _check(actor, days, stores, seed, start, policies)
    with transaction.atomic():
        run = SimulationRun.objects.create(
            organization=actor.organization,
            start_date=first,
            days=days,
            stores=stores,
            seed=seed,
            policies=list(chosen),
            created_by=actor.user,
        )
        record_audit(actor, AuditEntry.Action.CREATE, run)
    return run


def start_simulation(actor: Actor, **options: Any) -> SimulationRun:
    """Record a simulation run and play it in the background; returns the queued run."""
    from boh.demo.tasks import simulate_task

    with transaction.atomic():
        run = record_simulation(actor, **options)
        job = start_job(
            JOB_KIND,
            simulate_task,
            organization_id=actor.organization_id,
            params={"run_id": run.pk},
            created_by_id=actor.user_id,
            total=run.days,
        )
        SimulationRun.objects.filter(pk=run.pk).update(job_id=job.pk)
        run.job_id = job.pk
    logger.info("queued simulation %s for %s (job %s)", run.pk, actor.organization.code, job.pk)
    return run


def play_simulation(
    run: SimulationRun,
    *,
    progress: Callable[[int, int], None] | None = None,
    forecast: pipeline.Settings | None = None,
    expected_use: bool = False,
) -> dict[str, Any]:
    """Play a recorded run and keep its report; a failure is kept on the run, then raised.

    expected_use plays the system policy with the ingredient demand docs/simulator.md
    proposes (expected use instead of P50 x recipe); the report says so.
    """
    SimulationRun.objects.filter(pk=run.pk).update(
        status=SimulationRun.Status.RUNNING, started_at=timezone.now()
    )
    options = Options(
        start=run.start_date,
        days=run.days,
        stores=run.stores,
        seed=run.seed,
        policies=tuple(run.policies),
        forecast=forecast or SIMULATION_FORECAST,
        expected_use=expected_use,
    )
    try:
        outcome = simulate(run.organization, options, progress)
    except Exception as exc:
        message = exc.message if isinstance(exc, BohError) else f"{exc.__class__.__name__}: {exc}"
        SimulationRun.objects.filter(pk=run.pk).update(
            status=SimulationRun.Status.FAILED,
            error=str(message)[:2000],
            finished_at=timezone.now(),
        )
        raise
    SimulationRun.objects.filter(pk=run.pk).update(
        status=SimulationRun.Status.DONE, results=outcome.report, finished_at=timezone.now()
    )
    run.refresh_from_db()
    logger.info("simulation %s of %s finished", run.pk, run.organization.code)
    return outcome.report
