"""Pages about returns to suppliers: the list, the return form and one return's credit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from boh.core.errors import BohError
from boh.org.roles import Perm
from boh.purchasing import selectors, services
from boh.purchasing.models import Receipt, RejectReason, SupplierItem
from boh.purchasing.views.common import (
    form_text,
    line_errors,
    paged,
    parse_id,
    reachable_locations,
    split_errors,
)
from boh.web.shell import page, page_actor, page_location

RETURN_ROWS = 6


@page
def return_list(request: HttpRequest) -> HttpResponse:
    """Returns to suppliers, newest first, with the credit each asks for."""
    qs = selectors.returns(page_actor(request)).select_related("credit", "receipt")
    return render(request, "purchasing/returns.html", {"page_obj": paged(request, qs)})


@page
def return_new(request: HttpRequest) -> HttpResponse:
    """Send goods back from a location's stock, against a receipt or to a supplier."""
    actor = page_actor(request)
    source = request.POST if request.method == "POST" else request.GET
    receipt: Receipt | None = None
    receipt_id = parse_id(source.get("receipt_id"))
    if receipt_id is not None:
        receipt = selectors.receipt(actor, receipt_id)
    supplier_id = receipt.supplier_id if receipt else parse_id(source.get("supplier_id"))
    supplier = selectors.supplier(actor, supplier_id) if supplier_id else None
    locations = reachable_locations(request, Perm.RECEIVE)
    picked = page_location(request)
    form: dict[str, Any] = {
        "location_id": receipt.location_id if receipt else (picked.pk if picked else None),
        "reason": "",
        "note": "",
    }
    items: list[SupplierItem] = []
    rows: list[dict[str, Any]] = [{} for _ in range(RETURN_ROWS)]
    if supplier is not None:
        items = list(selectors.supplier_items(actor, supplier_id=supplier.pk))
    if receipt is not None:
        accepted = [
            ln for ln in receipt.lines.select_related("supplier_item") if ln.accepted_quantity
        ]
        for i, ln in enumerate(accepted[:RETURN_ROWS]):
            rows[i] = {"supplier_item_id": ln.supplier_item_id, "quantity": ""}
    errors: dict[str, str] = {}
    others: list[str] = []
    row_errors: list[dict[str, str]] = [{} for _ in range(RETURN_ROWS)]
    if request.method == "POST" and supplier is not None:
        form = {
            "location_id": parse_id(request.POST.get("location_id")),
            "reason": form_text(request.POST, "reason", 20),
            "note": form_text(request.POST, "note", 200),
        }
        lines: list[dict[str, Any]] = []
        row_of: list[int] = []
        for i in range(RETURN_ROWS):
            rows[i] = {
                "supplier_item_id": parse_id(request.POST.get(f"lines-{i}-supplier_item_id")),
                "quantity": form_text(request.POST, f"lines-{i}-quantity", 30),
            }
            if rows[i]["quantity"]:
                lines.append(
                    {
                        "supplier_item_id": rows[i]["supplier_item_id"] or 0,
                        "quantity": rows[i]["quantity"],
                    }
                )
                row_of.append(i)
        try:
            ret = services.return_to_supplier(
                actor,
                location_id=form["location_id"] or 0,
                lines=lines,
                reason=form["reason"],
                supplier_id=None if receipt else supplier.pk,
                receipt_id=receipt.pk if receipt else None,
                note=form["note"],
            )
        except BohError as exc:
            errors, others = split_errors(exc, {*form, "receipt_id", "supplier_id"})
            for n, found in enumerate(line_errors(errors, len(lines))):
                row_errors[row_of[n]] = found
        else:
            messages.success(
                request,
                _("Return %(number)s posted; a credit has been requested.")
                % {"number": ret.number},
            )
            return redirect("purchasing:return", return_id=ret.pk)
    return render(
        request,
        "purchasing/return_new.html",
        {
            "receipt": receipt,
            "supplier": supplier,
            "suppliers": selectors.suppliers(actor, active=True).filter(
                internal_location__isnull=True
            ),
            "form": form,
            "rows": list(zip(range(RETURN_ROWS), rows, row_errors, strict=True)),
            "errors": errors,
            "others": others,
            "locations": [(loc.pk, f"{loc.code} {loc.name}") for loc in locations],
            "reasons": RejectReason.choices,
            "items": [
                (si.pk, f"{si.item.name} · {si.pack_code} ({si.supplier_code})") for si in items
            ],
        },
    )


@page
def return_detail(request: HttpRequest, return_id: int) -> HttpResponse:
    """One return: what went back, at which price, and the credit requested for it."""
    ret = selectors.supplier_return(page_actor(request), return_id)
    return render(
        request,
        "purchasing/return_detail.html",
        {
            "ret": ret,
            "lines": ret.lines.select_related("supplier_item", "item").order_by("id"),
            "credit": getattr(ret, "credit", None),
        },
    )
