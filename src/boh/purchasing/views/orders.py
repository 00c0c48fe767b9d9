"""Pages about purchase orders: the list, the guide, one order, its edit form and buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boh.core.errors import BohError
from boh.org.roles import Perm
from boh.purchasing import selectors, services
from boh.purchasing.models import (
    OrderStatus,
)
from boh.purchasing.pdf import render_order_pdf
from boh.purchasing.views.common import (
    field_errors,
    paged,
    parse_decimal,
    parse_id,
    reachable_locations,
)
from boh.web.shell import page, page_actor, page_location


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
        {"page_obj": paged(request, qs), "status": status, "statuses": OrderStatus.choices},
    )


@page
def order_new(request: HttpRequest) -> HttpResponse:
    """Order from the guide: pick supplier and location, fill quantities, create a draft."""
    actor = page_actor(request)
    suppliers = list(selectors.suppliers(actor, active=True))
    locations = reachable_locations(request, Perm.PURCHASING_MANAGE)
    source = request.POST if request.method == "POST" else request.GET
    supplier_id = parse_id(source.get("supplier_id"))
    location_id = parse_id(source.get("location_id"))
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
            errors = field_errors(exc) or {"": str(exc.message)}
    if request.method == "POST" and supplier_id and location_id:
        lines = []
        for row in guide:
            qty = parse_decimal(request.POST.get(f"qty-{row.supplier_item_id}"))
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
            errors = field_errors(exc) or {"": str(exc.message)}
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
            qty = parse_decimal(request.POST.get(f"qty-{line.pk}"))
            if qty:
                values.append(
                    {
                        "supplier_item_id": line.supplier_item_id,
                        "quantity": qty,
                        "unit_price": line.unit_price,
                        "location_id": line.location_id,
                    }
                )
        new_item = parse_id(request.POST.get("new_item"))
        new_qty = parse_decimal(request.POST.get("new_qty"))
        if new_item and new_qty:
            values.append({"supplier_item_id": new_item, "quantity": new_qty})
        try:
            services.update_order(
                actor, order, lines=values, note=request.POST.get("note", "")[:2000]
            )
        except BohError as exc:
            errors = field_errors(exc) or {"": str(exc.message)}
        else:
            messages.success(request, _("Order saved."))
            return redirect("purchasing:order", order_id=order.pk)
    return render(
        request,
        "purchasing/order_edit.html",
        {"order": order, "lines": lines, "items": items, "errors": errors},
    )
