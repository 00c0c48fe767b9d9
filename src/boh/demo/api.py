"""HTTP operations of the demo module: start a simulation of the chain and read its results."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from boh.core.schemas import ERRORS, ObjId, Pages
from boh.demo import selectors
from boh.demo.schemas import DemoSimulationIn, DemoSimulationOut
from boh.demo.simulate import services
from boh.org.access import request_actor as _actor

router = Router(tags=["demo"])


@router.get("/simulations", response={200: list[DemoSimulationOut], **ERRORS})
@paginate(Pages)
def list_simulations(request: HttpRequest) -> Any:
    """Simulation runs, newest first, with their figures once done."""
    return selectors.simulations(_actor(request))


@router.post("/simulations", response={202: DemoSimulationOut, **ERRORS})
def start_simulation(request: HttpRequest, payload: DemoSimulationIn) -> Any:
    """Queue a simulation of the chain under par levels and BOH's ordering (or one of them)."""
    run = services.start_simulation(_actor(request), **payload.model_dump())
    run.refresh_from_db()
    return Status(202, run)


@router.get("/simulations/{simulation_id}", response={200: DemoSimulationOut, **ERRORS})
def get_simulation(request: HttpRequest, simulation_id: ObjId) -> Any:
    """One simulation run: its options, status and figures per policy and store."""
    return selectors.simulation(_actor(request), simulation_id)
