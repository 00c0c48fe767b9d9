"""Checks of one receipt line against its order, the item's rules and the delivery date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from boh.catalog.models import Item
from boh.core.numbers import COST_PLACES, ZERO
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.models import Location
from boh.purchasing import errors
from boh.purchasing.models import (
    OrderLine,
    PurchaseOrder,
    PurchasingSettings,
    Receipt,
    ReceiptLine,
    RejectReason,
    Supplier,
    SupplierItem,
)
from boh.purchasing.models.suppliers import TEMP_PLACES
from boh.purchasing.services.common import check_date, check_qty, settings_of


@dataclass
class CleanLine:
    order_line: OrderLine | None
    supplier_item: SupplierItem
    is_substitute: bool
    delivered: Decimal
    rejected: Decimal
    reject_reason: str
    unit_price: Decimal
    agreed_price: Decimal | None
    temperature: Decimal | None
    lot_code: str
    expiry_date: dt.date | None
    note: str


def parse_received_at(check: Checker, value: Any) -> dt.datetime:
    """An aware receipt time from a datetime or ISO string; now when empty."""
    if value in (None, ""):
        return timezone.now()
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            check.fail("received_at", "invalid_datetime", _("Enter a valid date and time."))
            return timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def check_receipt_line(
    check: Checker,
    prefix: str,
    raw: dict[str, Any],
    *,
    supplier: Supplier,
    order: PurchaseOrder | None,
    location: Location,
    order_lines: dict[int, OrderLine],
    supplier_items: dict[int, SupplierItem],
    prices: dict[int, Decimal],
    received_on: dt.date,
    internal: bool = False,
) -> CleanLine | None:
    """One receipt line checked against the order, the item's rules and the delivery date.

    An internal delivery (a shipped transfer) takes only the order's own items at the
    order's price, and its lots are those shipped, so no lot code is asked for.
    """
    f = f"{prefix}." if prefix else ""
    order_line = None
    if raw.get("order_line_id") is not None:
        order_line = order_lines.get(raw["order_line_id"])
        if order_line is None or order_line.location_id != location.pk:
            check.fail(
                f"{f}order_line_id",
                errors.LINE_NOT_ON_ORDER,
                _("This line is not on the order for this location."),
            )
            return None
    si = None
    if raw.get("supplier_item_id") is not None:
        si = supplier_items.get(raw["supplier_item_id"])
        if si is None:
            check.fail(f"{f}supplier_item_id", "not_found", _("No such supplier item."))
            return None
        if si.supplier_id != supplier.pk:
            check.fail(
                f"{f}supplier_item_id", errors.WRONG_SUPPLIER, _("Not an item of this supplier.")
            )
            return None
    elif order_line is not None:
        si = order_line.supplier_item
    else:
        check.fail(f"{f}supplier_item_id", "required", _("This field is required."))
        return None
    if order is not None and order_line is None:
        matches = [
            ln
            for ln in order_lines.values()
            if ln.supplier_item_id == si.pk and ln.location_id == location.pk
        ]
        if len(matches) == 1:
            order_line = matches[0]
    substitute = order_line is not None and order_line.supplier_item_id != si.pk
    item: Item = si.item
    if internal and (order_line is None or order_line.item_id != si.item_id):
        check.fail(
            f"{f}supplier_item_id",
            errors.NOT_ON_TRANSFER,
            _("%(item)s was not shipped on this order.") % {"item": item.name},
        )
        return None
    if internal and raw.get("unit_price") is not None:
        check.fail(
            f"{f}unit_price",
            errors.INTERNAL_PRICE,
            _("Stock from your own location arrives at its cost; leave the price empty."),
        )

    delivered = check_qty(check, f"{f}delivered_quantity", raw.get("delivered_quantity"))
    rejected = check_qty(check, f"{f}rejected_quantity", raw.get("rejected_quantity") or 0)
    reason = str(raw.get("reject_reason") or "")
    if rejected > delivered:
        check.fail(
            f"{f}rejected_quantity",
            errors.REJECTED_MORE_THAN_DELIVERED,
            _("More was rejected than delivered."),
        )
    if rejected > 0:
        if not reason:
            check.fail(
                f"{f}reject_reason",
                errors.REJECT_REASON_REQUIRED,
                _("Say why goods were rejected (quality, temperature, damaged, wrong item)."),
            )
        else:
            check.choice(f"{f}reject_reason", reason, set(RejectReason.values))
    elif reason:
        reason = ""
    accepted = delivered - rejected

    agreed = order_line.unit_price if order_line is not None and not substitute else None
    if agreed is None:
        agreed = prices.get(si.pk)
    if raw.get("unit_price") is not None:
        price = check.decimal(f"{f}unit_price", raw["unit_price"], places=COST_PLACES, minimum=ZERO)
    elif agreed is not None:
        price = agreed
    else:
        check.fail(
            f"{f}unit_price",
            errors.NO_PRICE,
            _("%(item)s has no agreed price; enter the price as delivered.") % {"item": item.name},
        )
        price = ZERO

    temperature = None
    if raw.get("temperature") is not None:
        temperature = check.decimal(f"{f}temperature", raw["temperature"], places=TEMP_PLACES)
    elif item.storage in {Item.Storage.CHILLED, Item.Storage.FROZEN} and delivered > 0:
        check.fail(
            f"{f}temperature",
            errors.TEMPERATURE_REQUIRED,
            _("%(item)s is kept %(storage)s: take its temperature on arrival.")
            % {"item": item.name, "storage": Item.Storage(item.storage).label.lower()},
        )

    lot_code = check.text(f"{f}lot_code", raw.get("lot_code"), max_length=60, required=False)
    expiry = check_date(check, f"{f}expiry_date", raw.get("expiry_date"), required=False)
    if item.lot_tracked and accepted > 0 and not internal:
        if not lot_code:
            check.fail(
                f"{f}lot_code",
                errors.LOT_REQUIRED,
                _("%(item)s is lot-tracked: enter the lot code on the package.")
                % {"item": item.name},
            )
        if expiry is None and not check.has(f"{f}expiry_date"):
            check.fail(
                f"{f}expiry_date",
                errors.EXPIRY_REQUIRED,
                _("%(item)s is lot-tracked: enter the expiry date on the package.")
                % {"item": item.name},
            )
    if expiry is not None and expiry < received_on and accepted > 0:
        check.fail(
            f"{f}expiry_date",
            errors.EXPIRED,
            _("This lot expired on %(date)s; reject it instead of receiving it.")
            % {"date": expiry.isoformat()},
        )
    note = check.text(f"{f}note", raw.get("note", ""), max_length=200, required=False)
    return CleanLine(
        order_line=order_line,
        supplier_item=si,
        is_substitute=substitute,
        delivered=delivered,
        rejected=rejected,
        reject_reason=reason,
        unit_price=price,
        agreed_price=agreed,
        temperature=temperature,
        lot_code=lot_code,
        expiry_date=expiry,
        note=note,
    )


def line_context(
    actor: Actor, supplier: Supplier, order: PurchaseOrder | None, lines: list[dict[str, Any]]
) -> dict[str, Any]:
    """The order lines and supplier items a batch of receipt lines refers to."""
    order_lines: dict[int, OrderLine] = {}
    if order is not None:
        order_lines = {
            ln.pk: ln
            for ln in order.lines.select_related("supplier_item__item", "item").order_by("line_no")
        }
    ids = {ln.get("supplier_item_id") for ln in lines if isinstance(ln, dict)}
    supplier_items = {
        si.pk: si
        for si in SupplierItem.objects.filter(
            organization=actor.organization, pk__in=[i for i in ids if isinstance(i, int)]
        ).select_related("item")
    }
    for ol in order_lines.values():
        supplier_items.setdefault(ol.supplier_item_id, ol.supplier_item)
    return {"order_lines": order_lines, "supplier_items": supplier_items}


def temperature_flag(item: Item, temperature: Decimal | None, limits: PurchasingSettings) -> bool:
    """True when a chilled or frozen item arrived warmer than allowed."""
    if temperature is None:
        return False
    if item.storage == Item.Storage.FROZEN:
        return temperature > limits.frozen_max_temp
    if item.storage == Item.Storage.CHILLED:
        return temperature > limits.chilled_max_temp
    return False


def write_receipt_lines(
    receipt: Receipt, clean: list[CleanLine], start: int = 1
) -> list[ReceiptLine]:
    """Store checked lines on a receipt, numbered from `start`."""
    limits = settings_of(receipt.organization)
    rows = [
        ReceiptLine(
            receipt=receipt,
            line_no=n,
            order_line=c.order_line,
            is_substitute=c.is_substitute,
            supplier_item=c.supplier_item,
            item_id=c.supplier_item.item_id,
            delivered_quantity=c.delivered,
            rejected_quantity=c.rejected,
            reject_reason=c.reject_reason,
            pack_factor=c.supplier_item.pack_factor,
            unit_price=c.unit_price,
            agreed_price=c.agreed_price,
            temperature=c.temperature,
            temperature_out_of_range=temperature_flag(c.supplier_item.item, c.temperature, limits),
            lot_code=c.lot_code,
            expiry_date=c.expiry_date,
            note=c.note,
        )
        for n, c in enumerate(clean, start=start)
    ]
    return ReceiptLine.objects.bulk_create(rows)
