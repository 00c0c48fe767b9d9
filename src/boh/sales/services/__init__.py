"""Every write of the sales module, one function per business operation."""

from boh.sales.services.ingest import (
    AMENDED,
    CREATED,
    EVENT_INGESTED,
    MAX_LINES,
    MAX_TICKETS,
    REJECTED,
    UNCHANGED,
    IngestResult,
    Outcome,
    ingest_tickets,
)
from boh.sales.services.mapping import MappingResult, deplete_waiting, map_pos_code

__all__ = [
    "AMENDED",
    "CREATED",
    "EVENT_INGESTED",
    "MAX_LINES",
    "MAX_TICKETS",
    "REJECTED",
    "UNCHANGED",
    "IngestResult",
    "MappingResult",
    "Outcome",
    "deplete_waiting",
    "ingest_tickets",
    "map_pos_code",
]
