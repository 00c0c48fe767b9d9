"""Background jobs: queued only after the causing transaction commits, with visible progress.

A module defines its task with `huey.contrib.djhuey.db_task` in its tasks.py, calling a
function that is also callable directly. `start_job` records a Job row and queues the
task on commit; the task reports progress through `JobProgress`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from boh.core.models import Job

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Queue a Huey task once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task(*args, **kwargs))


def start_job(
    kind: str,
    task: Callable[..., Any],
    *,
    organization_id: int | None,
    params: dict[str, Any] | None = None,
    key: str = "",
    created_by_id: int | None = None,
    total: int | None = None,
) -> Job:
    """Record a job and queue `task(job_id)` after commit; reuse an open job with the same key."""
    if key:
        open_job = Job.objects.filter(
            kind=kind,
            key=key,
            organization_id=organization_id,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        ).first()
        if open_job is not None:
            return open_job
    job = Job.objects.create(
        kind=kind,
        key=key,
        organization_id=organization_id,
        params=params or {},
        created_by_id=created_by_id,
        total=total,
    )
    transaction.on_commit(partial(_queue_job, task, job.pk))
    return job


def _queue_job(task: Callable[..., Any], job_id: int) -> None:
    # The causing transaction has committed: a queue that cannot be reached must not turn
    # that success into an error, but the job must not look queued forever either.
    try:
        task(job_id)
    except Exception as exc:
        logger.error("could not queue job #%s: %s", job_id, exc)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED,
            error=f"not queued: {exc.__class__.__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )


class JobProgress:
    """Marks a job running, counts progress at most every `every` steps, and records the end."""

    def __init__(self, job_id: int, every: int = 500) -> None:
        self.job = Job.objects.get(pk=job_id)
        self.every = every
        self._since = 0

    def __enter__(self) -> JobProgress:
        Job.objects.filter(pk=self.job.pk).update(
            status=Job.Status.RUNNING, started_at=timezone.now()
        )
        return self

    def set_total(self, total: int) -> None:
        self.job.total = total
        Job.objects.filter(pk=self.job.pk).update(total=total)

    def advance(self, n: int = 1) -> None:
        self.job.done += n
        self._since += n
        if self._since >= self.every:
            self._since = 0
            Job.objects.filter(pk=self.job.pk).update(done=self.job.done)

    def finish(self, result: dict[str, Any] | None = None) -> None:
        self.job.result = result or {}

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        if exc is None:
            Job.objects.filter(pk=self.job.pk).update(
                status=Job.Status.DONE,
                done=self.job.done,
                result=self.job.result,
                finished_at=timezone.now(),
            )
        else:
            logger.error("job %s #%s failed: %s", self.job.kind, self.job.pk, exc)
            Job.objects.filter(pk=self.job.pk).update(
                status=Job.Status.FAILED,
                done=self.job.done,
                error=f"{exc.__class__.__name__}: {exc}"[:2000],
                finished_at=timezone.now(),
            )
