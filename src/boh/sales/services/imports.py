"""Imports of POS exports from files: read by an adapter, ingested in batches, reported by row.

An import is re-runnable: tickets already ingested come back unchanged, so a file that
was cut short can be sent again whole. Rows that cannot be read, and tickets that are
refused, are reported with the row of the file they came from.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import BohError, validation_error
from boh.core.jobs import start_job
from boh.core.models import Job
from boh.core.numbers import round_money
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.sales import errors
from boh.sales.adapters import FORMATS, FileTicket, RowError, Target
from boh.sales.models import LineState
from boh.sales.services.ingest import (
    AMENDED,
    CREATED,
    MAX_LINES,
    MAX_TICKETS,
    REJECTED,
    UNCHANGED,
    ingest_tickets,
)

logger = logging.getLogger(__name__)

JOB_KIND = "sales.import"
# Row errors kept in a job's result; the counts cover them all.
MAX_REPORTED_ERRORS = 1000
_TICKET_FIELD = re.compile(r"^tickets\[\d+\]\.?")
_LINE_FIELD = re.compile(r"^lines\[(\d+)\]")

Progress = Callable[[int], None]


@dataclass
class ImportReport:
    """What an import did: rows read, tickets by outcome, totals, and the rows at fault."""

    rows: int = 0
    tickets: int = 0
    lines: int = 0
    quantity: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)
    outcomes: dict[str, int] = field(
        default_factory=lambda: {CREATED: 0, AMENDED: 0, UNCHANGED: 0, REJECTED: 0}
    )
    waiting_lines: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "tickets": self.tickets,
            "lines": self.lines,
            "quantity": format(self.quantity, "f"),
            "revenue": format(self.revenue, "f"),
            **self.outcomes,
            "waiting_lines": self.waiting_lines,
            "error_count": len(self.errors),
            "errors": [
                {"row": e.row, "field": e.field, "code": e.code, "message": e.message}
                for e in self.errors[:MAX_REPORTED_ERRORS]
            ],
        }


def import_target(actor: Actor, location_code: str, source: str) -> Target:
    """The location (by code, in the actor's reach) and POS source of an import."""
    location = Location.objects.filter(
        organization=actor.organization, code__iexact=(location_code or "").strip()
    ).first()
    if location is None or not actor.can(Perm.SALES_INGEST, location.pk):
        raise validation_error(errors.UNKNOWN_LOCATION, _("No such location."), "location")
    source = (source or "").strip().lower()
    if not source:
        raise validation_error(errors.UNKNOWN_SOURCE, _("Name the POS source."), "source")
    return Target(location.code, location.time_zone, source)


def _batches(tickets: list[FileTicket]) -> list[list[FileTicket]]:
    batches: list[list[FileTicket]] = []
    current: list[FileTicket] = []
    lines = 0
    for entry in tickets:
        count = len(entry.ticket.get("lines") or ())
        if current and (len(current) >= MAX_TICKETS or lines + count > MAX_LINES):
            batches.append(current)
            current, lines = [], 0
        current.append(entry)
        lines += count
    if current:
        batches.append(current)
    return batches


def import_sales(
    actor: Actor,
    content: bytes,
    *,
    file_format: str,
    location_code: str,
    source: str,
    progress: Progress | None = None,
    started: Progress | None = None,
    job_id: int | None = None,
) -> ImportReport:
    """Read a POS export with its format's adapter and ingest its tickets in batches."""
    reader = FORMATS.get(file_format)
    if reader is None:
        raise validation_error(
            errors.UNKNOWN_FORMAT,
            _("Choose one of: %(formats)s.") % {"formats": ", ".join(sorted(FORMATS))},
            "format",
        )
    target = import_target(actor, location_code, source)
    parsed = reader(content, target)
    report = ImportReport(rows=parsed.rows, errors=list(parsed.errors))
    report.tickets = len(parsed.tickets)
    if started is not None:
        started(report.tickets)
    for batch in _batches(parsed.tickets):
        result = ingest_tickets(actor, [entry.ticket for entry in batch], job_id=job_id)
        for entry, outcome in zip(batch, result.outcomes, strict=True):
            report.outcomes[outcome.outcome] += 1
            for error in outcome.errors:
                inner = _TICKET_FIELD.sub("", error.field)
                found = _LINE_FIELD.match(inner)
                row = entry.row_of(int(found.group(1)) if found else None)
                report.errors.append(RowError(row, inner or "ticket", error.code, error.message))
            if outcome.outcome == REJECTED:
                continue
            for line in entry.ticket.get("lines") or ():
                report.lines += 1
                report.quantity += Decimal(str(line["quantity"]))
                gross = round_money(
                    Decimal(str(line["quantity"])) * Decimal(str(line["unit_price"]))
                )
                discount = Decimal(str(line.get("discount") or 0))
                report.revenue += gross + discount if line.get("refund") else gross - discount
        if progress is not None:
            progress(len(batch))
    report.errors.sort(key=lambda e: (e.row, e.field))
    report.waiting_lines = _waiting(actor, target)
    logger.info(
        "imported %s file for %s: %d tickets, %d refused, %d row errors",
        file_format,
        target.location_code,
        report.tickets,
        report.outcomes[REJECTED],
        len(report.errors),
    )
    return report


def _waiting(actor: Actor, target: Target) -> int:
    from boh.sales.models import TicketLine

    return TicketLine.objects.filter(
        ticket__organization=actor.organization,
        ticket__source=target.source,
        ticket__location__code=target.location_code,
        state=LineState.WAITING,
    ).count()


def start_import(
    actor: Actor,
    content: bytes,
    *,
    file_format: str,
    location_code: str,
    source: str,
    filename: str = "",
) -> Job:
    """Keep an uploaded POS export and import it in the background; returns the job."""
    if file_format not in FORMATS:
        raise validation_error(
            errors.UNKNOWN_FORMAT,
            _("Choose one of: %(formats)s.") % {"formats": ", ".join(sorted(FORMATS))},
            "format",
        )
    target = import_target(actor, location_code, source)
    if not content:
        raise BohError(code=errors.UNREADABLE_FILE, message=_("The file is empty."), field="file")
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)[-80:] or "sales"
    path = default_storage.save(
        f"imports/sales/{actor.organization_id}/{stamp}-{safe}", ContentFile(content)
    )
    from boh.sales.tasks import import_sales_task

    return start_job(
        JOB_KIND,
        import_sales_task,
        organization_id=actor.organization_id,
        params={
            "path": path,
            "format": file_format,
            "location_code": target.location_code,
            "source": target.source,
            "filename": filename[:200],
            "api_key_id": actor.api_key_id,
        },
        created_by_id=actor.user_id,
    )
