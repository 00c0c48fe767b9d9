"""Pages about suppliers: the list, one supplier, and the forms that change them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.catalog.models import Item, Pack
from boh.core.errors import BohError, not_found
from boh.org.models import Location
from boh.org.roles import Perm
from boh.purchasing import selectors, services
from boh.purchasing.models import PaymentTerms, Supplier, SupplierContact, SupplierLocation
from boh.purchasing.views.common import (
    form_int,
    form_text,
    paged,
    parse_id,
    reachable_locations,
    split_errors,
)
from boh.web.shell import page, page_actor

SUPPLIER_TEXT = {
    "code": 40,
    "name": 200,
    "name_en": 200,
    "tax_id": 18,
    "currency": 3,
    "email": 254,
    "phone": 40,
    "address": 500,
}
WEEKDAYS = range(7)


@page
def supplier_list(request: HttpRequest) -> HttpResponse:
    """Suppliers with a search box."""
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.suppliers(page_actor(request), q=q or None)
    return render(request, "purchasing/suppliers.html", {"page_obj": paged(request, qs), "q": q})


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
            "weekday_names": _weekday_names(),
        },
    )


def _weekday_names() -> list[str]:
    return [
        _("Mon"),
        _("Tue"),
        _("Wed"),
        _("Thu"),
        _("Fri"),
        _("Sat"),
        _("Sun"),
    ]


def _supplier_values(data: Any) -> dict[str, Any]:
    values: dict[str, Any] = {name: form_text(data, name, n) for name, n in SUPPLIER_TEXT.items()}
    values["payment_terms"] = form_text(data, "payment_terms", 20)
    values["payment_days"] = form_int(data, "payment_days")
    values["internal_location_id"] = parse_id(data.get("internal_location_id"))
    pct = form_text(data, "over_receipt_tolerance_pct", 20)
    values["over_receipt_tolerance_pct"] = pct or None
    values["is_active"] = bool(data.get("is_active"))
    return values


def _supplier_form(
    request: HttpRequest, supplier: Supplier | None, form: dict[str, Any], errors: Any
) -> HttpResponse:
    by_field, others = errors
    actor = page_actor(request)
    supplying = actor.scope(
        Location.objects.filter(
            is_active=True, kind__in=[Location.Kind.CENTRAL_KITCHEN, Location.Kind.WAREHOUSE]
        ),
        Perm.PURCHASING_VIEW,
    ).order_by("code")
    return render(
        request,
        "purchasing/supplier_form.html",
        {
            "supplier": supplier,
            "form": form,
            "errors": by_field,
            "others": others,
            "terms": PaymentTerms.choices,
            "supplying": [(loc.pk, f"{loc.code} {loc.name}") for loc in supplying],
        },
    )


@page
def supplier_new(request: HttpRequest) -> HttpResponse:
    """Add a supplier, or make a central kitchen or warehouse an internal one."""
    actor = page_actor(request)
    actor.require(Perm.PURCHASING_MANAGE)
    form: dict[str, Any] = {"currency": "CNY", "payment_days": 30, "is_active": True}
    errors: tuple[dict[str, str], list[str]] = ({}, [])
    if request.method == "POST":
        form = _supplier_values(request.POST)
        values = {k: v for k, v in form.items() if k != "is_active"}
        try:
            supplier = services.create_supplier(actor, **values)
        except BohError as exc:
            errors = split_errors(exc, set(form))
        else:
            messages.success(request, _("Supplier %(code)s added.") % {"code": supplier.code})
            return redirect("purchasing:supplier", supplier_id=supplier.pk)
    return _supplier_form(request, None, form, errors)


@page
def supplier_edit(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """Change a supplier's details, tax id, payment terms, currency and tolerance."""
    actor = page_actor(request)
    supplier = selectors.supplier(actor, supplier_id)
    form: dict[str, Any] = {
        **{name: getattr(supplier, name) for name in SUPPLIER_TEXT},
        "payment_terms": supplier.payment_terms,
        "payment_days": supplier.payment_days,
        "internal_location_id": supplier.internal_location_id,
        "over_receipt_tolerance_pct": supplier.over_receipt_tolerance_pct,
        "is_active": supplier.is_active,
    }
    errors: tuple[dict[str, str], list[str]] = ({}, [])
    if request.method == "POST":
        form = _supplier_values(request.POST)
        try:
            services.update_supplier(actor, supplier, **form)
        except BohError as exc:
            supplier.refresh_from_db()
            errors = split_errors(exc, set(form))
        else:
            messages.success(request, _("Supplier saved."))
            return redirect("purchasing:supplier", supplier_id=supplier.pk)
    return _supplier_form(request, supplier, form, errors)


@page
def supplier_contacts(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """A supplier's contacts: add a person, or remove one."""
    actor = page_actor(request)
    supplier = selectors.supplier(actor, supplier_id)
    form: dict[str, Any] = {}
    errors: tuple[dict[str, str], list[str]] = ({}, [])
    if request.method == "POST":
        remove = parse_id(request.POST.get("remove"))
        try:
            if remove is not None:
                services.remove_contact(actor, _contact(supplier, remove))
                messages.success(request, _("Contact removed."))
                return redirect("purchasing:supplier_contacts", supplier_id=supplier.pk)
            form = {
                "name": form_text(request.POST, "name", 100),
                "title": form_text(request.POST, "title", 100),
                "phone": form_text(request.POST, "phone", 40),
                "email": form_text(request.POST, "email", 254),
                "is_primary": bool(request.POST.get("is_primary")),
            }
            services.add_contact(actor, supplier, **form)
        except BohError as exc:
            errors = split_errors(exc, set(form))
        else:
            messages.success(request, _("Contact added."))
            return redirect("purchasing:supplier_contacts", supplier_id=supplier.pk)
    by_field, others = errors
    return render(
        request,
        "purchasing/supplier_contacts.html",
        {
            "supplier": supplier,
            "contacts": supplier.contacts.all(),
            "form": form,
            "errors": by_field,
            "others": others,
        },
    )


def _contact(supplier: Supplier, contact_id: int) -> SupplierContact:
    contact = SupplierContact.objects.filter(supplier=supplier, pk=contact_id).first()
    if contact is None:
        raise not_found(_("Not found."))
    return contact


@page
def delivery_terms(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """Set on which weekdays, by which cut-off and lead time a supplier delivers a location."""
    actor = page_actor(request)
    supplier = selectors.supplier(actor, supplier_id)
    location_id = parse_id(request.POST.get("location_id") or request.GET.get("location_id"))
    current = (
        SupplierLocation.objects.filter(supplier=supplier, location_id=location_id).first()
        if location_id is not None
        else None
    )
    form: dict[str, Any] = {
        "location_id": location_id,
        "delivery_weekdays": current.delivery_weekdays if current else [],
        "cutoff_time": current.cutoff_time.strftime("%H:%M")
        if current and current.cutoff_time
        else "",
        "lead_time_days": current.lead_time_days if current else 1,
        "min_order_value": current.min_order_value if current else "0",
    }
    errors: tuple[dict[str, str], list[str]] = ({}, [])
    if request.method == "POST":
        days = [d for d in request.POST.getlist("delivery_weekdays") if d.isdigit()]
        form = {
            "location_id": location_id,
            "delivery_weekdays": [int(d) for d in days],
            "cutoff_time": form_text(request.POST, "cutoff_time", 8),
            "lead_time_days": form_int(request.POST, "lead_time_days"),
            "min_order_value": form_text(request.POST, "min_order_value", 30),
        }
        try:
            services.set_delivery_terms(
                actor, supplier, **{**form, "location_id": location_id or 0}
            )
        except BohError as exc:
            errors = split_errors(exc, set(form))
        else:
            messages.success(request, _("Delivery terms saved."))
            return redirect("purchasing:supplier", supplier_id=supplier.pk)
    by_field, others = errors
    locations = reachable_locations(request, Perm.PURCHASING_MANAGE)
    return render(
        request,
        "purchasing/delivery_terms.html",
        {
            "supplier": supplier,
            "form": form,
            "errors": by_field,
            "others": others,
            "locations": [(loc.pk, f"{loc.code} {loc.name}") for loc in locations],
            "weekdays": list(zip(WEEKDAYS, _weekday_names(), strict=True)),
        },
    )


@page
def supplier_item_new(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """Add an item as the supplier sells it: their code, the pack, MOQ and an opening price."""
    actor = page_actor(request)
    supplier = selectors.supplier(actor, supplier_id)
    items = list(
        actor.scope(Item.objects.filter(is_active=True), Perm.CATALOG_VIEW).order_by("code")
    )
    form: dict[str, Any] = {"pack_count": "1", "valid_from": timezone.localdate().isoformat()}
    errors: tuple[dict[str, str], list[str]] = ({}, [])
    if request.method == "POST":
        form = {
            "item_id": parse_id(request.POST.get("item_id")),
            "supplier_code": form_text(request.POST, "supplier_code", 60),
            "pack_id": parse_id(request.POST.get("pack_id")),
            "pack_code": form_text(request.POST, "pack_code", 20),
            "pack_count": form_text(request.POST, "pack_count", 20) or None,
            "pack_size": form_text(request.POST, "pack_size", 20),
            "pack_unit": form_text(request.POST, "pack_unit", 20),
            "moq": form_text(request.POST, "moq", 20) or "0",
            "price": form_text(request.POST, "price", 30) or None,
            "valid_from": form_text(request.POST, "valid_from", 10) or None,
        }
        values = dict(form)
        if values["pack_id"] is not None:
            for name in ("pack_code", "pack_count", "pack_size", "pack_unit"):
                values.pop(name)
        try:
            si = services.create_supplier_item(
                actor, supplier, **{**values, "item_id": values["item_id"] or 0}
            )
        except BohError as exc:
            errors = split_errors(exc, set(form))
        else:
            messages.success(
                request, _("Supplier item %(code)s added.") % {"code": si.supplier_code}
            )
            return redirect("purchasing:supplier_item", supplier_item_id=si.pk)
    packs = Pack.objects.filter(item__in=items, is_active=True).select_related("item")
    by_field, others = errors
    return render(
        request,
        "purchasing/supplier_item_new.html",
        {
            "supplier": supplier,
            "form": form,
            "errors": by_field,
            "others": others,
            "items": [(i.pk, f"{i.code} {i.name} ({i.base_unit})") for i in items],
            "packs": [(p.pk, f"{p.item.name}: {p.code} = {p.name}") for p in packs],
        },
    )


@page
def supplier_item_detail(request: HttpRequest, supplier_item_id: int) -> HttpResponse:
    """One supplier item: its code, MOQ and active flag, and its price history."""
    actor = page_actor(request)
    si = selectors.supplier_item(actor, supplier_item_id)
    form: dict[str, Any] = {
        "supplier_code": si.supplier_code,
        "moq": si.moq.normalize(),
        "is_active": si.is_active,
    }
    price_form: dict[str, Any] = {"valid_from": timezone.localdate().isoformat()}
    errors: tuple[dict[str, str], list[str]] = ({}, [])
    price_errors: tuple[dict[str, str], list[str]] = ({}, [])
    if request.method == "POST" and "price" in request.POST:
        price_form = {
            "price": form_text(request.POST, "price", 30),
            "valid_from": form_text(request.POST, "valid_from", 10),
            "unit": form_text(request.POST, "unit", 20) or None,
            "note": form_text(request.POST, "note", 200),
        }
        try:
            services.set_price(actor, si, **price_form)
        except BohError as exc:
            price_errors = split_errors(exc, set(price_form))
        else:
            messages.success(request, _("New price saved."))
            return redirect("purchasing:supplier_item", supplier_item_id=si.pk)
    elif request.method == "POST":
        form = {
            "supplier_code": form_text(request.POST, "supplier_code", 60),
            "moq": form_text(request.POST, "moq", 20),
            "is_active": bool(request.POST.get("is_active")),
        }
        try:
            services.update_supplier_item(actor, si, **form)
        except BohError as exc:
            si.refresh_from_db()
            errors = split_errors(exc, set(form))
        else:
            messages.success(request, _("Supplier item saved."))
            return redirect("purchasing:supplier_item", supplier_item_id=si.pk)
    today = timezone.localdate()
    return render(
        request,
        "purchasing/supplier_item.html",
        {
            "si": si,
            "supplier": si.supplier,
            "form": form,
            "errors": errors[0],
            "others": errors[1],
            "price_form": price_form,
            "price_errors": price_errors[0],
            "price_others": price_errors[1],
            "history": selectors.price_history(si),
            "today_price": selectors.agreed_prices([si.pk], today).get(si.pk),
            "today": today,
        },
    )
