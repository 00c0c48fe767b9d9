"""Pages of the catalog: items (search, scan, detail, create, edit), categories, storage areas."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boh.catalog import selectors, services
from boh.catalog.forms import (
    BarcodeForm,
    CategoryForm,
    ItemFilterForm,
    ItemForm,
    PackForm,
    StorageAreaForm,
)
from boh.catalog.models import Allergen, Item
from boh.catalog.units import describe_quantity, pack_size_text, units_for
from boh.core.errors import BohError
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.web.shell import htmx_target, is_htmx, page, page_actor, page_location, posted, refused

PAGE_SIZE = 50


# Items


@page
def item_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    filters = ItemFilterForm(request.GET, categories=selectors.categories(actor))
    filters.is_valid()
    chosen = filters.cleaned_data
    q = chosen.get("q") or ""
    # A scanned barcode submitted with Enter opens its item at once.
    if q and not is_htmx(request):
        scanned = selectors.item_by_barcode(actor, q)
        if scanned is not None:
            return redirect("catalog:item_detail", scanned.pk)
    status = chosen.get("status") or "active"
    items = selectors.items(
        actor,
        q=q,
        kind=chosen.get("kind") or None,
        category_id=chosen.get("category"),
        active=None if status == "all" else status == "active",
        storage=chosen.get("storage") or None,
    )
    page_obj = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "can_manage": actor.can(Perm.CATALOG_MANAGE),
    }
    if htmx_target(request) == "item-table":
        return render(request, "catalog/_item_table.html", context)
    return render(request, "catalog/items.html", context)


def _detail_context(actor: Actor, item: Item, **forms: Any) -> dict[str, Any]:
    packs = list(item.packs.all())
    levels = list(selectors.stock_levels(actor, item_id=item.pk))
    labels = dict(Allergen.choices)
    return {
        "item": item,
        "packs": [(p, pack_size_text(item, p)) for p in packs],
        "barcodes": list(selectors.barcodes(item)),
        "levels": [
            {
                "level": level,
                "par": describe_quantity(item, level.par, packs, names=True),
                "minimum": describe_quantity(item, level.minimum, packs, names=True),
                "maximum": (
                    describe_quantity(item, level.maximum, packs, names=True)
                    if level.maximum is not None
                    else ""
                ),
            }
            for level in levels
        ],
        "allergens": [labels[a] for a in item.allergens if a in labels],
        "can_manage": actor.can(Perm.CATALOG_MANAGE),
        "can_audit": actor.can(Perm.AUDIT_VIEW),
        "pack_form": forms.get("pack_form") or PackForm(units=units_for(item, packs)),
        "barcode_form": forms.get("barcode_form") or BarcodeForm(packs=packs),
    }


@page
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    actor = page_actor(request)
    item = selectors.item(actor, item_id)
    return render(request, "catalog/item_detail.html", _detail_context(actor, item))


@page
def item_create(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    actor.require(Perm.CATALOG_MANAGE)
    form = ItemForm(
        posted(request),
        categories=selectors.categories(actor),
        initial={"kind": Item.Kind.INGREDIENT, "storage": Item.Storage.AMBIENT},
    )
    if posted(request) and (item := form.submit(lambda v: services.create_item(actor, **v))):
        messages.success(request, _("Item %(name)s was created.") % {"name": item})
        return redirect("catalog:item_detail", item.pk)
    return render(request, "catalog/item_form.html", {"form": form}, status=form.http_status)


@page
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    actor = page_actor(request)
    item = selectors.item(actor, item_id)
    actor.require(Perm.CATALOG_MANAGE)
    initial = {name: getattr(item, name) for name in ItemForm.base_fields if hasattr(item, name)}
    form = ItemForm(
        posted(request), categories=selectors.categories(actor), initial=initial, editing=True
    )
    if posted(request) and form.submit(lambda v: services.update_item(actor, item, **v)):
        messages.success(request, _("Item %(name)s was saved.") % {"name": item})
        return redirect("catalog:item_detail", item.pk)
    context = {"form": form, "item": item}
    return render(request, "catalog/item_form.html", context, status=form.http_status)


@require_POST
@page
def pack_add(request: HttpRequest, item_id: int) -> HttpResponse:
    actor = page_actor(request)
    item = selectors.item(actor, item_id)
    form = PackForm(request.POST, units=units_for(item, item.packs.all()))
    if pack := form.submit(lambda v: services.create_pack(actor, item, **v)):
        messages.success(request, _("Pack %(name)s was added.") % {"name": pack.name})
        return redirect("catalog:item_detail", item.pk)
    context = _detail_context(actor, item, pack_form=form)
    return render(request, "catalog/item_detail.html", context, status=form.http_status)


@require_POST
@page
def pack_delete(request: HttpRequest, item_id: int, pack_id: int) -> HttpResponse:
    actor = page_actor(request)
    item = selectors.item(actor, item_id)
    pack = selectors.pack(actor, item, pack_id)
    detail = reverse("catalog:item_detail", args=[item.pk])
    try:
        services.delete_pack(actor, pack)
    except BohError as exc:
        return refused(request, exc, detail)
    messages.success(request, _("Pack %(name)s was removed.") % {"name": pack.name})
    return redirect(detail)


@require_POST
@page
def barcode_add(request: HttpRequest, item_id: int) -> HttpResponse:
    actor = page_actor(request)
    item = selectors.item(actor, item_id)
    form = BarcodeForm(request.POST, packs=item.packs.all())
    if barcode := form.submit(lambda v: services.add_barcode(actor, item, **v)):
        messages.success(request, _("Barcode %(code)s was added.") % {"code": barcode.code})
        return redirect("catalog:item_detail", item.pk)
    context = _detail_context(actor, item, barcode_form=form)
    return render(request, "catalog/item_detail.html", context, status=form.http_status)


@require_POST
@page
def barcode_delete(request: HttpRequest, item_id: int, barcode_id: int) -> HttpResponse:
    actor = page_actor(request)
    item = selectors.item(actor, item_id)
    barcode = selectors.barcode(actor, item, barcode_id)
    detail = reverse("catalog:item_detail", args=[item.pk])
    try:
        services.remove_barcode(actor, barcode)
    except BohError as exc:
        return refused(request, exc, detail)
    messages.success(request, _("Barcode %(code)s was removed.") % {"code": barcode.code})
    return redirect(detail)


# Categories


@page
def category_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    categories = selectors.categories(actor)
    can_manage = actor.can(Perm.CATALOG_MANAGE)
    form = CategoryForm(
        posted(request), categories=categories, initial={"parent_id": request.GET.get("parent")}
    )
    if posted(request):
        actor.require(Perm.CATALOG_MANAGE)
        if category := form.submit(lambda v: services.create_category(actor, **v)):
            messages.success(request, _("Category %(name)s was created.") % {"name": category})
            return redirect("catalog:categories")
    context = {
        "categories": [(c, c.path.count("/") - 2) for c in categories],
        "form": form,
        "can_manage": can_manage,
    }
    return render(request, "catalog/categories.html", context, status=form.http_status)


@page
def category_edit(request: HttpRequest, category_id: int) -> HttpResponse:
    actor = page_actor(request)
    category = selectors.category(actor, category_id)
    actor.require(Perm.CATALOG_MANAGE)
    # A category can move anywhere except under itself or its own sub-categories.
    parents = selectors.categories(actor).exclude(path__startswith=category.path)
    initial = {
        "code": category.code,
        "name": category.name,
        "name_en": category.name_en,
        "parent_id": category.parent_id,
        "expiry_alert_days": category.expiry_alert_days,
    }
    form = CategoryForm(posted(request), categories=parents, initial=initial)
    if posted(request) and form.submit(lambda v: services.update_category(actor, category, **v)):
        messages.success(request, _("Category %(name)s was saved.") % {"name": category})
        return redirect("catalog:categories")
    context = {"form": form, "category": category}
    return render(request, "catalog/category_form.html", context, status=form.http_status)


@require_POST
@page
def category_delete(request: HttpRequest, category_id: int) -> HttpResponse:
    actor = page_actor(request)
    category = selectors.category(actor, category_id)
    name = str(category)
    try:
        services.delete_category(actor, category)
    except BohError as exc:
        return refused(request, exc, reverse("catalog:category_edit", args=[category_id]))
    messages.success(request, _("Category %(name)s was deleted.") % {"name": name})
    return redirect("catalog:categories")


# Storage areas


def _chosen_location(request: HttpRequest, locations: list[Location]) -> Location | None:
    wanted = request.GET.get("location") or request.POST.get("location")
    by_id = {str(loc.pk): loc for loc in locations}
    if wanted in by_id:
        return by_id[wanted]
    current = page_location(request)
    if current is not None and str(current.pk) in by_id:
        return by_id[str(current.pk)]
    return locations[0] if locations else None


def _areas_url(location: Location | None) -> str:
    url = reverse("catalog:storage_areas")
    return f"{url}?location={location.pk}" if location else url


@page
def storage_area_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    locations = list(selectors.locations_in_reach(actor))
    location = _chosen_location(request, locations)
    form = StorageAreaForm(posted(request))
    if posted(request) and location is not None:
        created = form.submit(
            lambda v: services.create_storage_area(actor, location_id=location.pk, **v)
        )
        if created:
            messages.success(request, _("Storage area %(name)s was added.") % {"name": created})
            return redirect(_areas_url(location))
    areas = list(selectors.storage_areas(actor, location_id=location.pk)) if location else []
    context = {
        "locations": locations,
        "location": location,
        "areas": areas,
        "form": form,
        "can_manage": location is not None and services.can_manage_location(actor, location.pk),
    }
    return render(request, "catalog/storage_areas.html", context, status=form.http_status)


@require_POST
@page
def storage_area_move(request: HttpRequest, area_id: int, step: int) -> HttpResponse:
    actor = page_actor(request)
    area = selectors.storage_area(actor, area_id)
    ids = [a.pk for a in selectors.storage_areas(actor, location_id=area.location_id)]
    position = ids.index(area.pk)
    target = min(max(position + step, 0), len(ids) - 1)
    ids.insert(target, ids.pop(position))
    back = _areas_url(area.location)
    try:
        services.reorder_storage_areas(actor, location_id=area.location_id, area_ids=ids)
    except BohError as exc:
        return refused(request, exc, back)
    return redirect(back)


@require_POST
@page
def storage_area_set_active(request: HttpRequest, area_id: int, active: bool) -> HttpResponse:
    actor = page_actor(request)
    area = selectors.storage_area(actor, area_id)
    back = _areas_url(area.location)
    try:
        services.update_storage_area(actor, area, is_active=active)
    except BohError as exc:
        return refused(request, exc, back)
    return redirect(back)
