"""Supplier invoices, the exceptions queue, payables and credits."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from boh.core.schemas import ERRORS, ObjId, Pages
from boh.org.access import request_actor as _actor
from boh.purchasing import selectors, services
from boh.purchasing.models import Invoice, Payable
from boh.purchasing.schemas import (
    CreditOut,
    ExceptionOut,
    InvoiceDetailOut,
    InvoiceIn,
    InvoiceOut,
    PayableOut,
    ResolveIn,
)

router = Router(tags=["purchasing: invoices"])


def _detail(invoice: Invoice) -> dict[str, Any]:
    payable = Payable.objects.filter(invoice=invoice).first()
    return {
        **{f.attname: getattr(invoice, f.attname) for f in Invoice._meta.concrete_fields},
        "lines": list(invoice.lines.order_by("line_no")),
        "exceptions": list(invoice.exceptions.order_by("id")),
        "payable_amount": payable.amount if payable else None,
        "due_date": payable.due_date if payable else None,
    }


class InvoiceFilter(Schema):
    status: str | None = None
    supplier_id: ObjId | None = None
    q: str | None = None


@router.get("/invoices", response={200: list[InvoiceOut], **ERRORS})
@paginate(Pages)
def list_invoices(request: HttpRequest, filters: Query[InvoiceFilter]) -> Any:
    """Supplier invoices, newest first."""
    qs = selectors.invoices(_actor(request))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.supplier_id is not None:
        qs = qs.filter(supplier_id=filters.supplier_id)
    if filters.q:
        qs = qs.filter(number__icontains=filters.q)
    return qs


@router.post("/invoices", response={201: InvoiceDetailOut, **ERRORS})
def enter_invoice(request: HttpRequest, payload: InvoiceIn) -> Any:
    """Enter a VAT invoice; it is matched against orders and receipts at once (409 if its
    number was entered before)."""
    return 201, _detail(services.enter_invoice(_actor(request), **payload.model_dump()))


@router.get("/invoices/{invoice_id}", response={200: InvoiceDetailOut, **ERRORS})
def get_invoice(request: HttpRequest, invoice_id: ObjId) -> Any:
    """One invoice with its lines, match exceptions and payable."""
    return _detail(selectors.invoice(_actor(request), invoice_id))


class ExceptionFilter(Schema):
    status: str | None = "open"
    reason: str | None = None


@router.get("/exceptions", response={200: list[ExceptionOut], **ERRORS})
@paginate(Pages)
def list_exceptions(request: HttpRequest, filters: Query[ExceptionFilter]) -> Any:
    """The exceptions queue: invoice lines that did not match, oldest first."""
    qs = selectors.match_exceptions(_actor(request), status=filters.status or None)
    if filters.reason:
        qs = qs.filter(reason=filters.reason)
    return qs


@router.post("/exceptions/{exception_id}/resolve", response={200: ExceptionOut, **ERRORS})
def resolve_exception(request: HttpRequest, exception_id: ObjId, payload: ResolveIn) -> Any:
    """Settle an exception by credit note, approved price change, or rejecting the invoice."""
    actor = _actor(request)
    exc = selectors.match_exception(actor, exception_id)
    return services.resolve_exception(actor, exc, **payload.model_dump())


@router.get("/payables", response={200: list[PayableOut], **ERRORS})
@paginate(Pages)
def list_payables(request: HttpRequest) -> Any:
    """Money owed to suppliers for matched invoices, by due date."""
    return selectors.payables(_actor(request))


@router.get("/credits", response={200: list[CreditOut], **ERRORS})
@paginate(Pages)
def list_credits(request: HttpRequest) -> Any:
    """Credits requested of suppliers, for returns and invoice overcharges."""
    return selectors.credits(_actor(request))
