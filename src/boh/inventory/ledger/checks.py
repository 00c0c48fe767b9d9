"""Checks a batch of MoveSpecs as a whole, with a constant number of queries, into Lines."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.catalog.models import Item
from boh.core.numbers import COST_PLACES, QTY_PLACES, round_cost, round_qty
from boh.core.validation import Checker
from boh.inventory import errors
from boh.inventory.ledger.specs import (
    IN_KINDS,
    OUT_KINDS,
    POSTABLE_KINDS,
    Line,
    LotInfo,
    MoveSpec,
    NewLot,
)
from boh.inventory.models import ClosedPeriod, Lot, MoveKind, StockMove
from boh.org.access import Actor
from boh.org.models import Location, Valuation

_KIND_CHOICES = set(POSTABLE_KINDS)
# Largest quantity and unit cost accepted: values stay exact on every database.
MAX_QUANTITY = Decimal(10) ** 11
MAX_COST = Decimal(10) ** 8
_SCALES = {places: Decimal(1).scaleb(-places) for places in (QTY_PLACES, COST_PLACES)}
# Business time may run ahead of the server clock by this much (till clocks drift).
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


def raise_errors(check: Checker) -> None:
    """Raise the collected errors (400); an id of another organization is "not_found" on
    its field, exactly as an id that does not exist."""
    check.raise_if_any()


def local_dates(locations: dict[int, Location]) -> dict[int, zoneinfo.ZoneInfo]:
    return {pk: zoneinfo.ZoneInfo(loc.time_zone) for pk, loc in locations.items()}


def closed_through(organization_id: int, location_ids: set[int]) -> dict[int | None, dt.date]:
    """Latest closed date per location id (None: the whole organization)."""
    result: dict[int | None, dt.date] = {}
    rows = ClosedPeriod.objects.filter(organization_id=organization_id).filter(
        Q(location__isnull=True) | Q(location_id__in=location_ids)
    )
    for location_id, through in rows.values_list("location_id", "closed_through"):
        if location_id not in result or through > result[location_id]:
            result[location_id] = through
    return result


def check_period(
    check: Checker,
    field: str,
    closed: dict[int | None, dt.date],
    location_id: int,
    local_date: dt.date,
) -> None:
    limits = [d for d in (closed.get(None), closed.get(location_id)) if d is not None]
    if limits and local_date <= max(limits):
        check.fail(
            field,
            errors.PERIOD_CLOSED,
            _("The stock books are closed through %(date)s; post with a later date.")
            % {"date": max(limits).isoformat()},
        )


def _number(
    check: Checker, field: str, value: Any, places: int, limit: Decimal
) -> tuple[Decimal, bool]:
    """The number and whether it is acceptable; a Decimal within scale skips the Checker."""
    # Exact at the scale: trailing zeros beyond it are fine, as they are to the Checker.
    if (
        type(value) is Decimal
        and value.is_finite()
        and -limit < value < limit
        and value.quantize(_SCALES[places]) == value
    ):
        return value, True
    before = len(check.errors)
    number = check.decimal(field, value, places=places)
    if len(check.errors) == before and abs(number) >= limit:
        check.fail(field, "too_large", _("This number is too large."))
    return number, len(check.errors) == before


def _text(check: Checker, at: str, key: str, value: str, max_length: int) -> str:
    if not value:
        return ""
    if type(value) is str and len(value) <= max_length and value == value.strip():
        return value
    return check.text(f"{at}.{key}", value, max_length=max_length, required=False)


def check_specs(
    actor: Actor, specs: Sequence[MoveSpec], now: dt.datetime, batch: uuid.UUID
) -> tuple[list[Line], list[NewLot]]:
    """Every error of the batch at once (fields `moves[i].x`), or the checked lines."""
    check = Checker()
    if not specs:
        check.fail("moves", errors.NO_MOVES, _("Add at least one move."))
        check.raise_if_any()
    org = actor.organization

    location_ids = {s.location_id for s in specs}
    item_ids = {s.item_id for s in specs}
    lot_ids = {s.lot_id for s in specs if s.lot_id is not None}
    locations = {
        loc.pk: loc
        for loc in Location.objects.filter(organization=org, pk__in=location_ids).only(
            "id", "organization_id", "code", "name", "time_zone"
        )
    }
    items = {
        item.pk: item
        for item in Item.objects.filter(organization=org, pk__in=item_ids).only(
            "id", "organization_id", "code", "name", "base_unit", "lot_tracked", "category_id"
        )
    }
    lots = {
        lot.pk: lot
        for lot in (
            Lot.objects.filter(organization=org, pk__in=lot_ids).only(
                "id", "item_id", "code", "expiry_date", "received_date", "status"
            )
            if lot_ids
            else []
        )
    }
    wanted_codes = {(s.item_id, s.new_lot.code.strip()) for s in specs if s.new_lot is not None}
    existing_codes: dict[tuple[int, str], Lot] = {}
    if wanted_codes:
        for lot in Lot.objects.filter(
            item_id__in={i for i, _c in wanted_codes}, code__in={c for _i, c in wanted_codes}
        ).only("id", "item_id", "code", "expiry_date", "received_date", "status"):
            existing_codes[(lot.item_id, lot.code)] = lot
    closed = closed_through(org.pk, location_ids)
    zones = local_dates(locations)
    fifo = org.valuation == Valuation.FIFO

    lines: list[Line] = []
    new_lots: dict[tuple[int, str], NewLot] = {}
    implicit = 0
    days: dict[tuple[dt.datetime, int], dt.date] = {}
    latest = now + FUTURE_TOLERANCE
    for i, spec in enumerate(specs):
        f = f"moves[{i}]"
        location = locations.get(spec.location_id)
        item = items.get(spec.item_id)
        if location is None:
            check.fail(f"{f}.location_id", "not_found", _("No such location."))
        if item is None:
            check.fail(f"{f}.item_id", "not_found", _("No such item."))
        kind = spec.kind
        kind_ok = kind in POSTABLE_KINDS
        if not kind_ok:
            check.choice(f"{f}.kind", kind, _KIND_CHOICES)
        quantity, quantity_ok = _number(
            check, f"{f}.quantity", spec.quantity, QTY_PLACES, MAX_QUANTITY
        )
        if quantity_ok and quantity == 0:
            check.fail(f"{f}.quantity", errors.ZERO_QUANTITY, _("The quantity cannot be zero."))
            quantity_ok = False
        if quantity_ok and kind_ok and spec.reverses_id is None:
            if kind in IN_KINDS and quantity < 0:
                check.fail(
                    f"{f}.quantity",
                    errors.WRONG_SIGN,
                    _("This kind of move brings stock in; use a positive quantity."),
                )
            elif kind in OUT_KINDS and quantity > 0:
                check.fail(
                    f"{f}.quantity",
                    errors.WRONG_SIGN,
                    _("This kind of move takes stock out; use a negative quantity."),
                )
        quantity = round_qty(quantity)
        incoming = quantity > 0

        fixed_cost: Decimal | None = None
        if spec.unit_cost is not None:
            fixed_cost, cost_ok = _number(
                check, f"{f}.unit_cost", spec.unit_cost, COST_PLACES, MAX_COST
            )
            fixed_cost = round_cost(fixed_cost)
            if cost_ok and fixed_cost < 0:
                check.fail(
                    f"{f}.unit_cost", errors.NEGATIVE_COST, _("The unit cost cannot be negative.")
                )
            if quantity < 0 and spec.reverses_id is None:
                check.fail(
                    f"{f}.unit_cost",
                    errors.UNIT_COST_NOT_ALLOWED,
                    _("Stock taken out is valued by the ledger; leave the unit cost empty."),
                )
        elif kind in IN_KINDS and spec.reverses_id is None:
            check.fail(
                f"{f}.unit_cost",
                errors.UNIT_COST_REQUIRED,
                _("Give the unit cost of stock brought in."),
            )

        happened_at = spec.happened_at or now
        if happened_at.utcoffset() is None:
            check.fail(
                f"{f}.happened_at", errors.NAIVE_TIME, _("Give the time with its time zone.")
            )
            happened_at = timezone.make_aware(happened_at, dt.UTC)
        elif happened_at > latest:
            check.fail(f"{f}.happened_at", errors.IN_FUTURE, _("This time is in the future."))
        local_date = now.date()
        if location is not None:
            day_key = (happened_at, spec.location_id)
            found_day = days.get(day_key)
            if found_day is None:
                found_day = days[day_key] = happened_at.astimezone(zones[spec.location_id]).date()
            local_date = found_day
            if closed:
                check_period(check, f"{f}.happened_at", closed, spec.location_id, local_date)

        reason = _text(check, f, "reason", spec.reason, 40)
        source_line = _text(check, f, "source_line", spec.source_line, 64)
        note = _text(check, f, "override_note", spec.override_note, 2000)
        if spec.allow_unavailable_lot and not note:
            check.fail(
                f"{f}.override_note",
                errors.OVERRIDE_NOTE_REQUIRED,
                _("Say why a held, recalled or expired lot may be used."),
            )

        lot_info: LotInfo | None = None
        new_lot: NewLot | None = None
        if spec.lot_id is not None:
            named = lots.get(spec.lot_id)
            if named is None:
                check.fail(f"{f}.lot_id", "not_found", _("No such lot."))
            elif item is not None and named.item_id != item.pk:
                check.fail(
                    f"{f}.lot_id", errors.LOT_OF_OTHER_ITEM, _("This lot belongs to another item.")
                )
            else:
                lot_info = LotInfo(
                    named.pk, named.code, named.expiry_date, named.received_date, named.status
                )
            if spec.new_lot is not None:
                check.fail(
                    f"{f}.new_lot",
                    errors.LOT_CODE_CONFLICT,
                    _("Name an existing lot or a new one, not both."),
                )
        elif spec.new_lot is not None:
            if not incoming:
                check.fail(
                    f"{f}.new_lot",
                    errors.LOT_REQUIRED,
                    _("A new lot can only come with stock brought in."),
                )
            code = check.text(f"{f}.new_lot.code", spec.new_lot.code, max_length=64)
            supplier_lot = check.text(
                f"{f}.new_lot.supplier_lot_code",
                spec.new_lot.supplier_lot_code,
                max_length=64,
                required=False,
            )
            if item is not None and code:
                key = (item.pk, code)
                found = existing_codes.get(key)
                if found is not None:
                    if found.expiry_date != spec.new_lot.expiry_date:
                        check.fail(
                            f"{f}.new_lot.code",
                            errors.LOT_CODE_CONFLICT,
                            _("Lot %(code)s of this item already exists with another expiry date.")
                            % {"code": code},
                        )
                    lot_info = LotInfo(
                        found.pk, found.code, found.expiry_date, found.received_date, found.status
                    )
                elif key in new_lots:
                    new_lot = new_lots[key]
                    if new_lot.expiry_date != spec.new_lot.expiry_date:
                        check.fail(
                            f"{f}.new_lot.code",
                            errors.LOT_CODE_CONFLICT,
                            _("Lot %(code)s appears twice with different expiry dates.")
                            % {"code": code},
                        )
                else:
                    new_lot = NewLot(
                        item_id=item.pk,
                        code=code,
                        expiry_date=spec.new_lot.expiry_date,
                        received_date=spec.new_lot.received_date or local_date,
                        supplier_id=spec.new_lot.supplier_id,
                        supplier_lot_code=supplier_lot,
                    )
                    new_lots[key] = new_lot
        elif item is not None and incoming and spec.reverses_id is None:
            if item.lot_tracked:
                check.fail(
                    f"{f}.lot_id",
                    errors.LOT_REQUIRED,
                    _("%(item)s is lot-tracked: name the lot (lot_id or new_lot).")
                    % {"item": item.name},
                )
            elif fifo and fixed_cost is not None:
                # Under FIFO each costed receipt of an untracked item is its own layer.
                implicit += 1
                code = f"L{batch.hex[:12]}-{implicit}"
                new_lot = NewLot(item.pk, code, None, local_date, None, "")
                new_lots[(item.pk, code)] = new_lot

        if location is None or item is None:
            continue
        lines.append(
            Line(
                index=i,
                location=location,
                item=item,
                location_id=spec.location_id,
                item_id=spec.item_id,
                kind=kind,
                quantity=quantity,
                happened_at=happened_at,
                local_date=local_date,
                lot=lot_info,
                new_lot=new_lot,
                fixed_cost=fixed_cost,
                reverses_id=spec.reverses_id,
                reason=reason,
                source_line=source_line,
                override=spec.allow_unavailable_lot,
                override_note=note,
            )
        )
    if any(s.reverses_id is not None for s in specs):
        originals = load_originals(org.pk, {s.reverses_id for s in specs if s.reverses_id})
        check_reversals(check, lines, originals)
    raise_errors(check)
    return lines, list(new_lots.values())


def require_locations(actor: Actor, permission: str, location_ids: set[int]) -> None:
    """Permission at every location of the batch."""
    for location_id in sorted(location_ids):
        actor.require(permission, location_id)


@dataclass(frozen=True)
class Original:
    """A move about to be reversed, with the value it carries after revaluations."""

    move: StockMove
    effective: Decimal
    reversed: bool


def load_originals(organization_id: int, move_ids: set[int]) -> dict[int, Original]:
    """Moves by id (this organization only), their effective values and reversal state."""
    moves = {
        m.pk: m
        for m in StockMove.objects.filter(
            organization_id=organization_id, pk__in=move_ids
        ).select_related("lot")
    }
    if not moves:
        return {}
    revalued: dict[int, Decimal] = {}
    for target, value in StockMove.objects.filter(revalues_id__in=moves).values_list(
        "revalues_id", "value"
    ):
        revalued[target] = revalued.get(target, Decimal(0)) + value
    reversed_ids = set(
        StockMove.objects.filter(reverses_id__in=moves).values_list("reverses_id", flat=True)
    )
    return {
        pk: Original(m, m.value + revalued.get(pk, Decimal(0)), pk in reversed_ids)
        for pk, m in moves.items()
    }


def check_reversals(check: Checker, lines: list[Line], originals: dict[int, Original]) -> None:
    """A reversal takes back exactly one move, once: same location, item, lot and quantity."""
    seen: set[int] = set()
    for line in lines:
        if line.reverses_id is None:
            continue
        f = f"moves[{line.index}].reverses_id"
        found = originals.get(line.reverses_id)
        if found is None:
            check.fail(f, "not_found", _("No such move."))
            continue
        original = found.move
        if original.kind == MoveKind.REVALUATION or original.reverses_id is not None:
            check.fail(f, errors.NOT_REVERSIBLE, _("This move cannot be reversed."))
            continue
        if found.reversed or original.pk in seen:
            check.fail(f, errors.ALREADY_REVERSED, _("This move has already been reversed."))
            continue
        seen.add(original.pk)
        same = (
            original.location_id == line.location.pk
            and original.item_id == line.item.pk
            and original.quantity == -line.quantity
            and (line.lot is None or line.lot.lot_id == original.lot_id)
        )
        if not same:
            check.fail(
                f,
                errors.REVERSAL_MISMATCH,
                _("A reversal takes back exactly the quantity, item, lot and location of a move."),
            )
            continue
        line.kind = original.kind
        line.fixed_value = -found.effective
        line.fixed_cost = original.unit_cost
        lot = original.lot
        line.lot = (
            LotInfo(lot.pk, lot.code, lot.expiry_date, lot.received_date, lot.status)
            if lot is not None
            else None
        )
