"""Pages of the stock ledger: on hand per location, and the move history of an item."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from boh.catalog.models import Item
from boh.inventory import selectors
from boh.org import selectors as org_selectors
from boh.org.models import Location
from boh.org.roles import Perm
from boh.web.shell import page, page_actor, page_location

PAGE_SIZE = 50
SOON_DAYS = 3


def _location(request: HttpRequest, locations: list[Location]) -> Location | None:
    wanted = request.GET.get("location")
    if wanted and wanted.isdigit():
        for location in locations:
            if location.pk == int(wanted):
                return location
    picked = page_location(request)
    if picked is not None and picked in locations:
        return picked
    return locations[0] if locations else None


@page
def on_hand(request: HttpRequest) -> HttpResponse:
    """Stock on hand at one location: quantity, value and the earliest expiry per item."""
    actor = page_actor(request)
    locations = [
        loc
        for loc in org_selectors.locations(actor, active=True)
        if actor.can(Perm.STOCK_VIEW, loc.pk)
    ]
    location = _location(request, locations)
    rows = selectors.stock_on_hand(actor, location.pk) if location else []
    today = timezone.localdate()
    alerts = selectors.expiry_alerts(actor, location.pk) if location else None
    context = {
        "locations": locations,
        "location": location,
        "rows": rows,
        "total_value": sum((r.value for r in rows), 0),
        "today": today,
        "soon": today + dt.timedelta(days=SOON_DAYS),
        "alerts": alerts,
    }
    return render(request, "inventory/on_hand.html", context)


@page
def item_moves(request: HttpRequest, location_id: int, item_id: int) -> HttpResponse:
    """Move history of one item at one location, newest first, with its lots on hand."""
    actor = page_actor(request)
    location = selectors.reachable_location(actor, location_id)
    item = get_object_or_404(Item, organization=actor.organization, pk=item_id)
    moves = selectors.stock_moves(actor).filter(location=location, item=item).select_related("lot")
    page_obj = Paginator(moves, PAGE_SIZE).get_page(request.GET.get("page"))
    on_hand = selectors.stock_on_hand(actor, location.pk, item_ids=[item.pk])
    context = {
        "location": location,
        "item": item,
        "page_obj": page_obj,
        "on_hand": on_hand[0] if on_hand else None,
        "lots": selectors.lots_on_hand(actor, location.pk, item.pk),
    }
    return render(request, "inventory/item_moves.html", context)
