"""API shapes of inventory documents: transfers, waste entries and stocktakes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from boh.core.schemas import ObjId, StrictSchema


# Quantities travel as decimal strings or numbers; units are an item's pack code or a
# standard unit (g, kg, jin, ml, l, each); empty means the item's base unit.
def _unit() -> Any:
    return Field("", max_length=20)


class TransferLineIn(StrictSchema):
    item_id: ObjId
    quantity: Decimal
    unit: str = _unit()
    lot_id: ObjId | None = None


class TransferIn(StrictSchema):
    from_location_id: ObjId
    to_location_id: ObjId
    note: str = Field("", max_length=2000)
    lines: list[TransferLineIn] = Field(..., max_length=500)


class TransferPatch(StrictSchema):
    note: str | None = Field(None, max_length=2000)
    lines: list[TransferLineIn] | None = Field(None, max_length=500)


class ShipLineIn(StrictSchema):
    line_id: ObjId
    quantity: Decimal | None = Field(None, description="Omit to ship the requested quantity.")
    unit: str = _unit()
    lot_id: ObjId | None = None


class TransferShipIn(StrictSchema):
    lines: list[ShipLineIn] | None = Field(
        None, max_length=500, description="Omit to ship every line as requested."
    )


class ReceiveLineIn(StrictSchema):
    line_id: ObjId
    received_quantity: Decimal | None = Field(
        None, description="Arrived in good condition; omit when all but the damaged arrived."
    )
    damaged_quantity: Decimal = Decimal(0)
    unit: str = _unit()


class TransferReceiveIn(StrictSchema):
    lines: list[ReceiveLineIn] | None = Field(
        None, max_length=500, description="Lines not listed are received exactly as shipped."
    )
    note: str = Field("", max_length=2000)


class TransferResolveIn(StrictSchema):
    resolution: str = Field(..., max_length=12, description="found, returned or written_off")
    note: str = Field("", max_length=2000)


class ShipmentOut(Schema):
    id: int
    lot_id: int | None
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal
    received_quantity: Decimal
    damaged_quantity: Decimal
    short_quantity: Decimal
    over_quantity: Decimal


class TransferLineOut(Schema):
    id: int
    position: int
    item_id: int
    lot_id: int | None
    requested_quantity: Decimal
    entered_quantity: Decimal
    entered_unit: str
    shipped_quantity: Decimal | None
    received_quantity: Decimal | None
    damaged_quantity: Decimal
    short_quantity: Decimal
    over_quantity: Decimal
    shipments: list[ShipmentOut]

    @staticmethod
    def resolve_shipments(obj: object) -> list[object]:
        return list(obj.shipments.all())  # type: ignore[attr-defined]


class TransferSummaryOut(Schema):
    id: int
    from_location_id: int
    to_location_id: int
    status: str
    discrepancy: str
    note: str
    requested_at: datetime
    approved_at: datetime | None
    shipped_at: datetime | None
    received_at: datetime | None
    cancelled_at: datetime | None


class TransferOut(TransferSummaryOut):
    receive_note: str
    resolution: str
    resolution_note: str
    resolved_at: datetime | None
    lines: list[TransferLineOut]

    @staticmethod
    def resolve_lines(obj: object) -> list[object]:
        return list(obj.lines.all())  # type: ignore[attr-defined]


class InTransitOut(Schema):
    transfer_id: int
    line_id: int
    from_location_id: int
    to_location_id: int
    item_id: int
    item_code: str
    item_name: str
    lot_id: int | None
    lot_code: str
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal
    shipped_at: datetime | None
    state: str


class WasteIn(StrictSchema):
    location_id: ObjId
    item_id: ObjId
    quantity: Decimal
    unit: str = _unit()
    lot_id: ObjId | None = None
    reason: str = Field(
        ...,
        max_length=20,
        description="expired, spoiled, overproduced, dropped, returned or quality",
    )
    note: str = Field("", max_length=2000)
    happened_at: datetime | None = None


class WasteOut(Schema):
    id: int
    location_id: int
    item_id: int
    lot_id: int | None
    quantity: Decimal
    entered_quantity: Decimal
    entered_unit: str
    reason: str
    note: str
    override_note: str
    value: Decimal
    photo_url: str | None
    happened_at: datetime
    created_at: datetime
    created_by_user_id: int | None
    created_by_name: str

    @staticmethod
    def resolve_photo_url(obj: object) -> str | None:
        photo = obj.photo  # type: ignore[attr-defined]
        return photo.url if photo else None


class StocktakeIn(StrictSchema):
    location_id: ObjId
    scope: str = Field("full", max_length=12, description="full, areas or categories")
    area_ids: list[ObjId] = Field(default_factory=list, max_length=200)
    category_ids: list[ObjId] = Field(default_factory=list, max_length=200)
    blind: bool = False
    note: str = Field("", max_length=2000)


class StocktakeOut(Schema):
    id: int
    location_id: int
    scope: str
    area_ids: list[int]
    category_ids: list[int]
    blind: bool
    note: str
    status: str
    snapshot_at: datetime
    created_at: datetime
    approved_at: datetime | None
    posted_at: datetime | None
    cancelled_at: datetime | None
    adjustment_value: Decimal | None

    @staticmethod
    def resolve_area_ids(obj: object) -> list[int]:
        return [a.pk for a in obj.areas.all()]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_category_ids(obj: object) -> list[int]:
        return [c.pk for c in obj.categories.all()]  # type: ignore[attr-defined]


class CountEntryIn(StrictSchema):
    quantity: Decimal
    unit: str = _unit()


class CountLineIn(StrictSchema):
    entries: list[CountEntryIn] = Field(
        ..., max_length=10, description="e.g. 2 case + 5 bottle; an empty list clears the count"
    )


class CountItemIn(CountLineIn):
    item_id: ObjId
    area_id: ObjId | None = None


class CountUnitOut(Schema):
    code: str
    name: str
    factor: Decimal


class CountEntryOut(Schema):
    quantity: str
    unit: str


class SheetLineOut(Schema):
    id: int
    area_id: int | None
    item_id: int
    item_code: str
    item_name: str
    base_unit: str
    units: list[CountUnitOut]
    barcodes: list[str]
    expected_quantity: Decimal | None = Field(..., description="null on a blind count")
    counted_quantity: Decimal | None
    entries: list[CountEntryOut]
    counted_by: str
    counted_at: datetime | None


class CountLineOut(Schema):
    id: int
    area_id: int | None
    item_id: int
    counted_quantity: Decimal | None
    entries: list[CountEntryOut]
    counted_at: datetime | None
    counted_by_name: str


class SheetAreaOut(Schema):
    area_id: int | None
    name: str
    lines: int
    counted: int


class StocktakeVarianceOut(Schema):
    item_id: int
    item_code: str
    item_name: str
    base_unit: str
    expected_quantity: Decimal
    counted_quantity: Decimal | None
    variance_quantity: Decimal | None
    unit_cost: Decimal
    expected_value: Decimal
    variance_value: Decimal | None
    lines: int
