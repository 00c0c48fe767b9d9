"""post_moves and reverse_moves: the single entry point that changes stock.

One call is one batch, checked as a whole and written in one transaction with a number
of queries that does not grow with the batch: load what the moves name, lock the item
balances they touch (in (location, item) order on PostgreSQL, so two batches never wait
on each other in a cycle), split issues over lots by FEFO, value each move, write the
moves with `executemany`, upsert the balances, and record one audit entry and one domain
event "inventory.moves_posted".

Negative stock follows the organization's policy: "allow" posts the shortfall and flags
the move; "refuse" refuses the batch naming item, location and shortfall, except for sales
depletion, which is flagged instead because the sale has already happened.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.catalog.models import Item
from boh.core.models import AuditEntry
from boh.core.numbers import round_cost
from boh.core.services import emit_event, record_audit
from boh.core.validation import Checker
from boh.inventory import errors
from boh.inventory.ledger import sql
from boh.inventory.ledger.checks import (
    check_period,
    check_reversals,
    check_specs,
    closed_through,
    load_originals,
    local_dates,
    raise_errors,
    require_locations,
)
from boh.inventory.ledger.specs import (
    CONSUMING_KINDS,
    Line,
    LotInfo,
    MoveRows,
    MoveSpec,
    NewLot,
    PostResult,
)
from boh.inventory.models import (
    Balance,
    ItemBalance,
    Lot,
    LotStatus,
    MoveKind,
    StockMove,
)
from boh.inventory.valuation import Pool, step
from boh.org.access import Actor
from boh.org.models import Location, NegativeStock, Valuation
from boh.org.roles import Perm

logger = logging.getLogger(__name__)

ZERO = Decimal(0)
EVENT_POSTED = "inventory.moves_posted"

MOVE_COLUMNS = (
    "organization_id",
    "location_id",
    "item_id",
    "lot_id",
    "kind",
    "quantity",
    "unit_cost",
    "value",
    "cost_fixed",
    "happened_at",
    "posted_at",
    "posted_by_user_id",
    "posted_by_api_key_id",
    "batch",
    "source_type",
    "source_id",
    "source_line",
    "reason",
    "reverses_id",
    "revalues_id",
    "flagged",
    "override_note",
)
_MOVES = StockMove._meta.db_table
_BALANCES = Balance._meta.db_table
_ITEM_BALANCES = ItemBalance._meta.db_table
_LOTS = Lot._meta.db_table
INSERT_MOVE = (
    f"INSERT INTO {_MOVES} ({', '.join(MOVE_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * len(MOVE_COLUMNS))})"
)


@dataclass
class LotRow:
    """One balance row (location, item, lot) as the batch changes it."""

    lot_key: int
    quantity: Decimal
    value: Decimal
    code: str = ""
    expiry_date: dt.date | None = None
    received_date: dt.date | None = None
    status: str = LotStatus.AVAILABLE
    pool: Pool | None = None
    touched_at: dt.datetime | None = None

    def fefo_key(self) -> tuple[Any, ...]:
        return (
            self.expiry_date is None,
            self.expiry_date or dt.date.max,
            self.received_date is None,
            self.received_date or dt.date.max,
            self.lot_key == 0,
            self.lot_key,
        )

    def usable_on(self, day: dt.date) -> bool:
        if self.lot_key == 0:
            return True
        if self.status != LotStatus.AVAILABLE:
            return False
        return self.expiry_date is None or self.expiry_date >= day


@dataclass
class PairState:
    """One item at one location: its item balance, its lot rows and its cost pool."""

    balance_id: int
    location_id: int
    item_id: int
    quantity: Decimal
    value: Decimal
    unit_cost: Decimal
    last_move_at: dt.datetime | None
    rows: dict[int, LotRow] = field(default_factory=dict)
    pool: Pool = field(default_factory=Pool)
    touched: bool = False
    first_at: dt.datetime | None = None
    latest_at: dt.datetime | None = None
    backdated: bool = False

    def row(self, lot: LotInfo | None) -> LotRow:
        key = lot.lot_id if lot is not None else 0
        found = self.rows.get(key)
        if found is None:
            found = LotRow(key, ZERO, ZERO)
            if lot is not None:
                found.code = lot.code
                found.expiry_date = lot.expiry_date
                found.received_date = lot.received_date
                found.status = lot.status
            self.rows[key] = found
        return found

    def row_for_key(self, lot_key: int) -> LotRow:
        found = self.rows.get(lot_key)
        if found is None:
            found = self.rows[lot_key] = LotRow(lot_key, ZERO, ZERO)
        return found

    def note_time(self, at: dt.datetime) -> None:
        latest = self.latest_at or self.last_move_at
        if latest is not None and at < latest:
            self.backdated = True
        if self.first_at is None or at < self.first_at:
            self.first_at = at
        if self.latest_at is None or at > self.latest_at:
            self.latest_at = at


@dataclass
class Out:
    """One move to write."""

    line: Line
    lot_key: int
    quantity: Decimal
    value: Decimal
    unit_cost: Decimal
    cost_fixed: bool
    flagged: bool = False
    override_note: str = ""
    cover: Decimal = ZERO


def lock_pairs(
    organization_id: int, pairs: list[tuple[int, int]]
) -> dict[tuple[int, int], PairState]:
    """Lock the item balances of `pairs` (creating missing ones) and read their lot rows."""
    state: dict[tuple[int, int], PairState] = {}
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {_ITEM_BALANCES} "  # noqa: S608
            "(organization_id, location_id, item_id, quantity, value, unit_cost) "
            "VALUES (%s, %s, %s, 0, 0, 0) ON CONFLICT (location_id, item_id) DO NOTHING",
            [(organization_id, loc, item) for loc, item in pairs],
        )
        for chunk in sql.chunks(pairs):
            where, params = sql.pairs_in("ib", chunk)
            cursor.execute(
                "SELECT ib.id, ib.location_id, ib.item_id, ib.quantity, ib.value, ib.unit_cost, "  # noqa: S608
                f"ib.last_move_at FROM {_ITEM_BALANCES} ib WHERE {where} "
                f"ORDER BY ib.location_id, ib.item_id{sql.for_update()}",
                params,
            )
            for pk, loc, item, quantity, value, unit_cost, last_at in cursor.fetchall():
                pair = PairState(
                    balance_id=pk,
                    location_id=loc,
                    item_id=item,
                    quantity=sql.qty(quantity),
                    value=sql.money(value),
                    unit_cost=sql.cost(unit_cost),
                    last_move_at=sql.when(last_at),
                )
                pair.pool = Pool(pair.quantity, pair.value, pair.unit_cost)
                state[(loc, item)] = pair
        for chunk in sql.chunks(pairs):
            where, params = sql.pairs_in("b", chunk)
            cursor.execute(
                "SELECT b.location_id, b.item_id, b.lot_key, b.quantity, b.value, l.code, "  # noqa: S608
                f"l.expiry_date, l.received_date, l.status FROM {_BALANCES} b "
                f"LEFT JOIN {_LOTS} l ON l.id = b.lot_id "
                f"WHERE {where} AND (b.quantity <> 0 OR b.value <> 0) "
                f"ORDER BY b.location_id, b.item_id, b.lot_key{sql.for_update('b')}",
                params,
            )
            for (
                loc,
                item,
                key,
                quantity,
                value,
                code,
                expiry,
                received,
                status,
            ) in cursor.fetchall():
                state[(loc, item)].rows[key] = LotRow(
                    lot_key=key,
                    quantity=sql.qty(quantity),
                    value=sql.money(value),
                    code=code or "",
                    expiry_date=sql.day(expiry),
                    received_date=sql.day(received),
                    status=status or LotStatus.AVAILABLE,
                )
    return state


class Valuer:
    """Splits issues over lots (FEFO), values each part and keeps the pair states."""

    def __init__(
        self, state: dict[tuple[int, int], PairState], *, fifo: bool, refuse: bool
    ) -> None:
        self.state = state
        self.fifo = fifo
        self.refuse = refuse
        self.check = Checker()
        self.outs: list[Out] = []

    def refuses(self, line: Line) -> bool:
        """Whether a shortfall refuses the line; a sale has happened, so its depletion is
        flagged instead."""
        return self.refuse and line.kind != MoveKind.SALE_DEPLETION

    def post(self, line: Line) -> None:
        pair = self.state[(line.location_id, line.item_id)]
        pair.note_time(line.happened_at)
        if line.quantity > 0:
            self._add(
                pair, pair.row(line.lot), line, line.quantity, line.fixed_value, line.fixed_cost
            )
            return
        need = -line.quantity
        if line.lot is not None or line.reverses_id is not None:
            self._take_from(pair, pair.row(line.lot), line, need)
        else:
            self._take_fefo(pair, line, need)

    def _take_from(self, pair: PairState, row: LotRow, line: Line, need: Decimal) -> None:
        consuming = line.kind in CONSUMING_KINDS and line.reverses_id is None
        note = ""
        if consuming and not row.usable_on(line.local_date):
            if not line.override:
                self.check.fail(
                    f"moves[{line.index}].lot_id",
                    errors.LOT_UNAVAILABLE,
                    _(
                        "Lot %(lot)s is on hold, recalled or expired; "
                        "using it needs an override with a note."
                    )
                    % {"lot": row.code},
                )
                return
            note = line.override_note
        available = max(row.quantity, ZERO)
        flagged = False
        if need > available:
            if self.refuses(line):
                self._short(line, available, need)
                return
            flagged = True
        self._add(pair, row, line, -need, line.fixed_value, line.fixed_cost, flagged, note)

    def _take_fefo(self, pair: PairState, line: Line, need: Decimal) -> None:
        consuming = line.kind in CONSUMING_KINDS
        rows = pair.rows
        if len(rows) == 1:
            # Most items keep one balance row (no lots): nothing to sort.
            (only,) = rows.values()
            usable = only.quantity > 0 and (
                not consuming or line.override or only.usable_on(line.local_date)
            )
            candidates = [only] if usable else []
            available = only.quantity if usable else ZERO
        else:
            candidates = sorted(
                (
                    r
                    for r in rows.values()
                    if r.quantity > 0
                    and (not consuming or line.override or r.usable_on(line.local_date))
                ),
                key=LotRow.fefo_key,
            )
            available = sum((r.quantity for r in candidates), ZERO)
        if need > available and self.refuses(line):
            self._short(line, available, need)
            return
        remaining = need
        for row in candidates:
            take = min(remaining, row.quantity)
            if row.lot_key == 0 and row is candidates[-1]:
                take = remaining  # stock without a lot also carries any shortfall
            note = line.override_note if not row.usable_on(line.local_date) else ""
            self._add(pair, row, line, -take, None, None, take > row.quantity, note)
            remaining -= take
            if not remaining:
                return
        self._add(pair, pair.row(None), line, -remaining, None, None, True, "")

    def _short(self, line: Line, available: Decimal, need: Decimal) -> None:
        self.check.fail(
            f"moves[{line.index}].quantity",
            errors.INSUFFICIENT_STOCK,
            _(
                "Not enough %(item)s at %(location)s: %(available)s %(unit)s can be used, "
                "%(need)s %(unit)s are needed, short by %(short)s %(unit)s."
            )
            % {
                "item": line.item.name,
                "location": line.location.name,
                "available": _plain(available),
                "need": _plain(need),
                "short": _plain(need - available),
                "unit": line.item.base_unit,
            },
        )

    def _add(
        self,
        pair: PairState,
        row: LotRow,
        line: Line,
        quantity: Decimal,
        fixed_value: Decimal | None,
        fixed_cost: Decimal | None,
        flagged: bool = False,
        note: str = "",
    ) -> None:
        if self.fifo:
            if row.pool is None:
                last = round_cost(row.value / row.quantity) if row.quantity > 0 else pair.unit_cost
                row.pool = Pool(row.quantity, row.value, last)
            pool = row.pool
            if fixed_value is None and fixed_cost is None and pool.quantity <= 0:
                # A lot with no stock has no cost of its own: the item's latest cost is used
                # and recorded as fixed, so a later replay values the move the same way.
                fixed_cost = pair.unit_cost
        else:
            pool = pair.pool
        valued = step(pool, quantity, fixed_value, fixed_cost)
        change = valued.value + valued.cover
        row.quantity += quantity
        row.value += change
        if row.touched_at is None or line.happened_at > row.touched_at:
            row.touched_at = line.happened_at
        pair.quantity += quantity
        pair.value += change
        pair.touched = True
        if quantity > 0 and pair.quantity <= 0:
            pair.unit_cost = valued.unit_cost
        self.outs.append(
            Out(
                line=line,
                lot_key=row.lot_key,
                quantity=quantity,
                value=valued.value,
                unit_cost=valued.unit_cost,
                cost_fixed=fixed_value is not None or fixed_cost is not None,
                flagged=flagged,
                override_note=note,
                cover=valued.cover,
            )
        )

    def finish_costs(self) -> None:
        for pair in self.state.values():
            if not self.fifo:
                pair.unit_cost = pair.pool.cost()
            elif pair.quantity > 0 and pair.value > 0:
                # Lots below zero make the all-lot average meaningless; keep the last cost then.
                pair.unit_cost = round_cost(pair.value / pair.quantity)


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def post_moves(
    actor: Actor,
    moves: Sequence[MoveSpec],
    *,
    source_type: str,
    source_id: str,
    permission: str = Perm.STOCK_POST,
) -> PostResult:
    """The single entry point that changes stock: check, lock, value and write one batch."""
    now = timezone.now()
    batch = uuid.uuid4()
    check = Checker()
    source_type = check.text("source_type", source_type, max_length=40)
    source_id = check.text("source_id", source_id, max_length=64)
    check.raise_if_any()
    lines, new_lots = check_specs(actor, moves, now, batch)
    require_locations(actor, permission, {line.location_id for line in lines})
    return write_batch(
        actor, lines, new_lots, batch=batch, now=now, source_type=source_type, source_id=source_id
    )


def reverse_moves(
    actor: Actor,
    move_ids: Sequence[int],
    *,
    reason: str,
    source_type: str,
    source_id: str,
    permission: str = Perm.STOCK_POST,
) -> PostResult:
    """Post exact opposites of moves (quantity, value, lot), pointing to the originals."""
    now = timezone.now()
    batch = uuid.uuid4()
    check = Checker()
    source_type = check.text("source_type", source_type, max_length=40)
    source_id = check.text("source_id", source_id, max_length=64)
    reason = check.text("reason", reason, max_length=40, required=False)
    if not move_ids:
        check.fail("move_ids", errors.NO_MOVES, _("Name at least one move."))
    check.raise_if_any()
    originals = load_originals(actor.organization_id, set(move_ids))
    missing = [i for i, pk in enumerate(move_ids) if pk not in originals]
    if missing:
        for i in missing:
            check.fail(f"move_ids[{i}]", "not_found", _("No such move."))
        raise_errors(check)

    location_ids = {originals[pk].move.location_id for pk in move_ids}
    item_ids = {originals[pk].move.item_id for pk in move_ids}
    locations = {
        loc.pk: loc
        for loc in Location.objects.filter(pk__in=location_ids).only(
            "id", "organization_id", "code", "name", "time_zone"
        )
    }
    items = {
        item.pk: item
        for item in Item.objects.filter(pk__in=item_ids).only(
            "id", "organization_id", "code", "name", "base_unit", "lot_tracked", "category_id"
        )
    }
    zones = local_dates(locations)
    closed = closed_through(actor.organization_id, location_ids)
    lines: list[Line] = []
    for i, pk in enumerate(move_ids):
        original = originals[pk].move
        local_date = now.astimezone(zones[original.location_id]).date()
        check_period(check, f"move_ids[{i}]", closed, original.location_id, local_date)
        lines.append(
            Line(
                index=i,
                location=locations[original.location_id],
                item=items[original.item_id],
                location_id=original.location_id,
                item_id=original.item_id,
                kind=original.kind,
                quantity=-original.quantity,
                happened_at=now,
                local_date=local_date,
                reverses_id=pk,
                reason=reason,
                source_line=original.source_line,
            )
        )
    check_reversals(check, lines, originals)
    for error in check.errors:
        error.field = error.field.replace("moves[", "move_ids[").replace("].reverses_id", "]")
    raise_errors(check)
    require_locations(actor, permission, location_ids)
    return write_batch(
        actor, lines, [], batch=batch, now=now, source_type=source_type, source_id=source_id
    )


def write_batch(
    actor: Actor,
    lines: list[Line],
    new_lots: list[NewLot],
    *,
    batch: uuid.UUID,
    now: dt.datetime,
    source_type: str,
    source_id: str,
) -> PostResult:
    """Lock, value and write checked lines in one transaction."""
    from boh.inventory.ledger import revaluation

    org = actor.organization
    pairs = sorted({(line.location_id, line.item_id) for line in lines})
    with transaction.atomic():
        state = lock_pairs(org.pk, pairs)
        if new_lots:
            _create_lots(org.pk, new_lots)
            for line in lines:
                nl = line.new_lot
                if nl is not None and nl.lot_id is not None:
                    line.lot = LotInfo(
                        nl.lot_id, nl.code, nl.expiry_date, nl.received_date, LotStatus.AVAILABLE
                    )

        valuer = Valuer(
            state,
            fifo=org.valuation == Valuation.FIFO,
            refuse=org.negative_stock == NegativeStock.REFUSE,
        )
        for line in lines:
            valuer.post(line)
        if valuer.check.errors:
            raise_errors(valuer.check)

        batch_db = StockMove._meta.get_field("batch").get_db_prep_value(batch, connection)
        posted_db = sql.db_time(now)
        times: dict[dt.datetime, Any] = {}
        user_id, key_id = actor.user_id, actor.api_key_id
        org_id = org.pk
        rows: list[tuple[Any, ...]] = []
        for out in valuer.outs:
            line = out.line
            at = times.get(line.happened_at)
            if at is None:
                at = times[line.happened_at] = sql.db_time(line.happened_at)
            rows.append(
                (
                    org_id,
                    line.location_id,
                    line.item_id,
                    out.lot_key or None,
                    line.kind,
                    out.quantity,
                    out.unit_cost,
                    out.value,
                    out.cost_fixed,
                    at,
                    posted_db,
                    user_id,
                    key_id,
                    batch_db,
                    source_type,
                    source_id,
                    line.source_line,
                    line.reason,
                    line.reverses_id,
                    None,
                    out.flagged,
                    out.override_note,
                )
            )
        with connection.cursor() as cursor:
            cursor.executemany(INSERT_MOVE, rows)
            cursor.execute(f"SELECT id FROM {_MOVES} WHERE batch = %s ORDER BY id", [batch_db])  # noqa: S608
            ids = [r[0] for r in cursor.fetchall()]

        extra: list[tuple[Any, ...]] = []
        for pk, out in zip(ids, valuer.outs, strict=True):
            if out.cover:
                line = out.line
                extra.append(
                    revaluation_row(
                        org.pk,
                        line.location_id,
                        line.item_id,
                        out.lot_key,
                        out.cover,
                        times[line.happened_at],
                        posted_db,
                        user_id,
                        key_id,
                        batch_db,
                        source_type,
                        source_id,
                        "negative_cover",
                        pk,
                    )
                )
        if extra:
            with connection.cursor() as cursor:
                cursor.executemany(INSERT_MOVE, extra)

        backdated = [p for p in state.values() if p.backdated]
        job_ids: list[int] = []
        if backdated:
            more, job_ids = revaluation.revalue_backdated(
                actor,
                state,
                backdated,
                fifo=valuer.fifo,
                now=now,
                batch_db=batch_db,
                posted_db=posted_db,
                source_type=source_type,
                source_id=source_id,
            )
            extra.extend(more)
        valuer.finish_costs()
        _write_balances(org.pk, state)

        back: dict[str, dict[Any, Any]] = {
            "happened_at": {db: py for py, db in times.items()},
            "posted_at": {posted_db: now},
            "batch": {batch_db: batch},
        }
        result = PostResult(batch, MoveRows(MOVE_COLUMNS, rows, ids, back), job_ids)
        first = result.first_move()
        record_audit(
            actor,
            AuditEntry.Action.CREATE,
            first,
            verb="posted",
            after={
                "batch": str(batch),
                "source_type": source_type,
                "source_id": source_id,
                "moves": len(rows),
                "revaluations": len(extra),
                "locations": sorted({p[0] for p in pairs}),
            },
        )
        emit_event(
            EVENT_POSTED,
            {
                "batch": str(batch),
                "source_type": source_type,
                "source_id": source_id,
                "moves": len(rows),
                "location_ids": sorted({p[0] for p in pairs}),
                "item_ids": sorted({p[1] for p in pairs}),
                "flagged": sum(1 for o in valuer.outs if o.flagged),
                "backdated": bool(backdated),
            },
            organization_id=org.pk,
            actor=actor,
        )
    logger.info("posted %d moves for %s %s (batch %s)", len(rows), source_type, source_id, batch)
    return result


def revaluation_row(
    org_id: int,
    location_id: int,
    item_id: int,
    lot_key: int,
    value: Decimal,
    at: Any,
    posted_db: Any,
    user_id: int | None,
    key_id: int | None,
    batch_db: Any,
    source_type: str,
    source_id: str,
    reason: str,
    target_id: int,
    unit_cost: Decimal = ZERO,
) -> tuple[Any, ...]:
    """A revaluation move of `target_id`; `unit_cost` is the cost the target is now valued at
    (kept for backdated revaluations, so the cost once stock ran out follows the books)."""
    return (
        org_id,
        location_id,
        item_id,
        lot_key or None,
        MoveKind.REVALUATION,
        ZERO,
        unit_cost,
        value,
        True,
        at,
        posted_db,
        user_id,
        key_id,
        batch_db,
        source_type,
        source_id,
        "",
        reason,
        None,
        target_id,
        False,
        "",
    )


def _create_lots(organization_id: int, new_lots: list[NewLot]) -> None:
    created = Lot.objects.bulk_create(
        [
            Lot(
                organization_id=organization_id,
                item_id=nl.item_id,
                code=nl.code,
                expiry_date=nl.expiry_date,
                received_date=nl.received_date,
                supplier_id=nl.supplier_id,
                supplier_lot_code=nl.supplier_lot_code,
            )
            for nl in new_lots
        ]
    )
    for nl, lot in zip(new_lots, created, strict=True):
        nl.lot_id = lot.pk


def _write_balances(organization_id: int, state: dict[tuple[int, int], PairState]) -> None:
    lot_rows: list[tuple[Any, ...]] = []
    item_rows: list[tuple[Any, ...]] = []
    times: dict[dt.datetime, Any] = {}
    for pair in state.values():
        if not pair.touched:
            continue
        for row in pair.rows.values():
            if row.touched_at is None:
                continue
            lot_rows.append(
                (
                    organization_id,
                    pair.location_id,
                    pair.item_id,
                    row.lot_key or None,
                    row.lot_key,
                    row.quantity,
                    row.value,
                    times.get(row.touched_at)
                    or times.setdefault(row.touched_at, sql.db_time(row.touched_at)),
                )
            )
        last = pair.last_move_at
        if pair.latest_at is not None and (last is None or pair.latest_at > last):
            last = pair.latest_at
        item_rows.append(
            (
                pair.quantity,
                pair.value,
                pair.unit_cost,
                sql.db_time(last) if last else None,
                pair.balance_id,
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {_BALANCES} (organization_id, location_id, item_id, lot_id, lot_key, "  # noqa: S608
            "quantity, value, last_move_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (location_id, item_id, lot_key) DO UPDATE SET "
            "quantity = excluded.quantity, value = excluded.value, "
            f"last_move_at = CASE WHEN {_BALANCES}.last_move_at IS NULL "
            f"OR excluded.last_move_at > {_BALANCES}.last_move_at "
            f"THEN excluded.last_move_at ELSE {_BALANCES}.last_move_at END",
            lot_rows,
        )
        cursor.executemany(
            f"UPDATE {_ITEM_BALANCES} SET quantity = %s, value = %s, unit_cost = %s, "  # noqa: S608
            "last_move_at = %s WHERE id = %s",
            item_rows,
        )
