"""Pages about requisitions: a location asks head office for items; head office orders them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from boh.catalog.models import Item
from boh.core.errors import BohError
from boh.org.roles import Perm
from boh.purchasing import selectors, services
from boh.purchasing.models import Requisition
from boh.purchasing.views.common import (
    form_text,
    line_errors,
    paged,
    parse_id,
    reachable_locations,
    split_errors,
)
from boh.web.shell import page, page_actor, page_location

REQUISITION_ROWS = 8


@page
def requisition_list(request: HttpRequest) -> HttpResponse:
    """Requisitions by status; head office ticks open ones and turns them into orders."""
    actor = page_actor(request)
    status = request.GET.get("status", Requisition.Status.SUBMITTED)
    if status not in Requisition.Status.values:
        status = ""
    if request.method == "POST":
        ids = [n for n in (parse_id(v) for v in request.POST.getlist("requisition_id")) if n]
        try:
            orders = services.consolidate_requisitions(
                actor,
                requisition_ids=ids,
                expected_date=form_text(request.POST, "expected_date", 10) or None,
            )
        except BohError as exc:
            for message in split_errors(exc, set())[1] or [str(exc.message)]:
                messages.error(request, message)
        else:
            numbers = ", ".join(o.number for o in orders)
            messages.success(request, _("Draft orders %(numbers)s created.") % {"numbers": numbers})
            if len(orders) == 1:
                return redirect("purchasing:order", order_id=orders[0].pk)
            return redirect("purchasing:orders")
        return redirect(f"{request.path}?status={status}")
    qs = selectors.requisitions(actor).order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    return render(
        request,
        "purchasing/requisitions.html",
        {
            "page_obj": paged(request, qs),
            "status": status,
            "statuses": Requisition.Status.choices,
            "can_order": actor.can(Perm.PURCHASING_MANAGE),
        },
    )


@page
def requisition_new(request: HttpRequest) -> HttpResponse:
    """A location asks head office for items, in the item's base unit, by a date."""
    actor = page_actor(request)
    locations = reachable_locations(request, Perm.PURCHASING_MANAGE)
    picked = page_location(request)
    items = list(
        actor.scope(Item.objects.filter(is_active=True), Perm.CATALOG_VIEW).order_by("code")
    )
    form: dict[str, Any] = {"location_id": picked.pk if picked else None}
    rows: list[dict[str, Any]] = [{} for _ in range(REQUISITION_ROWS)]
    errors: dict[str, str] = {}
    others: list[str] = []
    row_errors: list[dict[str, str]] = [{} for _ in range(REQUISITION_ROWS)]
    if request.method == "POST":
        form = {
            "location_id": parse_id(request.POST.get("location_id")),
            "needed_by": form_text(request.POST, "needed_by", 10),
            "note": form_text(request.POST, "note", 200),
        }
        lines: list[dict[str, Any]] = []
        row_of: list[int] = []
        for i in range(REQUISITION_ROWS):
            rows[i] = {
                "item_id": parse_id(request.POST.get(f"lines-{i}-item_id")),
                "quantity": form_text(request.POST, f"lines-{i}-quantity", 30),
            }
            if rows[i]["item_id"] or rows[i]["quantity"]:
                lines.append({"item_id": rows[i]["item_id"] or 0, "quantity": rows[i]["quantity"]})
                row_of.append(i)
        try:
            requisition = services.submit_requisition(
                actor,
                location_id=form["location_id"] or 0,
                lines=lines,
                needed_by=form["needed_by"] or None,
                note=form["note"],
            )
        except BohError as exc:
            errors, others = split_errors(exc, set(form))
            for n, found in enumerate(line_errors(errors, len(lines))):
                row_errors[row_of[n]] = found
        else:
            messages.success(
                request,
                _("Requisition %(number)s sent to head office.") % {"number": requisition.number},
            )
            return redirect("purchasing:requisitions")
    return render(
        request,
        "purchasing/requisition_new.html",
        {
            "form": form,
            "rows": list(zip(range(REQUISITION_ROWS), rows, row_errors, strict=True)),
            "errors": errors,
            "others": others,
            "locations": [(loc.pk, f"{loc.code} {loc.name}") for loc in locations],
            "items": [(i.pk, f"{i.code} {i.name} ({i.base_unit})") for i in items],
        },
    )
