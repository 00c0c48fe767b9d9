"""Background jobs of the menu module; each calls a function that can also be run directly."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from boh.menu.services import costing
from boh.org.access import system_actor
from boh.org.models import Organization

logger = logging.getLogger(__name__)


def snapshot_all_recipe_costs() -> int:
    """Record today's recipe costs of every active organization; returns the snapshots written."""
    written = 0
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        try:
            written += costing.snapshot_recipe_costs(system_actor(organization))
        except Exception:
            # One organization's bad data must not stop the others' snapshots.
            logger.exception("recipe cost snapshot failed for %s", organization.code)
    return written


# 19:40 UTC is 03:40 in China, after the stores have closed their business day.
@db_periodic_task(crontab(hour="19", minute="40"))
def snapshot_recipe_costs() -> int:
    """Each night, snapshot recipe costs so cost movers can compare with last week."""
    return snapshot_all_recipe_costs()
