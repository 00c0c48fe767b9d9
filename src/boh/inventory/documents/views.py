"""Pages of inventory documents, made for a phone in a kitchen: waste, transfers, counts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boh.catalog.models import Category, Item, StorageArea
from boh.core.errors import BohError
from boh.inventory.documents import selectors, stocktakes, transfers, waste
from boh.inventory.documents.models import Stocktake, Transfer, WasteEntry
from boh.org.models import Location
from boh.org.roles import Perm
from boh.web.shell import is_htmx, page, page_actor, page_location, refused

PAGE_SIZE = 25
_LINE_FIELD = re.compile(r"^lines\[(\d+)\]")


def _field_errors(exc: BohError) -> dict[str, str]:
    return {f.field: f.message for f in exc.fields}


def _int(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 1 << 63 else None


def _default_location(request: HttpRequest, choices: list[Any]) -> int | None:
    picked = page_location(request)
    if picked is not None and any(c.pk == picked.pk for c in choices):
        return picked.pk
    return choices[0].pk if len(choices) == 1 else None


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# ---------------------------------------------------------------- items and lots


@page
def item_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: what a scan or search typed into an item field found, with units and lots."""
    actor = page_actor(request)
    prefix = request.GET.get("prefix", "")[:20]
    location_id = _int(request.GET.get("location_id") or request.GET.get("from_location_id"))
    found = selectors.find_items(actor, request.GET.get("q", ""))
    context: dict[str, Any] = {"found": found, "prefix": prefix, "location_id": location_id}
    if len(found) == 1:
        item = found[0].item
        context["item"] = item
        context["pack_code"] = found[0].pack_code
        context["units"] = selectors.units_of([item])[item.pk]
        if location_id is not None and actor.can(Perm.STOCK_VIEW, location_id):
            context["lots"] = selectors.lots_at(actor, location_id, item.pk)
    return render(request, "inventory/docs/_item_pick.html", context)


# ---------------------------------------------------------------- waste


@page
def waste_list(request: HttpRequest) -> HttpResponse:
    """Recent waste at the chosen location (or every location the user sees)."""
    actor = page_actor(request)
    location = page_location(request)
    entries = selectors.waste_entries(actor, location_id=location.pk if location else None)
    return render(
        request,
        "inventory/docs/waste_list.html",
        {"page_obj": _page(request, entries), "location": location},
    )


@page
def waste_new(request: HttpRequest) -> HttpResponse:
    """Log waste: scan or search the item, say how much and why, add a photo."""
    actor = page_actor(request)
    choices = selectors.locations_for(actor, Perm.STOCK_POST)
    data: QueryDict | dict[str, Any] = {"location_id": _default_location(request, choices)}
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = request.POST
        try:
            entry = waste.log_waste(
                actor,
                location_id=_int(data.get("location_id")) or 0,
                item_id=_int(data.get("item_id")) or 0,
                quantity=data.get("quantity", ""),
                unit=data.get("unit", ""),
                lot_id=_int(data.get("lot_id")),
                reason=data.get("reason", ""),
                note=data.get("note", ""),
                photo=request.FILES.get("photo"),
            )
        except BohError as exc:
            errors = _field_errors(exc) or {"form": str(exc.message)}
        else:
            messages.success(
                request,
                _("Logged: %(qty)s %(unit)s of %(item)s.")
                % {
                    "qty": entry.entered_quantity.normalize(),
                    "unit": entry.entered_unit,
                    "item": entry.item.name,
                },
            )
            return redirect("inventory_docs:waste_new")
    return render(
        request,
        "inventory/docs/waste_new.html",
        {
            "locations": choices,
            "data": data,
            "errors": errors,
            "reasons": WasteEntry.Reason.choices,
        },
        status=400 if errors else 200,
    )


# ---------------------------------------------------------------- transfers


@page
def transfer_list(request: HttpRequest) -> HttpResponse:
    """Transfers from or to the user's locations, newest first, with what is in transit."""
    actor = page_actor(request)
    location = page_location(request)
    status = request.GET.get("status") or None
    qs = selectors.transfers(actor, status=status, location_id=location.pk if location else None)
    return render(
        request,
        "inventory/docs/transfers.html",
        {
            "page_obj": _page(request, qs),
            "statuses": Transfer.Status.choices,
            "status": status,
            "in_transit": selectors.in_transit(actor, location.pk if location else None),
            "can_request": bool(selectors.locations_for(actor, Perm.STOCK_POST)),
        },
    )


@dataclass
class _Row:
    """One line of the transfer form, as typed, with what it picked and its error."""

    index: int
    item: Item | None = None
    units: list[selectors.UnitOption] = field(default_factory=list)
    unit: str = ""
    quantity: str = ""
    error: str = ""

    @property
    def prefix(self) -> str:
        return f"l{self.index}-"


def _typed_rows(data: QueryDict, count: int) -> list[_Row]:
    rows = [
        _Row(i, quantity=data.get(f"l{i}-quantity", ""), unit=data.get(f"l{i}-unit", ""))
        for i in range(count)
    ]
    ids = {i: _int(data.get(f"l{i}-item_id")) for i in range(count)}
    items = {i.pk: i for i in Item.objects.filter(pk__in=[v for v in ids.values() if v])}
    units = selectors.units_of(list(items.values()))
    for row in rows:
        row.item = items.get(ids[row.index] or 0)
        row.units = units[row.item.pk] if row.item else []
    return rows


@page
def transfer_new(request: HttpRequest) -> HttpResponse:
    """Request a transfer: from, to, and items with quantities."""
    actor = page_actor(request)
    choices = selectors.locations_for(actor, Perm.STOCK_POST)
    every = list(Location.objects.filter(organization=actor.organization, is_active=True))
    errors: dict[str, str] = {}
    data: QueryDict | dict[str, Any] = {"to_location_id": _default_location(request, choices)}
    rows = [_Row(i) for i in range(min(_int(request.GET.get("rows")) or 3, 100))]
    if request.method == "POST":
        data = request.POST
        rows = _typed_rows(data, min(_int(data.get("rows")) or 0, 100))
        used = [r for r in rows if r.item is not None or r.quantity]
        lines = [
            {
                "item_id": r.item.pk if r.item else None,
                "quantity": r.quantity,
                "unit": r.unit,
                "lot_id": _int(data.get(f"l{r.index}-lot_id")),
            }
            for r in used
        ]
        try:
            created = transfers.create_transfer(
                actor,
                from_location_id=_int(data.get("from_location_id")) or 0,
                to_location_id=_int(data.get("to_location_id")) or 0,
                lines=lines,
                note=data.get("note", ""),
            )
        except BohError as exc:
            errors = _field_errors(exc) or {"form": str(exc.message)}
            for name, message in errors.items():
                match = _LINE_FIELD.match(name)
                if match and int(match.group(1)) < len(used):
                    used[int(match.group(1))].error = message
        else:
            messages.success(request, _("Transfer requested."))
            return redirect("inventory_docs:transfer_detail", transfer_id=created.pk)
    return render(
        request,
        "inventory/docs/transfer_new.html",
        {"locations": every, "data": data, "errors": errors, "rows": rows},
        status=400 if errors else 200,
    )


def _transfer_context(request: HttpRequest, transfer: Transfer) -> dict[str, Any]:
    actor = page_actor(request)
    lines = list(transfer.lines.all())
    t = transfer
    post_at = {
        loc: actor.can(Perm.STOCK_POST, loc) for loc in (t.from_location_id, t.to_location_id)
    }
    return {
        "transfer": t,
        "lines": lines,
        "can_approve": t.status == Transfer.Status.REQUESTED
        and actor.can(Perm.STOCK_APPROVE, t.from_location_id),
        "can_ship": t.status == Transfer.Status.APPROVED and post_at[t.from_location_id],
        "can_receive": t.status == Transfer.Status.SHIPPED and post_at[t.to_location_id],
        "can_cancel": t.status in (Transfer.Status.REQUESTED, Transfer.Status.APPROVED)
        and any(post_at.values()),
        "can_resolve": t.discrepancy == Transfer.Discrepancy.OPEN
        and (
            actor.can(Perm.STOCK_APPROVE, t.from_location_id)
            or actor.can(Perm.STOCK_APPROVE, t.to_location_id)
        ),
        "resolutions": Transfer.Resolution.choices,
    }


@page
def transfer_detail(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """A transfer, its lines and the next step the user may take."""
    found = selectors.transfer(page_actor(request), transfer_id)
    return render(request, "inventory/docs/transfer_detail.html", _transfer_context(request, found))


@require_POST
@page
def transfer_action(request: HttpRequest, transfer_id: int, action: str) -> HttpResponse:
    """Approve, cancel or resolve a transfer from its page."""
    actor = page_actor(request)
    found = selectors.transfer(actor, transfer_id)
    here = reverse("inventory_docs:transfer_detail", args=[found.pk])
    try:
        if action == "approve":
            transfers.approve_transfer(actor, found)
        elif action == "cancel":
            transfers.cancel_transfer(actor, found)
        elif action == "resolve":
            transfers.resolve_transfer(
                actor,
                found,
                resolution=request.POST.get("resolution", ""),
                note=request.POST.get("note", ""),
            )
        else:
            return HttpResponse(status=404)
    except BohError as exc:
        return refused(request, exc, here)
    messages.success(request, _("Saved."))
    return redirect(here)


def _step_rows(
    request: HttpRequest, transfer: Transfer, fields: tuple[str, ...]
) -> list[dict[str, Any]]:
    rows = []
    for line in transfer.lines.all():
        row: dict[str, Any] = {"line_id": line.pk}
        for name in fields:
            row[name] = request.POST.get(f"{name}-{line.pk}", "")
        rows.append(row)
    return rows


@page
def transfer_ship(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The sender's screen: confirm what goes on the truck, line by line."""
    actor = page_actor(request)
    found = selectors.transfer(actor, transfer_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        rows = _step_rows(request, found, ("quantity", "lot_id"))
        for row in rows:
            row["lot_id"] = _int(row["lot_id"])
        try:
            transfers.ship_transfer(actor, found, lines=rows)
        except BohError as exc:
            errors = _field_errors(exc) or {"form": str(exc.message)}
        else:
            messages.success(request, _("Shipped."))
            return redirect("inventory_docs:transfer_detail", transfer_id=found.pk)
    context = _transfer_context(request, found)
    context["errors"] = errors
    if actor.can(Perm.STOCK_VIEW, found.from_location_id):
        for line in context["lines"]:
            if line.item.lot_tracked:
                line.lot_options = selectors.lots_at(actor, found.from_location_id, line.item_id)
    return render(
        request, "inventory/docs/transfer_ship.html", context, status=400 if errors else 200
    )


@page
def transfer_receive(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The destination's screen: what arrived good, what arrived damaged, what is missing."""
    actor = page_actor(request)
    found = selectors.transfer(actor, transfer_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        rows = _step_rows(request, found, ("received_quantity", "damaged_quantity"))
        for row in rows:
            row["damaged_quantity"] = row["damaged_quantity"] or "0"
        try:
            transfers.receive_transfer(actor, found, lines=rows, note=request.POST.get("note", ""))
        except BohError as exc:
            errors = _field_errors(exc) or {"form": str(exc.message)}
        else:
            messages.success(request, _("Received."))
            return redirect("inventory_docs:transfer_detail", transfer_id=found.pk)
    context = _transfer_context(request, found)
    context["errors"] = errors
    return render(
        request, "inventory/docs/transfer_receive.html", context, status=400 if errors else 200
    )


# ---------------------------------------------------------------- stocktakes


@page
def stocktake_list(request: HttpRequest) -> HttpResponse:
    """Stocktakes at the user's locations, and a form to start one."""
    actor = page_actor(request)
    location = page_location(request)
    choices = selectors.locations_for(actor, Perm.STOCK_COUNT)
    errors: dict[str, str] = {}
    data: QueryDict | dict[str, Any] = {
        "location_id": _default_location(request, choices),
        "scope": "full",
    }
    if request.method == "POST":
        data = request.POST
        try:
            started = stocktakes.start_stocktake(
                actor,
                location_id=_int(data.get("location_id")) or 0,
                scope=data.get("scope", "full"),
                area_ids=[i for i in map(_int, data.getlist("area_ids")) if i],
                category_ids=[i for i in map(_int, data.getlist("category_ids")) if i],
                blind=data.get("blind") == "on",
                note=data.get("note", ""),
            )
        except BohError as exc:
            errors = _field_errors(exc) or {"form": str(exc.message)}
        else:
            return redirect("inventory_docs:stocktake_sheet", stocktake_id=started.pk)
    qs = selectors.stocktakes(actor, location_id=location.pk if location else None)
    loc_ids = [c.pk for c in choices]
    return render(
        request,
        "inventory/docs/stocktakes.html",
        {
            "page_obj": _page(request, qs),
            "locations": choices,
            "areas": StorageArea.objects.filter(location_id__in=loc_ids, is_active=True)
            .select_related("location")
            .order_by("location__code", "sort_order"),
            "categories": Category.objects.filter(organization=actor.organization),
            "scopes": Stocktake.Scope.choices,
            "data": data,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _sheet_area(request: HttpRequest, areas: list[selectors.SheetArea]) -> selectors.SheetArea:
    wanted = request.GET.get("area", "")
    for area in areas:
        if (area.area_id is None and wanted == "none") or (
            area.area_id is not None and str(area.area_id) == wanted
        ):
            return area
    return areas[0]


@page
def stocktake_sheet(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    """One area's count sheet in walking order; each line saves itself as it is typed."""
    actor = page_actor(request)
    found = selectors.stocktake(actor, stocktake_id)
    areas = selectors.sheet_areas(found)
    area = _sheet_area(request, areas)
    lines = selectors.count_sheet(actor, found, area.area_id)
    return render(
        request,
        "inventory/docs/stocktake_sheet.html",
        {
            "stocktake": found,
            "areas": areas,
            "area": area,
            "lines": lines,
            "editable": found.status == Stocktake.Status.COUNTING
            and actor.can(Perm.STOCK_COUNT, found.location_id),
            "can_review": actor.can(Perm.STOCK_APPROVE, found.location_id)
            or found.status == Stocktake.Status.POSTED,
        },
    )


def _entries_of(request: HttpRequest) -> list[dict[str, str]]:
    entries = []
    for key in request.POST:
        value = request.POST.get(key, "").strip()
        if key.startswith("u:") and value:
            entries.append({"quantity": value, "unit": key[2:]})
    return entries


@require_POST
@page
def stocktake_count(request: HttpRequest, stocktake_id: int, line_id: int) -> HttpResponse:
    """Autosave of one count line (htmx); a plain form post returns to the sheet."""
    actor = page_actor(request)
    found = selectors.stocktake(actor, stocktake_id)
    line = selectors.stocktake_line(actor, found, line_id)
    error = None
    try:
        line = stocktakes.set_count(actor, found, line, entries=_entries_of(request))
    except BohError as exc:
        error = exc
    if not is_htmx(request):
        if error is not None:
            messages.error(request, str(error.message))
        area = line.area_id or "none"
        return redirect(
            reverse("inventory_docs:stocktake_sheet", args=[found.pk])
            + f"?area={area}#line-{line.pk}"
        )
    return render(
        request,
        "inventory/docs/_count_state.html",
        {"line": line, "error": error, "base_unit": line.item.base_unit},
    )


@require_POST
@page
def stocktake_add(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    """Put a scanned item that is not on this area's sheet onto it."""
    actor = page_actor(request)
    found = selectors.stocktake(actor, stocktake_id)
    area_id = _int(request.POST.get("area_id"))
    here = reverse("inventory_docs:stocktake_sheet", args=[found.pk]) + f"?area={area_id or 'none'}"
    matches = selectors.find_items(actor, request.POST.get("q", ""))
    if len(matches) != 1:
        messages.error(
            request, _("No single item matches “%(q)s”.") % {"q": request.POST.get("q", "")[:40]}
        )
        return redirect(here)
    try:
        line = stocktakes.count_item(
            actor, found, item_id=matches[0].item.pk, area_id=area_id, entries=[]
        )
    except BohError as exc:
        return refused(request, exc, here)
    return redirect(f"{here}#line-{line.pk}")


@page
def stocktake_review(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    """Variances in quantity and value, largest first, with approve and post."""
    actor = page_actor(request)
    found = selectors.stocktake(actor, stocktake_id)
    rows = selectors.variance_review(actor, found)
    counted = [r for r in rows if r.variance_value is not None]
    return render(
        request,
        "inventory/docs/stocktake_review.html",
        {
            "stocktake": found,
            "rows": rows,
            "total_value": sum((r.variance_value or 0 for r in counted), 0),
            "gain_value": sum(
                (r.variance_value or 0 for r in counted if (r.variance_value or 0) > 0), 0
            ),
            "loss_value": sum(
                (r.variance_value or 0 for r in counted if (r.variance_value or 0) < 0), 0
            ),
            "uncounted": len(rows) - len(counted),
            "can_approve": actor.can(Perm.STOCK_APPROVE, found.location_id),
        },
    )


@require_POST
@page
def stocktake_action(request: HttpRequest, stocktake_id: int, action: str) -> HttpResponse:
    """Approve, reopen, post or cancel a stocktake from its review page."""
    actor = page_actor(request)
    found = selectors.stocktake(actor, stocktake_id)
    here = reverse("inventory_docs:stocktake_review", args=[found.pk])
    steps = {
        "approve": stocktakes.approve_stocktake,
        "reopen": stocktakes.reopen_stocktake,
        "post": stocktakes.post_stocktake,
        "cancel": stocktakes.cancel_stocktake,
    }
    step = steps.get(action)
    if step is None:
        return HttpResponse(status=404)
    try:
        step(actor, found)
    except BohError as exc:
        return refused(request, exc, here)
    messages.success(request, _("Saved."))
    return redirect(here)
