"""Checks shared by the menu's services: unknown fields, quantity lines, dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeGuard

from django.utils.translation import gettext as _

from boh.catalog.models import Item, Pack
from boh.catalog.units import to_base
from boh.core.errors import BohError, conflict, validation_error
from boh.core.validation import Checker
from boh.menu import errors
from boh.menu.models import YIELD_PLACES
from boh.org.access import Actor

MAX_LINES = 200
# Largest quantity a QTY column (18 digits, 3 places) holds.
MAX_QUANTITY = Decimal(10) ** 15
MAX_YIELD_PCT = Decimal(1000)
LINE_KEYS = {"item_id", "quantity", "unit", "yield_pct"}


def refuse_unknown(values: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), sorted(unknown)[0])


def duplicate_code() -> BohError:
    return conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code")


def is_id(value: Any) -> TypeGuard[int]:
    """True for a plain int usable as a primary key."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def check_date(check: Checker, field: str, value: Any, *, required: bool = True) -> dt.date | None:
    if value is None or value == "":
        if required:
            check.fail(field, "required", _("This field is required."))
        return None
    if isinstance(value, dt.datetime):
        check.fail(field, "invalid_date", _("Enter a valid date."))
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        check.fail(field, "invalid_date", _("Enter a valid date."))
        return None


def check_sort_order(check: Checker, value: Any, field: str = "sort_order") -> int:
    return check.integer(field, value, minimum=0, maximum=1_000_000)


@dataclass
class CleanLine:
    """A validated quantity line, ready to be written."""

    item: Item
    quantity: Decimal
    unit: str
    base_quantity: Decimal
    yield_pct: Decimal


def check_lines(
    actor: Actor,
    check: Checker,
    lines: Any,
    *,
    field: str = "lines",
    signed: bool = False,
) -> list[CleanLine]:
    """Validate item lines entered in any unit of the item and convert them to base units.

    Recipe lines are positive; modifier delta lines are signed (no coriander = -5 g).
    Errors name the line: lines[2].unit.
    """
    if lines is None:
        lines = []
    if isinstance(lines, str | bytes | Mapping) or not isinstance(lines, Sequence):
        check.fail(field, "invalid_list", _("Give a list of lines."))
        return []
    if len(lines) > MAX_LINES:
        check.fail(field, "too_many", _("At most %(n)d lines are allowed.") % {"n": MAX_LINES})
        return []
    rows: list[Mapping[str, Any]] = []
    for index, raw in enumerate(lines):
        if not isinstance(raw, Mapping):
            check.fail(f"{field}[{index}]", "invalid_line", _("Each line must be an object."))
            rows.append({})
            continue
        unknown = set(raw) - LINE_KEYS
        if unknown:
            check.fail(
                f"{field}[{index}].{sorted(unknown)[0]}", "unknown_field", _("Unknown field.")
            )
        rows.append(raw)

    wanted = {r.get("item_id") for r in rows if is_id(r.get("item_id"))}
    items = {i.pk: i for i in Item.objects.filter(organization=actor.organization, pk__in=wanted)}
    packs: dict[int, dict[str, Pack]] = {pk: {} for pk in items}
    for pack in Pack.objects.filter(item_id__in=items, is_active=True):
        packs[pack.item_id][pack.code.lower()] = pack

    clean: list[CleanLine] = []
    for index, raw in enumerate(rows):
        at = f"{field}[{index}]"
        item_id: Any = raw.get("item_id")
        item = items.get(item_id) if is_id(item_id) else None
        if item is None:
            check.fail(f"{at}.item_id", "not_found", _("No such item."))
        elif not item.is_active:
            check.fail(f"{at}.item_id", "inactive", _("This item is no longer active."))
        quantity = check.decimal(f"{at}.quantity", raw.get("quantity"), places=6)
        if not check.has(f"{at}.quantity"):
            if abs(quantity) >= MAX_QUANTITY:
                check.fail(f"{at}.quantity", "too_large", _("This number is too large."))
            elif quantity == 0 or (quantity < 0 and not signed):
                check.fail(f"{at}.quantity", "not_positive", _("Enter a number greater than zero."))
        unit = check.text(f"{at}.unit", raw.get("unit"), max_length=20)
        yield_pct = check.decimal(
            f"{at}.yield_pct",
            raw.get("yield_pct", Decimal(100)),
            places=YIELD_PLACES,
            positive=True,
        )
        if not check.has(f"{at}.yield_pct") and yield_pct > MAX_YIELD_PCT:
            check.fail(
                f"{at}.yield_pct",
                "out_of_range",
                _("Enter a yield of at most %(max)s%%.") % {"max": MAX_YIELD_PCT},
            )
        if item is None or check.has(f"{at}.quantity") or check.has(f"{at}.unit"):
            continue
        try:
            base = to_base(item, quantity, unit, packs[item.pk], f"{at}.unit")
        except BohError as exc:
            for error in exc.fields:
                check.fail(error.field, error.code, error.message)
            continue
        if base == 0:
            check.fail(
                f"{at}.quantity",
                errors.QUANTITY_ROUNDS_TO_ZERO,
                _("This quantity is less than 0.001 %(unit)s.") % {"unit": item.base_unit},
            )
            continue
        clean.append(CleanLine(item, quantity, unit.strip(), base, yield_pct))
    return clean
