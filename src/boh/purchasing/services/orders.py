"""Writes of purchase orders: create, edit, submit, approve, cancel, close; requisitions."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import BohError, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import COST_PLACES, ZERO, round_money
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm, Role
from boh.purchasing import errors
from boh.purchasing.models import (
    ApprovalRule,
    OrderLine,
    OrderSource,
    OrderStatus,
    PurchaseOrder,
    Supplier,
    SupplierItem,
    SupplierLocation,
)
from boh.purchasing.selectors.suppliers import (
    agreed_prices,
    next_delivery_date,
)
from boh.purchasing.services.common import (
    assign_number,
    check_date,
    check_org_location,
    check_qty,
)
from boh.purchasing.services.transitions import next_status

logger = logging.getLogger(__name__)


@dataclass
class _Line:
    location: Location
    supplier_item: SupplierItem
    quantity: Decimal
    unit_price: Decimal
    note: str


def _supplier_for_order(actor: Actor, check: Checker, supplier_id: Any) -> Supplier | None:
    supplier = Supplier.objects.filter(organization=actor.organization, pk=supplier_id).first()
    if supplier is None:
        check.fail("supplier_id", "not_found", _("No such supplier."))
    elif not supplier.is_active:
        check.fail("supplier_id", errors.SUPPLIER_INACTIVE, _("This supplier is inactive."))
    return supplier


def _check_lines(
    actor: Actor,
    check: Checker,
    supplier: Supplier | None,
    default_location: Location | None,
    lines: Any,
    price_date: dt.date,
) -> list[_Line]:
    """Validated order lines; each error names lines[i].<field>."""
    if not isinstance(lines, list) or not lines:
        check.fail("lines", errors.EMPTY_ORDER, _("Add at least one line."))
        return []
    ids = [line.get("supplier_item_id") for line in lines if isinstance(line, dict)]
    known = {
        si.pk: si
        for si in SupplierItem.objects.filter(
            organization=actor.organization, pk__in=[i for i in ids if isinstance(i, int)]
        ).select_related("item")
    }
    prices = agreed_prices(known, price_date)
    locations = {
        loc.pk: loc
        for loc in Location.objects.filter(
            organization=actor.organization,
            pk__in=[ln.get("location_id") for ln in lines if isinstance(ln, dict)],
        )
    }
    result: list[_Line] = []
    for i, raw in enumerate(lines):
        field = f"lines[{i}]"
        if not isinstance(raw, dict):
            check.fail(field, "invalid", _("Each line must be an object."))
            continue
        si = known.get(raw.get("supplier_item_id"))  # type: ignore[arg-type]
        if si is None:
            check.fail(f"{field}.supplier_item_id", "not_found", _("No such supplier item."))
            continue
        if supplier is not None and si.supplier_id != supplier.pk:
            check.fail(
                f"{field}.supplier_item_id",
                errors.WRONG_SUPPLIER,
                _("%(item)s is not sold by this supplier.") % {"item": si.item.name},
            )
            continue
        if not si.is_active:
            check.fail(
                f"{field}.supplier_item_id",
                errors.ITEM_INACTIVE,
                _("%(item)s is no longer sold as %(pack)s.")
                % {"item": si.item.name, "pack": si.pack_code},
            )
        location = default_location
        if raw.get("location_id") is not None:
            location = locations.get(raw["location_id"])
            if location is None:
                check.fail(f"{field}.location_id", "not_found", _("No such location."))
                continue
        if location is None:
            check.fail(f"{field}.location_id", "required", _("This field is required."))
            continue
        quantity = check_qty(check, f"{field}.quantity", raw.get("quantity"), positive=True)
        if quantity > 0 and si.moq and quantity < si.moq:
            check.fail(
                f"{field}.quantity",
                errors.BELOW_MOQ,
                _("%(item)s is sold in at least %(moq)s %(pack)s.")
                % {"item": si.item.name, "moq": si.moq.normalize(), "pack": si.pack_code},
            )
        if raw.get("unit_price") is not None:
            price = check.decimal(
                f"{field}.unit_price", raw["unit_price"], places=COST_PLACES, minimum=ZERO
            )
        elif si.pk in prices:
            price = prices[si.pk]
        else:
            check.fail(
                f"{field}.unit_price",
                errors.NO_PRICE,
                _("%(item)s has no agreed price on %(date)s; enter a price.")
                % {"item": si.item.name, "date": price_date.isoformat()},
            )
            price = ZERO
        note = check.text(f"{field}.note", raw.get("note", ""), max_length=200, required=False)
        result.append(_Line(location, si, quantity, price, note))
    return result


def _write_lines(order: PurchaseOrder, lines: list[_Line]) -> None:
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                line_no=n,
                location=line.location,
                supplier_item=line.supplier_item,
                item_id=line.supplier_item.item_id,
                quantity=line.quantity,
                pack_factor=line.supplier_item.pack_factor,
                unit_price=line.unit_price,
                amount=round_money(line.quantity * line.unit_price),
                note=line.note,
            )
            for n, line in enumerate(lines, start=1)
        ]
    )
    order.total = sum((round_money(ln.quantity * ln.unit_price) for ln in lines), ZERO)
    order.save(update_fields=["total", "updated_at"])


_ORDER_FIELDS = [f.name for f in PurchaseOrder._meta.concrete_fields if f.name != "sent_copy"]


def order_snapshot(order: PurchaseOrder) -> dict[str, Any]:
    """The audited values of an order; the sent copy by its file name."""
    values = snapshot(order, _ORDER_FIELDS)
    values["sent_copy"] = order.sent_copy.name or ""
    return values


def require_at(actor: Actor, perm: str, locations: set[int]) -> None:
    """Require a permission at each of the locations."""
    for location_id in sorted(locations):
        actor.require(perm, location_id)


def order_locations(order: PurchaseOrder) -> set[int]:
    """Every location an order delivers to."""
    if order.location_id is not None and not order.is_consolidated:
        return {order.location_id}
    return set(order.lines.values_list("location_id", flat=True))


def create_order(
    actor: Actor,
    *,
    supplier_id: int,
    location_id: int | None,
    lines: list[dict[str, Any]],
    expected_date: dt.date | str | None = None,
    note: str = "",
    source: str = OrderSource.MANUAL,
) -> PurchaseOrder:
    """Draft an order to a supplier for one location (or split across several lines' locations)."""
    check = Checker()
    supplier = _supplier_for_order(actor, check, supplier_id)
    location = None
    if location_id is not None:
        location = check_org_location(actor, check, "location_id", location_id)
    expected = check_date(check, "expected_date", expected_date, required=False)
    note = check.text("note", note, max_length=2000, required=False)
    check.choice("source", source, set(OrderSource.values))
    terms = None
    if supplier is not None and location is not None:
        terms = SupplierLocation.objects.filter(supplier=supplier, location=location).first()
    if expected is None:
        expected = next_delivery_date(terms)
    clean = _check_lines(actor, check, supplier, location, lines, expected)
    check.raise_if_any()
    assert supplier is not None
    require_at(actor, Perm.PURCHASING_MANAGE, {ln.location.pk for ln in clean})
    consolidated = len({ln.location.pk for ln in clean}) > 1

    with transaction.atomic():
        order = PurchaseOrder.objects.create(
            organization=actor.organization,
            supplier=supplier,
            location=None if consolidated else clean[0].location,
            is_consolidated=consolidated,
            source=source,
            expected_date=expected,
            currency=supplier.currency,
            note=note,
            created_by=actor.user,
        )
        assign_number(order, "PO")
        _write_lines(order, clean)
        record_audit(actor, AuditEntry.Action.CREATE, order, after=order_snapshot(order))
        emit_event(
            "purchasing.order_created",
            {"order_id": order.pk, "supplier_id": supplier.pk, "total": order.total},
            organization_id=actor.organization_id,
            actor=actor,
        )
    logger.info("drafted %s to %s: %d lines", order.number, supplier.code, len(clean))
    return order


def _require_draft(order: PurchaseOrder) -> None:
    if order.status != OrderStatus.DRAFT:
        raise BohError(
            code=errors.NOT_EDITABLE,
            message=_("Only a draft order can be changed; %(number)s is %(status)s.")
            % {"number": order.number, "status": OrderStatus(order.status).label},
            field="status",
            status=409,
        )


def update_order(
    actor: Actor,
    order: PurchaseOrder,
    *,
    lines: list[dict[str, Any]] | None = None,
    expected_date: dt.date | str | None = None,
    note: str | None = None,
) -> PurchaseOrder:
    """Change a draft order: replace its lines, its expected date or its note."""
    order.refresh_from_db()
    require_at(actor, Perm.PURCHASING_MANAGE, order_locations(order))
    _require_draft(order)
    check = Checker()
    expected = check_date(check, "expected_date", expected_date, required=False)
    if note is not None:
        note = check.text("note", note, max_length=2000, required=False)
    clean: list[_Line] = []
    if lines is not None:
        clean = _check_lines(
            actor,
            check,
            order.supplier,
            order.location,
            lines,
            expected or order.expected_date or timezone.localdate(),
        )
    check.raise_if_any()
    require_at(actor, Perm.PURCHASING_MANAGE, {ln.location.pk for ln in clean})

    with transaction.atomic():
        order = locked_order(order)
        _require_draft(order)
        before = order_snapshot(order)
        if expected is not None:
            order.expected_date = expected
        if note is not None:
            order.note = note
        order.save()
        if lines is not None:
            order.lines.all().delete()
            locations = {ln.location.pk for ln in clean}
            order.is_consolidated = len(locations) > 1
            order.location = None if order.is_consolidated else clean[0].location
            order.save(update_fields=["is_consolidated", "location"])
            _write_lines(order, clean)
        record_audit(
            actor, AuditEntry.Action.UPDATE, order, before=before, after=order_snapshot(order)
        )
    return order


def locked_order(order: PurchaseOrder) -> PurchaseOrder:
    """The order row, locked for update until the transaction ends."""
    return PurchaseOrder.objects.select_for_update().select_related("supplier").get(pk=order.pk)


def announce_order(actor: Actor, order: PurchaseOrder, before: dict[str, Any], verb: str) -> None:
    """Audit an order action and announce it as purchasing.order_<verb>."""
    record_audit(
        actor,
        AuditEntry.Action.ACTION,
        order,
        before=before,
        after=order_snapshot(order),
        verb=verb,
    )
    emit_event(
        f"purchasing.order_{verb}",
        {"order_id": order.pk, "number": order.number, "status": order.status},
        organization_id=order.organization_id,
        actor=actor,
    )


def submit_order(actor: Actor, order: PurchaseOrder) -> PurchaseOrder:
    """Hand a draft order in for approval; each location's minimum order value must be met."""
    order.refresh_from_db()
    require_at(actor, Perm.PURCHASING_MANAGE, order_locations(order))
    next_status(order, "submit")
    if not order.lines.exists():
        raise validation_error(errors.EMPTY_ORDER, _("Add at least one line."), "lines")
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for location_id, amount in order.lines.values_list("location_id", "amount"):
        totals[location_id] += amount
    for terms in SupplierLocation.objects.filter(
        supplier_id=order.supplier_id, location_id__in=list(totals)
    ).select_related("location"):
        if totals[terms.location_id] < terms.min_order_value:
            raise validation_error(
                "below_minimum_order_value",
                _("The minimum order for %(location)s is %(minimum)s; this order is %(total)s.")
                % {
                    "location": terms.location.name,
                    "minimum": terms.min_order_value,
                    "total": totals[terms.location_id],
                },
                "total",
            )

    with transaction.atomic():
        order = locked_order(order)
        before = order_snapshot(order)
        order.status = next_status(order, "submit")
        order.submitted_by = actor.user
        order.save()
        announce_order(actor, order, before, "submitted")
    return order


def approval_limit(actor: Actor, location_id: int | None) -> Decimal | None:
    """The highest order total the actor may approve at a location; None means no limit."""
    if actor.is_system or Role.OWNER in actor.roles:
        return None
    rules = ApprovalRule.objects.filter(organization=actor.organization, role__in=actor.roles)
    if location_id is None:
        rules = rules.filter(location__isnull=True)
    else:
        rules = rules.filter(location__isnull=True) | rules.filter(location_id=location_id)
    amounts = list(rules.values_list("max_amount", flat=True))
    return max(amounts) if amounts else ZERO


def approve_order(actor: Actor, order: PurchaseOrder) -> PurchaseOrder:
    """Approve an order up to the actor's limit; one's own order above it is refused."""
    order.refresh_from_db()
    locations = order_locations(order)
    if order.is_consolidated:
        actor.require(Perm.PURCHASING_APPROVE)
    require_at(actor, Perm.PURCHASING_APPROVE, locations)
    next_status(order, "approve")
    limit = approval_limit(actor, order.location_id if not order.is_consolidated else None)
    if limit is not None and order.total > limit:
        own = order.created_by_id is not None and order.created_by_id == actor.user_id
        raise BohError(
            code=errors.OWN_ORDER_LIMIT if own else errors.APPROVAL_LIMIT,
            message=(
                _("You cannot approve your own order of %(total)s above your limit of %(limit)s.")
                if own
                else _("Order total %(total)s is above your approval limit of %(limit)s.")
            )
            % {"total": order.total, "limit": limit},
            field="total",
            status=403,
        )

    with transaction.atomic():
        order = locked_order(order)
        before = order_snapshot(order)
        order.status = next_status(order, "approve")
        order.approved_by = actor.user
        order.approved_at = timezone.now()
        order.save()
        announce_order(actor, order, before, "approved")
    logger.info("approved %s (%s)", order.number, order.total)
    return order


def reject_order(actor: Actor, order: PurchaseOrder, *, reason: str = "") -> PurchaseOrder:
    """Send an order awaiting approval (or approved, not yet sent) back to draft."""
    order.refresh_from_db()
    require_at(actor, Perm.PURCHASING_APPROVE, order_locations(order))
    check = Checker()
    reason = check.text("reason", reason, max_length=200, required=False)
    check.raise_if_any()
    next_status(order, "reject")

    with transaction.atomic():
        order = locked_order(order)
        before = order_snapshot(order)
        order.status = next_status(order, "reject")
        order.approved_by = None
        order.approved_at = None
        if reason:
            order.note = f"{order.note}\n{reason}".strip()
        order.save()
        announce_order(actor, order, before, "rejected")
    return order


def cancel_order(actor: Actor, order: PurchaseOrder, *, reason: str) -> PurchaseOrder:
    """Cancel an order nothing has been received on yet; the reason is kept."""
    order.refresh_from_db()
    require_at(actor, Perm.PURCHASING_MANAGE, order_locations(order))
    check = Checker()
    reason = check.text("reason", reason, max_length=200)
    check.raise_if_any()
    next_status(order, "cancel")

    with transaction.atomic():
        order = locked_order(order)
        before = order_snapshot(order)
        order.status = next_status(order, "cancel")
        order.closed_reason = reason
        order.save()
        announce_order(actor, order, before, "cancelled")
    return order


def close_order(actor: Actor, order: PurchaseOrder, *, reason: str = "") -> PurchaseOrder:
    """Close a received or partly received order; what is still open will not come."""
    order.refresh_from_db()
    require_at(actor, Perm.PURCHASING_MANAGE, order_locations(order))
    check = Checker()
    reason = check.text("reason", reason, max_length=200, required=False)
    check.raise_if_any()
    next_status(order, "close")

    with transaction.atomic():
        order = locked_order(order)
        before = order_snapshot(order)
        order.status = next_status(order, "close")
        order.closed_reason = reason
        order.save()
        announce_order(actor, order, before, "closed")
    return order
