"""Checks shared by the document services: items, lots, quantities in any unit, locations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from boh.catalog.models import Item, Pack
from boh.catalog.units import to_base
from boh.core.errors import BohError, FieldError
from boh.core.numbers import QTY_DIGITS, QTY_PLACES, ZERO, round_qty
from boh.core.validation import Checker
from boh.inventory.documents import errors
from boh.inventory.models import Lot
from boh.org.access import Actor
from boh.org.models import Location

MAX_LINES = 500
# Quantities in base units fit the stored precision (QTY_DIGITS - QTY_PLACES integer digits).
MAX_QUANTITY = Decimal(10) ** (QTY_DIGITS - QTY_PLACES)
_MOVE_FIELD = re.compile(r"^moves\[(\d+)\](.*)$")


@dataclass(frozen=True)
class CleanLine:
    """One validated line: the item, an optional lot and the quantity in base units."""

    item: Item
    lot: Lot | None
    quantity: Decimal
    entered_quantity: Decimal
    entered_unit: str


def stamp(actor: Actor) -> dict[str, Any]:
    """Who did it, as stored on a document."""
    return {"user_id": actor.user_id, "api_key_id": actor.api_key_id}


def packs_by_item(item_ids: Iterable[int]) -> dict[int, dict[str, Pack]]:
    """Active packs of the items, by item id and lower-case pack code."""
    result: dict[int, dict[str, Pack]] = {}
    for pack in Pack.objects.filter(item_id__in=set(item_ids), is_active=True):
        result.setdefault(pack.item_id, {})[pack.code.lower()] = pack
    return result


def base_quantity(
    check: Checker,
    field: str,
    item: Item,
    quantity: Any,
    unit: Any,
    packs: dict[str, Pack],
    *,
    positive: bool = True,
    name: str = "quantity",
) -> tuple[Decimal, Decimal, str]:
    """(base quantity, entered quantity, unit) of a typed quantity; errors go to check.

    Errors name `<field>.<name>` and `<field>.unit` (just `name` and `unit` without field).
    """
    unit_code = str(unit or "").strip() or item.base_unit
    qty_field = f"{field}.{name}" if field else name
    unit_field = f"{field}.unit" if field else "unit"
    number = check.decimal(
        qty_field,
        quantity,
        places=QTY_PLACES,
        positive=positive,
        minimum=None if positive else ZERO,
    )
    if abs(number) >= MAX_QUANTITY:
        check.fail(qty_field, "too_large", _("This number is too large."))
        return ZERO, ZERO, unit_code[:20]
    try:
        base = to_base(item, number, unit_code, packs, field=unit_field)
    except BohError as exc:
        check.errors.extend(exc.fields)
        return ZERO, number, unit_code[:20]
    except InvalidOperation:
        check.fail(qty_field, "too_large", _("This number is too large."))
        return ZERO, number, unit_code[:20]
    if abs(base) >= MAX_QUANTITY:
        check.fail(qty_field, "too_large", _("This number is too large."))
    elif positive and number > 0 and base <= 0:
        check.fail(qty_field, "not_positive", _("Enter a number greater than zero."))
    return round_qty(base), number, unit_code[:20]


def items_of(actor: Actor, ids: Iterable[Any]) -> dict[int, Item]:
    """Active items of the actor's organization among ids."""
    wanted = {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}
    qs = Item.objects.filter(organization=actor.organization, pk__in=wanted, is_active=True)
    return {item.pk: item for item in qs}


def lots_of(actor: Actor, ids: Iterable[Any]) -> dict[int, Lot]:
    """Lots of the actor's organization among ids."""
    wanted = {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}
    if not wanted:
        return {}
    return {
        lot.pk: lot for lot in Lot.objects.filter(organization=actor.organization, pk__in=wanted)
    }


def check_item_and_lot(
    check: Checker,
    prefix: str,
    item_id: Any,
    lot_id: Any,
    items: Mapping[int, Item],
    lots: Mapping[int, Lot],
) -> tuple[Item | None, Lot | None]:
    """The item and lot a line names; refuses an unknown item and a lot of another item."""
    field = (lambda name: f"{prefix}.{name}") if prefix else (lambda name: name)
    item = items.get(item_id) if isinstance(item_id, int) else None
    if item is None:
        check.fail(field("item_id"), errors.NOT_FOUND, _("No such active item."))
    lot = None
    if lot_id is not None:
        lot = lots.get(lot_id) if isinstance(lot_id, int) else None
        if lot is None:
            check.fail(field("lot_id"), errors.NOT_FOUND, _("No such lot."))
        elif item is not None and lot.item_id != item.pk:
            check.fail(
                field("lot_id"),
                errors.LOT_OF_OTHER_ITEM,
                _("Lot %(lot)s belongs to another item.") % {"lot": lot.code},
            )
            lot = None
    return item, lot


def check_lines(
    actor: Actor, check: Checker, lines: Sequence[Mapping[str, Any]], prefix: str = "lines"
) -> list[CleanLine]:
    """Validate item lines ({item_id, quantity, unit, lot_id}); all errors go to check."""
    if not lines:
        check.fail(prefix, errors.NO_LINES, _("Add at least one line."))
        return []
    if len(lines) > MAX_LINES:
        check.fail(prefix, "too_many", _("At most %(n)d lines.") % {"n": MAX_LINES})
        return []
    items = items_of(actor, (line.get("item_id") for line in lines))
    lots = lots_of(actor, (line.get("lot_id") for line in lines))
    packs = packs_by_item(items)
    clean: list[CleanLine] = []
    seen: set[tuple[int, int | None]] = set()
    for i, line in enumerate(lines):
        p = f"{prefix}[{i}]"
        item, lot = check_item_and_lot(
            check, p, line.get("item_id"), line.get("lot_id"), items, lots
        )
        if item is None:
            continue
        base, number, unit = base_quantity(
            check, p, item, line.get("quantity"), line.get("unit"), packs.get(item.pk, {})
        )
        key = (item.pk, lot.pk if lot else None)
        if key in seen:
            check.fail(f"{p}.item_id", errors.DUPLICATE_LINE, _("This item is already listed."))
        seen.add(key)
        clean.append(CleanLine(item, lot, base, number, unit))
    return clean


def check_location(actor: Actor, check: Checker, field: str, location_id: Any) -> Location | None:
    """An active location of the actor's organization, or a field error."""
    location = None
    if isinstance(location_id, int) and not isinstance(location_id, bool):
        location = Location.objects.filter(organization=actor.organization, pk=location_id).first()
    if location is None:
        check.fail(field, errors.NOT_FOUND, _("No such location."))
    elif not location.is_active:
        check.fail(field, errors.INACTIVE_LOCATION, _("This location is closed."))
    return location


def lot_unavailable(lot: Lot | None, today: date) -> bool:
    """True for a lot the ledger would not issue without an explicit override."""
    if lot is None:
        return False
    if lot.status != "available":
        return True
    return lot.expiry_date is not None and lot.expiry_date < today


def ledger_refusal(exc: BohError, prefixes: Mapping[int, str]) -> BohError:
    """The ledger's refusal with move fields renamed to the document's fields."""

    def rename(name: str) -> str:
        match = _MOVE_FIELD.match(name or "")
        if match is None:
            return name
        prefix = prefixes.get(int(match.group(1)), "")
        rest = match.group(2)
        return f"{prefix}{rest}" if prefix else rest.lstrip(".") or "quantity"

    exc.fields = [FieldError(rename(f.field), f.code, f.message) for f in exc.fields]
    if exc.field:
        exc.field = rename(exc.field)
    return exc
