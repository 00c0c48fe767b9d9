"""Reads of the demo module: simulation runs, scoped to the caller's organization."""

from __future__ import annotations

from django.db.models import QuerySet

from boh.demo.models import SimulationRun
from boh.org.access import Actor
from boh.org.roles import Perm


def simulations(actor: Actor) -> QuerySet[SimulationRun]:
    """The organization's simulation runs, newest first."""
    actor.require(Perm.PLANNING_VIEW)
    return SimulationRun.objects.filter(organization_id=actor.organization_id).order_by(
        "-created_at", "-pk"
    )


def simulation(actor: Actor, run_id: object) -> SimulationRun:
    """One simulation run of the organization, or 404."""
    return actor.get(simulations(actor), run_id, Perm.PLANNING_VIEW)
