"""Reads of the catalog module, scoped to the actor's organization and reachable locations."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from boh.catalog.models import Barcode, Category, Item, Pack, StockLevel, StorageArea
from boh.catalog.services.common import MAX_QUANTITY
from boh.catalog.units import Conversion, convert_quantity, pack_map
from boh.core.errors import not_found
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm

# Longest search text that is looked at; a scanner or a person never needs more.
MAX_SEARCH = 64


def categories(actor: Actor, *, parent_id: int | None = None, q: str = "") -> QuerySet[Category]:
    """Item categories of the actor's organization, in tree order."""
    qs = actor.scope(Category.objects.all(), Perm.CATALOG_VIEW).order_by("path")
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    q = (q or "").strip()[:MAX_SEARCH]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(name_en__icontains=q) | Q(code__icontains=q))
    return qs


def category(actor: Actor, category_id: Any) -> Category:
    """One category of the actor's organization, or 404."""
    return actor.get(Category.objects.all(), category_id, Perm.CATALOG_VIEW)


def _packs() -> Prefetch[Any]:
    return Prefetch("packs", queryset=Pack.objects.select_related("inner_pack").order_by("factor"))


def items(
    actor: Actor,
    *,
    q: str = "",
    kind: str | None = None,
    category_id: int | None = None,
    active: bool | None = None,
    storage: str | None = None,
) -> QuerySet[Item]:
    """Items matching a search (name, English name, code, barcode, pinyin initials) and filters.

    A category filter includes its sub-categories. Packs and barcodes come prefetched, so a
    page of items costs the same few queries whatever its length.
    """
    qs = (
        actor.scope(Item.objects.all(), Perm.CATALOG_VIEW)
        .select_related("category")
        .prefetch_related(_packs(), "barcodes")
        .order_by("code")
    )
    q = (q or "").strip()[:MAX_SEARCH]
    if q:
        scanned = Barcode.objects.filter(organization=actor.organization, code=q)
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(name_en__icontains=q)
            | Q(code__icontains=q)
            | Q(pinyin__icontains=q.lower())
            | Q(pk__in=scanned.values("item_id"))
        )
    if kind:
        qs = qs.filter(kind=kind)
    if category_id is not None:
        root = Category.objects.filter(organization=actor.organization, pk=category_id).first()
        if root is None:
            return qs.none()
        qs = qs.filter(category__path__startswith=root.path)
    if active is not None:
        qs = qs.filter(is_active=active)
    if storage:
        qs = qs.filter(storage=storage)
    return qs


def item(actor: Actor, item_id: Any) -> Item:
    """One item of the actor's organization with its packs and barcodes, or 404."""
    qs = Item.objects.select_related("category").prefetch_related(_packs(), "barcodes")
    return actor.get(qs, item_id, Perm.CATALOG_VIEW)


def item_by_barcode(actor: Actor, code: str) -> Item | None:
    """The item a scanned code belongs to, if any."""
    barcode = (
        Barcode.objects.filter(organization=actor.organization, code=(code or "").strip())
        .select_related("item")
        .first()
    )
    if barcode is None or not actor.can(Perm.CATALOG_VIEW):
        return None
    return barcode.item


def conversion(item: Item, quantity: Any, from_unit: str, to_unit: str) -> Conversion:
    """A quantity of the item in another of its units, exact, with the base quantity as stored."""
    check = Checker()
    number = check.decimal("quantity", quantity, places=6)
    if not check.has("quantity") and abs(number) >= MAX_QUANTITY:
        check.fail("quantity", "too_large", _("This number is too large."))
    check.raise_if_any()
    return convert_quantity(item, number, from_unit, to_unit, pack_map(item, item.packs.all()))


def pack(actor: Actor, item: Item, pack_id: Any) -> Pack:
    """One pack of an item the actor can see, or 404."""
    try:
        return Pack.objects.select_related("item", "inner_pack").get(item=item, pk=pack_id)
    except (Pack.DoesNotExist, ValueError, TypeError):
        raise not_found(_("Not found.")) from None


def packs(item: Item) -> QuerySet[Pack]:
    """An item's packs, smallest first."""
    return (
        Pack.objects.filter(item=item)
        .select_related("item", "inner_pack")
        .order_by("factor", "code")
    )


def barcodes(item: Item) -> QuerySet[Barcode]:
    """An item's barcodes."""
    return Barcode.objects.filter(item=item).select_related("pack").order_by("code")


def barcode(actor: Actor, item: Item, barcode_id: Any) -> Barcode:
    """One barcode of an item the actor can see, or 404."""
    try:
        return Barcode.objects.select_related("pack").get(item=item, pk=barcode_id)
    except (Barcode.DoesNotExist, ValueError, TypeError):
        raise not_found(_("Not found.")) from None


def locations_in_reach(actor: Actor) -> QuerySet[Location]:
    """Active locations whose catalog settings (storage areas, stock levels) the actor may see."""
    return actor.scope(Location.objects.filter(is_active=True), Perm.CATALOG_VIEW, "id").order_by(
        "code"
    )


def storage_areas(actor: Actor, *, location_id: int | None = None) -> QuerySet[StorageArea]:
    """Storage areas of the locations the actor reaches, in walking order."""
    qs = actor.scope(StorageArea.objects.all(), Perm.CATALOG_VIEW, "location_id")
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    return qs.order_by("location_id", "sort_order", "code")


def storage_area(actor: Actor, area_id: Any) -> StorageArea:
    """One storage area in reach, or 404."""
    return actor.get(StorageArea.objects.all(), area_id, Perm.CATALOG_VIEW, "location_id")


def stock_levels(
    actor: Actor, *, location_id: int | None = None, item_id: int | None = None
) -> QuerySet[StockLevel]:
    """Par, minimum and maximum per item at the locations the actor reaches."""
    qs = actor.scope(
        StockLevel.objects.select_related("item", "location", "storage_area"),
        Perm.CATALOG_VIEW,
        "location_id",
    )
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    return qs.order_by("location__code", "storage_area__sort_order", "count_order", "item__code")


def stock_level(actor: Actor, level_id: Any) -> StockLevel:
    """One stock level in reach, or 404."""
    qs = StockLevel.objects.select_related("item", "location", "storage_area")
    return actor.get(qs, level_id, Perm.CATALOG_VIEW, "location_id")
