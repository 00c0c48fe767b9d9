"""Platform background jobs; each calls a function that can also be run directly."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from boh.core import services


@db_periodic_task(crontab(minute="17"))
def purge_idempotency_records_hourly() -> int:
    """Once an hour, forget API responses kept for retries longer than their time to live."""
    return services.purge_idempotency_records()
