"""API shapes of the stock ledger."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from boh.core.schemas import ObjId, StrictSchema

MAX_MOVES_PER_REQUEST = 5000


class OnHandOut(Schema):
    location_id: int
    item_id: int
    item_code: str
    item_name: str
    base_unit: str
    quantity: Decimal = Field(..., description="In the item's base unit.")
    value: Decimal
    unit_cost: Decimal = Field(..., description="Moving-average cost per base unit.")
    earliest_expiry: date | None = None


class MoveOut(Schema):
    id: int
    location_id: int
    item_id: int
    lot_id: int | None
    kind: str
    quantity: Decimal = Field(..., description="Signed, in the item's base unit.")
    unit_cost: Decimal
    value: Decimal
    happened_at: datetime
    posted_at: datetime
    posted_by_user_id: int | None
    posted_by_api_key_id: int | None
    batch: uuid.UUID
    source_type: str
    source_id: str
    source_line: str
    reason: str
    reverses_id: int | None
    revalues_id: int | None
    flagged: bool
    override_note: str


class LotSpecIn(StrictSchema):
    """A new lot; its supplier is recorded when purchasing receives a delivery."""

    code: str = Field(..., max_length=64)
    expiry_date: date | None = None
    received_date: date | None = None
    supplier_lot_code: str = Field("", max_length=64)


class MoveIn(StrictSchema):
    location_id: ObjId
    item_id: ObjId
    kind: str = Field(..., max_length=24)
    quantity: Decimal = Field(..., description="Signed: positive brings stock in.")
    unit: str | None = Field(
        None,
        max_length=40,
        description="Any unit of the item (g, kg, 斤, a pack code); default its base unit.",
    )
    unit_cost: Decimal | None = Field(
        None, description="Cost of one `unit`; required for stock brought in with a price."
    )
    lot_id: ObjId | None = None
    new_lot: LotSpecIn | None = None
    happened_at: datetime | None = Field(None, description="Business time; default now.")
    reason: str = Field("", max_length=40)
    source_line: str = Field("", max_length=64)
    allow_unavailable_lot: bool = False
    override_note: str = Field("", max_length=2000)


class PostIn(StrictSchema):
    source_type: str = Field(..., max_length=40)
    source_id: str = Field(..., max_length=64)
    moves: list[MoveIn] = Field(..., min_length=1, max_length=MAX_MOVES_PER_REQUEST)


class PostOut(Schema):
    batch: uuid.UUID
    moves: list[MoveOut]
    revaluation_job_ids: list[int]


class ReverseIn(StrictSchema):
    reason: str = Field("", max_length=40)
    source_type: str = Field("correction", max_length=40)
    source_id: str = Field("", max_length=64, description="Default: the move's id.")


class LotOut(Schema):
    id: int
    item_id: int
    code: str
    expiry_date: date | None
    received_date: date | None
    supplier_id: int | None
    supplier_lot_code: str
    status: str
    status_note: str
    created_at: datetime


class TraceRowOut(Schema):
    location_id: int
    location_code: str
    location_name: str
    quantity: Decimal
    kind: str
    source_type: str
    source_id: str
    first_at: datetime | None
    last_at: datetime | None


class LotDetailOut(Schema):
    lot: LotOut
    on_hand: list[TraceRowOut]
    received: list[TraceRowOut]
    consumed: list[TraceRowOut]


class LotStatusIn(StrictSchema):
    note: str = Field("", max_length=500)


class ExpiryAlertOut(Schema):
    location_id: int
    location_name: str
    item_id: int
    item_code: str
    item_name: str
    lot_id: int
    lot_code: str
    expiry_date: date
    days_left: int
    quantity: Decimal
    status: str


class ExpiryAlertsOut(Schema):
    expiring: list[ExpiryAlertOut]
    expired: list[ExpiryAlertOut]
