"""The unmapped-sales queue: POS codes with no menu mapping and the lines waiting for them.

Ingestion keeps every line, mapped or not. A line naming a code that has no mapping
(its own code, a modifier's or a set-meal part's) waits in the queue, counted per
(source, code, kind) with its quantity and revenue; it depletes nothing until every code
it names is mapped. `map_pos_code` creates the menu's POS code and depletes the lines that
were waiting for it, at their original business time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from boh.core.numbers import MONEY_PLACES, QTY_PLACES
from boh.sales.models import LineState, TicketLine, UnmappedLine, UnmappedSale
from boh.sales.services import rows
from boh.sales.services.checking import CheckedLine

ZERO = Decimal(0)
_QUEUE = UnmappedSale._meta.db_table
_LINKS = UnmappedLine._meta.db_table
_LINES = TicketLine._meta.db_table

UPSERT_QUEUE = (
    f"INSERT INTO {_QUEUE} (organization_id, source, code, kind, name, lines, quantity, "  # noqa: S608
    "revenue, first_seen_at, last_seen_at, resolved_at, pos_code_id) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, NULL, NULL) "
    "ON CONFLICT (organization_id, source, code, kind) DO UPDATE SET "
    f"lines = {_QUEUE}.lines + excluded.lines, "
    f"quantity = ROUND({_QUEUE}.quantity + excluded.quantity, {QTY_PLACES}), "
    f"revenue = ROUND({_QUEUE}.revenue + excluded.revenue, {MONEY_PLACES}), "
    f"name = CASE WHEN {_QUEUE}.name = '' THEN excluded.name ELSE {_QUEUE}.name END, "
    f"first_seen_at = CASE WHEN excluded.first_seen_at < {_QUEUE}.first_seen_at "
    f"THEN excluded.first_seen_at ELSE {_QUEUE}.first_seen_at END, "
    f"last_seen_at = CASE WHEN excluded.last_seen_at > {_QUEUE}.last_seen_at "
    f"THEN excluded.last_seen_at ELSE {_QUEUE}.last_seen_at END, "
    "resolved_at = NULL, pos_code_id = NULL"
)
TAKE_FROM_QUEUE = (
    f"UPDATE {_QUEUE} SET lines = lines - %s, "  # noqa: S608
    f"quantity = ROUND(quantity - %s, {QTY_PLACES}), revenue = ROUND(revenue - %s, {MONEY_PLACES}) "
    "WHERE id = %s"
)

QueueKey = tuple[str, str, str]


@dataclass
class _Entry:
    name: str = ""
    lines: int = 0
    quantity: Decimal = ZERO
    revenue: Decimal = ZERO
    first: dt.datetime | None = None
    last: dt.datetime | None = None

    def add(self, quantity: Decimal, revenue: Decimal, at: dt.datetime, name: str) -> None:
        self.lines += 1
        self.quantity += quantity
        self.revenue += revenue
        if self.first is None or at < self.first:
            self.first = at
        if self.last is None or at > self.last:
            self.last = at
        if not self.name and name:
            self.name = name


@dataclass
class QueueChanges:
    """What one write does to the queue: lines that start waiting, lines that stop."""

    organization_id: int
    entries: dict[QueueKey, _Entry] = field(default_factory=dict)
    # (version id, line number) -> the queue keys the new line waits on.
    waiting: dict[tuple[int, int], list[QueueKey]] = field(default_factory=dict)
    released: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)

    def wait(self, version_id: int, line: CheckedLine, source: str, at: dt.datetime) -> None:
        """A new line waits for its missing codes."""
        keys: list[QueueKey] = []
        for code, kind in line.missing:
            key = (source, code, kind)
            entry = self.entries.get(key)
            if entry is None:
                entry = self.entries[key] = _Entry()
            entry.add(line.quantity, line.net_amount, at, line.name if kind == "line" else "")
            keys.append(key)
        self.waiting[(version_id, line.line_no)] = keys

    def release(self, line_id: int, quantity: Decimal, revenue: Decimal) -> None:
        """A waiting line stops waiting (its version was replaced, or its codes were mapped)."""
        self.released[line_id] = (quantity, revenue)

    def retire_lines(self, version_ids: list[int]) -> None:
        """Waiting lines of replaced versions leave the queue."""
        for chunk in rows.chunks(version_ids):
            rows.execute(
                f"UPDATE {_LINES} SET state = %s "  # noqa: S608
                f"WHERE state = %s AND version_id IN ({rows.marks(len(chunk))})",
                [LineState.REPLACED, LineState.WAITING, *chunk],
            )

    def write(self) -> None:
        """Take released lines out of their queue rows, then add the new waiting lines."""
        if self.released:
            take_out(list(self.released.items()))
        if not self.entries:
            return
        rows.execute_many(
            UPSERT_QUEUE,
            [
                (
                    self.organization_id,
                    source,
                    code,
                    kind,
                    e.name[:200],
                    e.lines,
                    e.quantity,
                    e.revenue,
                    rows.db_time(e.first),
                    rows.db_time(e.last),
                )
                for (source, code, kind), e in self.entries.items()
            ],
        )
        ids = queue_ids(self.organization_id, list(self.entries))
        versions = sorted({version_id for version_id, _n in self.waiting})
        links: list[tuple[Any, ...]] = []
        for chunk in rows.chunks(versions):
            for line_id, version_id, line_no in rows.select(
                f"SELECT id, version_id, line_no FROM {_LINES} "  # noqa: S608
                f"WHERE state = %s AND version_id IN ({rows.marks(len(chunk))})",
                [LineState.WAITING, *chunk],
            ):
                for key in self.waiting.get((version_id, line_no), ()):
                    links.append((ids[key], line_id))
        rows.insert(_LINKS, ("unmapped_id", "line_id"), links)


def queue_ids(organization_id: int, keys: list[QueueKey]) -> dict[QueueKey, int]:
    """Ids of queue rows by (source, code, kind)."""
    wanted = set(keys)
    found: dict[QueueKey, int] = {}
    codes = sorted({code for _s, code, _k in keys})
    for chunk in rows.chunks(codes):
        for pk, source, code, kind in rows.select(
            f"SELECT id, source, code, kind FROM {_QUEUE} "  # noqa: S608
            f"WHERE organization_id = %s AND code IN ({rows.marks(len(chunk))})",
            [organization_id, *chunk],
        ):
            if (source, code, kind) in wanted:
                found[(source, code, kind)] = pk
    return found


def take_out(
    lines: list[tuple[int, tuple[Decimal, Decimal]]], only: list[int] | None = None
) -> None:
    """Remove lines from the queue rows they wait on (only some rows, when given), and lower
    those rows' figures."""
    by_line = dict(lines)
    totals: dict[int, list[Any]] = {}
    line_ids = sorted(by_line)
    only_sql = f" AND unmapped_id IN ({rows.marks(len(only))})" if only else ""
    for chunk in rows.chunks(line_ids):
        params = [*chunk, *(only or [])]
        for unmapped_id, line_id in rows.select(
            f"SELECT unmapped_id, line_id FROM {_LINKS} "  # noqa: S608
            f"WHERE line_id IN ({rows.marks(len(chunk))}){only_sql}",
            params,
        ):
            quantity, revenue = by_line[line_id]
            row = totals.setdefault(unmapped_id, [0, ZERO, ZERO])
            row[0] += 1
            row[1] += quantity
            row[2] += revenue
        rows.execute(
            f"DELETE FROM {_LINKS} WHERE line_id IN ({rows.marks(len(chunk))}){only_sql}",  # noqa: S608
            params,
        )
    rows.execute_many(
        TAKE_FROM_QUEUE, [(n, q, r, unmapped_id) for unmapped_id, (n, q, r) in totals.items()]
    )
