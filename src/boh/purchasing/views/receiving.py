"""The back door: deliveries expected, the phone receiving screen, and returns."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from boh.catalog.models import Barcode
from boh.core.errors import BohError
from boh.org.roles import Perm
from boh.purchasing import selectors, services
from boh.purchasing.models import (
    Receipt,
    RejectReason,
    SupplierItem,
)
from boh.purchasing.views.common import (
    field_errors,
    parse_id,
    reachable_locations,
)
from boh.web.shell import page, page_actor, page_location


@page
def receive_start(request: HttpRequest) -> HttpResponse:
    """The back door: orders expected at the current location, or a delivery without one."""
    actor = page_actor(request)
    locations = reachable_locations(request, Perm.RECEIVE)
    location_id = parse_id(request.GET.get("location_id") or request.POST.get("location_id"))
    if location_id is None:
        picked = page_location(request)
        location_id = picked.pk if picked else (locations[0].pk if len(locations) == 1 else None)
    if request.method == "POST":
        try:
            receipt = services.start_receipt(
                actor,
                location_id=location_id or 0,
                order_id=parse_id(request.POST.get("order_id")),
                supplier_id=parse_id(request.POST.get("supplier_id")),
                delivery_note=request.POST.get("delivery_note", "")[:60],
            )
        except BohError as exc:
            messages.error(request, str(exc.message))
        else:
            return redirect("purchasing:receipt", receipt_id=receipt.pk)
    expected = selectors.expected_deliveries(actor, location_id) if location_id else []
    open_receipts = selectors.receipts(actor).filter(status=Receipt.Status.DRAFT)
    if location_id:
        open_receipts = open_receipts.filter(location_id=location_id)
    return render(
        request,
        "purchasing/receive_start.html",
        {
            "locations": locations,
            "location_id": location_id,
            "orders": expected,
            "open_receipts": open_receipts,
            "suppliers": selectors.suppliers(actor, active=True).filter(
                internal_location__isnull=True
            ),
        },
    )


def _find(receipt: Receipt, q: str) -> list[SupplierItem]:
    """Supplier items of the receipt's supplier that a scan or a search names."""
    base = SupplierItem.objects.filter(supplier_id=receipt.supplier_id, is_active=True)
    base = base.select_related("item")
    barcode = Barcode.objects.filter(organization_id=receipt.organization_id, code=q).first()
    if barcode is not None:
        found = base.filter(item_id=barcode.item_id)
        if barcode.pack_id is not None and found.filter(pack_id=barcode.pack_id).exists():
            found = found.filter(pack_id=barcode.pack_id)
        return list(found)
    exact = list(base.filter(Q(supplier_code__iexact=q) | Q(item__code__iexact=q)))
    if exact:
        return exact
    return list(
        base.filter(
            Q(item__name__icontains=q)
            | Q(item__pinyin__icontains=q.lower())
            | Q(supplier_code__icontains=q)
        )[:10]
    )


@page
def receipt_screen(request: HttpRequest, receipt_id: int) -> HttpResponse:
    """The phone screen: scan or search an item, enter what came, see what is still missing."""
    actor = page_actor(request)
    receipt = selectors.receipt(actor, receipt_id)
    q = request.GET.get("q", "").strip()[:60]
    errors: dict[str, str] = {}
    chosen: SupplierItem | None = None
    candidates: list[SupplierItem] = []
    if request.method == "POST" and receipt.status == Receipt.Status.DRAFT:
        if "post" in request.POST:
            try:
                services.post_receipt(actor, receipt)
            except BohError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Receipt posted to stock."))
            return redirect("purchasing:receipt", receipt_id=receipt.pk)
        values: dict[str, Any] = {
            "supplier_item_id": parse_id(request.POST.get("supplier_item_id")),
            "delivered_quantity": request.POST.get("delivered_quantity", "").strip(),
            "rejected_quantity": request.POST.get("rejected_quantity", "").strip() or "0",
            "reject_reason": request.POST.get("reject_reason", ""),
            "lot_code": request.POST.get("lot_code", "").strip(),
            "expiry_date": request.POST.get("expiry_date") or None,
        }
        for name in ("temperature", "unit_price"):
            if request.POST.get(name, "").strip():
                values[name] = request.POST[name].strip()
        try:
            services.record_receipt_line(actor, receipt, **values)
        except BohError as exc:
            errors = field_errors(exc) or {"": str(exc.message)}
            chosen = (
                SupplierItem.objects.filter(
                    supplier_id=receipt.supplier_id, pk=values["supplier_item_id"] or 0
                )
                .select_related("item")
                .first()
            )
        else:
            return redirect("purchasing:receipt", receipt_id=receipt.pk)
    elif q and receipt.status == Receipt.Status.DRAFT:
        candidates = _find(receipt, q)
        if len(candidates) == 1:
            chosen = candidates[0]
    return render(
        request,
        "purchasing/receipt.html",
        {
            "receipt": receipt,
            "lines": receipt.lines.select_related("supplier_item", "item").order_by("line_no"),
            "missing": selectors.still_missing(receipt),
            "q": q,
            "candidates": candidates,
            "chosen": chosen,
            "errors": errors,
            "reasons": RejectReason.choices,
            "form": request.POST if errors else {},
        },
    )
