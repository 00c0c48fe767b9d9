"""Recompute balances from the moves and report every difference from the stored ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from boh.core.numbers import QTY_PLACES, VALUE_PLACES
from boh.inventory.ledger import sql
from boh.inventory.models import Balance, ItemBalance, StockMove

ZERO = Decimal(0)


@dataclass(frozen=True)
class Difference:
    """A balance that does not equal the sum of its moves."""

    location_id: int
    item_id: int
    lot_id: int | None  # None with `whole_item`: the item balance of all lots
    whole_item: bool
    stored_quantity: Decimal
    stored_value: Decimal
    moves_quantity: Decimal
    moves_value: Decimal


def _sums(location_id: int) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    """(item, lot key) -> (quantity, value) summed from the moves of one location."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT item_id, COALESCE(lot_id, 0), {sql.exact_sum('quantity', QTY_PLACES)}, "  # noqa: S608
            f"{sql.exact_sum('value', VALUE_PLACES)} FROM {StockMove._meta.db_table} "
            "WHERE location_id = %s GROUP BY item_id, COALESCE(lot_id, 0)",
            [location_id],
        )
        return {
            (item, lot): (sql.from_scaled(q, QTY_PLACES), sql.from_scaled(v, VALUE_PLACES))
            for item, lot, q, v in cursor.fetchall()
        }


def location_ids(organization_id: int | None = None) -> list[int]:
    """Locations that have balances or moves, in id order."""
    moves = StockMove.objects.all()
    balances = Balance.objects.all()
    if organization_id is not None:
        moves = moves.filter(organization_id=organization_id)
        balances = balances.filter(organization_id=organization_id)
    found = set(moves.values_list("location_id", flat=True).distinct())
    found |= set(balances.values_list("location_id", flat=True).distinct())
    return sorted(found)


def verify_location(location_id: int) -> list[Difference]:
    """Differences between the stored balances of one location and the sums of its moves."""
    sums = _sums(location_id)
    differences: list[Difference] = []
    stored = {
        (b.item_id, b.lot_key): b
        for b in Balance.objects.filter(location_id=location_id).only(
            "item_id", "lot_key", "lot_id", "quantity", "value"
        )
    }
    for key in sorted(set(sums) | set(stored)):
        moves_q, moves_v = sums.get(key, (ZERO, ZERO))
        row = stored.get(key)
        row_q, row_v = (row.quantity, row.value) if row else (ZERO, ZERO)
        if row_q != moves_q or row_v != moves_v:
            differences.append(
                Difference(
                    location_id, key[0], key[1] or None, False, row_q, row_v, moves_q, moves_v
                )
            )
    per_item: dict[int, tuple[Decimal, Decimal]] = {}
    for (item_id, _lot), (q, v) in sums.items():
        old_q, old_v = per_item.get(item_id, (ZERO, ZERO))
        per_item[item_id] = (old_q + q, old_v + v)
    items = {
        b.item_id: b
        for b in ItemBalance.objects.filter(location_id=location_id).only(
            "item_id", "quantity", "value"
        )
    }
    for item_id in sorted(set(per_item) | set(items)):
        moves_q, moves_v = per_item.get(item_id, (ZERO, ZERO))
        found = items.get(item_id)
        row_q, row_v = (found.quantity, found.value) if found else (ZERO, ZERO)
        if row_q != moves_q or row_v != moves_v:
            differences.append(
                Difference(location_id, item_id, None, True, row_q, row_v, moves_q, moves_v)
            )
    return differences


def verify_balances(
    organization_id: int | None = None,
    progress: Callable[[list[int]], object] | None = None,
) -> list[Difference]:
    """Every difference between stored balances and the moves, location by location."""
    ids = location_ids(organization_id)
    walk = progress(ids) if progress is not None else ids
    differences: list[Difference] = []
    for location_id in walk:  # type: ignore[attr-defined]
        differences.extend(verify_location(location_id))
    return differences
