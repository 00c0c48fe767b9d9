"""Returns to the supplier: stock leaves through the ledger and a credit is requested."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import BohError
from boh.core.models import AuditEntry
from boh.core.numbers import ZERO, round_money, round_qty
from boh.core.services import emit_event, record_audit
from boh.core.validation import Checker
from boh.inventory.models import Lot, MoveKind
from boh.inventory.services import MoveSpec, post_moves
from boh.org.access import Actor
from boh.org.roles import Perm
from boh.purchasing import errors
from boh.purchasing.models import (
    CreditRequest,
    Receipt,
    ReceiptLine,
    RejectReason,
    ReturnLine,
    Supplier,
    SupplierItem,
    SupplierReturn,
)
from boh.purchasing.selectors.suppliers import agreed_prices
from boh.purchasing.services.common import (
    assign_number,
    check_ids_exist,
    check_org_location,
    check_qty,
)
from boh.purchasing.services.receipt_lines import parse_received_at
from boh.purchasing.services.receiving import ledger_error

logger = logging.getLogger(__name__)

SOURCE_TYPE = "supplier_return"


def return_to_supplier(
    actor: Actor,
    *,
    location_id: int,
    lines: list[dict[str, Any]],
    reason: str,
    supplier_id: int | None = None,
    receipt_id: int | None = None,
    note: str = "",
    returned_at: dt.datetime | str | None = None,
) -> SupplierReturn:
    """Send goods back from a location's stock and ask the supplier for the credit.

    Against a receipt, at most what it accepted (less earlier returns) goes back, at the
    price it was delivered at and from its lot; otherwise at today's agreed price.
    """
    check = Checker()
    location = check_org_location(actor, check, "location_id", location_id)
    reason = check.choice("reason", reason, set(RejectReason.values))
    note = check.text("note", note, max_length=200, required=False)
    moment = parse_received_at(check, returned_at)
    receipt = None
    supplier = None
    if receipt_id is not None:
        receipt = (
            Receipt.objects.filter(organization=actor.organization, pk=receipt_id)
            .select_related("supplier")
            .first()
        )
        if receipt is None or receipt.status != Receipt.Status.POSTED:
            check.fail("receipt_id", "not_found", _("No such posted receipt."))
        else:
            supplier = receipt.supplier
            if location is not None and receipt.location_id != location.pk:
                check.fail(
                    "receipt_id", "wrong_location", _("This receipt is of another location.")
                )
    elif supplier_id is not None:
        supplier = Supplier.objects.filter(organization=actor.organization, pk=supplier_id).first()
        if supplier is None:
            check.fail("supplier_id", "not_found", _("No such supplier."))
    else:
        check.fail("supplier_id", "required", _("Name the receipt or the supplier."))
    if supplier is not None and supplier.is_internal:
        check.fail(
            "receipt_id" if receipt_id is not None else "supplier_id",
            errors.INTERNAL_RETURN,
            _("Stock goes back to %(supplier)s as a transfer, not as a return.")
            % {"supplier": supplier.name},
        )
    if not isinstance(lines, list) or not lines:
        check.fail("lines", errors.EMPTY_ORDER, _("Enter at least one item."))
        lines = []
    ids = [ln.get("supplier_item_id") for ln in lines if isinstance(ln, dict)]
    lot_ids = [ln.get("lot_id") for ln in lines if isinstance(ln, dict)]
    check_ids_exist(
        check,
        lines,
        "supplier_item_id",
        set(
            SupplierItem.objects.filter(
                organization=actor.organization, pk__in=[i for i in ids if isinstance(i, int)]
            ).values_list("pk", flat=True)
        ),
    )
    check_ids_exist(
        check,
        lines,
        "lot_id",
        set(
            Lot.objects.filter(
                organization=actor.organization, pk__in=[i for i in lot_ids if isinstance(i, int)]
            ).values_list("pk", flat=True)
        ),
    )
    check.raise_if_any()
    assert location is not None and supplier is not None
    actor.require(Perm.RECEIVE, location.pk)

    supplier_items = {
        si.pk: si
        for si in SupplierItem.objects.filter(
            supplier=supplier, pk__in=[i for i in ids if isinstance(i, int)]
        ).select_related("item")
    }
    prices = agreed_prices(supplier_items, timezone.localdate(moment))
    received: dict[int, list[ReceiptLine]] = defaultdict(list)
    returnable: dict[int, Decimal] = defaultdict(Decimal)
    if receipt is not None:
        for rl in receipt.lines.all():
            received[rl.supplier_item_id].append(rl)
            returnable[rl.supplier_item_id] += rl.accepted_quantity
        for si_id, qty in ReturnLine.objects.filter(supplier_return__receipt=receipt).values_list(
            "supplier_item_id", "quantity"
        ):
            returnable[si_id] -= qty
    clean: list[tuple[SupplierItem, Decimal, Decimal, int | None]] = []
    for i, raw in enumerate(lines):
        f = f"lines[{i}]"
        si = supplier_items.get(raw.get("supplier_item_id", 0)) if isinstance(raw, dict) else None
        if si is None:
            check.fail(
                f"{f}.supplier_item_id", errors.WRONG_SUPPLIER, _("Not an item of this supplier.")
            )
            continue
        quantity = check_qty(check, f"{f}.quantity", raw.get("quantity"), positive=True)
        lot_id = raw.get("lot_id")
        if receipt is not None:
            if quantity > returnable[si.pk]:
                check.fail(
                    f"{f}.quantity",
                    errors.RETURN_MORE_THAN_RECEIVED,
                    _("At most %(n)s %(pack)s of %(item)s can still be returned from this receipt.")
                    % {
                        "n": returnable[si.pk].normalize(),
                        "pack": si.pack_code,
                        "item": si.item.name,
                    },
                )
            returnable[si.pk] -= quantity
            source = received[si.pk][0]
            price = source.unit_price
            if lot_id is None:
                lot_id = source.lot_id
        elif si.pk in prices:
            price = prices[si.pk]
        else:
            check.fail(
                f"{f}.supplier_item_id", errors.NO_PRICE, _("This item has no agreed price.")
            )
            continue
        clean.append((si, quantity, price, lot_id))
    check.raise_if_any()

    with transaction.atomic():
        ret = SupplierReturn.objects.create(
            organization=actor.organization,
            location=location,
            supplier=supplier,
            receipt=receipt,
            reason=reason,
            note=note,
            returned_at=moment,
            created_by=actor.user,
        )
        assign_number(ret, "RT")
        rows = ReturnLine.objects.bulk_create(
            [
                ReturnLine(
                    supplier_return=ret,
                    supplier_item=si,
                    item_id=si.item_id,
                    quantity=qty,
                    pack_factor=si.pack_factor,
                    unit_price=price,
                    amount=round_money(qty * price),
                    lot_id=lot_id,
                )
                for si, qty, price, lot_id in clean
            ]
        )
        specs = [
            MoveSpec(
                location_id=location.pk,
                item_id=row.item_id,
                quantity=-round_qty(row.quantity * row.pack_factor),
                kind=MoveKind.SUPPLIER_RETURN,
                lot_id=row.lot_id,
                happened_at=moment,
                reason=reason,
                source_line=str(n),
            )
            for n, row in enumerate(rows, start=1)
        ]
        try:
            result = post_moves(
                actor,
                specs,
                source_type=SOURCE_TYPE,
                source_id=str(ret.pk),
                permission=Perm.RECEIVE,
            )
        except BohError as exc:
            raise ledger_error(exc, list(range(len(rows)))) from exc
        ret.move_batch = result.batch
        ret.save(update_fields=["move_batch"])
        credit = CreditRequest.objects.create(
            organization=actor.organization,
            supplier=supplier,
            supplier_return=ret,
            amount=sum((row.amount for row in rows), ZERO),
        )
        record_audit(actor, AuditEntry.Action.CREATE, ret)
        record_audit(actor, AuditEntry.Action.CREATE, credit)
        emit_event(
            "purchasing.returned_to_supplier",
            {
                "return_id": ret.pk,
                "supplier_id": supplier.pk,
                "location_id": location.pk,
                "credit_request_id": credit.pk,
                "amount": credit.amount,
            },
            organization_id=actor.organization_id,
            actor=actor,
        )
    logger.info("returned %s to %s: %d lines", ret.number, supplier.code, len(rows))
    return ret
