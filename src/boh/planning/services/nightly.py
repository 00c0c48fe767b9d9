"""The whole planning chain for one organization: score past forecasts, forecast, explode
into ingredient demand and prep lists, suggest orders and transfers, approve what may be
approved automatically. The nightly job, `boh forecast` and on-demand jobs all call it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from boh.core.jobs import start_job
from boh.core.models import Job
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.roles import Perm
from boh.planning.forecast.pipeline import Settings
from boh.planning.models import ForecastRun, Suggestion, TransferSuggestion
from boh.planning.services.decisions import approve_automatically
from boh.planning.services.forecasts import (
    MAX_HORIZON,
    run_forecast,
    score_forecasts,
    stores_to_forecast,
)
from boh.planning.services.production import plan_demand
from boh.planning.services.replenishment import suggest_orders

logger = logging.getLogger(__name__)

JOB_KIND = "planning.forecast"


@dataclass
class PlanResult:
    run: ForecastRun
    suggestions: list[Suggestion] = field(default_factory=list)
    transfers: list[TransferSuggestion] = field(default_factory=list)
    automatic_orders: list[str] = field(default_factory=list)
    scored_runs: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run.pk,
            "series": self.run.series_count,
            "warnings": len(self.run.warnings),
            "suggestions": [s.pk for s in self.suggestions],
            "transfers": len(self.transfers),
            "automatic_orders": self.automatic_orders,
            "scored_runs": self.scored_runs,
        }


def plan_organization(
    actor: Actor,
    *,
    location_id: int | None = None,
    horizon: int = 14,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    trigger: str = ForecastRun.Trigger.ON_DEMAND,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> PlanResult:
    """Forecast, plan ingredient demand and production, and suggest orders, in one go."""
    step = progress or (lambda _stage: None)
    step("score")
    scored = score_forecasts(actor, today=today)
    run = run_forecast(
        actor,
        location_id=location_id,
        horizon=horizon,
        today=today,
        trigger=trigger,
        settings=settings,
        progress=step,
    )
    step("ingredients")
    plan_demand(actor, run)
    step("suggestions")
    summary = suggest_orders(actor, run=run, location_id=location_id, now=now)
    step("automatic orders")
    orders = approve_automatically(actor.organization)
    return PlanResult(
        run, summary.suggestions, summary.transfers, [o.number for o in orders], scored
    )


def start_forecast(actor: Actor, *, location_id: int | None = None, horizon: int = 14) -> Job:
    """Queue the planning chain for the organization (or one store); one at a time per scope."""
    actor.require(Perm.PLANNING_MANAGE, location_id)
    check = Checker()
    check.integer("horizon", horizon, minimum=1, maximum=MAX_HORIZON)
    check.raise_if_any()
    stores_to_forecast(actor, location_id)
    from boh.planning.tasks import forecast_task

    with transaction.atomic():
        return start_job(
            JOB_KIND,
            forecast_task,
            organization_id=actor.organization_id,
            params={"location_id": location_id, "horizon": horizon},
            key=f"forecast:{location_id or 'all'}",
            created_by_id=actor.user_id,
        )
