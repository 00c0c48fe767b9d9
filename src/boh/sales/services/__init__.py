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

__all__ = [
    "AMENDED",
    "CREATED",
    "EVENT_INGESTED",
    "MAX_LINES",
    "MAX_TICKETS",
    "REJECTED",
    "UNCHANGED",
    "IngestResult",
    "Outcome",
    "ingest_tickets",
]
