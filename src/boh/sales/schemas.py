"""API shapes of the sales module."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from boh.core.schemas import ObjId, StrictSchema
from boh.sales.services.ingest import MAX_LINES, MAX_TICKETS

TICKET_DOC = (
    "Each ticket: source (POS name; defaults to the batch's), external_id, location_id or "
    "location_code, closed_at and opened_at (ISO 8601 with offset), channel (dine_in, "
    "takeaway, delivery_meituan, delivery_eleme, other), covers, voided, revision (the "
    "POS's own counter: an older one is ignored), lines [{pos_code, name, quantity, "
    "unit_price, discount, modifiers: [POS codes], components: [{pos_code, quantity, "
    "modifiers}], voided, refund}], payments [{tender, amount}] (a total other than the "
    "net sales is a warning, not a refusal), refund_of (external id of the ticket "
    "refunded). A refund line has a negative quantity and refund true, and takes back at "
    "most what the ticket, or the ticket in refund_of, sold. "
    f"At most {MAX_TICKETS} tickets and {MAX_LINES} lines per call (413 batch_too_large). "
    "Each ticket is checked on its own: see results."
)


class TicketBatchIn(StrictSchema):
    source: str = Field("", max_length=40, description="POS source of tickets that name none")
    tickets: list[dict[str, Any]] = Field(..., description=TICKET_DOC)


class TicketErrorOut(Schema):
    field: str
    code: str
    message: str


class TicketResultOut(Schema):
    index: int
    source: str
    external_id: str
    outcome: str = Field(..., description="created, amended, unchanged or rejected")
    ticket_id: int | None
    version: int | None
    errors: list[TicketErrorOut]
    warnings: list[TicketErrorOut] = Field(
        ..., description="accepted, but looks wrong: payments_do_not_match"
    )


class TicketBatchOut(Schema):
    batch_id: int | None
    created: int
    amended: int
    unchanged: int
    rejected: int
    results: list[TicketResultOut]


class TicketOut(Schema):
    id: int
    source: str
    external_id: str
    location_id: int
    business_date: date
    opened_at: datetime | None
    closed_at: datetime
    channel: str
    covers: int
    voided: bool
    revision: int | None
    version: int
    gross_sales: Decimal
    discounts: Decimal
    refunds: Decimal
    net_sales: Decimal
    line_count: int
    waiting_lines: int
    paid: Decimal | None = Field(..., description="sum of the payments; null when none sent")
    payment_difference: Decimal | None = Field(
        ..., description="payments less net sales; null when no payments were sent"
    )
    refund_of_id: int | None = Field(..., description="the ticket whose sale this one refunds")
    created_at: datetime
    updated_at: datetime


class TicketLineOut(Schema):
    line_no: int
    pos_code: str
    name: str
    menu_item_id: int | None
    modifier_codes: list[str]
    option_ids: list[int]
    components: list[dict[str, Any]] | None
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    net_amount: Decimal
    refund: bool
    voided: bool
    state: str


class TicketPaymentOut(Schema):
    line_no: int
    tender: str
    amount: Decimal


class TicketVersionOut(Schema):
    number: int
    location_id: int
    business_date: date
    content_hash: str
    received_at: datetime
    superseded_at: datetime | None
    content: dict[str, Any]


class TicketDetailOut(TicketOut):
    lines: list[TicketLineOut]
    payments: list[TicketPaymentOut]
    versions: list[TicketVersionOut]


class UnmappedOut(Schema):
    id: int
    source: str
    code: str
    kind: str
    name: str
    lines: int
    quantity: Decimal
    revenue: Decimal
    first_seen_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None


class UnmappedLineOut(Schema):
    ticket_id: int
    external_id: str
    location_id: int
    closed_at: datetime
    line_no: int
    pos_code: str
    modifier_codes: list[str]
    quantity: Decimal
    net_amount: Decimal


class UnmappedDetailOut(UnmappedOut):
    waiting: list[UnmappedLineOut]


class UnmappedSummaryOut(Schema):
    codes: int
    lines: int
    revenue: Decimal


class SalesMapIn(StrictSchema):
    menu_item_id: ObjId | None = None
    option_id: ObjId | None = None


class SalesMapCodeIn(SalesMapIn):
    source: str = Field(..., max_length=40)
    code: str = Field(..., max_length=64)


class SalesMapOut(Schema):
    pos_code_id: int | None
    depleted_lines: int
    still_waiting: int
    moves: int


class PeriodQuery(Schema):
    date_from: date
    date_to: date


class SalesQuery(PeriodQuery):
    location_id: ObjId | None = None


class SalesFiguresOut(Schema):
    tickets: int
    covers: int
    gross_sales: Decimal
    discounts: Decimal
    refunds: Decimal
    net_sales: Decimal
    average_check: Decimal | None
    average_per_cover: Decimal | None


class SalesDayOut(SalesFiguresOut):
    business_date: date


class SalesChannelOut(SalesFiguresOut):
    channel: str


class SalesHourOut(SalesFiguresOut):
    hour: int


class SalesTenderOut(Schema):
    tender: str
    payments: int
    amount: Decimal


class ItemSalesOut(Schema):
    menu_item_id: int
    code: str
    name: str
    quantity: Decimal
    net_sales: Decimal


class SalesReportOut(Schema):
    date_from: date
    date_to: date
    location_id: int | None
    total: SalesFiguresOut
    days: list[SalesDayOut]
    channels: list[SalesChannelOut]
    hours: list[SalesHourOut]
    tenders: list[SalesTenderOut]
    items: list[ItemSalesOut]


class AvtQuery(PeriodQuery):
    location_id: ObjId
    item_id: ObjId | None = None


class SalesFlowOut(Schema):
    quantity: Decimal
    value: Decimal


class AvtDayOut(Schema):
    business_date: date
    actual: SalesFlowOut
    theoretical: SalesFlowOut
    variance: SalesFlowOut


class AvtItemOut(Schema):
    item_id: int
    code: str
    name: str
    base_unit: str
    opening: SalesFlowOut
    receipts: SalesFlowOut
    transfers_in: SalesFlowOut
    transfers_out: SalesFlowOut
    waste: SalesFlowOut
    other: SalesFlowOut
    closing: SalesFlowOut
    actual: SalesFlowOut
    theoretical: SalesFlowOut
    variance: SalesFlowOut
    variance_pct: Decimal | None = Field(..., description="variance value as % of net sales")
    days: list[AvtDayOut]


class AvtOut(Schema):
    location_id: int
    date_from: date
    date_to: date
    net_sales: Decimal
    variance_value: Decimal
    variance_pct: Decimal | None
    items: list[AvtItemOut]


class EngineeringQuery(PeriodQuery):
    location_id: ObjId


class MenuEngineeringItemOut(Schema):
    menu_item_id: int
    code: str
    name: str
    quantity: Decimal
    net_sales: Decimal
    average_price: Decimal
    portion_cost: Decimal | None
    cost_complete: bool
    margin: Decimal | None
    total_margin: Decimal | None
    mix_pct: Decimal
    popular: bool
    profitable: bool
    klass: str = Field(..., description="star, plowhorse, puzzle, dog, or empty when not costed")


class MenuEngineeringOut(Schema):
    location_id: int
    date_from: date
    date_to: date
    popularity_threshold_pct: Decimal
    average_margin: Decimal | None
    items: list[MenuEngineeringItemOut]


class SalesImportOut(Schema):
    job_id: int
    status: str


class SalesImportJobOut(Schema):
    id: int
    kind: str
    status: str
    done: int
    total: int | None
    result: dict[str, Any]
    error: str
    created_at: datetime
    finished_at: datetime | None
