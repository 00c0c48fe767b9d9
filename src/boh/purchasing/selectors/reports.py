"""Purchasing reports: supplier scorecard, purchase price variance, spend, open orders."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from boh.core.numbers import ZERO, round_money
from boh.org.access import Actor
from boh.org.roles import Perm
from boh.purchasing.models import Invoice, OrderStatus, PurchaseOrder, Receipt, ReceiptLine
from boh.purchasing.selectors.orders import OPEN_STATUSES, orders

HUNDRED = Decimal(100)
_ACCEPTED_VALUE = ExpressionWrapper(
    (F("delivered_quantity") - F("rejected_quantity")) * F("unit_price"),
    output_field=DecimalField(max_digits=30, decimal_places=9),
)


def _pct(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"))


def _period_lines(
    actor: Actor, date_from: dt.date, date_to: dt.date, *, outside_only: bool = False
) -> QuerySet[ReceiptLine]:
    """Posted receipt lines in a period at reachable locations; outside_only leaves out
    deliveries from the organization's own central kitchens and warehouses."""
    receipts = actor.scope(Receipt.objects.all(), Perm.PURCHASING_VIEW, "location_id").filter(
        status=Receipt.Status.POSTED,
        received_at__date__gte=date_from,
        received_at__date__lte=date_to,
    )
    if outside_only:
        receipts = receipts.filter(supplier__internal_location__isnull=True)
    return ReceiptLine.objects.filter(receipt__in=receipts)


@dataclass
class ScoreRow:
    supplier_id: int
    supplier_code: str
    supplier_name: str
    orders: int = 0
    on_time: int = 0
    in_full: int = 0
    otif: int = 0
    delivered_value: Decimal = ZERO
    rejected_value: Decimal = ZERO
    price_variance: Decimal = ZERO
    agreed_value: Decimal = ZERO
    invoices: int = 0
    accurate_invoices: int = 0
    rank: int = 0
    on_time_pct: Decimal | None = None
    in_full_pct: Decimal | None = None
    otif_pct: Decimal | None = None
    rejection_pct: Decimal | None = None
    price_variance_pct: Decimal | None = None
    invoice_accuracy_pct: Decimal | None = None


def supplier_scorecard(actor: Actor, date_from: dt.date, date_to: dt.date) -> list[ScoreRow]:
    """Per supplier over a period, ranked by OTIF, then invoice accuracy, then price variance.

    An order counts when its expected delivery falls in the period and it has arrived or is
    late. On time: its first delivery came by the expected date. In full: that delivery
    brought every line's ordered quantity of the ordered item. Price variance is the
    delivered price less the agreed one, times the accepted quantity; rejection rate is the
    rejected share of the delivered value; invoice accuracy the share of invoices dated in
    the period that matched without an exception.
    """
    rows: dict[int, ScoreRow] = {}

    def row(supplier_id: int, code: str, name: str) -> ScoreRow:
        if supplier_id not in rows:
            rows[supplier_id] = ScoreRow(supplier_id, code, name)
        return rows[supplier_id]

    today = timezone.localdate()
    considered = (
        orders(actor)
        .filter(expected_date__gte=date_from, expected_date__lte=date_to)
        .exclude(
            status__in=[OrderStatus.DRAFT, OrderStatus.AWAITING_APPROVAL, OrderStatus.CANCELLED]
        )
        .prefetch_related("lines", "receipts__lines")
    )
    for order in considered:
        posted = sorted(
            (r for r in order.receipts.all() if r.status == Receipt.Status.POSTED),
            key=lambda r: (r.received_at, r.pk),
        )
        assert order.expected_date is not None
        if not posted and order.expected_date >= today:
            continue
        score = row(order.supplier_id, order.supplier.code, order.supplier.name)
        score.orders += 1
        if not posted:
            continue
        first = posted[0]
        on_time = timezone.localdate(first.received_at) <= order.expected_date
        brought: dict[int, Decimal] = defaultdict(Decimal)
        for line in first.lines.all():
            if line.order_line_id is not None and not line.is_substitute:
                brought[line.order_line_id] += line.accepted_quantity
        in_full = all(brought[ol.pk] >= ol.quantity for ol in order.lines.all())
        score.on_time += on_time
        score.in_full += in_full
        score.otif += on_time and in_full

    lines = _period_lines(actor, date_from, date_to).select_related("receipt__supplier")
    for line in lines:
        supplier = line.receipt.supplier
        score = row(supplier.pk, supplier.code, supplier.name)
        score.delivered_value += line.delivered_quantity * line.unit_price
        score.rejected_value += line.rejected_quantity * line.unit_price
        if line.agreed_price is not None:
            score.price_variance += (line.unit_price - line.agreed_price) * line.accepted_quantity
            score.agreed_value += line.agreed_price * line.accepted_quantity

    invoices = (
        actor.scope(Invoice.objects.select_related("supplier"), Perm.PURCHASING_VIEW)
        .filter(invoice_date__gte=date_from, invoice_date__lte=date_to)
        .prefetch_related("exceptions")
    )
    for invoice in invoices:
        score = row(invoice.supplier_id, invoice.supplier.code, invoice.supplier.name)
        score.invoices += 1
        score.accurate_invoices += not invoice.exceptions.all()

    for score in rows.values():
        score.on_time_pct = _pct(score.on_time, score.orders)
        score.in_full_pct = _pct(score.in_full, score.orders)
        score.otif_pct = _pct(score.otif, score.orders)
        score.rejection_pct = _pct(score.rejected_value, score.delivered_value)
        score.price_variance = round_money(score.price_variance)
        score.delivered_value = round_money(score.delivered_value)
        score.rejected_value = round_money(score.rejected_value)
        score.price_variance_pct = _pct(score.price_variance, score.agreed_value)
        score.invoice_accuracy_pct = _pct(score.accurate_invoices, score.invoices)
    ranked = sorted(
        rows.values(),
        key=lambda s: (
            -(s.otif_pct if s.otif_pct is not None else Decimal(-1)),
            -(s.invoice_accuracy_pct if s.invoice_accuracy_pct is not None else Decimal(-1)),
            s.price_variance_pct if s.price_variance_pct is not None else ZERO,
            s.supplier_code,
        ),
    )
    for n, score in enumerate(ranked, start=1):
        score.rank = n
    return ranked


@dataclass
class VarianceRow:
    supplier_id: int
    supplier_code: str
    item_id: int
    item_code: str
    item_name: str
    quantity: Decimal
    agreed_value: Decimal
    actual_value: Decimal
    variance: Decimal


def price_variance(actor: Actor, date_from: dt.date, date_to: dt.date) -> list[VarianceRow]:
    """Purchase price variance = (delivered price - agreed price) x accepted packs, by item and
    supplier, largest overpayment first.

    Quantity is in the item's base unit. Lines without an agreed price (no price in force and
    none on the order) and deliveries from the organization's own locations are left out.
    """
    rows: dict[tuple[int, int], VarianceRow] = {}
    lines = (
        _period_lines(actor, date_from, date_to, outside_only=True)
        .filter(agreed_price__isnull=False)
        .select_related("receipt__supplier", "item")
    )
    for line in lines:
        key = (line.receipt.supplier_id, line.item_id)
        if key not in rows:
            rows[key] = VarianceRow(
                line.receipt.supplier_id,
                line.receipt.supplier.code,
                line.item_id,
                line.item.code,
                line.item.name,
                ZERO,
                ZERO,
                ZERO,
                ZERO,
            )
        r = rows[key]
        accepted = line.accepted_quantity
        assert line.agreed_price is not None
        r.quantity += accepted * line.pack_factor
        r.agreed_value += accepted * line.agreed_price
        r.actual_value += accepted * line.unit_price
    for r in rows.values():
        r.agreed_value = round_money(r.agreed_value)
        r.actual_value = round_money(r.actual_value)
        r.variance = r.actual_value - r.agreed_value
    return sorted(rows.values(), key=lambda r: (-r.variance, r.supplier_code, r.item_code))


SPEND_GROUPS = {
    "supplier": ("receipt__supplier__code", "receipt__supplier__name"),
    "category": ("item__category__code", "item__category__name"),
    "location": ("receipt__location__code", "receipt__location__name"),
}


@dataclass(frozen=True)
class SpendRow:
    key: str
    label: str
    amount: Decimal


def spend(
    actor: Actor, date_from: dt.date, date_to: dt.date, by: str = "supplier"
) -> list[SpendRow]:
    """What was bought: the accepted quantity of posted receipts at the delivered price, by
    supplier, category, location or month of receipt.

    Spend comes from receipts, not invoices: it counts what arrived and what it cost when it
    arrived. Deliveries from the organization's own kitchens and warehouses are transfers
    of stock already bought, so they are not spend; returns are credits, reported apart.
    """
    lines = _period_lines(actor, date_from, date_to, outside_only=True)
    if by == "month":
        grouped = (
            lines.annotate(month=TruncMonth("receipt__received_at"))
            .values("month")
            .annotate(amount=Sum(_ACCEPTED_VALUE))
            .order_by("month")
        )
        return [
            SpendRow(
                g["month"].strftime("%Y-%m"), g["month"].strftime("%Y-%m"), round_money(g["amount"])
            )
            for g in grouped
        ]
    code, name = SPEND_GROUPS[by]
    grouped = (
        lines.values(code, name).annotate(amount=Sum(_ACCEPTED_VALUE)).order_by("-amount", code)
    )
    return [
        SpendRow(g[code] or "", g[name] or "", round_money(g["amount"] or ZERO)) for g in grouped
    ]


def open_orders(actor: Actor, *, overdue_only: bool = False) -> QuerySet[PurchaseOrder]:
    """Approved, sent and partly received orders; overdue ones are past their expected date."""
    qs = orders(actor).filter(status__in=OPEN_STATUSES).order_by("expected_date", "id")
    if overdue_only:
        qs = qs.filter(
            status__in=[OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED],
            expected_date__lt=timezone.localdate(),
        )
    return qs
