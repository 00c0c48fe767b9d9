"""The home dashboard: key figures of the selection, as modules provide them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from boh.org import selectors
from boh.org.roles import Perm
from boh.web.dashboard import cards_for
from boh.web.shell import page, page_actor, page_location


@page
def home(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    location = page_location(request)
    context = {
        "cards": cards_for(actor, location),
        "location": location,
        "location_count": selectors.locations(actor, active=True).count(),
        "region_count": selectors.regions(actor).count(),
        "user_count": (
            selectors.members(actor).filter(is_active=True).count()
            if actor.can(Perm.USERS_MANAGE)
            else None
        ),
    }
    return render(request, "web/home.html", context)
