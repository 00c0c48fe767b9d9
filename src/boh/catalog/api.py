"""HTTP operations of the catalog module: parse, call a service or selector, return."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from boh.catalog import selectors, services
from boh.catalog.models import Allergen, Item
from boh.catalog.schemas import (
    AllergenOut,
    BarcodeIn,
    BarcodeOut,
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    ConversionOut,
    ItemIn,
    ItemOut,
    ItemPatch,
    PackIn,
    PackOut,
    PackPatch,
    StockLevelIn,
    StockLevelOut,
    StockLevelPatch,
    StorageAreaIn,
    StorageAreaOrderIn,
    StorageAreaOut,
    StorageAreaPatch,
    UnitOut,
)
from boh.catalog.units import units_for
from boh.core.schemas import ERRORS, ObjId, Pages
from boh.org.access import request_actor as _actor

router = Router(tags=["catalog"])


def _set(payload: Schema) -> dict[str, Any]:
    return payload.model_dump(exclude_unset=True)


# Categories


class CategoryFilter(Schema):
    parent_id: ObjId | None = None
    q: str | None = Field(None, max_length=64)


@router.get("/categories", response={200: list[CategoryOut], **ERRORS})
@paginate(Pages)
def list_categories(request: HttpRequest, filters: Query[CategoryFilter]) -> Any:
    """Item categories in tree order; filter by parent or by a word in the code or name."""
    return selectors.categories(_actor(request), parent_id=filters.parent_id, q=filters.q or "")


@router.post("/categories", response={201: CategoryOut, **ERRORS})
def create_category(request: HttpRequest, payload: CategoryIn) -> Any:
    """Add a category under a parent, or at the top of the tree."""
    return Status(201, services.create_category(_actor(request), **payload.model_dump()))


@router.get("/categories/{category_id}", response={200: CategoryOut, **ERRORS})
def get_category(request: HttpRequest, category_id: ObjId) -> Any:
    """One category."""
    return selectors.category(_actor(request), category_id)


@router.patch("/categories/{category_id}", response={200: CategoryOut, **ERRORS})
def patch_category(request: HttpRequest, category_id: ObjId, payload: CategoryPatch) -> Any:
    """Rename a category or move it, with its sub-categories, under another parent."""
    actor = _actor(request)
    category = selectors.category(actor, category_id)
    return services.update_category(actor, category, **_set(payload))


@router.delete("/categories/{category_id}", response={204: None, **ERRORS})
def delete_category(request: HttpRequest, category_id: ObjId) -> Any:
    """Remove a category without sub-categories or items."""
    actor = _actor(request)
    services.delete_category(actor, selectors.category(actor, category_id))
    return Status(204, None)


@router.get("/allergens", response={200: list[AllergenOut], **ERRORS})
@paginate(Pages)
def list_allergens(request: HttpRequest) -> Any:
    """The allergens an item can declare: the 14 major allergens and "other"."""
    _actor(request)
    return [{"code": a.value, "label": str(a.label)} for a in Allergen]


# Items


class ItemFilter(Schema):
    q: str | None = Field(
        None, max_length=64, description="Name, English name, code, barcode or pinyin initials."
    )
    kind: str | None = Field(None, max_length=20)
    category_id: ObjId | None = Field(None, description="Includes its sub-categories.")
    active: bool | None = None
    storage: str | None = Field(None, max_length=10)


@router.get("/items", response={200: list[ItemOut], **ERRORS})
@paginate(Pages)
def list_items(request: HttpRequest, filters: Query[ItemFilter]) -> Any:
    """Items with their packs and barcodes; search by name, code, barcode or pinyin."""
    return selectors.items(
        _actor(request),
        q=filters.q or "",
        kind=filters.kind,
        category_id=filters.category_id,
        active=filters.active,
        storage=filters.storage,
    )


@router.post("/items", response={201: ItemOut, **ERRORS})
def create_item(request: HttpRequest, payload: ItemIn) -> Any:
    """Add an item to the catalog."""
    actor = _actor(request)
    item = services.create_item(actor, **payload.model_dump())
    return Status(201, selectors.item(actor, item.pk))


@router.get("/items/{item_id}", response={200: ItemOut, **ERRORS})
def get_item(request: HttpRequest, item_id: ObjId) -> Any:
    """One item with its packs and barcodes."""
    return selectors.item(_actor(request), item_id)


@router.patch("/items/{item_id}", response={200: ItemOut, **ERRORS})
def patch_item(request: HttpRequest, item_id: ObjId, payload: ItemPatch) -> Any:
    """Change an item; set is_active false to retire it and keep its history."""
    actor = _actor(request)
    services.update_item(actor, selectors.item(actor, item_id), **_set(payload))
    return selectors.item(actor, item_id)


@router.delete("/items/{item_id}", response={204: None, **ERRORS})
def delete_item(request: HttpRequest, item_id: ObjId) -> Any:
    """Remove an item entered by mistake (refused once it has stock levels or history)."""
    actor = _actor(request)
    services.delete_item(actor, selectors.item(actor, item_id))
    return Status(204, None)


class ConvertQuery(Schema):
    quantity: Decimal
    from_unit: str = Field(..., max_length=40)
    to_unit: str = Field(..., max_length=40)


@router.get("/items/{item_id}/convert", response={200: ConversionOut, **ERRORS})
def convert(request: HttpRequest, item_id: ObjId, query: Query[ConvertQuery]) -> Any:
    """Convert a quantity of the item between any two of its units, exactly."""
    item = selectors.item(_actor(request), item_id)
    result = selectors.conversion(item, query.quantity, query.from_unit, query.to_unit)
    return {
        "item_id": item.pk,
        "quantity": result.quantity,
        "from_unit": result.from_unit,
        "to_unit": result.to_unit,
        "result": result.result,
        "fraction": result.fraction,
        "text": result.text,
        "base_quantity": result.base_quantity,
        "base_unit": item.base_unit,
    }


@router.get("/items/{item_id}/units", response={200: list[UnitOut], **ERRORS})
@paginate(Pages)
def list_item_units(request: HttpRequest, item_id: ObjId) -> Any:
    """Units a quantity of the item can be entered in: standard units and its packs."""
    item: Item = selectors.item(_actor(request), item_id)
    return [u.__dict__ for u in units_for(item, item.packs.all())]


# Packs


@router.get("/items/{item_id}/packs", response={200: list[PackOut], **ERRORS})
@paginate(Pages)
def list_packs(request: HttpRequest, item_id: ObjId) -> Any:
    """The item's packs, smallest first."""
    return selectors.packs(selectors.item(_actor(request), item_id))


@router.post("/items/{item_id}/packs", response={201: PackOut, **ERRORS})
def create_pack(request: HttpRequest, item_id: ObjId, payload: PackIn) -> Any:
    """Define a pack as a quantity of a standard unit ("25 kg") or of another pack ("12 bottle")."""
    actor = _actor(request)
    item = selectors.item(actor, item_id)
    pack = services.create_pack(actor, item, **payload.model_dump())
    return Status(201, selectors.pack(actor, item, pack.pk))


@router.get("/items/{item_id}/packs/{pack_id}", response={200: PackOut, **ERRORS})
def get_pack(request: HttpRequest, item_id: ObjId, pack_id: ObjId) -> Any:
    """One pack of the item."""
    actor = _actor(request)
    return selectors.pack(actor, selectors.item(actor, item_id), pack_id)


@router.patch("/items/{item_id}/packs/{pack_id}", response={200: PackOut, **ERRORS})
def patch_pack(request: HttpRequest, item_id: ObjId, pack_id: ObjId, payload: PackPatch) -> Any:
    """Rename, resize or retire a pack; packs built on it are resized with it."""
    actor = _actor(request)
    item = selectors.item(actor, item_id)
    services.update_pack(actor, selectors.pack(actor, item, pack_id), **_set(payload))
    return selectors.pack(actor, item, pack_id)


@router.delete("/items/{item_id}/packs/{pack_id}", response={204: None, **ERRORS})
def delete_pack(request: HttpRequest, item_id: ObjId, pack_id: ObjId) -> Any:
    """Remove a pack that no other pack is built on."""
    actor = _actor(request)
    services.delete_pack(actor, selectors.pack(actor, selectors.item(actor, item_id), pack_id))
    return Status(204, None)


# Barcodes


@router.get("/items/{item_id}/barcodes", response={200: list[BarcodeOut], **ERRORS})
@paginate(Pages)
def list_barcodes(request: HttpRequest, item_id: ObjId) -> Any:
    """The item's barcodes."""
    return selectors.barcodes(selectors.item(_actor(request), item_id))


@router.post("/items/{item_id}/barcodes", response={201: BarcodeOut, **ERRORS})
def create_barcode(request: HttpRequest, item_id: ObjId, payload: BarcodeIn) -> Any:
    """Attach a barcode to the item or one of its packs; GTIN check digits are verified."""
    actor = _actor(request)
    item = selectors.item(actor, item_id)
    return Status(201, services.add_barcode(actor, item, **payload.model_dump()))


@router.get("/items/{item_id}/barcodes/{barcode_id}", response={200: BarcodeOut, **ERRORS})
def get_barcode(request: HttpRequest, item_id: ObjId, barcode_id: ObjId) -> Any:
    """One barcode of the item."""
    actor = _actor(request)
    return selectors.barcode(actor, selectors.item(actor, item_id), barcode_id)


@router.delete("/items/{item_id}/barcodes/{barcode_id}", response={204: None, **ERRORS})
def delete_barcode(request: HttpRequest, item_id: ObjId, barcode_id: ObjId) -> Any:
    """Detach a barcode from the item."""
    actor = _actor(request)
    barcode = selectors.barcode(actor, selectors.item(actor, item_id), barcode_id)
    services.remove_barcode(actor, barcode)
    return Status(204, None)


# Storage areas


class AreaFilter(Schema):
    location_id: ObjId | None = None


@router.get("/storage-areas", response={200: list[StorageAreaOut], **ERRORS})
@paginate(Pages)
def list_storage_areas(request: HttpRequest, filters: Query[AreaFilter]) -> Any:
    """Storage areas of the locations in reach, in walking order."""
    return selectors.storage_areas(_actor(request), location_id=filters.location_id)


@router.post("/storage-areas", response={201: StorageAreaOut, **ERRORS})
def create_storage_area(request: HttpRequest, payload: StorageAreaIn) -> Any:
    """Add a storage area to a location, last in walking order unless sort_order is given."""
    return Status(201, services.create_storage_area(_actor(request), **payload.model_dump()))


@router.post("/storage-areas/order", response={200: list[StorageAreaOut], **ERRORS})
def order_storage_areas(request: HttpRequest, payload: StorageAreaOrderIn) -> Any:
    """Set a location's walking order: list every one of its storage areas, first to last."""
    return services.reorder_storage_areas(
        _actor(request), location_id=payload.location_id, area_ids=payload.area_ids
    )


@router.get("/storage-areas/{area_id}", response={200: StorageAreaOut, **ERRORS})
def get_storage_area(request: HttpRequest, area_id: ObjId) -> Any:
    """One storage area."""
    return selectors.storage_area(_actor(request), area_id)


@router.patch("/storage-areas/{area_id}", response={200: StorageAreaOut, **ERRORS})
def patch_storage_area(request: HttpRequest, area_id: ObjId, payload: StorageAreaPatch) -> Any:
    """Rename a storage area, change its place in the walking order, or retire it."""
    actor = _actor(request)
    area = selectors.storage_area(actor, area_id)
    return services.update_storage_area(actor, area, **_set(payload))


@router.delete("/storage-areas/{area_id}", response={204: None, **ERRORS})
def delete_storage_area(request: HttpRequest, area_id: ObjId) -> Any:
    """Remove a storage area."""
    actor = _actor(request)
    services.delete_storage_area(actor, selectors.storage_area(actor, area_id))
    return Status(204, None)


# Stock levels


class LevelFilter(Schema):
    location_id: ObjId | None = None
    item_id: ObjId | None = None


@router.get("/stock-levels", response={200: list[StockLevelOut], **ERRORS})
@paginate(Pages)
def list_stock_levels(request: HttpRequest, filters: Query[LevelFilter]) -> Any:
    """Par, minimum and maximum per item at the locations in reach, in base units."""
    return selectors.stock_levels(
        _actor(request), location_id=filters.location_id, item_id=filters.item_id
    )


@router.post("/stock-levels", response={201: StockLevelOut, **ERRORS})
def create_stock_level(request: HttpRequest, payload: StockLevelIn) -> Any:
    """Set an item's par, minimum and maximum at a location, in any unit of the item."""
    actor = _actor(request)
    level = services.create_stock_level(actor, **payload.model_dump())
    return Status(201, selectors.stock_level(actor, level.pk))


@router.get("/stock-levels/{level_id}", response={200: StockLevelOut, **ERRORS})
def get_stock_level(request: HttpRequest, level_id: ObjId) -> Any:
    """One stock level."""
    return selectors.stock_level(_actor(request), level_id)


@router.patch("/stock-levels/{level_id}", response={200: StockLevelOut, **ERRORS})
def patch_stock_level(request: HttpRequest, level_id: ObjId, payload: StockLevelPatch) -> Any:
    """Change par, minimum or maximum (entered in `unit`), storage area or count order."""
    actor = _actor(request)
    level = selectors.stock_level(actor, level_id)
    return services.update_stock_level(actor, level, **_set(payload))


@router.delete("/stock-levels/{level_id}", response={204: None, **ERRORS})
def delete_stock_level(request: HttpRequest, level_id: ObjId) -> Any:
    """Stop keeping stock levels for the item at the location."""
    actor = _actor(request)
    services.delete_stock_level(actor, selectors.stock_level(actor, level_id))
    return Status(204, None)
