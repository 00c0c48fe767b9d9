"""Location pages: list with filters, create, edit, deactivate and reactivate."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boh.core.errors import BohError
from boh.org import selectors, services
from boh.org.models import Location
from boh.org.roles import Perm
from boh.web.forms import LocationFilterForm, LocationForm
from boh.web.shell import htmx_target, page, page_actor, posted, refused

PAGE_SIZE = 50


@page
def location_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    regions = selectors.regions(actor)
    filters = LocationFilterForm(request.GET, regions=regions)
    filters.is_valid()
    chosen = filters.cleaned_data
    status = chosen.get("status")
    locations = selectors.locations(
        actor, kind=chosen.get("kind") or None, active=None if not status else status == "active"
    )
    region = regions.filter(pk=chosen["region"]).first() if chosen.get("region") else None
    if region is not None:
        locations = locations.filter(region__path__startswith=region.path)
    if chosen.get("q"):
        locations = locations.filter(
            Q(code__icontains=chosen["q"]) | Q(name__icontains=chosen["q"])
        )
    page_obj = Paginator(locations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page_obj": page_obj, "can_manage": actor.can(Perm.ORG_MANAGE)}
    if htmx_target(request) == "location-table":
        return render(request, "web/org/_location_table.html", context)
    return render(request, "web/org/locations.html", context)


@page
def location_create(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    actor.require(Perm.ORG_MANAGE)
    org = actor.organization
    initial = {
        "time_zone": org.time_zone,
        "currency": org.currency,
        "day_cutoff_hour": 4,
        "kind": Location.Kind.STORE,
    }
    form = LocationForm(posted(request), regions=selectors.regions(actor), initial=initial)
    if posted(request) and (
        location := form.submit(lambda v: services.create_location(actor, **v))
    ):
        messages.success(request, _("Location %(name)s was created.") % {"name": location})
        return redirect("web:locations")
    return render(request, "web/org/location_form.html", {"form": form}, status=form.http_status)


def _location(request: HttpRequest, location_id: int) -> Location:
    return page_actor(request).get(Location.objects.all(), location_id, Perm.ORG_VIEW, "id")


@page
def location_edit(request: HttpRequest, location_id: int) -> HttpResponse:
    actor = page_actor(request)
    location = _location(request, location_id)
    actor.require(Perm.ORG_MANAGE)
    initial = {
        name: getattr(location, name)
        for name in LocationForm.base_fields
        if hasattr(location, name)
    }
    form = LocationForm(posted(request), regions=selectors.regions(actor), initial=initial)
    if posted(request) and form.submit(lambda v: services.update_location(actor, location, **v)):
        messages.success(request, _("Location %(name)s was saved.") % {"name": location})
        return redirect("web:locations")
    context = {"form": form, "location": location, "can_audit": actor.can(Perm.AUDIT_VIEW)}
    return render(request, "web/org/location_form.html", context, status=form.http_status)


@require_POST
@page
def location_set_active(request: HttpRequest, location_id: int, active: bool) -> HttpResponse:
    actor = page_actor(request)
    location = _location(request, location_id)
    try:
        services.update_location(actor, location, is_active=active)
    except BohError as exc:
        return refused(request, exc, reverse("web:location_edit", args=[location_id]))
    if active:
        messages.success(request, _("Location %(name)s is active again.") % {"name": location})
    else:
        messages.success(request, _("Location %(name)s was deactivated.") % {"name": location})
    return redirect(reverse("web:location_edit", args=[location_id]))
