"""API shapes of the purchasing module."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Field, Schema

from boh.core.schemas import ObjId, StrictSchema

# Quantities of supplier items are in packs (the supplier item's order unit); money and
# prices travel as decimal strings or numbers and are checked to their scale by services.


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str
    is_primary: bool


class ContactIn(StrictSchema):
    name: str = Field(..., max_length=100)
    title: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    is_primary: bool = False


class DeliveryTermsOut(Schema):
    location_id: int
    delivery_weekdays: list[int]
    cutoff_time: dt.time | None
    lead_time_days: int
    min_order_value: Decimal


class DeliveryTermsIn(StrictSchema):
    location_id: ObjId
    delivery_weekdays: list[int] = Field(..., max_length=7, description="0 = Monday")
    cutoff_time: dt.time | None = None
    lead_time_days: int = Field(1, ge=0, le=90)
    min_order_value: Decimal = Decimal(0)


class SupplierOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    tax_id: str
    currency: str
    payment_terms: str
    payment_days: int
    email: str
    phone: str
    address: str
    internal_location_id: int | None
    over_receipt_tolerance_pct: Decimal | None
    is_active: bool


class SupplierDetailOut(SupplierOut):
    contacts: list[ContactOut]
    delivery_terms: list[DeliveryTermsOut]


class SupplierIn(StrictSchema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    tax_id: str = Field("", max_length=18, description="统一社会信用代码, 18 characters")
    currency: str = Field("CNY", max_length=3)
    payment_terms: str = Field("net", max_length=10, description="net or month_end")
    payment_days: int = Field(30, ge=0, le=365)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=500)
    internal_location_id: ObjId | None = None
    over_receipt_tolerance_pct: Decimal | None = None


class SupplierPatch(StrictSchema):
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    tax_id: str | None = Field(None, max_length=18)
    currency: str | None = Field(None, max_length=3)
    payment_terms: str | None = Field(None, max_length=10)
    payment_days: int | None = Field(None, ge=0, le=365)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=500)
    internal_location_id: ObjId | None = None
    over_receipt_tolerance_pct: Decimal | None = None
    is_active: bool | None = None


class SupplierItemOut(Schema):
    id: int
    supplier_id: int
    item_id: int
    supplier_code: str
    pack_id: int | None
    pack_code: str
    pack_label: str
    pack_factor: Decimal
    moq: Decimal
    is_active: bool


class SupplierItemIn(StrictSchema):
    item_id: ObjId
    supplier_code: str = Field(..., max_length=60)
    pack_id: ObjId | None = Field(None, description="A catalog pack of the item; or give:")
    pack_code: str | None = Field(None, max_length=20, description="the order unit, e.g. CTN")
    pack_count: Decimal | None = Field(None, description="inner packs, e.g. 10")
    pack_size: Decimal | None = Field(None, description="size of one inner pack, e.g. 1")
    pack_unit: str | None = Field(None, max_length=20, description="its unit, e.g. kg")
    moq: Decimal = Decimal(0)
    price: Decimal | None = None
    price_unit: str | None = Field(None, max_length=20)
    valid_from: dt.date | None = None


class SupplierItemPatch(StrictSchema):
    supplier_code: str | None = Field(None, max_length=60)
    moq: Decimal | None = None
    is_active: bool | None = None


class PriceOut(Schema):
    id: int
    price: Decimal
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    note: str


class PriceIn(StrictSchema):
    price: Decimal
    valid_from: dt.date
    unit: str | None = Field(None, max_length=20, description="Default: the supplier item's pack")
    note: str = Field("", max_length=200)


class PreferredIn(StrictSchema):
    supplier_item_id: ObjId
    location_id: ObjId | None = None


class PreferredOut(Schema):
    id: int
    item_id: int
    location_id: int | None
    supplier_item_id: int


class SettingsOut(Schema):
    over_receipt_tolerance_pct: Decimal
    chilled_max_temp: Decimal
    frozen_max_temp: Decimal
    match_qty_tolerance: Decimal
    match_price_tolerance_pct: Decimal
    match_amount_tolerance: Decimal


class SettingsPatch(StrictSchema):
    over_receipt_tolerance_pct: Decimal | None = None
    chilled_max_temp: Decimal | None = None
    frozen_max_temp: Decimal | None = None
    match_qty_tolerance: Decimal | None = None
    match_price_tolerance_pct: Decimal | None = None
    match_amount_tolerance: Decimal | None = None


class RuleOut(Schema):
    id: int
    role: str
    location_id: int | None
    max_amount: Decimal


class RuleIn(StrictSchema):
    role: str = Field(..., max_length=20)
    location_id: ObjId | None = None
    max_amount: Decimal


class RulePatch(StrictSchema):
    max_amount: Decimal


class OrderLineOut(Schema):
    id: int
    line_no: int
    location_id: int
    supplier_item_id: int
    item_id: int
    quantity: Decimal
    pack_factor: Decimal
    unit_price: Decimal
    amount: Decimal
    received_quantity: Decimal
    note: str


class OrderOut(Schema):
    id: int
    number: str
    supplier_id: int
    location_id: int | None
    is_consolidated: bool
    status: str
    source: str
    expected_date: dt.date | None
    currency: str
    total: Decimal
    note: str
    created_by_id: int | None
    approved_by_id: int | None
    approved_at: dt.datetime | None
    sent_at: dt.datetime | None
    sent_to: str
    transfer_ids: list[int]
    closed_reason: str
    created_at: dt.datetime


class OrderDetailOut(OrderOut):
    lines: list[OrderLineOut]
    actions: list[str]


class OrderLineIn(StrictSchema):
    supplier_item_id: ObjId
    quantity: Decimal = Field(..., description="packs of the supplier item")
    unit_price: Decimal | None = Field(None, description="Default: the agreed price")
    location_id: ObjId | None = Field(None, description="Default: the order's location")
    note: str = Field("", max_length=200)


class OrderIn(StrictSchema):
    supplier_id: ObjId
    location_id: ObjId | None = None
    expected_date: dt.date | None = None
    note: str = Field("", max_length=2000)
    source: str = Field("manual", max_length=20)
    lines: list[OrderLineIn] = Field(..., max_length=500)


class OrderPatch(StrictSchema):
    expected_date: dt.date | None = None
    note: str | None = Field(None, max_length=2000)
    lines: list[OrderLineIn] | None = Field(None, max_length=500)


class ReasonIn(StrictSchema):
    reason: str = Field("", max_length=200)


class SendIn(StrictSchema):
    to: list[str] | None = Field(None, max_length=10, description="Default: the supplier's email")
    message: str = Field("", max_length=2000)
    language: str = Field("zh-hans", max_length=10)


class SuggestionIn(StrictSchema):
    location_id: ObjId
    item_id: ObjId
    quantity: Decimal = Field(..., description="base units (g, ml, each)")
    expected_date: dt.date | None = None


class GuideRowOut(Schema):
    supplier_item_id: int
    supplier_code: str
    item_id: int
    item_code: str
    item_name: str
    base_unit: str
    pack_code: str
    pack_label: str
    pack_factor: Decimal
    moq: Decimal
    price: Decimal | None
    par: Decimal
    on_hand: Decimal
    on_order: Decimal
    suggested: Decimal


class RequisitionLineIn(StrictSchema):
    item_id: ObjId
    quantity: Decimal = Field(..., description="base units")
    supplier_item_id: ObjId | None = None


class RequisitionIn(StrictSchema):
    location_id: ObjId
    needed_by: dt.date | None = None
    note: str = Field("", max_length=200)
    lines: list[RequisitionLineIn] = Field(..., max_length=500)


class RequisitionLineOut(Schema):
    id: int
    item_id: int
    quantity: Decimal
    supplier_item_id: int | None
    order_line_id: int | None


class RequisitionOut(Schema):
    id: int
    number: str
    location_id: int
    status: str
    needed_by: dt.date | None
    note: str
    lines: list[RequisitionLineOut]


class ConsolidateIn(StrictSchema):
    requisition_ids: list[ObjId] = Field(..., max_length=500)
    expected_date: dt.date | None = None


class ReceiptLineIn(StrictSchema):
    order_line_id: ObjId | None = None
    supplier_item_id: ObjId | None = None
    delivered_quantity: Decimal
    rejected_quantity: Decimal = Decimal(0)
    reject_reason: str = Field("", max_length=20)
    unit_price: Decimal | None = None
    temperature: Decimal | None = None
    lot_code: str = Field("", max_length=60)
    expiry_date: dt.date | None = None
    note: str = Field("", max_length=200)


class ReceiptStartIn(StrictSchema):
    location_id: ObjId
    order_id: ObjId | None = None
    supplier_id: ObjId | None = None
    delivery_note: str = Field("", max_length=60)
    received_at: dt.datetime | None = None
    note: str = Field("", max_length=200)


class ReceiptIn(ReceiptStartIn):
    lines: list[ReceiptLineIn] = Field(..., max_length=500)


class ReceiptLineOut(Schema):
    id: int
    line_no: int
    order_line_id: int | None
    is_substitute: bool
    supplier_item_id: int
    item_id: int
    delivered_quantity: Decimal
    rejected_quantity: Decimal
    reject_reason: str
    pack_factor: Decimal
    unit_price: Decimal
    agreed_price: Decimal | None
    temperature: Decimal | None
    temperature_out_of_range: bool
    lot_code: str
    expiry_date: dt.date | None
    lot_id: int | None


class MissingOut(Schema):
    order_line_id: int
    line_no: int
    supplier_item_id: int
    supplier_code: str
    item_name: str
    pack_code: str
    ordered: Decimal
    received: Decimal
    on_this_receipt: Decimal
    missing: Decimal


class ReceiptOut(Schema):
    id: int
    number: str
    location_id: int
    supplier_id: int
    order_id: int | None
    status: str
    delivery_note: str
    received_at: dt.datetime
    posted_at: dt.datetime | None
    move_batch: uuid.UUID | None


class ReceiptDetailOut(ReceiptOut):
    lines: list[ReceiptLineOut]
    missing: list[MissingOut]


class ReturnLineIn(StrictSchema):
    supplier_item_id: ObjId
    quantity: Decimal = Field(..., description="packs")
    lot_id: ObjId | None = None


class ReturnIn(StrictSchema):
    location_id: ObjId
    receipt_id: ObjId | None = None
    supplier_id: ObjId | None = None
    reason: str = Field(..., max_length=20)
    note: str = Field("", max_length=200)
    returned_at: dt.datetime | None = None
    lines: list[ReturnLineIn] = Field(..., max_length=500)


class ReturnOut(Schema):
    id: int
    number: str
    location_id: int
    supplier_id: int
    receipt_id: int | None
    reason: str
    returned_at: dt.datetime
    credit_amount: Decimal


class InvoiceLineIn(StrictSchema):
    supplier_item_id: ObjId | None = None
    description: str = Field("", max_length=200)
    quantity: Decimal
    unit_price: Decimal
    net_amount: Decimal
    tax_rate: str = Field(..., max_length=6, description="13, 9, 6, 3, 1, 0 or exempt")
    tax_amount: Decimal | None = Field(None, description="Default: net x rate, to the fen")


class InvoiceIn(StrictSchema):
    supplier_id: ObjId
    number: str = Field(..., max_length=40, description="数电票: 20 digits; paper: 8 digits")
    invoice_code: str = Field("", max_length=12, description="paper invoices: 10 or 12 digits")
    kind: str = Field(..., max_length=10, description="special or ordinary")
    invoice_date: dt.date
    supplier_tax_id: str = Field(..., max_length=18)
    buyer_tax_id: str = Field(..., max_length=18)
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    order_id: ObjId | None = None
    lines: list[InvoiceLineIn] = Field(..., max_length=500)


class InvoiceLineOut(Schema):
    id: int
    line_no: int
    supplier_item_id: int | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    net_amount: Decimal
    tax_rate: str
    tax_amount: Decimal
    order_line_id: int | None


class ExceptionOut(Schema):
    id: int
    invoice_id: int
    invoice_line_id: int | None
    reason: str
    expected: Decimal
    actual: Decimal
    amount: Decimal
    status: str
    resolution: str
    note: str


class InvoiceOut(Schema):
    id: int
    supplier_id: int
    order_id: int | None
    number: str
    invoice_code: str
    kind: str
    invoice_date: dt.date
    supplier_tax_id: str
    buyer_tax_id: str
    currency: str
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    status: str


class InvoiceDetailOut(InvoiceOut):
    lines: list[InvoiceLineOut]
    exceptions: list[ExceptionOut]
    payable_amount: Decimal | None
    due_date: dt.date | None


class ResolveIn(StrictSchema):
    resolution: str = Field(..., max_length=20, description="credit_note, price_change, rejected")
    note: str = Field("", max_length=200)
    credit_note_number: str = Field("", max_length=40)
    credit_amount: Decimal | None = None


class PayableOut(Schema):
    id: int
    invoice_id: int
    supplier_id: int
    amount: Decimal
    due_date: dt.date
    status: str


class CreditOut(Schema):
    id: int
    supplier_id: int
    supplier_return_id: int | None
    match_exception_id: int | None
    amount: Decimal
    status: str
    reference: str


class ScoreOut(Schema):
    rank: int
    supplier_id: int
    supplier_code: str
    supplier_name: str
    orders: int
    on_time_pct: Decimal | None
    in_full_pct: Decimal | None
    otif_pct: Decimal | None
    delivered_value: Decimal
    rejection_pct: Decimal | None
    price_variance: Decimal
    price_variance_pct: Decimal | None
    invoices: int
    invoice_accuracy_pct: Decimal | None


class VarianceOut(Schema):
    supplier_id: int
    supplier_code: str
    item_id: int
    item_code: str
    item_name: str
    quantity: Decimal
    agreed_value: Decimal
    actual_value: Decimal
    variance: Decimal


class SpendOut(Schema):
    key: str
    label: str
    amount: Decimal
