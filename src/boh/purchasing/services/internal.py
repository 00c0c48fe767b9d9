"""Internal orders: a central kitchen or warehouse supplies a location through transfers.

The order is shipped as one transfer per delivery location. The location receives it at
the back door like any delivery (a receipt against the order), and posting that receipt
receives the transfer; a transfer received on the transfer page updates the order too.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import validation_error
from boh.core.numbers import ZERO, round_qty
from boh.core.validation import Checker
from boh.inventory.documents.models import Transfer
from boh.inventory.documents.services import (
    approve_transfer,
    create_transfer,
    receive_transfer,
    ship_transfer,
)
from boh.org.access import Actor, system_actor
from boh.org.models import Location, Organization
from boh.org.roles import Perm
from boh.purchasing import errors
from boh.purchasing.models import (
    OrderLine,
    OrderStatus,
    PurchaseOrder,
    Receipt,
    ReceiptLine,
    Supplier,
)
from boh.purchasing.services.orders import announce_order, locked_order, order_snapshot
from boh.purchasing.services.transitions import next_status

logger = logging.getLogger(__name__)


def ship_internal_order(actor: Actor, order: PurchaseOrder) -> PurchaseOrder:
    """The supplying location ships a sent internal order: one transfer per delivery location,
    approved and shipped at once, so the stock leaves the kitchen at its current cost."""
    order.refresh_from_db()
    supplier = order.supplier
    if supplier.internal_location_id is None:
        raise validation_error(
            errors.NOT_INTERNAL,
            _("%(supplier)s is not one of your locations; its orders are received, not shipped.")
            % {"supplier": supplier.name},
            "supplier_id",
        )
    actor.require(Perm.STOCK_POST, supplier.internal_location_id)
    next_status(order, "ship")
    if order.transfer_ids:
        raise validation_error(
            errors.ILLEGAL_TRANSITION,
            _("Order %(number)s has already been shipped.") % {"number": order.number},
            "status",
        )
    per_location: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for line in order.lines.all():
        per_location[line.location_id][line.item_id] += round_qty(line.quantity * line.pack_factor)

    with transaction.atomic():
        order = locked_order(order)
        before = order_snapshot(order)
        transfer_ids = []
        for location_id, items in sorted(per_location.items()):
            transfer = create_transfer(
                actor,
                from_location_id=supplier.internal_location_id,
                to_location_id=location_id,
                lines=[{"item_id": item_id, "quantity": qty} for item_id, qty in items.items()],
                note=_("Internal order %(number)s") % {"number": order.number},
            )
            transfer = approve_transfer(actor, transfer)
            transfer = ship_transfer(actor, transfer)
            transfer_ids.append(transfer.pk)
        order.status = next_status(order, "ship")
        order.transfer_ids = transfer_ids
        order.shipped_at = timezone.now()
        order.save()
        announce_order(actor, order, before, "shipped")
    logger.info("shipped internal order %s as transfers %s", order.number, transfer_ids)
    return order


def order_transfer(order: PurchaseOrder, location_id: int) -> Transfer | None:
    """The transfer a shipped internal order became for one delivery location."""
    if not order.transfer_ids:
        return None
    return Transfer.objects.filter(pk__in=order.transfer_ids, to_location_id=location_id).first()


def check_internal_delivery(
    check: Checker,
    supplier: Supplier | None,
    order: PurchaseOrder | None,
    location: Location | None,
) -> Transfer | None:
    """The shipped transfer an internal delivery arrives on, or a field error.

    Goods from an internal supplier come only against an order the supplying location has
    shipped; the receipt then receives the transfer that order became for the location.
    """
    if supplier is None or not supplier.is_internal or location is None:
        return None
    if order is None:
        check.fail(
            "order_id",
            errors.INTERNAL_NEEDS_ORDER,
            _("%(supplier)s delivers internal orders: choose the order being delivered.")
            % {"supplier": supplier.name},
        )
        return None
    transfer = order_transfer(order, location.pk)
    if transfer is None:
        check.fail(
            "order_id",
            errors.NOT_SHIPPED,
            _("Order %(number)s has not been shipped to %(location)s yet.")
            % {"number": order.number, "location": location.name},
        )
        return None
    if transfer.status != Transfer.Status.SHIPPED:
        check.fail(
            "order_id",
            errors.TRANSFER_RECEIVED,
            _("Transfer %(transfer)s of order %(number)s is %(status)s; it cannot be received.")
            % {
                "transfer": str(transfer),
                "number": order.number,
                "status": transfer.get_status_display(),
            },
        )
        return None
    return transfer


def receive_internal(actor: Actor, receipt: Receipt, lines: list[ReceiptLine]) -> Transfer:
    """Receive the transfer of an internal delivery with what the receipt accepted.

    Every transfer line is counted: an item not entered did not arrive, and rejected packs
    went back with the driver, so both are short on the transfer and stay an open
    discrepancy there until the supplying location resolves it. Call inside the
    transaction that posts the receipt.
    """
    assert receipt.transfer_id is not None
    transfer = Transfer.objects.get(pk=receipt.transfer_id)
    transfer_lines = list(transfer.lines.select_related("item").order_by("position"))
    on_transfer = {tl.item_id for tl in transfer_lines}
    arrived: dict[int, Decimal] = defaultdict(Decimal)
    check = Checker()
    for i, line in enumerate(lines):
        if line.item_id not in on_transfer:
            check.fail(
                f"lines[{i}].supplier_item_id",
                errors.NOT_ON_TRANSFER,
                _("%(item)s was not shipped on this order.") % {"item": line.item.name},
            )
        arrived[line.item_id] += round_qty(line.accepted_quantity * line.pack_factor)
    check.raise_if_any()
    counts: list[dict[str, Any]] = []
    for tl in transfer_lines:
        # Split an item that fills several transfer lines in their order; the last takes the rest.
        rest = arrived[tl.item_id]
        last = tl is [x for x in transfer_lines if x.item_id == tl.item_id][-1]
        good = rest if last else min(rest, tl.shipped_quantity or ZERO)
        arrived[tl.item_id] = rest - good
        counts.append({"line_id": tl.pk, "received_quantity": good})
    note = _("Receipt %(number)s") % {"number": receipt.number}
    return receive_transfer(actor, transfer, lines=counts, note=note)


def sync_internal_order(actor: Actor, order_id: int) -> PurchaseOrder | None:
    """Bring an internal order's received packs and status in line with its transfers.

    An order with every transfer received is received (a shortfall is settled on the
    transfer); with some received, partly received. Running it again changes nothing.
    Call inside a transaction.
    """
    order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
    if not order.transfer_ids or order.status not in {
        OrderStatus.SENT,
        OrderStatus.PARTLY_RECEIVED,
    }:
        return None
    transfers = list(Transfer.objects.filter(pk__in=order.transfer_ids).prefetch_related("lines"))
    done = [t for t in transfers if t.status == Transfer.Status.RECEIVED]
    if not done:
        return None
    received: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for t in done:
        for tl in t.lines.all():
            received[(t.to_location_id, tl.item_id)] += tl.received_quantity or ZERO
    done_at = {t.to_location_id for t in done}
    lines = [ln for ln in order.lines.order_by("line_no") if ln.location_id in done_at]
    changed: list[OrderLine] = []
    for n, line in enumerate(lines):
        key = (line.location_id, line.item_id)
        last = all((x.location_id, x.item_id) != key for x in lines[n + 1 :])
        base = received[key] if last else min(received[key], line.quantity * line.pack_factor)
        received[key] -= base
        packs = round_qty(base / line.pack_factor)
        if packs != line.received_quantity:
            line.received_quantity = packs
            changed.append(line)
    status = next_status(order, "receive_all" if len(done) == len(transfers) else "receive_part")
    if not changed and status == order.status:
        return order
    OrderLine.objects.bulk_update(changed, ["received_quantity"])
    before = order_snapshot(order)
    order.status = status
    order.save(update_fields=["status", "updated_at"])
    received_all = status == OrderStatus.RECEIVED
    announce_order(actor, order, before, "received" if received_all else "partly_received")
    logger.info("internal order %s %s through its transfers", order.number, status)
    return order


def on_transfer_received(name: str, payload: dict[str, Any]) -> None:
    """A transfer received anywhere (the transfer page, the API) updates its internal order."""
    transfer = Transfer.objects.filter(pk=payload.get("transfer_id", 0)).first()
    if transfer is None:
        return
    organization = Organization.objects.get(pk=transfer.organization_id)
    candidates = PurchaseOrder.objects.filter(
        organization=organization,
        status__in=[OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED],
        shipped_at__isnull=False,
    ).only("pk", "transfer_ids")
    for order in candidates:
        if transfer.pk in (order.transfer_ids or []):
            with transaction.atomic():
                sync_internal_order(system_actor(organization), order.pk)
