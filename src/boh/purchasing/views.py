"""Pages of the purchasing module: suppliers, orders, the back-door receiving screen,
invoices, the exceptions queue and the supplier scorecard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boh.catalog.models import Barcode
from boh.core.errors import BohError
from boh.org.models import Location
from boh.org.roles import Perm
from boh.purchasing import selectors, services
from boh.purchasing.models import (
    ExceptionReason,
    InvoiceKind,
    OrderStatus,
    Receipt,
    RejectReason,
    SupplierItem,
    TaxRate,
)
from boh.purchasing.pdf import render_order_pdf
from boh.web.shell import page, page_actor, page_location

PAGE_SIZE = 25
INVOICE_ROWS = 6


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _errors(exc: BohError) -> dict[str, str]:
    return {f.field: f.message for f in exc.fields}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _decimal(value: str | None) -> Decimal | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _locations(request: HttpRequest, perm: str) -> list[Location]:
    actor = page_actor(request)
    return list(actor.scope(Location.objects.filter(is_active=True), perm, "id").order_by("code"))


# ---------------------------------------------------------------- suppliers


@page
def supplier_list(request: HttpRequest) -> HttpResponse:
    """Suppliers with a search box."""
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.suppliers(page_actor(request), q=q or None)
    return render(request, "purchasing/suppliers.html", {"page_obj": _page(request, qs), "q": q})


@page
def supplier_detail(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """One supplier: details, contacts, delivery terms and items with today's prices."""
    supplier = selectors.supplier(page_actor(request), supplier_id)
    items = list(selectors.supplier_items(page_actor(request), supplier_id=supplier.pk))
    prices = selectors.agreed_prices([si.pk for si in items], timezone.localdate())
    rows = [(si, prices.get(si.pk)) for si in items]
    return render(
        request,
        "purchasing/supplier_detail.html",
        {
            "supplier": supplier,
            "contacts": supplier.contacts.all(),
            "terms": selectors.delivery_terms(supplier),
            "rows": rows,
        },
    )


# ---------------------------------------------------------------- orders


@page
def order_list(request: HttpRequest) -> HttpResponse:
    """Orders with a status filter."""
    status = request.GET.get("status", "")
    qs = selectors.orders(page_actor(request)).order_by("-created_at", "-id")
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "purchasing/orders.html",
        {"page_obj": _page(request, qs), "status": status, "statuses": OrderStatus.choices},
    )


@page
def order_new(request: HttpRequest) -> HttpResponse:
    """Order from the guide: pick supplier and location, fill quantities, create a draft."""
    actor = page_actor(request)
    suppliers = list(selectors.suppliers(actor, active=True))
    locations = _locations(request, Perm.PURCHASING_MANAGE)
    source = request.POST if request.method == "POST" else request.GET
    supplier_id = _int(source.get("supplier_id"))
    location_id = _int(source.get("location_id"))
    if location_id is None and (picked := page_location(request)) is not None:
        location_id = picked.pk
    guide: list[Any] = []
    errors: dict[str, str] = {}
    if supplier_id and location_id:
        try:
            guide = selectors.order_guide(
                actor, selectors.supplier(actor, supplier_id), location_id
            )
        except BohError as exc:
            errors = _errors(exc) or {"": str(exc.message)}
    if request.method == "POST" and supplier_id and location_id:
        lines = []
        for row in guide:
            qty = _decimal(request.POST.get(f"qty-{row.supplier_item_id}"))
            if qty:
                lines.append({"supplier_item_id": row.supplier_item_id, "quantity": qty})
        try:
            order = services.create_order(
                actor,
                supplier_id=supplier_id,
                location_id=location_id,
                lines=lines,
                source="guide",
            )
        except BohError as exc:
            errors = _errors(exc) or {"": str(exc.message)}
        else:
            messages.success(request, _("Order %(number)s drafted.") % {"number": order.number})
            return redirect("purchasing:order", order_id=order.pk)
    return render(
        request,
        "purchasing/order_new.html",
        {
            "suppliers": suppliers,
            "locations": locations,
            "supplier_id": supplier_id,
            "location_id": location_id,
            "guide": guide,
            "errors": errors,
        },
    )


def _int(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 1 << 63 else None


@page
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    """One order with its lines, receipts and the buttons its status allows."""
    actor = page_actor(request)
    order = selectors.order(actor, order_id)
    actions = [a for a in services.allowed_actions(order.status) if not a.startswith("receive")]
    if "ship" in actions and not order.supplier.is_internal:
        actions.remove("ship")
    return render(
        request,
        "purchasing/order_detail.html",
        {
            "order": order,
            "lines": selectors.order_lines(order),
            "receipts": order.receipts.order_by("-received_at"),
            "actions": actions,
            "limit": services.approval_limit(actor, order.location_id),
        },
    )


@page
def order_pdf(request: HttpRequest, order_id: int) -> HttpResponse:
    """The order's PDF: the copy sent to the supplier, or a preview before sending."""
    order = selectors.order(page_actor(request), order_id)
    content = order.sent_copy.read() if order.sent_copy else render_order_pdf(order)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.number}.pdf"'
    return response


ORDER_ACTIONS = {
    "submit": lambda a, o, r: services.submit_order(a, o),
    "approve": lambda a, o, r: services.approve_order(a, o),
    "reject": lambda a, o, r: services.reject_order(a, o, reason=r),
    "send": lambda a, o, r: services.send_order(a, o),
    "ship": lambda a, o, r: services.ship_internal_order(a, o),
    "cancel": lambda a, o, r: services.cancel_order(a, o, reason=r),
    "close": lambda a, o, r: services.close_order(a, o, reason=r),
}


@page
@require_POST
def order_action(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    """A lifecycle button; a refusal is shown on the order page."""
    actor = page_actor(request)
    order = selectors.order(actor, order_id)
    if action not in ORDER_ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect("purchasing:order", order_id=order.pk)
    try:
        ORDER_ACTIONS[action](actor, order, request.POST.get("reason", "").strip()[:200])
    except BohError as exc:
        messages.error(request, str(exc.message))
    else:
        order.refresh_from_db()
        messages.success(
            request,
            _("Order %(number)s is now %(status)s.")
            % {"number": order.number, "status": order.get_status_display()},
        )
    return redirect("purchasing:order", order_id=order.pk)


@page
def order_edit(request: HttpRequest, order_id: int) -> HttpResponse:
    """Change a draft order's quantities, add a line of the supplier's items, or its note."""
    actor = page_actor(request)
    order = selectors.order(actor, order_id)
    lines = list(selectors.order_lines(order))
    items = list(selectors.supplier_items(actor, supplier_id=order.supplier_id, active=True))
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = []
        for line in lines:
            qty = _decimal(request.POST.get(f"qty-{line.pk}"))
            if qty:
                values.append(
                    {
                        "supplier_item_id": line.supplier_item_id,
                        "quantity": qty,
                        "unit_price": line.unit_price,
                        "location_id": line.location_id,
                    }
                )
        new_item = _int(request.POST.get("new_item"))
        new_qty = _decimal(request.POST.get("new_qty"))
        if new_item and new_qty:
            values.append({"supplier_item_id": new_item, "quantity": new_qty})
        try:
            services.update_order(
                actor, order, lines=values, note=request.POST.get("note", "")[:2000]
            )
        except BohError as exc:
            errors = _errors(exc) or {"": str(exc.message)}
        else:
            messages.success(request, _("Order saved."))
            return redirect("purchasing:order", order_id=order.pk)
    return render(
        request,
        "purchasing/order_edit.html",
        {"order": order, "lines": lines, "items": items, "errors": errors},
    )


# ---------------------------------------------------------------- receiving


@page
def receive_start(request: HttpRequest) -> HttpResponse:
    """The back door: orders expected at the current location, or a delivery without one."""
    actor = page_actor(request)
    locations = _locations(request, Perm.RECEIVE)
    location_id = _int(request.GET.get("location_id") or request.POST.get("location_id"))
    if location_id is None:
        picked = page_location(request)
        location_id = picked.pk if picked else (locations[0].pk if len(locations) == 1 else None)
    if request.method == "POST":
        try:
            receipt = services.start_receipt(
                actor,
                location_id=location_id or 0,
                order_id=_int(request.POST.get("order_id")),
                supplier_id=_int(request.POST.get("supplier_id")),
                delivery_note=request.POST.get("delivery_note", "")[:60],
            )
        except BohError as exc:
            messages.error(request, str(exc.message))
        else:
            return redirect("purchasing:receipt", receipt_id=receipt.pk)
    expected: QuerySet[Any] = selectors.orders(actor, Perm.RECEIVE).none()
    if location_id:
        expected = (
            selectors.orders(actor, Perm.RECEIVE)
            .filter(status__in=[OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED])
            .filter(lines__location_id=location_id)
            .distinct()
            .order_by("expected_date", "id")
        )
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
            "suppliers": selectors.suppliers(actor, active=True),
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
            "supplier_item_id": _int(request.POST.get("supplier_item_id")),
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
            errors = _errors(exc) or {"": str(exc.message)}
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


# ---------------------------------------------------------------- invoices


@page
def invoice_list(request: HttpRequest) -> HttpResponse:
    """Supplier invoices, newest first."""
    qs = selectors.invoices(page_actor(request))
    return render(request, "purchasing/invoices.html", {"page_obj": _page(request, qs)})


@page
def invoice_new(request: HttpRequest) -> HttpResponse:
    """Enter a VAT invoice; it is matched at once and the result shown."""
    actor = page_actor(request)
    suppliers = list(selectors.suppliers(actor, active=True))
    supplier_id = _int(request.POST.get("supplier_id") or request.GET.get("supplier_id"))
    items = list(selectors.supplier_items(actor, supplier_id=supplier_id)) if supplier_id else []
    errors: dict[str, str] = {}
    if request.method == "POST":
        lines = []
        for i in range(INVOICE_ROWS):
            qty = request.POST.get(f"lines-{i}-quantity", "").strip()
            if not qty:
                continue
            row: dict[str, Any] = {
                "supplier_item_id": _int(request.POST.get(f"lines-{i}-supplier_item_id")),
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
                order_id=_int(request.POST.get("order_id")),
                lines=lines,
            )
        except BohError as exc:
            errors = _errors(exc) or {"": str(exc.message)}
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
        exc_id = _int(request.POST.get("exception_id"))
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
        {"page_obj": _page(request, qs), "reasons": dict(ExceptionReason.choices)},
    )


@page
def scorecard(request: HttpRequest) -> HttpResponse:
    """Supplier scorecard over a period, ranked."""
    date_to = _date(request.GET.get("date_to")) or timezone.localdate()
    date_from = _date(request.GET.get("date_from")) or date_to - dt.timedelta(days=30)
    actor = page_actor(request)
    return render(
        request,
        "purchasing/scorecard.html",
        {
            "rows": selectors.supplier_scorecard(actor, date_from, date_to),
            "variance": selectors.price_variance(actor, date_from, date_to)[:20],
            "overdue": selectors.open_orders(actor, overdue_only=True)[:20],
            "date_from": date_from,
            "date_to": date_to,
        },
    )
