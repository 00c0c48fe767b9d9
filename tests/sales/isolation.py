"""Sales objects for the tenant-isolation walk."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from django.utils import timezone

from boh.core.jobs import start_job
from boh.sales.models import UnmappedSale
from boh.sales.services import ingest_tickets
from boh.sales.services.imports import JOB_KIND
from tests.isolation import foreign

if TYPE_CHECKING:
    from tests.conftest import World

_numbers = itertools.count(1)


def _ticket(world: World) -> int:
    number = next(_numbers)
    result = ingest_tickets(
        world.actor,
        [
            {
                "source": "iso",
                "external_id": f"ISO-{number}",
                "location_id": world.store_a.pk,
                "closed_at": timezone.now().isoformat(),
                "lines": [{"pos_code": f"UNMAPPED-{number}", "quantity": 1, "unit_price": "9.00"}],
            }
        ],
    )
    ticket_id = result.outcomes[0].ticket_id
    assert ticket_id is not None
    return ticket_id


@foreign("ticket_id")
def _ticket_id(world: World) -> int:
    return _ticket(world)


@foreign("unmapped_id")
def _unmapped_id(world: World) -> int:
    _ticket(world)
    return UnmappedSale.objects.filter(organization=world.org).latest("id").pk


@foreign("import_id")
def _import_id(world: World) -> int:
    job = start_job(JOB_KIND, lambda job_id: None, organization_id=world.org.pk)
    return job.pk
