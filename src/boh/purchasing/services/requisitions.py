"""Store requisitions, head-office consolidation (集中采购) and orders from suggestions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from boh.catalog.models import Item
from boh.core.errors import BohError, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import ZERO
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.roles import Perm
from boh.purchasing import errors
from boh.purchasing.models import (
    OrderSource,
    OrderStatus,
    PurchaseOrder,
    Requisition,
    RequisitionLine,
    SupplierItem,
)
from boh.purchasing.selectors.suppliers import preferred_supplier_items
from boh.purchasing.services.common import (
    assign_number,
    check_date,
    check_org_location,
    check_qty,
)
from boh.purchasing.services.orders import create_order, update_order


def _packs_for(supplier_item: SupplierItem, base_quantity: Decimal) -> Decimal:
    """Whole packs covering a base quantity, at least the MOQ."""
    packs = (base_quantity / supplier_item.pack_factor).to_integral_value(rounding=ROUND_CEILING)
    return max(packs, supplier_item.moq, Decimal(1))


def create_order_from_suggestion(
    actor: Actor,
    *,
    location_id: int,
    item_id: int,
    quantity: Any,
    expected_date: dt.date | str | None = None,
) -> PurchaseOrder:
    """Order a suggested base quantity of an item from its preferred supplier, in whole packs.

    The line joins the supplier's draft suggestion order for the location when there is one.
    """
    check = Checker()
    location = check_org_location(actor, check, "location_id", location_id)
    item = Item.objects.filter(organization=actor.organization, pk=item_id).first()
    if item is None:
        check.fail("item_id", "not_found", _("No such item."))
    base = check_qty(check, "quantity", quantity, positive=True)
    check.raise_if_any()
    assert location is not None and item is not None
    preferred = preferred_supplier_items(actor.organization_id, [item.pk], location.pk)
    if item.pk not in preferred:
        raise validation_error(
            errors.NO_PREFERRED_SUPPLIER,
            _("%(item)s has no preferred supplier for %(location)s.")
            % {"item": item.name, "location": location.name},
            "item_id",
        )
    supplier_item = preferred[item.pk]
    line = {"supplier_item_id": supplier_item.pk, "quantity": _packs_for(supplier_item, base)}
    draft = (
        PurchaseOrder.objects.filter(
            organization=actor.organization,
            supplier_id=supplier_item.supplier_id,
            location=location,
            status=OrderStatus.DRAFT,
            source=OrderSource.SUGGESTION,
        )
        .order_by("-id")
        .first()
    )
    if draft is None:
        return create_order(
            actor,
            supplier_id=supplier_item.supplier_id,
            location_id=location.pk,
            lines=[line],
            expected_date=expected_date,
            source=OrderSource.SUGGESTION,
        )
    existing = [
        {
            "supplier_item_id": ln.supplier_item_id,
            "quantity": ln.quantity,
            "unit_price": ln.unit_price,
            "note": ln.note,
        }
        for ln in draft.lines.all()
        if ln.supplier_item_id != supplier_item.pk
    ]
    return update_order(actor, draft, lines=[*existing, line])


def submit_requisition(
    actor: Actor,
    *,
    location_id: int,
    lines: list[dict[str, Any]],
    needed_by: dt.date | str | None = None,
    note: str = "",
) -> Requisition:
    """A location asks head office for items (base quantities), to be ordered centrally."""
    check = Checker()
    location = check_org_location(actor, check, "location_id", location_id)
    needed = check_date(check, "needed_by", needed_by, required=False)
    note = check.text("note", note, max_length=200, required=False)
    clean: list[tuple[Item, Decimal, SupplierItem | None]] = []
    if not isinstance(lines, list) or not lines:
        check.fail("lines", errors.EMPTY_ORDER, _("Add at least one line."))
        lines = []
    items = {
        i.pk: i
        for i in Item.objects.filter(
            organization=actor.organization,
            pk__in=[ln.get("item_id") for ln in lines if isinstance(ln, dict)],
        )
    }
    sis = {
        si.pk: si
        for si in SupplierItem.objects.filter(
            organization=actor.organization,
            pk__in=[ln.get("supplier_item_id") for ln in lines if isinstance(ln, dict)],
        )
    }
    for i, raw in enumerate(lines):
        field = f"lines[{i}]"
        item = items.get(raw.get("item_id", 0)) if isinstance(raw, dict) else None
        if item is None:
            check.fail(f"{field}.item_id", "not_found", _("No such item."))
            continue
        quantity = check_qty(check, f"{field}.quantity", raw.get("quantity"), positive=True)
        si = None
        if raw.get("supplier_item_id") is not None:
            si = sis.get(raw["supplier_item_id"])
            if si is None or si.item_id != item.pk:
                check.fail(
                    f"{field}.supplier_item_id",
                    "not_found",
                    _("No such supplier item for this item."),
                )
        clean.append((item, quantity, si))
    check.raise_if_any()
    assert location is not None
    actor.require(Perm.PURCHASING_MANAGE, location.pk)

    with transaction.atomic():
        requisition = Requisition.objects.create(
            organization=actor.organization,
            location=location,
            needed_by=needed,
            note=note,
            created_by=actor.user,
        )
        assign_number(requisition, "RQ")
        RequisitionLine.objects.bulk_create(
            [
                RequisitionLine(requisition=requisition, item=item, quantity=qty, supplier_item=si)
                for item, qty, si in clean
            ]
        )
        record_audit(actor, AuditEntry.Action.CREATE, requisition)
        emit_event(
            "purchasing.requisition_submitted",
            {"requisition_id": requisition.pk, "location_id": location.pk},
            organization_id=actor.organization_id,
            actor=actor,
        )
    return requisition


def consolidate_requisitions(
    actor: Actor, *, requisition_ids: list[int], expected_date: dt.date | str | None = None
) -> list[PurchaseOrder]:
    """Head office turns several locations' requisitions into one draft order per supplier,
    with a line per location (集中采购)."""
    actor.require(Perm.PURCHASING_MANAGE)
    check = Checker()
    expected = check_date(check, "expected_date", expected_date, required=False)
    check.raise_if_any()
    requisitions = list(
        Requisition.objects.filter(organization=actor.organization, pk__in=requisition_ids)
        .select_related("location")
        .order_by("pk")
    )
    if not requisition_ids or len(requisitions) != len(set(requisition_ids)):
        raise validation_error("not_found", _("No such requisition."), "requisition_ids")
    for n, req in enumerate(requisitions):
        if req.status != Requisition.Status.SUBMITTED:
            raise BohError(
                code=errors.REQUISITION_NOT_OPEN,
                message=_("Requisition %(number)s has already been ordered or cancelled.")
                % {"number": req.number},
                field=f"requisition_ids[{n}]",
                status=409,
            )
    req_lines = list(
        RequisitionLine.objects.filter(requisition__in=requisitions).select_related(
            "requisition", "item", "supplier_item"
        )
    )
    # Group by supplier, then by (location, supplier item), summing base quantities.
    grouped: dict[int, dict[tuple[int, int], list[RequisitionLine]]] = defaultdict(
        lambda: defaultdict(list)
    )
    chosen: dict[int, SupplierItem] = {}
    for n, rl in enumerate(req_lines):
        si = rl.supplier_item
        if si is None:
            preferred = preferred_supplier_items(
                actor.organization_id, [rl.item_id], rl.requisition.location_id
            )
            si = preferred.get(rl.item_id)
        if si is None:
            raise validation_error(
                errors.NO_PREFERRED_SUPPLIER,
                _("%(item)s has no preferred supplier for %(location)s.")
                % {"item": rl.item.name, "location": rl.requisition.location.name},
                f"lines[{n}].supplier_item_id",
            )
        chosen[si.pk] = si
        grouped[si.supplier_id][(rl.requisition.location_id, si.pk)].append(rl)

    orders: list[PurchaseOrder] = []
    with transaction.atomic():
        for supplier_id, groups in sorted(grouped.items()):
            lines = [
                {
                    "supplier_item_id": si_id,
                    "location_id": location_id,
                    "quantity": _packs_for(chosen[si_id], sum((r.quantity for r in rls), ZERO)),
                }
                for (location_id, si_id), rls in sorted(groups.items())
            ]
            order = create_order(
                actor,
                supplier_id=supplier_id,
                location_id=None,
                lines=lines,
                expected_date=expected,
                source=OrderSource.REQUISITIONS,
            )
            by_key = {(ln.location_id, ln.supplier_item_id): ln for ln in order.lines.all()}
            for key, rls in groups.items():
                RequisitionLine.objects.filter(pk__in=[r.pk for r in rls]).update(
                    order_line=by_key[key]
                )
            orders.append(order)
        for req in requisitions:
            before = snapshot(req)
            req.status = Requisition.Status.CONSOLIDATED
            req.save(update_fields=["status"])
            record_audit(actor, AuditEntry.Action.UPDATE, req, before=before)
        emit_event(
            "purchasing.requisitions_consolidated",
            {"requisition_ids": [r.pk for r in requisitions], "order_ids": [o.pk for o in orders]},
            organization_id=actor.organization_id,
            actor=actor,
        )
    return orders
