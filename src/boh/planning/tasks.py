"""Background jobs of the planning module; each calls a function that can also be run directly."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from boh.core.jobs import JobProgress
from boh.org.access import system_actor
from boh.org.models import Organization
from boh.planning.models import ForecastRun
from boh.planning.services.decisions import send_due_orders
from boh.planning.services.nightly import plan_organization

logger = logging.getLogger(__name__)


def run_forecast_job(job_id: int) -> None:
    """The planning chain an on-demand job asked for, with its progress on the job."""
    with JobProgress(job_id, every=1) as progress:
        job = progress.job
        assert job.organization_id is not None
        organization = Organization.objects.get(pk=job.organization_id)
        progress.set_total(13)
        result = plan_organization(
            system_actor(organization),
            location_id=job.params.get("location_id"),
            horizon=job.params.get("horizon", 14),
            progress=lambda _stage: progress.advance(),
        )
        progress.finish(result.as_dict())


@db_task()
def forecast_task(job_id: int) -> None:
    """The queued form of run_forecast_job."""
    run_forecast_job(job_id)


def plan_all_organizations() -> int:
    """Plan every active organization; returns how many were planned."""
    planned = 0
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        try:
            plan_organization(system_actor(organization), trigger=ForecastRun.Trigger.NIGHTLY)
            planned += 1
        except Exception:
            # One organization's bad data must not stop the others' plans.
            logger.exception("nightly planning failed for %s", organization.code)
    return planned


# 20:10 UTC is 04:10 in China, after the stores' business day has closed.
@db_periodic_task(crontab(hour="20", minute="10"))
def plan_nightly() -> int:
    """Each night, forecast, plan ingredients and production, and suggest orders."""
    return plan_all_organizations()


def send_all_due_orders() -> int:
    """Send the automatic orders of every organization whose cut-off is near."""
    sent = 0
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        try:
            sent += len(send_due_orders(organization))
        except Exception:
            logger.exception("sending automatic orders failed for %s", organization.code)
    return sent


@db_periodic_task(crontab(minute="*/15"))
def send_automatic_orders() -> int:
    """Every quarter hour, send automatic orders whose order cut-off is near."""
    return send_all_due_orders()
