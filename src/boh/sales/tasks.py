"""Background jobs of the sales module; each calls a function that can also be run directly."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from huey.contrib.djhuey import db_task

from boh.core.jobs import JobProgress
from boh.org.access import Actor, actor_for_api_key, actor_for_user, system_actor
from boh.org.models import ApiKey, Organization, User
from boh.sales.services.imports import import_sales

logger = logging.getLogger(__name__)


def _job_actor(organization: Organization, user_id: int | None, api_key_id: int | None) -> Actor:
    """Whoever started the import, so the audit trail names them; the system otherwise."""
    if user_id is not None:
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is not None:
            return actor_for_user(user, organization)
    if api_key_id is not None:
        key = ApiKey.objects.filter(pk=api_key_id, revoked_at__isnull=True).first()
        if key is not None:
            return actor_for_api_key(key)
    return system_actor(organization)


def run_import(job_id: int) -> None:
    """Import the file a job names, with progress, and keep the report as the job's result."""
    with JobProgress(job_id, every=1) as progress:
        job = progress.job
        params = job.params
        organization = Organization.objects.get(pk=int(job.organization_id or 0))
        actor = _job_actor(organization, job.created_by_id, params.get("api_key_id"))
        with default_storage.open(params["path"], "rb") as handle:
            content = handle.read()
        report = import_sales(
            actor,
            content,
            file_format=params["format"],
            location_code=params["location_code"],
            source=params["source"],
            progress=progress.advance,
            started=progress.set_total,
            job_id=job_id,
        )
        progress.finish(report.as_dict())


@db_task()
def import_sales_task(job_id: int) -> None:
    run_import(job_id)
