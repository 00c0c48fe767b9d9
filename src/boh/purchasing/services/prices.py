"""Agreed prices of supplier items: per pack, with a history that is never edited."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from boh.catalog.models import Pack
from boh.catalog.units import unit_factor
from boh.core.errors import BohError, conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import COST_PLACES, round_cost
from boh.core.services import emit_event, emit_events, record_audit, record_audits, snapshot
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.roles import Perm
from boh.purchasing import errors
from boh.purchasing.models import SupplierItem, SupplierPrice
from boh.purchasing.services.common import check_date

logger = logging.getLogger(__name__)


def price_per_pack(
    supplier_item: SupplierItem, price: Decimal, unit: str | None, field: str = "unit"
) -> Decimal:
    """A price given per `unit` as the price of the supplier item's pack.

    The supplier item defines its own pack and the standard units of the item's kind
    (kg, 斤, L...); any other unit is refused, naming the field.
    """
    if not unit or unit.strip().lower() == supplier_item.pack_code.lower():
        return price
    own = Pack(code=supplier_item.pack_code, factor=supplier_item.pack_factor)
    try:
        factor = unit_factor(
            supplier_item.item, unit, {supplier_item.pack_code.lower(): own}, field=field
        )
    except BohError as exc:
        raise validation_error(
            errors.UNKNOWN_UNIT,
            _("%(item)s from this supplier is priced per %(pack)s; '%(unit)s' is not defined.")
            % {
                "item": supplier_item.item.name,
                "pack": supplier_item.pack_code,
                "unit": unit[:20],
            },
            field,
        ) from exc
    return round_cost(price * supplier_item.pack_factor / factor)


def add_price(
    actor: Actor,
    supplier_item: SupplierItem,
    price: Decimal,
    valid_from: dt.date,
    note: str,
    source: str = SupplierPrice.Source.MANUAL,
) -> SupplierPrice:
    """Insert a price from valid_from, ending the one before it and bounded by the next."""
    earlier = (
        SupplierPrice.objects.select_for_update()
        .filter(supplier_item=supplier_item, valid_from__lt=valid_from)
        .order_by("-valid_from")
        .first()
    )
    later = (
        SupplierPrice.objects.filter(supplier_item=supplier_item, valid_from__gt=valid_from)
        .order_by("valid_from")
        .first()
    )
    if earlier is not None and (earlier.valid_to is None or earlier.valid_to >= valid_from):
        before = snapshot(earlier)
        earlier.valid_to = valid_from - dt.timedelta(days=1)
        earlier.save(update_fields=["valid_to"])
        record_audit(actor, AuditEntry.Action.UPDATE, earlier, before=before)
    row = SupplierPrice.objects.create(
        organization_id=supplier_item.organization_id,
        supplier_item=supplier_item,
        price=price,
        valid_from=valid_from,
        valid_to=later.valid_from - dt.timedelta(days=1) if later else None,
        source=source,
        note=note,
        created_by_user_id=actor.user_id,
    )
    record_audit(actor, AuditEntry.Action.CREATE, row)
    emit_event(
        "purchasing.price_changed",
        {
            "supplier_item_id": supplier_item.pk,
            "price": price,
            "valid_from": valid_from,
            "source": source,
        },
        organization_id=supplier_item.organization_id,
        actor=actor,
    )
    return row


def set_price(
    actor: Actor,
    supplier_item: SupplierItem,
    *,
    price: Any,
    valid_from: dt.date | str,
    unit: str | None = None,
    note: str = "",
) -> SupplierPrice:
    """Agree a new price from a date; earlier prices stay in the history, ended the day before."""
    actor.require(Perm.PURCHASING_MANAGE)
    check = Checker()
    amount = check.decimal("price", price, places=COST_PLACES, minimum=Decimal(0))
    start = check_date(check, "valid_from", valid_from)
    note = check.text("note", note, max_length=200, required=False)
    check.raise_if_any()
    assert start is not None
    per_pack = price_per_pack(supplier_item, amount, unit)
    if SupplierPrice.objects.filter(supplier_item=supplier_item, valid_from=start).exists():
        raise conflict(
            errors.PRICE_OVERLAP,
            _("A price from this date already exists; choose another date."),
            "valid_from",
        )

    with transaction.atomic():
        row = add_price(actor, supplier_item, per_pack, start, note)
    logger.info("price of supplier item %s from %s: %s", supplier_item.pk, start, per_pack)
    return row


def set_prices(actor: Actor, *, prices: list[dict[str, Any]]) -> list[SupplierPrice]:
    """set_price for many supplier items and dates at once, checked alike and written together.

    Each entry holds supplier_item_id, price, valid_from and optionally unit and note; its
    errors name it (prices[2].valid_from). Each price runs until the next one of its
    supplier item, as set_price one date after another would leave them. When any entry
    is refused, nothing is written.
    """
    actor.require(Perm.PURCHASING_MANAGE)
    check = Checker()
    wanted = [
        v.get("supplier_item_id")
        for v in prices
        if isinstance(v.get("supplier_item_id"), int)
        and not isinstance(v.get("supplier_item_id"), bool)
    ]
    supplier_items = (
        SupplierItem.objects.filter(organization=actor.organization)
        .select_related("item")
        .in_bulk(wanted)
    )
    taken = set(
        SupplierPrice.objects.filter(supplier_item_id__in=list(supplier_items)).values_list(
            "supplier_item_id", "valid_from"
        )
    )
    clean: list[tuple[SupplierItem, Decimal, dt.date, str]] = []
    for n, values in enumerate(prices):
        at = f"prices[{n}]"
        row = Checker()
        supplier_item = supplier_items.get(values.get("supplier_item_id"))
        if supplier_item is None:
            check.fail(f"{at}.supplier_item_id", "not_found", _("No such supplier item."))
            continue
        amount = row.decimal("price", values.get("price"), places=COST_PLACES, minimum=Decimal(0))
        start = check_date(row, "valid_from", values.get("valid_from"))
        note = row.text("note", values.get("note", ""), max_length=200, required=False)
        per_pack = amount
        if not row.errors:
            try:
                per_pack = price_per_pack(supplier_item, amount, values.get("unit"))
            except BohError as exc:
                row.fail("unit", exc.code, exc.message)
        if start is not None and (supplier_item.pk, start) in taken:
            row.fail(
                "valid_from",
                errors.PRICE_OVERLAP,
                _("A price from this date already exists; choose another date."),
            )
        for error in row.errors:
            check.fail(f"{at}.{error.field}", error.code, error.message)
        if not row.errors and start is not None:
            taken.add((supplier_item.pk, start))
            clean.append((supplier_item, per_pack, start, note))
    check.raise_if_any()

    with transaction.atomic():
        existing: dict[int, list[SupplierPrice]] = {}
        for price in SupplierPrice.objects.select_for_update().filter(
            supplier_item_id__in={c[0].pk for c in clean}
        ):
            existing.setdefault(price.supplier_item_id, []).append(price)
        new_rows: list[SupplierPrice] = []
        timelines: dict[int, list[SupplierPrice]] = {}
        for supplier_item, per_pack, start, note in clean:
            row_price = SupplierPrice(
                organization_id=supplier_item.organization_id,
                supplier_item=supplier_item,
                price=per_pack,
                valid_from=start,
                source=SupplierPrice.Source.MANUAL,
                note=note,
                created_by_user_id=actor.user_id,
            )
            new_rows.append(row_price)
            timelines.setdefault(supplier_item.pk, list(existing.get(supplier_item.pk, [])))
            timelines[supplier_item.pk].append(row_price)
        for timeline in timelines.values():
            timeline.sort(key=lambda p: p.valid_from)
            for here, after in zip(timeline, [*timeline[1:], None], strict=True):
                end = after.valid_from - dt.timedelta(days=1) if after is not None else None
                if here.pk is None:
                    here.valid_to = end
                elif (
                    after is not None
                    and after.pk is None
                    and (here.valid_to is None or here.valid_to >= after.valid_from)
                ):
                    before = snapshot(here)
                    here.valid_to = end
                    here.save(update_fields=["valid_to"])
                    record_audit(actor, AuditEntry.Action.UPDATE, here, before=before)
        created = SupplierPrice.objects.bulk_create(new_rows)
        record_audits(actor, AuditEntry.Action.CREATE, list(created))
        emit_events(
            "purchasing.price_changed",
            [
                {
                    "supplier_item_id": p.supplier_item_id,
                    "price": p.price,
                    "valid_from": p.valid_from,
                    "source": p.source,
                }
                for p in created
            ],
            organization_id=actor.organization_id,
            actor=actor,
        )
    logger.info("%d prices agreed", len(created))
    return created


def add_invoice_price(
    actor: Actor, supplier_item: SupplierItem, price: Decimal, valid_from: dt.date, note: str
) -> SupplierPrice:
    """The price approved from an invoice exception; call inside the caller's transaction."""
    existing = SupplierPrice.objects.filter(
        supplier_item=supplier_item, valid_from=valid_from
    ).first()
    if existing is not None:
        before = snapshot(existing)
        existing.price = price
        existing.source = SupplierPrice.Source.INVOICE
        existing.note = note
        existing.save(update_fields=["price", "source", "note"])
        record_audit(actor, AuditEntry.Action.UPDATE, existing, before=before)
        return existing
    return add_price(actor, supplier_item, price, valid_from, note, SupplierPrice.Source.INVOICE)
