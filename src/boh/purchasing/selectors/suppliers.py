"""Reads about suppliers: lists, items, agreed prices and delivery dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from boh.org.access import Actor
from boh.org.roles import Perm
from boh.purchasing.models import (
    PreferredSupplier,
    Supplier,
    SupplierItem,
    SupplierLocation,
    SupplierPrice,
)


def suppliers(
    actor: Actor, *, active: bool | None = None, q: str | None = None
) -> QuerySet[Supplier]:
    """Suppliers of the actor's organization, by code."""
    qs = actor.scope(Supplier.objects.all(), Perm.PURCHASING_VIEW)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(tax_id__icontains=q))
    return qs.order_by("code")


def supplier(actor: Actor, supplier_id: object) -> Supplier:
    """One supplier of the actor's organization, or 404."""
    return actor.get(Supplier.objects.all(), supplier_id, Perm.PURCHASING_VIEW)


def supplier_items(
    actor: Actor,
    *,
    supplier_id: int | None = None,
    item_id: int | None = None,
    active: bool | None = None,
    q: str | None = None,
) -> QuerySet[SupplierItem]:
    """Supplier items of the organization, with their supplier and item."""
    qs = actor.scope(SupplierItem.objects.select_related("supplier", "item"), Perm.PURCHASING_VIEW)
    if supplier_id is not None:
        qs = qs.filter(supplier_id=supplier_id)
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = qs.filter(
            Q(supplier_code__icontains=q)
            | Q(item__name__icontains=q)
            | Q(item__code__icontains=q)
            | Q(item__pinyin__icontains=q.lower())
        )
    return qs.order_by("supplier__code", "supplier_code")


def supplier_item(actor: Actor, supplier_item_id: object) -> SupplierItem:
    """One supplier item, or 404."""
    return actor.get(
        SupplierItem.objects.select_related("supplier", "item"),
        supplier_item_id,
        Perm.PURCHASING_VIEW,
    )


def price_history(supplier_item: SupplierItem) -> QuerySet[SupplierPrice]:
    """Every agreed price of a supplier item, newest first."""
    return SupplierPrice.objects.filter(supplier_item=supplier_item).order_by("-valid_from")


def agreed_prices(supplier_item_ids: Iterable[int], on: dt.date) -> dict[int, Decimal]:
    """The price per pack in force on a date, by supplier item; items without one are absent."""
    rows = (
        SupplierPrice.objects.filter(
            supplier_item_id__in=list(supplier_item_ids), valid_from__lte=on
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("supplier_item_id", "-valid_from")
        .values_list("supplier_item_id", "price")
    )
    result: dict[int, Decimal] = {}
    for supplier_item_id, price in rows:
        result.setdefault(supplier_item_id, price)
    return result


def delivery_terms(supplier: Supplier) -> QuerySet[SupplierLocation]:
    """A supplier's delivery terms per location."""
    return SupplierLocation.objects.filter(supplier=supplier).select_related("location")


def next_delivery_date(terms: SupplierLocation | None, now: dt.datetime | None = None) -> dt.date:
    """The first delivery day an order placed now can make, by cut-off, lead time and weekdays."""
    moment = timezone.localtime(now or timezone.now())
    if terms is None:
        return moment.date() + dt.timedelta(days=1)
    ordered_on = moment.date()
    if terms.cutoff_time is not None and moment.time() > terms.cutoff_time:
        ordered_on += dt.timedelta(days=1)
    day = ordered_on + dt.timedelta(days=terms.lead_time_days)
    weekdays = set(terms.delivery_weekdays or [])
    if weekdays:
        while day.weekday() not in weekdays:
            day += dt.timedelta(days=1)
    return day


def preferred_supplier_items(
    organization_id: int, item_ids: Iterable[int], location_id: int | None
) -> dict[int, SupplierItem]:
    """The supplier item each item is ordered as at a location (its own choice over the default)."""
    rows = (
        PreferredSupplier.objects.filter(
            organization_id=organization_id, item_id__in=list(item_ids)
        )
        .filter(Q(location_id=location_id) | Q(location__isnull=True))
        .select_related("supplier_item__supplier", "supplier_item__item")
    )
    chosen: dict[int, tuple[bool, SupplierItem]] = {}
    for row in rows:
        specific = row.location_id is not None
        if row.item_id not in chosen or specific:
            chosen[row.item_id] = (specific, row.supplier_item)
    return {item_id: si for item_id, (_s, si) in chosen.items()}
