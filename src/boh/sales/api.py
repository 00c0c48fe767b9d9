"""HTTP operations of the sales module: parse, call a service or selector, return."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from boh.core.errors import not_found
from boh.core.models import Job
from boh.core.schemas import ERRORS, ErrorOut, ObjId, Pages
from boh.org.access import request_actor as _actor
from boh.org.roles import Perm
from boh.sales import reports, selectors
from boh.sales.schemas import (
    AvtOut,
    AvtQuery,
    EngineeringQuery,
    MenuEngineeringOut,
    SalesImportJobOut,
    SalesImportOut,
    SalesMapCodeIn,
    SalesMapIn,
    SalesMapOut,
    SalesQuery,
    SalesReportOut,
    TicketBatchIn,
    TicketBatchOut,
    TicketDetailOut,
    TicketOut,
    UnmappedDetailOut,
    UnmappedOut,
    UnmappedSummaryOut,
)
from boh.sales.services import imports, ingest_tickets, map_pos_code
from boh.sales.services.imports import JOB_KIND

router = Router(tags=["sales"])


# Tickets


@router.post("/tickets", response={200: TicketBatchOut, 413: ErrorOut, **ERRORS})
def post_tickets(request: HttpRequest, payload: TicketBatchIn) -> Any:
    """Ingest a batch of POS tickets; each ticket's outcome is reported on its own."""
    result = ingest_tickets(_actor(request), payload.tickets, source=payload.source)
    return {
        "batch_id": result.batch_id,
        **result.counts,
        "results": [o.as_dict() for o in result.outcomes],
    }


class TicketFilter(Schema):
    location_id: ObjId | None = None
    business_date: dt.date | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    source: str | None = None
    channel: str | None = None
    waiting: bool | None = None
    q: str | None = None


@router.get("/tickets", response={200: list[TicketOut], **ERRORS})
@paginate(Pages)
def list_tickets(request: HttpRequest, filters: Query[TicketFilter]) -> Any:
    """Tickets at the locations the caller may see, latest closed first."""
    return selectors.tickets(_actor(request), **filters.dict())


@router.get("/tickets/{ticket_id}", response={200: TicketDetailOut, **ERRORS})
def get_ticket(request: HttpRequest, ticket_id: ObjId) -> Any:
    """One ticket with the lines of its current version and every version received."""
    ticket = selectors.ticket(_actor(request), ticket_id)
    return {
        **TicketOut.model_validate(ticket).model_dump(),
        "lines": list(selectors.ticket_lines(ticket)),
        "payments": list(selectors.ticket_payments(ticket)),
        "versions": list(selectors.ticket_versions(ticket)),
    }


# Unmapped sales


class UnmappedFilter(Schema):
    source: str | None = None
    kind: str | None = None
    open_only: bool = True


@router.get("/unmapped", response={200: list[UnmappedOut], **ERRORS})
@paginate(Pages)
def list_unmapped(request: HttpRequest, filters: Query[UnmappedFilter]) -> Any:
    """POS codes without a mapping and the sales waiting for them, most revenue first."""
    return selectors.unmapped_sales(_actor(request), **filters.dict())


@router.get("/unmapped/summary", response={200: UnmappedSummaryOut, **ERRORS})
def unmapped_summary(request: HttpRequest) -> Any:
    """How many codes wait to be mapped, and the lines and revenue waiting on them."""
    return selectors.unmapped_summary(_actor(request))


@router.get("/unmapped/{unmapped_id}", response={200: UnmappedDetailOut, **ERRORS})
def get_unmapped(request: HttpRequest, unmapped_id: ObjId) -> Any:
    """One unmapped code with the ticket lines waiting for it."""
    actor = _actor(request)
    row = selectors.unmapped_sale(actor, unmapped_id)
    waiting = [
        {
            "ticket_id": line.ticket_id,
            "external_id": line.ticket.external_id,
            "location_id": line.ticket.location_id,
            "closed_at": line.ticket.closed_at,
            "line_no": line.line_no,
            "pos_code": line.pos_code,
            "modifier_codes": line.modifier_codes,
            "quantity": line.quantity,
            "net_amount": line.net_amount,
        }
        for line in selectors.waiting_lines(actor, row)[:500]
    ]
    return {**UnmappedOut.model_validate(row).model_dump(), "waiting": waiting}


@router.post("/unmapped/{unmapped_id}/map", response={200: SalesMapOut, **ERRORS})
def map_unmapped(request: HttpRequest, unmapped_id: ObjId, payload: SalesMapIn) -> Any:
    """Map an unmapped code to a menu item or option; the sales that waited are depleted."""
    actor = _actor(request)
    row = selectors.unmapped_sale(actor, unmapped_id)
    return map_pos_code(actor, source=row.source, code=row.code, **payload.dict())


@router.post("/mappings", response={200: SalesMapOut, **ERRORS})
def map_code(request: HttpRequest, payload: SalesMapCodeIn) -> Any:
    """Map a POS code of a source to a menu item or option, depleting sales that waited."""
    return map_pos_code(_actor(request), **payload.dict())


# Reports


@router.get("/daily", response={200: SalesReportOut, **ERRORS})
def daily_sales(request: HttpRequest, query: Query[SalesQuery]) -> Any:
    """Net sales, discounts, covers, tickets and average check by day, channel and hour,
    and each menu item's quantity and revenue, from the daily facts."""
    report = selectors.sales_report(_actor(request), **query.dict())

    def figures(f: selectors.Figures) -> dict[str, Any]:
        return {
            **vars(f),
            "average_check": f.average_check,
            "average_per_cover": f.average_per_cover,
        }

    return {
        "date_from": report.date_from,
        "date_to": report.date_to,
        "location_id": report.location.pk if report.location else None,
        "total": figures(report.total),
        "days": [{"business_date": d, **figures(f)} for d, f in report.days.items()],
        "channels": [{"channel": c, **figures(f)} for c, f in report.channels.items()],
        "hours": [{"hour": h, **figures(f)} for h, f in report.hours.items()],
        "tenders": [vars(t) for t in report.tenders],
        "items": [vars(i) for i in report.items],
    }


def _flow(flow: reports.Flow) -> dict[str, Any]:
    return {"quantity": flow.quantity, "value": flow.value}


@router.get("/avt", response={200: AvtOut, **ERRORS})
def avt(request: HttpRequest, query: Query[AvtQuery]) -> Any:
    """Actual vs theoretical usage per item at a location over a period of business dates,
    ranked by the value of the variance, with a drill-down by day."""
    report = reports.avt_report(_actor(request), **query.dict())
    return {
        "location_id": report.location.pk,
        "date_from": report.date_from,
        "date_to": report.date_to,
        "net_sales": report.net_sales,
        "variance_value": report.variance_value,
        "variance_pct": report.variance_pct,
        "items": [
            {
                "item_id": row.item_id,
                "code": row.code,
                "name": row.name,
                "base_unit": row.base_unit,
                **{
                    key: _flow(getattr(row, key))
                    for key in (
                        "opening",
                        "receipts",
                        "transfers_in",
                        "transfers_out",
                        "waste",
                        "other",
                        "closing",
                        "actual",
                        "theoretical",
                        "variance",
                    )
                },
                "variance_pct": row.variance_pct,
                "days": [
                    {
                        "business_date": d.business_date,
                        "actual": _flow(d.actual),
                        "theoretical": _flow(d.theoretical),
                        "variance": _flow(d.variance),
                    }
                    for d in row.days
                ],
            }
            for row in report.items
        ],
    }


@router.get("/menu-engineering", response={200: MenuEngineeringOut, **ERRORS})
def menu_engineering(request: HttpRequest, query: Query[EngineeringQuery]) -> Any:
    """Stars, plowhorses, puzzles and dogs: popularity against contribution margin."""
    result = reports.menu_engineering(_actor(request), **query.dict())
    return {
        "location_id": result.location.pk,
        "date_from": result.date_from,
        "date_to": result.date_to,
        "popularity_threshold_pct": result.popularity_threshold_pct,
        "average_margin": result.average_margin,
        "items": [vars(i) for i in result.items],
    }


# Imports


_FILE = File(...)
_FORMAT = Form(...)
_LOCATION = Form(...)
_SOURCE = Form(...)


@router.post("/imports", response={202: SalesImportOut, **ERRORS})
def start_import(
    request: HttpRequest,
    file: UploadedFile = _FILE,
    format: str = _FORMAT,
    location_code: str = _LOCATION,
    source: str = _SOURCE,
) -> Any:
    """Import a POS export (multipart: file, format takeaway|generic|square, location_code,
    source) in the background; follow it at /imports/{import_id}."""
    job = imports.start_import(
        _actor(request),
        file.read(),
        file_format=format,
        location_code=location_code,
        source=source,
        filename=file.name or "",
    )
    return Status(202, {"job_id": job.pk, "status": job.status})


@router.get("/imports/{import_id}", response={200: SalesImportJobOut, **ERRORS})
def get_import(request: HttpRequest, import_id: ObjId) -> Any:
    """An import's progress, and its report by row once done."""
    actor = _actor(request)
    actor.require(Perm.SALES_VIEW)
    job = Job.objects.filter(
        kind=JOB_KIND, organization_id=actor.organization_id, pk=import_id
    ).first()
    if job is None:
        raise not_found(_("Not found."))
    return job
