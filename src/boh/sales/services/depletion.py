"""Theoretical depletion of tickets: sold lines through the menu's recipes into ledger moves.

Each ticket's lines are exploded (menu.explosion, by the recipes in force on the ticket's
business date), summed per item and rounded once per ticket, so that one ticket's moves
can be reversed exactly when it is amended. Refund lines carry negative quantities and
net against the ticket's sales; a ticket never returns more of an item than it sold
(food refunded is not restocked).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from boh.core.errors import FieldError
from boh.core.numbers import round_qty
from boh.inventory.models import MoveKind, StockMove
from boh.inventory.services import MoveSpec
from boh.menu.explosion import SoldLine, explode_detailed

ZERO = Decimal(0)
ONE = Decimal(1)
SOURCE_TYPE = "pos_ticket"


def version_line(version_id: int) -> str:
    """The source_line of the moves that deplete a ticket version."""
    return f"v{version_id}"


def reversal_line(version_id: int) -> str:
    """The source_line of the moves that reverse a ticket version's depletion."""
    return f"r{version_id}"


@dataclass
class Sold:
    """One line to explode, and who it belongs to."""

    owner: int
    business_date: dt.date
    line: SoldLine
    # Field path of the line as the client sent it, for errors.
    at: str


def explode_lines(
    organization_id: int, sold: Sequence[Sold]
) -> tuple[dict[int, dict[int, Decimal]], dict[int, list[FieldError]]]:
    """Items each owner's lines deplete (rounded per owner), and the errors of refused lines.

    One explosion per business date, so the query count follows the number of dates in
    the batch, not the number of lines; within a date each distinct (menu item, options,
    set-meal parts) is exploded once, per portion, and every line of it multiplies that
    vector by its own quantity.
    """
    by_date: dict[dt.date, list[Sold]] = defaultdict(list)
    for entry in sold:
        by_date[entry.business_date].append(entry)
    exact: dict[int, dict[int, Decimal]] = defaultdict(dict)
    refused: dict[int, list[FieldError]] = defaultdict(list)
    for day, group in by_date.items():
        distinct: dict[Any, int] = {}
        units: list[SoldLine] = []
        slots: list[int] = []
        for n, entry in enumerate(group):
            line = entry.line
            quantity = line.quantity
            if type(quantity) is Decimal and quantity.is_finite() and quantity:
                key: Any = (line.menu_item_id, line.option_ids, line.components)
                slot = distinct.get(key)
                if slot is None:
                    slot = distinct[key] = len(units)
                    units.append(SoldLine(line.menu_item_id, ONE, line.option_ids, line.components))
            else:
                # Exploded on its own, so that its quantity is refused as the client sent it.
                slot = distinct[("line", n)] = len(units)
                units.append(line)
            slots.append(slot)
        result = explode_detailed(organization_id, units, day, per_line=True)
        errors_of: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for error in result.errors:
            # "lines[7].option_ids[0]": the 7th distinct line of this date's group.
            head, _sep, rest = error.field.partition("]")
            errors_of[int(head.removeprefix("lines["))].append(
                (_client_path(rest), error.code, error.message)
            )
        assert result.lines is not None
        vectors = result.lines
        for entry, slot in zip(group, slots, strict=True):
            failures = errors_of.get(slot)
            if failures:
                refused[entry.owner].extend(
                    FieldError(entry.at + rest, code, message) for rest, code, message in failures
                )
                continue
            vector = vectors[slot]
            if not vector:
                continue
            quantity = entry.line.quantity
            totals = exact[entry.owner]
            if units[slot] is entry.line:
                for item_id, amount in vector.items():
                    totals[item_id] = totals.get(item_id, ZERO) + amount
            else:
                for item_id, per_unit in vector.items():
                    totals[item_id] = totals.get(item_id, ZERO) + per_unit * quantity
    rounded: dict[int, dict[int, Decimal]] = {}
    for owner, totals in exact.items():
        kept = {}
        for item_id, quantity in totals.items():
            amount = round_qty(quantity)
            if amount > 0:
                kept[item_id] = amount
        rounded[owner] = kept
    return rounded, dict(refused)


def _client_path(rest: str) -> str:
    """Explosion paths name option ids and menu item ids; the client sent POS codes."""
    return rest.replace(".option_ids[", ".modifiers[").replace(".menu_item_id", ".pos_code")


def depletion_specs(
    location_id: int, happened_at: dt.datetime, version_id: int, items: dict[int, Decimal]
) -> list[MoveSpec]:
    """Moves that deplete one ticket version's items at its location."""
    line = version_line(version_id)
    return [
        MoveSpec(
            location_id=location_id,
            item_id=item_id,
            quantity=-quantity,
            kind=MoveKind.SALE_DEPLETION,
            happened_at=happened_at,
            source_line=line,
        )
        for item_id, quantity in sorted(items.items())
    ]


def reversal_specs(
    organization_id: int, postings: Iterable[tuple[int, list[str]]]
) -> list[MoveSpec]:
    """Moves that take back, at their own business time, what earlier versions depleted.

    postings: (version id, ledger source ids it was posted under) for each version.
    """
    wanted: dict[str, int] = {}
    source_ids: set[str] = set()
    for version_id, posted_in in postings:
        if posted_in:
            wanted[version_line(version_id)] = version_id
            source_ids.update(posted_in)
    if not wanted:
        return []
    moves = (
        StockMove.objects.filter(
            organization_id=organization_id,
            source_type=SOURCE_TYPE,
            source_id__in=sorted(source_ids),
            source_line__in=sorted(wanted),
        )
        .exclude(kind=MoveKind.REVALUATION)
        .order_by("id")
        .values_list(
            "id", "location_id", "item_id", "quantity", "kind", "happened_at", "source_line"
        )
    )
    return [
        MoveSpec(
            location_id=location_id,
            item_id=item_id,
            quantity=-quantity,
            kind=kind,
            happened_at=happened_at,
            reverses_id=move_id,
            source_line=reversal_line(wanted[source_line]),
        )
        for move_id, location_id, item_id, quantity, kind, happened_at, source_line in moves
    ]
