"""Receiving deliveries at the back door: against an order or without one, posted once."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import BohError, FieldError, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import round_cost, round_qty
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
    Receipt,
    ReceiptLine,
    Supplier,
    SupplierItem,
)
from boh.purchasing.selectors.suppliers import agreed_prices
from boh.purchasing.services.common import (
    assign_number,
    check_ids_exist,
    check_org_location,
    settings_of,
)
from boh.purchasing.services.internal import (
    check_internal_delivery,
    receive_internal,
    sync_internal_order,
)
from boh.purchasing.services.orders import announce_order, order_snapshot
from boh.purchasing.services.receipt_lines import (
    CleanLine,
    check_receipt_line,
    line_context,
    parse_received_at,
    write_receipt_lines,
)
from boh.purchasing.services.transitions import next_status

logger = logging.getLogger(__name__)

SOURCE_TYPE = "po_receipt"
_MOVE_FIELD = re.compile(r"^moves\[(\d+)\]\.?(.*)$")
_LEDGER_FIELDS = {
    "quantity": "delivered_quantity",
    "new_lot.code": "lot_code",
    "lot_id": "lot_code",
}


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
    transfer = check_internal_delivery(check, supplier, order, location)
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
            transfer=transfer,
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
    order = receipt.order
    check = Checker()
    context = line_context(actor, receipt.supplier, order, [values])
    prices = agreed_prices(context["supplier_items"], timezone.localdate(receipt.received_at))
    clean = check_receipt_line(
        check,
        "",
        values,
        supplier=receipt.supplier,
        order=order,
        location=receipt.location,
        prices=prices,
        received_on=timezone.localdate(receipt.received_at),
        internal=receipt.transfer_id is not None,
        **context,
    )
    check.raise_if_any()
    assert clean is not None
    _require_draft(receipt)

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
        (line,) = write_receipt_lines(receipt, [clean], start=line_no)
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

    A receipt of an internal delivery receives its transfer instead: the stock arrives at
    the cost it left the supplying location, from the lots that were shipped.
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
            if accepted <= 0 or receipt.transfer_id is not None:
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
        if receipt.transfer_id is not None:
            receive_internal(actor, receipt, lines)
            sync_internal_order(actor, receipt.order_id or 0)
        elif order is not None:
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


def _check_line_ids(actor: Actor, check: Checker, lines: list[Any]) -> None:
    wanted = {
        ln.get(k)
        for ln in lines
        if isinstance(ln, dict)
        for k in ("supplier_item_id", "order_line_id")
    }
    ids = [i for i in wanted if isinstance(i, int)]
    check_ids_exist(
        check,
        lines,
        "supplier_item_id",
        set(
            SupplierItem.objects.filter(organization=actor.organization, pk__in=ids).values_list(
                "pk", flat=True
            )
        ),
    )
    check_ids_exist(
        check,
        lines,
        "order_line_id",
        set(
            OrderLine.objects.filter(
                order__organization=actor.organization, pk__in=ids
            ).values_list("pk", flat=True)
        ),
    )


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
    _check_line_ids(actor, check, lines)
    transfer = check_internal_delivery(check, supplier, order, location)
    check.raise_if_any()
    assert location is not None and supplier is not None
    actor.require(Perm.RECEIVE, location.pk)
    _require_receivable(order)
    context = line_context(actor, supplier, order, lines)
    received_on = timezone.localdate(moment)
    prices = agreed_prices(context["supplier_items"], received_on)
    clean: list[CleanLine] = []
    for i, raw in enumerate(lines):
        if not isinstance(raw, dict):
            check.fail(f"lines[{i}]", "invalid", _("Each line must be an object."))
            continue
        c = check_receipt_line(
            check,
            f"lines[{i}]",
            raw,
            supplier=supplier,
            order=order,
            location=location,
            prices=prices,
            received_on=received_on,
            internal=transfer is not None,
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
            transfer=transfer,
            delivery_note=delivery_note,
            received_at=moment,
            note=note,
            created_by=actor.user,
        )
        assign_number(receipt, "GR")
        record_audit(actor, AuditEntry.Action.CREATE, receipt)
        write_receipt_lines(receipt, clean)
        receipt = post_receipt(actor, receipt)
    return receipt
