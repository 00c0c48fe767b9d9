"""API input and output shapes of the demo module."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from boh.core.schemas import StrictSchema

Policy = Literal["par", "system"]


def _both() -> list[Policy]:
    return ["par", "system"]


class DemoSimulationIn(StrictSchema):
    days: int = Field(60, ge=1, le=365)
    stores: int | None = Field(None, ge=1, le=60)
    seed: int = Field(1, ge=0, le=2**31 - 1)
    start: date | None = None
    policies: list[Policy] = Field(default_factory=_both, min_length=1, max_length=2)


class DemoSimulationOut(Schema):
    id: int
    status: str
    start_date: date
    days: int
    stores: int | None
    seed: int
    policies: list[str]
    results: dict[str, Any]
    error: str
    job_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
