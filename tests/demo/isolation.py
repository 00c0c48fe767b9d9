"""Demo objects for the tenant-isolation walk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from boh.demo.simulate import services
from tests.isolation import foreign

if TYPE_CHECKING:
    from tests.conftest import World


@foreign("simulation_id")
def _simulation(world: World) -> int:
    return services.record_simulation(world.actor, days=7, stores=1, seed=5).pk
