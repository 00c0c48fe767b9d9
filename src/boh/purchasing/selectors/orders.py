"""Reads about orders, requisitions, receipts and returns, scoped to reachable locations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from boh.catalog.models import StockLevel
from boh.core.numbers import ZERO, round_qty
from boh.inventory.documents.models import Transfer
from boh.inventory.selectors import stock_on_hand
from boh.org.access import Actor
from boh.org.roles import Perm
from boh.purchasing.models import (
    ApprovalRule,
    OrderLine,
    OrderStatus,
    PreferredSupplier,
    PurchaseOrder,
    Receipt,
    Requisition,
    Supplier,
    SupplierItem,
    SupplierReturn,
)
from boh.purchasing.selectors.suppliers import agreed_prices

OPEN_STATUSES = (OrderStatus.APPROVED, OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED)


def orders(actor: Actor, perm: str = Perm.PURCHASING_VIEW) -> QuerySet[PurchaseOrder]:
    """Orders delivering to a location the actor reaches (any of a consolidated order's)."""
    qs = PurchaseOrder.objects.filter(organization=actor.organization).select_related(
        "supplier", "location"
    )
    reach = actor.reach(perm)
    if reach is None:
        return qs
    lines = OrderLine.objects.filter(order=OuterRef("pk"), location_id__in=reach)
    return qs.filter(Q(location_id__in=reach) | Exists(lines))


def order(actor: Actor, order_id: object) -> PurchaseOrder:
    """One order in reach, or 404."""
    return actor.get(orders(actor), order_id, Perm.PURCHASING_VIEW)


def order_lines(order: PurchaseOrder) -> QuerySet[OrderLine]:
    """An order's lines with their items and locations, in order."""
    return order.lines.select_related("supplier_item", "item", "location").order_by("line_no")


def requisitions(actor: Actor) -> QuerySet[Requisition]:
    """Requisitions of reachable locations, newest first."""
    return actor.scope(
        Requisition.objects.select_related("location").prefetch_related("lines__item"),
        Perm.PURCHASING_VIEW,
        "location_id",
    )


def receipts(actor: Actor) -> QuerySet[Receipt]:
    """Receipts at reachable locations, newest first."""
    return actor.scope(
        Receipt.objects.select_related("supplier", "location", "order"),
        Perm.PURCHASING_VIEW,
        "location_id",
    )


def receipt(actor: Actor, receipt_id: object) -> Receipt:
    """One receipt in reach, or 404."""
    return actor.get(receipts(actor), receipt_id, Perm.PURCHASING_VIEW, "location_id")


def returns(actor: Actor) -> QuerySet[SupplierReturn]:
    """Returns to suppliers from reachable locations."""
    return actor.scope(
        SupplierReturn.objects.select_related("supplier", "location"),
        Perm.PURCHASING_VIEW,
        "location_id",
    )


def supplier_return(actor: Actor, return_id: object) -> SupplierReturn:
    """One return to a supplier in reach, or 404."""
    return actor.get(
        returns(actor).select_related("receipt", "credit"),
        return_id,
        Perm.PURCHASING_VIEW,
        "location_id",
    )


def approval_rules(actor: Actor) -> QuerySet[ApprovalRule]:
    """The organization's approval rules."""
    return actor.scope(ApprovalRule.objects.select_related("location"), Perm.PURCHASING_VIEW)


@dataclass(frozen=True)
class ExpectedDelivery:
    order: PurchaseOrder
    # The transfer an internal order became for the location; None until it is shipped.
    transfer: Transfer | None
    receivable: bool


def expected_deliveries(actor: Actor, location_id: int) -> list[ExpectedDelivery]:
    """Orders a location may receive now or soon, by expected date.

    An outside supplier's sent order can be received; an internal order once the supplying
    location has shipped it, until its transfer is received.
    """
    found = list(
        orders(actor, Perm.RECEIVE)
        .filter(status__in=[OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED])
        .filter(lines__location_id=location_id)
        .distinct()
        .order_by("expected_date", "id")
    )
    transfer_ids = [t for o in found for t in (o.transfer_ids or [])]
    transfers = {
        t.pk: t for t in Transfer.objects.filter(pk__in=transfer_ids, to_location_id=location_id)
    }
    rows = []
    for o in found:
        if not o.supplier.is_internal:
            rows.append(ExpectedDelivery(o, None, True))
            continue
        transfer = next((transfers[t] for t in o.transfer_ids or [] if t in transfers), None)
        ready = transfer is not None and transfer.status == Transfer.Status.SHIPPED
        rows.append(ExpectedDelivery(o, transfer, ready))
    return rows


@dataclass(frozen=True)
class MissingLine:
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


def still_missing(receipt: Receipt) -> list[MissingLine]:
    """What the order still expects at the receipt's location, counting this open receipt."""
    if receipt.order_id is None:
        return []
    here: dict[int, Decimal] = {}
    if receipt.status == Receipt.Status.DRAFT:
        for ol_id, delivered, rejected in receipt.lines.filter(
            order_line__isnull=False
        ).values_list("order_line_id", "delivered_quantity", "rejected_quantity"):
            here[ol_id] = here.get(ol_id, ZERO) + delivered - rejected
    rows = []
    for ol in (
        OrderLine.objects.filter(order_id=receipt.order_id, location_id=receipt.location_id)
        .select_related("supplier_item", "item")
        .order_by("line_no")
    ):
        now = here.get(ol.pk, ZERO)
        rows.append(
            MissingLine(
                order_line_id=ol.pk,
                line_no=ol.line_no,
                supplier_item_id=ol.supplier_item_id,
                supplier_code=ol.supplier_item.supplier_code,
                item_name=ol.item.name,
                pack_code=ol.supplier_item.pack_code,
                ordered=ol.quantity,
                received=ol.received_quantity,
                on_this_receipt=round_qty(now),
                missing=round_qty(max(ZERO, ol.quantity - ol.received_quantity - now)),
            )
        )
    return rows


@dataclass(frozen=True)
class GuideRow:
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


def order_guide(actor: Actor, supplier: Supplier, location_id: int) -> list[GuideRow]:
    """Items a location orders from a supplier, with par, on hand, on order and a suggestion.

    The guide lists the supplier's items preferred for the location (or for every location)
    and those the location ordered from the supplier in the last 90 days. The suggestion is
    par less on hand and on order, rounded up to whole packs and at least the MOQ.
    """
    actor.require(Perm.PURCHASING_VIEW, location_id)
    since = timezone.now() - dt.timedelta(days=90)
    preferred = PreferredSupplier.objects.filter(
        organization=actor.organization, supplier_item__supplier=supplier
    ).filter(Q(location_id=location_id) | Q(location__isnull=True))
    ordered = OrderLine.objects.filter(
        order__supplier=supplier, location_id=location_id, order__created_at__gte=since
    )
    items = list(
        SupplierItem.objects.filter(supplier=supplier, is_active=True)
        .filter(
            Q(pk__in=preferred.values("supplier_item_id"))
            | Q(pk__in=ordered.values("supplier_item_id"))
        )
        .select_related("item")
        .order_by("item__code", "supplier_code")
    )
    item_ids = {si.item_id for si in items}
    par = dict(
        StockLevel.objects.filter(location_id=location_id, item_id__in=item_ids).values_list(
            "item_id", "par"
        )
    )
    on_hand = {
        row.item_id: row.quantity for row in stock_on_hand(actor, location_id, item_ids=item_ids)
    }
    on_order: dict[int, Decimal] = {}
    for line in OrderLine.objects.filter(
        location_id=location_id, item_id__in=item_ids, order__status__in=OPEN_STATUSES
    ).only("item_id", "quantity", "received_quantity", "pack_factor"):
        on_order[line.item_id] = on_order.get(line.item_id, ZERO) + (
            line.open_quantity * line.pack_factor
        )
    prices = agreed_prices([si.pk for si in items], timezone.localdate())
    rows = []
    for si in items:
        need = (
            par.get(si.item_id, ZERO)
            - on_hand.get(si.item_id, ZERO)
            - on_order.get(si.item_id, ZERO)
        )
        packs = ZERO
        if need > 0:
            packs = max((need / si.pack_factor).to_integral_value(rounding=ROUND_CEILING), si.moq)
        rows.append(
            GuideRow(
                supplier_item_id=si.pk,
                supplier_code=si.supplier_code,
                item_id=si.item_id,
                item_code=si.item.code,
                item_name=si.item.name,
                base_unit=si.item.base_unit,
                pack_code=si.pack_code,
                pack_label=si.pack_label,
                pack_factor=si.pack_factor,
                moq=si.moq,
                price=prices.get(si.pk),
                par=par.get(si.item_id, ZERO),
                on_hand=on_hand.get(si.item_id, ZERO),
                on_order=on_order.get(si.item_id, ZERO),
                suggested=packs,
            )
        )
    return rows


def on_order_total(location_id: int, item_id: int) -> Decimal:
    """Base quantity of an item ordered for a location and not yet received."""
    total = ZERO
    for quantity, received, factor in OrderLine.objects.filter(
        location_id=location_id, item_id=item_id, order__status__in=OPEN_STATUSES
    ).values_list("quantity", "received_quantity", "pack_factor"):
        total += max(ZERO, quantity - received) * factor
    return total


def open_value(actor: Actor) -> Decimal:
    """Value of what is ordered and not yet received, across reachable orders."""
    return orders(actor).filter(status__in=OPEN_STATUSES).aggregate(s=Sum("total"))["s"] or ZERO
