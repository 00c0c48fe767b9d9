"""Internal orders: a central kitchen or warehouse supplies a location through transfers."""

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
from boh.inventory.documents.models import Transfer
from boh.inventory.documents.services import approve_transfer, create_transfer, ship_transfer
from boh.org.access import Actor, system_actor
from boh.org.models import Organization
from boh.org.roles import Perm
from boh.purchasing import errors
from boh.purchasing.models import OrderStatus, PurchaseOrder
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


def on_transfer_received(name: str, payload: dict[str, Any]) -> None:
    """When every transfer of an internal order has been received, the order is received."""
    transfer = Transfer.objects.filter(pk=payload.get("transfer_id", 0)).first()
    if transfer is None:
        return
    organization = Organization.objects.get(pk=transfer.organization_id)
    candidates = PurchaseOrder.objects.filter(
        organization=organization, status=OrderStatus.SENT, shipped_at__isnull=False
    )
    for order in candidates:
        if transfer.pk not in (order.transfer_ids or []):
            continue
        transfers = list(
            Transfer.objects.filter(pk__in=order.transfer_ids).prefetch_related("lines")
        )
        if any(t.status != Transfer.Status.RECEIVED for t in transfers):
            continue
        received: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        for t in transfers:
            for tl in t.lines.all():
                received[(t.to_location_id, tl.item_id)] += tl.received_quantity
        actor = system_actor(organization)
        with transaction.atomic():
            locked = locked_order(order)
            before = order_snapshot(locked)
            for line in locked.lines.all():
                base = received.pop((line.location_id, line.item_id), ZERO)
                line.received_quantity = round_qty(base / line.pack_factor)
                line.save(update_fields=["received_quantity"])
            locked.status = next_status(locked, "receive_all")
            locked.save(update_fields=["status", "updated_at"])
            announce_order(actor, locked, before, "received")
        logger.info("internal order %s received through its transfers", order.number)
