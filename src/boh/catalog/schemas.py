"""API shapes of the catalog module."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from boh.catalog.models import Pack, StockLevel
from boh.catalog.units import pack_size_text
from boh.core.schemas import ObjId, StrictSchema


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    parent_id: int | None
    path: str
    expiry_alert_days: int | None


class CategoryIn(StrictSchema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    parent_id: ObjId | None = None
    expiry_alert_days: int | None = Field(None, ge=0, le=365)


class CategoryPatch(StrictSchema):
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    parent_id: ObjId | None = None
    expiry_alert_days: int | None = Field(None, ge=0, le=365)


class PackOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    factor: Decimal = Field(..., description="Size in the item's base unit, exact.")
    inner_pack_id: int | None
    inner_count: Decimal | None
    is_active: bool
    size: str = Field("", description='As people write it: "12 x bottle = 9000 ml".')

    @staticmethod
    def resolve_size(obj: Pack) -> str:
        return pack_size_text(obj.item, obj)


class PackIn(StrictSchema):
    code: str = Field(..., max_length=20)
    name: str = Field(..., max_length=100)
    name_en: str = Field("", max_length=100)
    quantity: Decimal = Field(..., description="How many of `unit` one pack holds.")
    unit: str = Field(
        ...,
        max_length=40,
        description="A standard unit (g, kg, jin, liang, ml, l, each) or another pack's code.",
    )


class PackPatch(StrictSchema):
    code: str | None = Field(None, max_length=20)
    name: str | None = Field(None, max_length=100)
    name_en: str | None = Field(None, max_length=100)
    quantity: Decimal | None = None
    unit: str | None = Field(None, max_length=40)
    is_active: bool | None = None


class BarcodeOut(Schema):
    id: int
    code: str
    pack_id: int | None


class BarcodeIn(StrictSchema):
    code: str = Field(..., max_length=64, description="GTIN-8/12/13/14 or an in-house code.")
    pack_id: ObjId | None = None


class CategoryRef(Schema):
    id: int
    code: str
    name: str


class ItemOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    pinyin: str
    kind: str
    category: CategoryRef | None
    base_unit: str
    storage: str
    shelf_life_days: int | None
    shelf_life_open_days: int | None
    lot_tracked: bool
    allergens: list[str]
    is_active: bool
    packs: list[PackOut]
    barcodes: list[BarcodeOut]
    created_at: datetime
    updated_at: datetime


class ItemIn(StrictSchema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    kind: str = Field("ingredient", max_length=20)
    category_id: ObjId | None = None
    base_unit: str = Field(..., max_length=8, description="g, ml or each.")
    storage: str = Field("ambient", max_length=10)
    shelf_life_days: int | None = Field(None, ge=0, le=36500)
    shelf_life_open_days: int | None = Field(None, ge=0, le=36500)
    lot_tracked: bool = False
    allergens: list[str] = Field(default_factory=list, max_length=15)
    is_active: bool = True


class ItemPatch(StrictSchema):
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    kind: str | None = Field(None, max_length=20)
    category_id: ObjId | None = None
    base_unit: str | None = Field(None, max_length=8)
    storage: str | None = Field(None, max_length=10)
    shelf_life_days: int | None = Field(None, ge=0, le=36500)
    shelf_life_open_days: int | None = Field(None, ge=0, le=36500)
    lot_tracked: bool | None = None
    allergens: list[str] | None = Field(None, max_length=15)
    is_active: bool | None = None


class ConversionOut(Schema):
    item_id: int
    quantity: Decimal
    from_unit: str
    to_unit: str
    result: Decimal = Field(..., description="Rounded to the stored precision (0.167).")
    fraction: str = Field(..., description='Exact simple fraction such as "1/6", else "".')
    text: str
    base_quantity: Decimal = Field(..., description="The quantity in the base unit, as stored.")
    base_unit: str


class AllergenOut(Schema):
    code: str
    label: str


class UnitOut(Schema):
    code: str
    label: str
    factor: Decimal


class StorageAreaOut(Schema):
    id: int
    location_id: int
    code: str
    name: str
    name_en: str
    sort_order: int
    is_active: bool


class StorageAreaIn(StrictSchema):
    location_id: ObjId
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=100)
    name_en: str = Field("", max_length=100)
    sort_order: int | None = Field(None, ge=0, le=1_000_000)


class StorageAreaPatch(StrictSchema):
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=100)
    name_en: str | None = Field(None, max_length=100)
    sort_order: int | None = Field(None, ge=0, le=1_000_000)
    is_active: bool | None = None


class StorageAreaOrderIn(StrictSchema):
    location_id: ObjId
    area_ids: list[ObjId] = Field(..., max_length=1000)


class StockLevelOut(Schema):
    id: int
    location_id: int
    item_id: int
    storage_area_id: int | None
    par: Decimal
    minimum: Decimal
    maximum: Decimal | None
    count_order: int
    base_unit: str = Field("", description="Unit of par, minimum and maximum.")

    @staticmethod
    def resolve_base_unit(obj: StockLevel) -> str:
        return obj.item.base_unit


class StockLevelIn(StrictSchema):
    location_id: ObjId
    item_id: ObjId
    par: Decimal
    minimum: Decimal = Decimal(0)
    maximum: Decimal | None = None
    unit: str | None = Field(
        None, max_length=40, description="Unit of par/minimum/maximum; the base unit if empty."
    )
    storage_area_id: ObjId | None = None
    count_order: int = Field(0, ge=0, le=1_000_000)


class StockLevelPatch(StrictSchema):
    par: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    unit: str | None = Field(None, max_length=40)
    storage_area_id: ObjId | None = None
    count_order: int | None = Field(None, ge=0, le=1_000_000)
