"""Pages about supplier invoices and the exceptions queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from boh.core.errors import BohError
from boh.purchasing import selectors, services
from boh.purchasing.models import (
    ExceptionReason,
    InvoiceKind,
    TaxRate,
)
from boh.purchasing.views.common import (
    field_errors,
    paged,
    parse_id,
)
from boh.web.shell import page, page_actor

INVOICE_ROWS = 6


@page
def invoice_list(request: HttpRequest) -> HttpResponse:
    """Supplier invoices, newest first."""
    qs = selectors.invoices(page_actor(request))
    return render(request, "purchasing/invoices.html", {"page_obj": paged(request, qs)})


@page
def invoice_new(request: HttpRequest) -> HttpResponse:
    """Enter a VAT invoice; it is matched at once and the result shown."""
    actor = page_actor(request)
    suppliers = list(selectors.suppliers(actor, active=True))
    supplier_id = parse_id(request.POST.get("supplier_id") or request.GET.get("supplier_id"))
    items = list(selectors.supplier_items(actor, supplier_id=supplier_id)) if supplier_id else []
    errors: dict[str, str] = {}
    if request.method == "POST":
        lines = []
        for i in range(INVOICE_ROWS):
            qty = request.POST.get(f"lines-{i}-quantity", "").strip()
            if not qty:
                continue
            row: dict[str, Any] = {
                "supplier_item_id": parse_id(request.POST.get(f"lines-{i}-supplier_item_id")),
                "description": request.POST.get(f"lines-{i}-description", "")[:200],
                "quantity": qty,
                "unit_price": request.POST.get(f"lines-{i}-unit_price", "").strip(),
                "net_amount": request.POST.get(f"lines-{i}-net_amount", "").strip(),
                "tax_rate": request.POST.get(f"lines-{i}-tax_rate", ""),
            }
            tax = request.POST.get(f"lines-{i}-tax_amount", "").strip()
            if tax:
                row["tax_amount"] = tax
            lines.append(row)
        try:
            invoice = services.enter_invoice(
                actor,
                supplier_id=supplier_id or 0,
                number=request.POST.get("number", ""),
                invoice_code=request.POST.get("invoice_code", ""),
                kind=request.POST.get("kind", ""),
                invoice_date=request.POST.get("invoice_date", ""),
                supplier_tax_id=request.POST.get("supplier_tax_id", ""),
                buyer_tax_id=request.POST.get("buyer_tax_id", ""),
                net_total=request.POST.get("net_total", "").strip(),
                tax_total=request.POST.get("tax_total", "").strip(),
                gross_total=request.POST.get("gross_total", "").strip(),
                order_id=parse_id(request.POST.get("order_id")),
                lines=lines,
            )
        except BohError as exc:
            errors = field_errors(exc) or {"": str(exc.message)}
            if not exc.fields:
                errors = {"": str(exc.message)}
        else:
            return redirect("purchasing:invoice", invoice_id=invoice.pk)
    return render(
        request,
        "purchasing/invoice_new.html",
        {
            "suppliers": suppliers,
            "supplier_id": supplier_id,
            "items": items,
            "rows": range(INVOICE_ROWS),
            "kinds": InvoiceKind.choices,
            "rates": TaxRate.choices,
            "errors": errors,
            "form": request.POST,
        },
    )


@page
def invoice_detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """One invoice and its match result: matched and payable, or its exceptions."""
    invoice = selectors.invoice(page_actor(request), invoice_id)
    return render(
        request,
        "purchasing/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.select_related("supplier_item__item").order_by("line_no"),
            "exceptions": invoice.exceptions.order_by("id"),
            "payable": getattr(invoice, "payable", None),
        },
    )


@page
def exception_queue(request: HttpRequest) -> HttpResponse:
    """Open match exceptions with a way to settle each."""
    actor = page_actor(request)
    if request.method == "POST":
        exc_id = parse_id(request.POST.get("exception_id"))
        try:
            services.resolve_exception(
                actor,
                selectors.match_exception(actor, exc_id),
                resolution=request.POST.get("resolution", ""),
                note=request.POST.get("note", "")[:200],
                credit_note_number=request.POST.get("credit_note_number", "")[:40],
            )
        except BohError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Exception resolved."))
        return redirect("purchasing:exceptions")
    qs = selectors.match_exceptions(actor)
    return render(
        request,
        "purchasing/exceptions.html",
        {"page_obj": paged(request, qs), "reasons": dict(ExceptionReason.choices)},
    )
