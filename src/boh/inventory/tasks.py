"""Background jobs of the stock ledger; each calls a function that also runs directly."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from boh.core.jobs import JobProgress, start_job
from boh.core.models import Job
from boh.inventory.ledger import revaluation
from boh.inventory.ledger.lots import mark_expired_lots
from boh.inventory.models import PendingRevaluation
from boh.org.models import Organization

logger = logging.getLogger(__name__)


def run_revaluation(job_id: int) -> None:
    """Replay the pending revaluation of the job's location and item, with progress."""
    with JobProgress(job_id, every=1000) as progress:
        params = progress.job.params
        result = revaluation.run_pending(params["location_id"], params["item_id"], progress)
        progress.finish(result)


@db_task()
def revalue_task(job_id: int) -> None:
    run_revaluation(job_id)


def restart_orphan_revaluations() -> int:
    """Queue a job for every pending revaluation whose job is no longer queued or running."""
    started = 0
    for marker in PendingRevaluation.objects.all():
        open_job = (
            marker.job_id is not None
            and Job.objects.filter(
                pk=marker.job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
            ).exists()
        )
        if open_job:
            continue
        job = start_job(
            revaluation.JOB_KIND,
            revalue_task,
            organization_id=marker.organization_id,
            params={"location_id": marker.location_id, "item_id": marker.item_id},
        )
        PendingRevaluation.objects.filter(pk=marker.pk).update(job_id=job.pk)
        started += 1
    if started:
        logger.warning("restarted %d pending revaluations", started)
    return started


@db_periodic_task(crontab(minute="*/10"))
def restart_orphan_revaluations_task() -> None:
    restart_orphan_revaluations()


@db_periodic_task(crontab(hour="*/1", minute="5"))
def mark_expired_lots_task() -> None:
    for organization in Organization.objects.filter(is_active=True):
        mark_expired_lots(organization)
