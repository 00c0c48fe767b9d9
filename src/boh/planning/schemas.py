"""API shapes of the planning module."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from boh.core.schemas import ObjId, StrictSchema
from boh.planning.models import ForecastRun, Suggestion, SuggestionLine
from boh.planning.selectors import line_warning_text, warning_text


class PlanningWarningOut(Schema):
    code: str
    message: str


def _warnings(raw: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"code": str(w.get("code", "")), "message": warning_text(w)} for w in raw]


class PlanningRunOut(Schema):
    id: int
    location_id: int | None
    trigger: str
    status: str
    model: str
    first_date: date
    horizon: int
    history_start: date | None
    history_end: date | None
    series_count: int
    backtest: dict[str, Any]
    warnings: list[PlanningWarningOut]
    wape: float | None
    bias: float | None
    scored_through: date | None
    started_at: datetime
    finished_at: datetime | None
    error: str

    @staticmethod
    def resolve_warnings(obj: ForecastRun) -> list[dict[str, str]]:
        return _warnings(obj.warnings)


class PlanningRunIn(StrictSchema):
    location_id: ObjId | None = None
    horizon: int = Field(14, ge=1, le=60)


class PlanningJobOut(Schema):
    job_id: int
    kind: str
    status: str


class PlanningForecastOut(Schema):
    id: int
    run_id: int
    location_id: int
    menu_item_id: int | None
    measure: str
    date: date
    p50: float
    p90: float
    borrowed: bool


class PlanningAccuracyOut(Schema):
    location_id: int
    location_name: str
    measure: str
    menu_item_id: int | None
    menu_item_name: str
    days: int
    forecast: float
    actual: float
    wape: float | None
    bias: float | None


class PlanningEventOut(Schema):
    id: int
    kind: str
    name: str
    start_date: date
    end_date: date
    note: str
    location_id: int | None
    region_id: int | None


class PlanningEventIn(StrictSchema):
    kind: Literal["promotion", "local_event", "closure"]
    name: str = Field(..., max_length=200)
    start_date: date
    end_date: date | None = None
    note: str = Field("", max_length=500)
    location_id: ObjId | None = None
    region_id: ObjId | None = None


class PlanningEventPatch(StrictSchema):
    kind: Literal["promotion", "local_event", "closure"] | None = None
    name: str | None = Field(None, max_length=200)
    start_date: date | None = None
    end_date: date | None = None
    note: str | None = Field(None, max_length=500)
    location_id: ObjId | None = None
    region_id: ObjId | None = None


class PlanningWeatherRowIn(StrictSchema):
    location: str | None = Field(None, max_length=40)
    region: str | None = Field(None, max_length=40)
    date: date
    temperature: Decimal = Field(..., max_digits=6, decimal_places=3)
    rain_mm: Decimal | None = Field(None, max_digits=7, decimal_places=3)


class PlanningWeatherIn(StrictSchema):
    rows: list[PlanningWeatherRowIn] = Field(..., min_length=1, max_length=5000)


class PlanningWeatherImportOut(Schema):
    rows: int
    written: int


class PlanningWeatherOut(Schema):
    id: int
    location_id: int | None
    region_id: int | None
    date: date
    temperature: Decimal
    rain_mm: Decimal


class PlanningProfileOut(Schema):
    location_id: int
    store_format: str
    seats: int | None
    area_m2: int | None
    opened_on: date | None
    country: str


class PlanningProfileIn(StrictSchema):
    store_format: str | None = Field(None, max_length=40)
    seats: int | None = Field(None, ge=0, le=100_000)
    area_m2: int | None = Field(None, ge=0, le=100_000)
    opened_on: date | None = None
    country: str | None = Field(None, max_length=2)


class PlanningSoldOutIn(StrictSchema):
    location_id: ObjId
    menu_item_id: ObjId
    date: date
    note: str = Field("", max_length=200)


class PlanningSoldOutOut(Schema):
    id: int
    location_id: int
    menu_item_id: int
    date: date
    note: str


class PlanningSettingOut(Schema):
    id: int
    category_id: int | None
    supplier_id: int | None
    service_level: Decimal | None
    auto_approve: bool
    max_order_value: Decimal | None
    max_line_packs: Decimal | None


class PlanningSettingIn(StrictSchema):
    category_id: ObjId | None = None
    supplier_id: ObjId | None = None
    service_level: Decimal | None = Field(None, max_digits=5, decimal_places=2)
    auto_approve: bool = False
    max_order_value: Decimal | None = Field(None, max_digits=18, decimal_places=2)
    max_line_packs: Decimal | None = Field(None, max_digits=18, decimal_places=3)


class PlanningSettingPatch(StrictSchema):
    service_level: Decimal | None = Field(None, max_digits=5, decimal_places=2)
    auto_approve: bool | None = None
    max_order_value: Decimal | None = Field(None, max_digits=18, decimal_places=2)
    max_line_packs: Decimal | None = Field(None, max_digits=18, decimal_places=3)


class PlanningLineOut(Schema):
    id: int
    item_id: int
    item_code: str
    item_name: str
    supplier_item_id: int | None
    packs: Decimal | None
    pack_factor: Decimal | None
    quantity: Decimal
    unit_price: Decimal | None
    amount: Decimal | None
    explanation: dict[str, Any]
    warnings: list[PlanningWarningOut]
    accepted_packs: Decimal | None
    edited: bool

    @staticmethod
    def resolve_item_code(obj: SuggestionLine) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item_name(obj: SuggestionLine) -> str:
        return obj.item.name

    @staticmethod
    def resolve_warnings(obj: SuggestionLine) -> list[dict[str, str]]:
        return [{"code": code, "message": line_warning_text(code)} for code in obj.warnings]


class PlanningSuggestionOut(Schema):
    id: int
    run_id: int | None
    location_id: int
    supplier_id: int | None
    status: str
    order_date: date
    delivery_date: date
    following_delivery: date
    cutoff_at: datetime | None
    total: Decimal
    min_order_value: Decimal
    warnings: list[PlanningWarningOut]
    purchase_order_id: int | None
    decided_at: datetime | None

    @staticmethod
    def resolve_warnings(obj: Suggestion) -> list[dict[str, str]]:
        return _warnings(obj.warnings)


class PlanningSuggestionDetailOut(PlanningSuggestionOut):
    lines: list[PlanningLineOut]

    @staticmethod
    def resolve_lines(obj: Suggestion) -> list[SuggestionLine]:
        return list(obj.lines.select_related("item").order_by("item__code"))


class PlanningLineEditIn(StrictSchema):
    line_id: int = Field(..., ge=1, le=9_223_372_036_854_775_807)
    packs: Decimal = Field(..., ge=0, max_digits=18, decimal_places=3)


class PlanningAcceptIn(StrictSchema):
    lines: list[PlanningLineEditIn] = Field(default_factory=list, max_length=1000)
    note: str = Field("", max_length=2000)


class PlanningOrderOut(Schema):
    order_id: int
    number: str
    status: str
    total: Decimal


class PlanningAcceptanceOut(Schema):
    decided: int
    accepted: int
    automatic: int
    dismissed: int
    lines: int
    unchanged: int
    unchanged_share: float | None


class PlanningTransferOut(Schema):
    id: int
    from_location_id: int
    to_location_id: int
    item_id: int
    lot_id: int | None
    quantity: Decimal
    expiry_date: date
    status: str
    transfer_id: int | None
    reason: str
    decided_at: datetime | None


class PlanningTransferRejectIn(StrictSchema):
    reason: str = Field(..., max_length=500)


class PlanningPrepOut(Schema):
    item_id: int
    item_code: str
    item_name: str
    base_unit: str
    date: date
    quantity: Decimal
    for_locations: dict[str, str]
