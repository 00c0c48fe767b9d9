"""Receiving deliveries at the back door: against an order or without one, posted once."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.catalog.models import Item
from boh.core.errors import BohError, FieldError, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import COST_PLACES, ZERO, round_cost, round_qty
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.inventory.models import MoveKind
from boh.inventory.services import LotSpec, MoveSpec, post_moves
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.purchasing import errors
from boh.purchasing.models import (
    OrderLine,
    OrderStatus,
    PurchaseOrder,
    PurchasingSettings,
    Receipt,
    ReceiptLine,
    RejectReason,
    Supplier,
    SupplierItem,
)
from boh.purchasing.models.suppliers import TEMP_PLACES
from boh.purchasing.selectors.suppliers import agreed_prices
from boh.purchasing.services.common import (
    assign_number,
    check_date,
    check_org_location,
    check_qty,
    settings_of,
)
from boh.purchasing.services.orders import announce_order, order_snapshot
from boh.purchasing.services.transitions import next_status

logger = logging.getLogger(__name__)

SOURCE_TYPE = "po_receipt"
_MOVE_FIELD = re.compile(r"^moves\[(\d+)\]\.?(.*)$")
_LEDGER_FIELDS = {
    "quantity": "delivered_quantity",
    "new_lot.code": "lot_code",
    "lot_id": "lot_code",
}


@dataclass
class _Clean:
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


def _check_line(
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
) -> _Clean | None:
    """One receipt line checked against the order, the item's rules and the delivery date."""
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
        if si is None or si.supplier_id != supplier.pk:
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
    if item.lot_tracked and accepted > 0:
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
    return _Clean(
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


def _context(
    actor: Actor, supplier: Supplier, order: PurchaseOrder | None, lines: list[dict[str, Any]]
) -> dict[str, Any]:
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


def _temperature_flag(item: Item, temperature: Decimal | None, limits: PurchasingSettings) -> bool:
    if temperature is None:
        return False
    if item.storage == Item.Storage.FROZEN:
        return temperature > limits.frozen_max_temp
    if item.storage == Item.Storage.CHILLED:
        return temperature > limits.chilled_max_temp
    return False


def _write_lines(receipt: Receipt, clean: list[_Clean], start: int = 1) -> list[ReceiptLine]:
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
            temperature_out_of_range=_temperature_flag(c.supplier_item.item, c.temperature, limits),
            lot_code=c.lot_code,
            expiry_date=c.expiry_date,
            note=c.note,
        )
        for n, c in enumerate(clean, start=start)
    ]
    return ReceiptLine.objects.bulk_create(rows)


def _header(
    actor: Actor,
    check: Checker,
    location_id: Any,
    supplier_id: Any,
    order_id: Any,
) -> tuple[Location | None, Supplier | None, PurchaseOrder | None]:
    location = check_org_location(actor, check, "location_id", location_id)
    order = None
    supplier = None
    if order_id is not None:
        order = (
            PurchaseOrder.objects.filter(organization=actor.organization, pk=order_id)
            .select_related("supplier")
            .first()
        )
        if order is None:
            check.fail("order_id", "not_found", _("No such order."))
        else:
            supplier = order.supplier
            if location is not None and not order.lines.filter(location=location).exists():
                check.fail(
                    "location_id",
                    errors.LINE_NOT_ON_ORDER,
                    _("Order %(number)s delivers nothing to %(location)s.")
                    % {"number": order.number, "location": location.name},
                )
    elif supplier_id is not None:
        supplier = Supplier.objects.filter(organization=actor.organization, pk=supplier_id).first()
        if supplier is None:
            check.fail("supplier_id", "not_found", _("No such supplier."))
    else:
        check.fail("supplier_id", "required", _("Name the order or the supplier."))
    return location, supplier, order


def _require_receivable(order: PurchaseOrder | None) -> None:
    if order is not None and order.status not in {OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED}:
        next_status(order, "receive_part")


def start_receipt(
    actor: Actor,
    *,
    location_id: int,
    order_id: int | None = None,
    supplier_id: int | None = None,
    delivery_note: str = "",
    received_at: dt.datetime | str | None = None,
    note: str = "",
) -> Receipt:
    """Open a receipt at the back door, for an order or a delivery that came without one."""
    check = Checker()
    location, supplier, order = _header(actor, check, location_id, supplier_id, order_id)
    delivery_note = check.text("delivery_note", delivery_note, max_length=60, required=False)
    note = check.text("note", note, max_length=200, required=False)
    moment = parse_received_at(check, received_at)
    check.raise_if_any()
    assert location is not None and supplier is not None
    actor.require(Perm.RECEIVE, location.pk)
    _require_receivable(order)

    with transaction.atomic():
        receipt = Receipt.objects.create(
            organization=actor.organization,
            location=location,
            supplier=supplier,
            order=order,
            delivery_note=delivery_note,
            received_at=moment,
            note=note,
            created_by=actor.user,
        )
        assign_number(receipt, "GR")
        record_audit(actor, AuditEntry.Action.CREATE, receipt)
    return receipt


def _require_draft(receipt: Receipt) -> None:
    if receipt.status != Receipt.Status.DRAFT:
        raise BohError(
            code=errors.RECEIPT_POSTED,
            message=_("Receipt %(number)s is already posted.") % {"number": receipt.number},
            field="status",
            status=409,
        )


def record_receipt_line(actor: Actor, receipt: Receipt, **values: Any) -> ReceiptLine:
    """Enter what came of one item on an open receipt; the same order line is replaced."""
    actor.require(Perm.RECEIVE, receipt.location_id)
    receipt.refresh_from_db()
    _require_draft(receipt)
    order = receipt.order
    check = Checker()
    context = _context(actor, receipt.supplier, order, [values])
    prices = agreed_prices(context["supplier_items"], timezone.localdate(receipt.received_at))
    clean = _check_line(
        check,
        "",
        values,
        supplier=receipt.supplier,
        order=order,
        location=receipt.location,
        prices=prices,
        received_on=timezone.localdate(receipt.received_at),
        **context,
    )
    check.raise_if_any()
    assert clean is not None

    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
        _require_draft(receipt)
        same = receipt.lines.filter(supplier_item=clean.supplier_item)
        if clean.order_line is not None:
            same = receipt.lines.filter(
                order_line=clean.order_line, supplier_item=clean.supplier_item
            )
        replaced = same.first()
        line_no = replaced.line_no if replaced else (receipt.lines.count() + 1)
        if replaced is not None:
            replaced.delete()
        (line,) = _write_lines(receipt, [clean], start=line_no)
        record_audit(actor, AuditEntry.Action.CREATE, line, organization_id=receipt.organization_id)
    return line


def remove_receipt_line(actor: Actor, line: ReceiptLine) -> None:
    """Take a line off an open receipt."""
    receipt = line.receipt
    actor.require(Perm.RECEIVE, receipt.location_id)
    _require_draft(receipt)
    with transaction.atomic():
        record_audit(
            actor,
            AuditEntry.Action.DELETE,
            line,
            before=snapshot(line),
            organization_id=receipt.organization_id,
        )
        line.delete()


def ledger_error(exc: BohError, line_of_move: list[int]) -> BohError:
    """A ledger refusal with moves[k].field renamed to the receipt's lines[i].field."""
    fields = []
    for fe in exc.fields:
        match = _MOVE_FIELD.match(fe.field)
        if match and int(match.group(1)) < len(line_of_move):
            rest = _LEDGER_FIELDS.get(match.group(2), match.group(2))
            name = f"lines[{line_of_move[int(match.group(1))]}]" + (f".{rest}" if rest else "")
            fields.append(FieldError(name, fe.code, fe.message))
        else:
            fields.append(fe)
    return BohError(
        code=exc.code, message=exc.message, fields=fields, status=exc.status, params=exc.params
    )


def _tolerance_pct(receipt: Receipt) -> Decimal:
    own = receipt.supplier.over_receipt_tolerance_pct
    return own if own is not None else settings_of(receipt.organization).over_receipt_tolerance_pct


def _check_tolerance(
    receipt: Receipt, lines: list[ReceiptLine], order_lines: dict[int, OrderLine]
) -> None:
    """Refuse a receipt that brings any order line above ordered x (1 + tolerance)."""
    pct = _tolerance_pct(receipt)
    incoming: dict[int, Decimal] = defaultdict(Decimal)
    first_index: dict[int, int] = {}
    for i, line in enumerate(lines):
        if line.order_line_id is not None:
            incoming[line.order_line_id] += line.accepted_quantity
            first_index.setdefault(line.order_line_id, i)
    check = Checker()
    for order_line_id, quantity in incoming.items():
        ol = order_lines[order_line_id]
        limit = ol.quantity * (1 + pct / 100)
        if ol.received_quantity + quantity > limit:
            check.fail(
                f"lines[{first_index[order_line_id]}].delivered_quantity",
                errors.OVER_TOLERANCE,
                _(
                    "%(item)s: %(ordered)s ordered, %(before)s received before, %(now)s now; "
                    "at most %(pct)s%% over the order can be accepted."
                )
                % {
                    "item": ol.item.name,
                    "ordered": ol.quantity.normalize(),
                    "before": ol.received_quantity.normalize(),
                    "now": quantity.normalize(),
                    "pct": pct.normalize(),
                },
            )
    check.raise_if_any()


def post_receipt(actor: Actor, receipt: Receipt) -> Receipt:
    """Post what was accepted into stock at the delivered price, once, and advance the order.

    The order row is locked first, so two people receiving the same order at once are
    serialised: the second sees the first one's quantities and cannot post them again.
    """
    actor.require(Perm.RECEIVE, receipt.location_id)

    with transaction.atomic():
        order = None
        if receipt.order_id is not None:
            order = PurchaseOrder.objects.select_for_update().get(pk=receipt.order_id)
        receipt = (
            Receipt.objects.select_for_update()
            .select_related("supplier", "location", "organization")
            .get(pk=receipt.pk)
        )
        _require_draft(receipt)
        _require_receivable(order)
        lines = list(receipt.lines.select_related("item", "supplier_item").order_by("line_no"))
        if not lines:
            raise validation_error(errors.EMPTY_ORDER, _("Enter at least one item."), "lines")
        order_lines: dict[int, OrderLine] = {}
        if order is not None:
            order_lines = {ol.pk: ol for ol in order.lines.select_related("item")}
            _check_tolerance(receipt, lines, order_lines)

        specs: list[MoveSpec] = []
        line_of_move: list[int] = []
        received_on = timezone.localdate(receipt.received_at)
        for i, line in enumerate(lines):
            accepted = line.accepted_quantity
            if accepted <= 0:
                continue
            lot = None
            if line.item.lot_tracked:
                lot = LotSpec(
                    code=line.lot_code,
                    expiry_date=line.expiry_date,
                    received_date=received_on,
                    supplier_id=receipt.supplier_id,
                    supplier_lot_code=line.lot_code,
                )
            specs.append(
                MoveSpec(
                    location_id=receipt.location_id,
                    item_id=line.item_id,
                    quantity=round_qty(accepted * line.pack_factor),
                    kind=MoveKind.RECEIPT,
                    new_lot=lot,
                    unit_cost=round_cost(line.unit_price / line.pack_factor),
                    happened_at=receipt.received_at,
                    source_line=str(line.line_no),
                )
            )
            line_of_move.append(i)
        batch = None
        if specs:
            try:
                result = post_moves(
                    actor,
                    specs,
                    source_type=SOURCE_TYPE,
                    source_id=str(receipt.pk),
                    permission=Perm.RECEIVE,
                )
            except BohError as exc:
                raise ledger_error(exc, line_of_move) from exc
            batch = result.batch
            for move, i in zip(result.moves, line_of_move, strict=True):
                if move.lot_id is not None:
                    ReceiptLine.objects.filter(pk=lines[i].pk).update(lot_id=move.lot_id)

        before = snapshot(receipt)
        receipt.status = Receipt.Status.POSTED
        receipt.posted_by = actor.user
        receipt.posted_at = timezone.now()
        receipt.move_batch = batch
        receipt.save()
        record_audit(actor, AuditEntry.Action.ACTION, receipt, before=before, verb="posted")
        if order is not None:
            _advance_order(actor, order, lines, order_lines)
        emit_event(
            "purchasing.receipt_posted",
            {
                "receipt_id": receipt.pk,
                "order_id": receipt.order_id,
                "location_id": receipt.location_id,
                "supplier_id": receipt.supplier_id,
                "lines": len(lines),
                "out_of_range_temperatures": sum(ln.temperature_out_of_range for ln in lines),
            },
            organization_id=receipt.organization_id,
            actor=actor,
        )
    logger.info(
        "received %s at %s: %d lines",
        order.number if order else receipt.number,
        receipt.location.code,
        len(lines),
    )
    return receipt


def _advance_order(
    actor: Actor, order: PurchaseOrder, lines: list[ReceiptLine], order_lines: dict[int, OrderLine]
) -> None:
    for line in lines:
        if line.order_line_id is not None and line.accepted_quantity > 0:
            ol = order_lines[line.order_line_id]
            ol.received_quantity += line.accepted_quantity
            ol.save(update_fields=["received_quantity"])
    complete = all(ol.received_quantity >= ol.quantity for ol in order_lines.values())
    anything = any(ol.received_quantity > 0 for ol in order_lines.values())
    if not anything:
        return
    before = order_snapshot(order)
    order.status = next_status(order, "receive_all" if complete else "receive_part")
    order.save(update_fields=["status", "updated_at"])
    announce_order(actor, order, before, "received" if complete else "partly_received")


def receive_delivery(
    actor: Actor,
    *,
    location_id: int,
    lines: list[dict[str, Any]],
    order_id: int | None = None,
    supplier_id: int | None = None,
    delivery_note: str = "",
    received_at: dt.datetime | str | None = None,
    note: str = "",
) -> Receipt:
    """Receive a whole delivery in one call and post it: lines checked together, all or nothing."""
    check = Checker()
    location, supplier, order = _header(actor, check, location_id, supplier_id, order_id)
    moment = parse_received_at(check, received_at)
    delivery_note = check.text("delivery_note", delivery_note, max_length=60, required=False)
    if not isinstance(lines, list) or not lines:
        check.fail("lines", errors.EMPTY_ORDER, _("Enter at least one item."))
        lines = []
    check.raise_if_any()
    assert location is not None and supplier is not None
    actor.require(Perm.RECEIVE, location.pk)
    _require_receivable(order)
    context = _context(actor, supplier, order, lines)
    received_on = timezone.localdate(moment)
    prices = agreed_prices(context["supplier_items"], received_on)
    clean: list[_Clean] = []
    for i, raw in enumerate(lines):
        if not isinstance(raw, dict):
            check.fail(f"lines[{i}]", "invalid", _("Each line must be an object."))
            continue
        c = _check_line(
            check,
            f"lines[{i}]",
            raw,
            supplier=supplier,
            order=order,
            location=location,
            prices=prices,
            received_on=received_on,
            **context,
        )
        if c is not None:
            clean.append(c)
    check.raise_if_any()

    with transaction.atomic():
        receipt = Receipt.objects.create(
            organization=actor.organization,
            location=location,
            supplier=supplier,
            order=order,
            delivery_note=delivery_note,
            received_at=moment,
            note=note,
            created_by=actor.user,
        )
        assign_number(receipt, "GR")
        record_audit(actor, AuditEntry.Action.CREATE, receipt)
        _write_lines(receipt, clean)
        receipt = post_receipt(actor, receipt)
    return receipt
