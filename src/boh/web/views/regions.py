"""Region tree pages: list, create, edit (and move), delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boh.core.errors import BohError
from boh.org import selectors, services
from boh.org.models import Region
from boh.org.roles import Perm
from boh.web.forms import RegionForm
from boh.web.shell import page, page_actor, posted, refused


@page
def region_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    context = {"regions": selectors.regions(actor), "can_manage": actor.can(Perm.ORG_MANAGE)}
    return render(request, "web/org/regions.html", context)


@page
def region_create(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    actor.require(Perm.ORG_MANAGE)
    form = RegionForm(
        posted(request),
        regions=selectors.regions(actor),
        initial={"parent_id": request.GET.get("parent")},
    )
    if posted(request) and (region := form.submit(lambda v: services.create_region(actor, **v))):
        messages.success(request, _("Region %(name)s was created.") % {"name": region})
        return redirect("web:regions")
    return render(request, "web/org/region_form.html", {"form": form}, status=form.http_status)


@page
def region_edit(request: HttpRequest, region_id: int) -> HttpResponse:
    actor = page_actor(request)
    region = actor.get(Region.objects.all(), region_id, Perm.ORG_VIEW)
    actor.require(Perm.ORG_MANAGE)
    initial = {
        "code": region.code,
        "name": region.name,
        "name_en": region.name_en,
        "parent_id": region.parent_id,
    }
    # A region can move anywhere except under itself or its own sub-regions.
    parents = selectors.regions(actor).exclude(path__startswith=region.path)
    form = RegionForm(posted(request), regions=parents, initial=initial)
    if posted(request) and form.submit(lambda v: services.update_region(actor, region, **v)):
        messages.success(request, _("Region %(name)s was saved.") % {"name": region})
        return redirect("web:regions")
    context = {"form": form, "region": region, "can_audit": actor.can(Perm.AUDIT_VIEW)}
    return render(request, "web/org/region_form.html", context, status=form.http_status)


@require_POST
@page
def region_delete(request: HttpRequest, region_id: int) -> HttpResponse:
    actor = page_actor(request)
    region = actor.get(Region.objects.all(), region_id, Perm.ORG_VIEW)
    name = str(region)
    try:
        services.delete_region(actor, region)
    except BohError as exc:
        return refused(request, exc, reverse("web:region_edit", args=[region_id]))
    messages.success(request, _("Region %(name)s was deleted.") % {"name": name})
    return redirect("web:regions")
