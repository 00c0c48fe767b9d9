"""Raw SQL helpers for the posting hot path, portable between SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection

from boh.core.numbers import COST_PLACES, QTY_PLACES, VALUE_PLACES

_QTY = Decimal(1).scaleb(-QTY_PLACES)
_VALUE = Decimal(1).scaleb(-VALUE_PLACES)
_COST = Decimal(1).scaleb(-COST_PLACES)

# Row values per statement, well under SQLite's limit of 32,766 parameters.
PAIR_CHUNK = 4000


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def for_update(of: str = "") -> str:
    """Row locks on PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE instead."""
    if not is_postgres():
        return ""
    return f" FOR UPDATE OF {of}" if of else " FOR UPDATE"


def _num(value: Any, exp: Decimal) -> Decimal:
    if isinstance(value, Decimal):
        return value
    # SQLite hands numeric columns back as float or int; their 15 digits are exact here.
    return Decimal(str(value)).quantize(exp)


def qty(value: Any) -> Decimal:
    return _num(value, _QTY)


def money(value: Any) -> Decimal:
    return _num(value, _VALUE)


def cost(value: Any) -> Decimal:
    return _num(value, _COST)


def when(value: Any) -> dt.datetime | None:
    """A datetime column as an aware datetime (SQLite stores naive UTC text)."""
    if value is None or isinstance(value, dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC)


def day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def db_time(value: dt.datetime) -> Any:
    """A datetime as the database driver expects it."""
    return connection.ops.adapt_datetimefield_value(value)


def pairs_in(alias: str, pairs: Sequence[tuple[int, int]]) -> tuple[str, list[int]]:
    """`(alias.location_id, alias.item_id) IN (VALUES ...)` and its parameters."""
    params: list[int] = []
    for location_id, item_id in pairs:
        params.append(location_id)
        params.append(item_id)
    values = ",".join(["(%s,%s)"] * len(pairs))
    return f"({alias}.location_id, {alias}.item_id) IN (VALUES {values})", params


def chunks(items: Sequence[Any], size: int = PAIR_CHUNK) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items]


def exact_sum(column: str, places: int) -> str:
    """SUM of a decimal column that stays exact on SQLite, which sums numerics as floats."""
    return f"SUM(ROUND({column} * {10**places}))"


def from_scaled(value: Any, places: int) -> Decimal:
    """A sum made by exact_sum, back as a Decimal."""
    if value is None:
        return Decimal(0).scaleb(-places)
    if isinstance(value, Decimal):
        return value.to_integral_value().scaleb(-places)
    return Decimal(round(float(value))).scaleb(-places)
