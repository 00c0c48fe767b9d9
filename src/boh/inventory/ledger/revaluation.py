"""Revaluing the moves after a backdated one: inline when few, as a background job when many.

See boh.inventory.valuation for the rules. A backdated batch with up to
INLINE_REPLAY_LIMIT later moves of a location and item is replayed inside its own posting
transaction. Beyond that, a PendingRevaluation marker records the earliest backdated time
of that location and item and a job replays the window in two phases: first without locks
(reading possibly 100,000s of moves, with progress), then under the item-balance lock,
where it also replays whatever was posted in the meantime and writes the corrections.
While a marker is pending, postings of that location and item carry on as usual and later
backdated postings only move the marker earlier, so no move is lost or skipped: the job
ends only once its replay has reached the last move under the lock.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from boh.core.jobs import JobProgress, start_job
from boh.core.models import AuditEntry, Job
from boh.core.numbers import QTY_PLACES, VALUE_PLACES, round_cost
from boh.core.services import emit_event, record_audit
from boh.inventory import valuation
from boh.inventory.ledger import sql
from boh.inventory.models import (
    Balance,
    ItemBalance,
    MoveKind,
    PendingRevaluation,
    StockMove,
)
from boh.inventory.valuation import Pool, ReplayMove, ReplayResult, replay
from boh.org.access import Actor, system_actor
from boh.org.models import Organization, Valuation

if TYPE_CHECKING:
    from boh.inventory.ledger.posting import PairState

logger = logging.getLogger(__name__)

ZERO = Decimal(0)
JOB_KIND = "inventory.revalue"
EVENT_REVALUED = "inventory.moves_revalued"
_MOVES = StockMove._meta.db_table
_WINDOW_COLUMNS = (
    "id, location_id, item_id, lot_id, kind, quantity, value, unit_cost, cost_fixed, "
    "reverses_id, revalues_id, happened_at"
)
# Conditions per statement when several backdated pairs are looked at together.
_OR_CHUNK = 50
# The reason of revaluation rows that correct a move after a backdated one.
BACKDATED = "backdated"


@dataclass
class WindowRow:
    id: int
    location_id: int
    item_id: int
    lot_key: int
    kind: str
    quantity: Decimal
    value: Decimal
    unit_cost: Decimal
    cost_fixed: bool
    reverses_id: int | None
    revalues_id: int | None
    happened_at: Any


def _row(raw: tuple[Any, ...]) -> WindowRow:
    pk, loc, item, lot, kind, quantity, value, unit_cost, fixed, reverses, revalues, at = raw
    return WindowRow(
        pk,
        loc,
        item,
        lot or 0,
        kind,
        sql.qty(quantity),
        sql.money(value),
        sql.cost(unit_cost),
        bool(fixed),
        reverses,
        revalues,
        at,
    )


def _window_where(pairs: list[tuple[int, int, dt.datetime]]) -> tuple[str, list[Any]]:
    parts = []
    params: list[Any] = []
    for loc, item, start in pairs:
        parts.append("(location_id = %s AND item_id = %s AND happened_at >= %s)")
        params.extend([loc, item, sql.db_time(start)])
    return " OR ".join(parts), params


def pool_key(row: WindowRow, fifo: bool) -> tuple[int, ...]:
    return (row.location_id, row.item_id, row.lot_key) if fifo else (row.location_id, row.item_id)


def to_replay(rows: list[WindowRow], fifo: bool) -> list[ReplayMove]:
    """Fold revaluation rows into the moves they correct; keep the others in order."""
    targets = {r.id for r in rows if r.kind != MoveKind.REVALUATION}
    extra: dict[int, Decimal] = {}
    for r in rows:
        if r.kind == MoveKind.REVALUATION and r.revalues_id in targets:
            extra[r.revalues_id] = extra.get(r.revalues_id, ZERO) + r.value
    moves = []
    for r in rows:
        if r.kind == MoveKind.REVALUATION and r.revalues_id in targets:
            continue
        moves.append(
            ReplayMove(
                id=r.id,
                pool_key=pool_key(r, fifo),
                quantity=r.quantity,
                value=r.value,
                effective=r.value + extra.get(r.id, ZERO),
                unit_cost=r.unit_cost,
                cost_fixed=r.cost_fixed or r.kind == MoveKind.REVALUATION,
                reverses_id=r.reverses_id,
            )
        )
    return moves


def _last_cost(location_id: int, item_id: int, lot_key: int | None, before: dt.datetime) -> Decimal:
    """Unit cost of the last move with a quantity before a time: the cost once stock ran out.

    A backdated revaluation may have valued that move at another cost than it was posted at;
    its latest revaluation row carries that cost, as a replay from the start would see it."""
    lot_sql = ""
    params: list[Any] = [location_id, item_id, sql.db_time(before)]
    if lot_key is not None:
        lot_sql = " AND COALESCE(m.lot_id, 0) = %s"
        params.append(lot_key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.unit_cost, (SELECT r.unit_cost FROM {_MOVES} r "  # noqa: S608
            "WHERE r.revalues_id = m.id AND r.reason = %s ORDER BY r.id DESC LIMIT 1) "
            f"FROM {_MOVES} m WHERE m.location_id = %s AND m.item_id = %s "
            f"AND m.happened_at < %s AND m.quantity <> 0{lot_sql} "
            "ORDER BY m.happened_at DESC, m.id DESC LIMIT 1",
            [BACKDATED, *params],
        )
        found = cursor.fetchone()
    if found is None:
        return ZERO
    posted, revalued = found
    return sql.cost(revalued if revalued is not None else posted)


def _set_last_costs(
    pools: dict[tuple[int, ...], Pool],
    location_id: int,
    item_id: int,
    start: dt.datetime,
    fifo: bool,
) -> None:
    for key, pool in pools.items():
        if pool.quantity > 0:
            pool.last_cost = round_cost(pool.value / pool.quantity)
        else:
            pool.last_cost = _last_cost(location_id, item_id, key[2] if fifo else None, start)


def revalue_backdated(
    actor: Actor,
    state: dict[tuple[int, int], PairState],
    backdated: list[PairState],
    *,
    fifo: bool,
    now: dt.datetime,
    batch_db: Any,
    posted_db: Any,
    source_type: str,
    source_id: str,
) -> tuple[list[tuple[Any, ...]], list[int]]:
    """Revalue later moves of each backdated pair inline, or queue a job when there are many."""
    from boh.inventory.ledger.posting import INSERT_MOVE, revaluation_row

    keys = [(p.location_id, p.item_id) for p in backdated]
    pending = set(
        PendingRevaluation.objects.filter(
            location_id__in={k[0] for k in keys}, item_id__in={k[1] for k in keys}
        ).values_list("location_id", "item_id")
    )
    counts: dict[tuple[int, int], int] = {}
    candidates = [p for p in backdated if (p.location_id, p.item_id) not in pending]
    for chunk in sql.chunks(candidates, _OR_CHUNK):
        if not chunk:
            continue
        where, params = _window_where([(p.location_id, p.item_id, p.first_at) for p in chunk])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT location_id, item_id, COUNT(*) FROM {_MOVES} WHERE {where} "  # noqa: S608
                "GROUP BY location_id, item_id",
                params,
            )
            counts.update({(loc, item): n for loc, item, n in cursor.fetchall()})
    inline = [
        p
        for p in candidates
        if counts.get((p.location_id, p.item_id), 0) <= valuation.INLINE_REPLAY_LIMIT
    ]
    queued = [p for p in backdated if p not in inline]

    rows: list[tuple[Any, ...]] = []
    for chunk in sql.chunks(inline, _OR_CHUNK):
        if not chunk:
            continue
        where, params = _window_where([(p.location_id, p.item_id, p.first_at) for p in chunk])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {_WINDOW_COLUMNS} FROM {_MOVES} WHERE {where} "  # noqa: S608
                "ORDER BY location_id, item_id, happened_at, id",
                params,
            )
            window = [_row(r) for r in cursor.fetchall()]
        by_pair: dict[tuple[int, int], list[WindowRow]] = {}
        for r in window:
            by_pair.setdefault((r.location_id, r.item_id), []).append(r)
        for key, pair_rows in by_pair.items():
            pair = state[key]
            result, pools = _replay_pair(pair, pair_rows, fifo)
            targets = {r.id: r for r in pair_rows}
            for move_id, delta in result.deltas.items():
                target = targets[move_id]
                rows.append(
                    revaluation_row(
                        actor.organization_id,
                        target.location_id,
                        target.item_id,
                        target.lot_key,
                        delta,
                        target.happened_at,
                        posted_db,
                        actor.user_id,
                        actor.api_key_id,
                        batch_db,
                        source_type,
                        source_id,
                        BACKDATED,
                        move_id,
                        result.unit_costs.get(move_id, ZERO),
                    )
                )
                _apply_delta(pair, target, delta)
            if fifo:
                for pkey, pool in pools.items():
                    pair.row_for_key(pkey[2]).pool = pool
            else:
                pair.pool = pools[key]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(INSERT_MOVE, rows)
    job_ids = [_queue(actor, p, now) for p in queued]
    return rows, job_ids


def _replay_pair(
    pair: PairState, window: list[WindowRow], fifo: bool
) -> tuple[ReplayResult, dict[tuple[int, ...], Pool]]:
    """Pools as they stood before the window (now minus the window), then replay it."""
    pools: dict[tuple[int, ...], Pool] = {}
    if fifo:
        for key, row in pair.rows.items():
            pools[(pair.location_id, pair.item_id, key)] = Pool(row.quantity, row.value)
    else:
        pools[(pair.location_id, pair.item_id)] = Pool(pair.quantity, pair.value)
    for r in window:
        pool = pools.setdefault(pool_key(r, fifo), Pool())
        pool.quantity -= r.quantity
        pool.value -= r.value
    start = window[0].happened_at
    _set_last_costs(pools, pair.location_id, pair.item_id, sql.when(start) or start, fifo)
    result = replay(pools, to_replay(window, fifo))
    return result, pools


def _apply_delta(pair: PairState, target: WindowRow, delta: Decimal) -> None:
    row = pair.row_for_key(target.lot_key)
    row.value += delta
    if row.touched_at is None:
        row.touched_at = sql.when(target.happened_at)
    pair.value += delta
    pair.touched = True


def _queue(actor: Actor, pair: PairState, now: dt.datetime) -> int:
    """Record (or move earlier) the pair's pending marker and make sure a job will run it."""
    from boh.inventory.tasks import revalue_task

    start = pair.first_at or now
    marker = (
        PendingRevaluation.objects.select_for_update()
        .filter(location_id=pair.location_id, item_id=pair.item_id)
        .first()
    )
    if marker is None:
        marker = PendingRevaluation.objects.create(
            organization_id=actor.organization_id,
            location_id=pair.location_id,
            item_id=pair.item_id,
            from_at=start,
            from_move_id=0,
            requested_at=now,
        )
    elif start < marker.from_at:
        marker.from_at = start
        marker.requested_at = now
        marker.save(update_fields=["from_at", "requested_at"])
    # A running job re-reads the marker under this same lock before it finishes, so it
    # picks this change up; a new job is needed only when none is queued or running.
    open_statuses = [Job.Status.QUEUED, Job.Status.RUNNING]
    if marker.job_id and Job.objects.filter(pk=marker.job_id, status__in=open_statuses).exists():
        return marker.job_id
    job = start_job(
        JOB_KIND,
        revalue_task,
        organization_id=actor.organization_id,
        params={"location_id": pair.location_id, "item_id": pair.item_id},
        created_by_id=actor.user_id,
    )
    marker.job_id = job.pk
    marker.save(update_fields=["job_id"])
    logger.info(
        "queued revaluation of item %s at location %s from %s (job %s)",
        pair.item_id,
        pair.location_id,
        start,
        job.pk,
    )
    return job.pk


def _pools_before(
    location_id: int, item_id: int, start: dt.datetime, fifo: bool
) -> dict[tuple[int, ...], Pool]:
    """Pools from the sum of every move before `start` (exact on SQLite too)."""
    key = "COALESCE(lot_id, 0)" if fifo else "0"
    group = " GROUP BY COALESCE(lot_id, 0)" if fifo else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key}, {sql.exact_sum('quantity', QTY_PLACES)}, "  # noqa: S608
            f"{sql.exact_sum('value', VALUE_PLACES)} FROM {_MOVES} "
            f"WHERE location_id = %s AND item_id = %s AND happened_at < %s{group}",
            [location_id, item_id, sql.db_time(start)],
        )
        raw = cursor.fetchall()
    pools: dict[tuple[int, ...], Pool] = {}
    for key, quantity, value in raw:
        pkey = (location_id, item_id, key) if fifo else (location_id, item_id)
        pools[pkey] = Pool(
            sql.from_scaled(quantity, QTY_PLACES), sql.from_scaled(value, VALUE_PLACES)
        )
    if not fifo:
        pools.setdefault((location_id, item_id), Pool())
    _set_last_costs(pools, location_id, item_id, start, fifo)
    return pools


def _stream(
    location_id: int, item_id: int, where: str, params: list[Any], chunk: int = 5000
) -> Iterator[WindowRow]:
    """Moves of one pair in (happened_at, id) order, read in chunks by keyset."""
    last: tuple[Any, int] | None = None
    while True:
        extra = ""
        args = [location_id, item_id, *params]
        if last is not None:
            extra = " AND (happened_at > %s OR (happened_at = %s AND id > %s))"
            args.extend([last[0], last[0], last[1]])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {_WINDOW_COLUMNS} FROM {_MOVES} WHERE location_id = %s AND item_id = %s "  # noqa: S608
                f"AND {where}{extra} ORDER BY happened_at, id LIMIT {chunk}",
                args,
            )
            raw = cursor.fetchall()
        if not raw:
            return
        for r in raw:
            yield _row(r)
        last = (raw[-1][11], raw[-1][0])
        if len(raw) < chunk:
            return


def _counted(moves: Iterable[ReplayMove], progress: JobProgress | None) -> Iterator[ReplayMove]:
    for move in moves:
        if progress is not None:
            progress.advance()
        yield move


def run_pending(
    location_id: int, item_id: int, progress: JobProgress | None = None
) -> dict[str, Any]:
    """Replay the pending window of one pair until it has caught up with the last move."""
    revalued = 0
    rounds = 0
    while True:
        rounds += 1
        marker = PendingRevaluation.objects.filter(location_id=location_id, item_id=item_id).first()
        if marker is None:
            return {"revalued": revalued, "rounds": rounds}
        org = Organization.objects.get(pk=marker.organization_id)
        fifo = org.valuation == Valuation.FIFO
        start = marker.from_at

        # Phase 1, without locks: everything up to the last move now.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT MAX(id), COUNT(*) FROM {_MOVES} WHERE location_id = %s AND item_id = %s "  # noqa: S608
                "AND happened_at >= %s",
                [location_id, item_id, sql.db_time(start)],
            )
            snapshot, total = cursor.fetchone()
        if progress is not None:
            progress.set_total(int(total or 0))
        pools = _pools_before(location_id, item_id, start, fifo)
        where = "happened_at >= %s AND id <= %s"
        params: list[Any] = [sql.db_time(start), snapshot or 0]
        window = list(_stream(location_id, item_id, where, params))
        result = replay(pools, _counted(to_replay(window, fifo), progress))
        targets = {r.id: r for r in window}
        end = (window[-1].happened_at, window[-1].id) if window else None

        # Phase 2, under the item-balance lock: catch up, write, clear the marker.
        done = _finish(
            org, location_id, item_id, start, snapshot or 0, end, pools, result, targets, fifo
        )
        if done is None:
            continue
        revalued += done
        return {"revalued": revalued, "rounds": rounds}


def _finish(
    org: Organization,
    location_id: int,
    item_id: int,
    start: dt.datetime,
    snapshot: int,
    end: tuple[Any, int] | None,
    pools: dict[tuple[int, ...], Pool],
    result: ReplayResult,
    targets: dict[int, WindowRow],
    fifo: bool,
) -> int | None:
    from boh.inventory.ledger.posting import INSERT_MOVE, revaluation_row

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, quantity FROM {ItemBalance._meta.db_table} "  # noqa: S608
                f"WHERE location_id = %s AND item_id = %s{sql.for_update()}",
                [location_id, item_id],
            )
            balance_id, balance_qty = cursor.fetchone()
        marker = PendingRevaluation.objects.filter(location_id=location_id, item_id=item_id).first()
        if marker is None:
            return 0
        if marker.from_at < start:
            return None
        newer = list(_stream(location_id, item_id, "id > %s", [snapshot]))
        if newer and end is not None:
            first = (sql.when(newer[0].happened_at) or start, newer[0].id)
            last = (sql.when(end[0]) or start, end[1])
            if first < last:
                # A backdated move landed inside the window meanwhile: replay again.
                return None
        if newer:
            targets.update({r.id: r for r in newer})
            replay(pools, to_replay(newer, fifo), result)
        quantity = sum((p.quantity for p in pools.values()), ZERO)
        if quantity != sql.qty(balance_qty):
            return None

        actor = system_actor(org)
        posted_db = sql.db_time(timezone.now())
        batch_db = _batch_db()
        rows = []
        lot_deltas: dict[int, Decimal] = {}
        for move_id, delta in result.deltas.items():
            target = targets[move_id]
            rows.append(
                revaluation_row(
                    org.pk,
                    location_id,
                    item_id,
                    target.lot_key,
                    delta,
                    target.happened_at,
                    posted_db,
                    None,
                    None,
                    batch_db,
                    "revaluation",
                    str(marker.pk),
                    BACKDATED,
                    move_id,
                    result.unit_costs.get(move_id, ZERO),
                )
            )
            lot_deltas[target.lot_key] = lot_deltas.get(target.lot_key, ZERO) + delta
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(INSERT_MOVE, rows)
        _add_to_balances(location_id, item_id, balance_id, lot_deltas, pools, fifo)
        PendingRevaluation.objects.filter(pk=marker.pk).delete()
        if rows:
            written = StockMove.objects.filter(revalues_id=rows[0][19]).order_by("-id").first()
            if written is not None:
                record_audit(
                    actor,
                    AuditEntry.Action.CREATE,
                    written,
                    verb="revalued",
                    after={"moves": len(rows), "location_id": location_id, "item_id": item_id},
                )
            emit_event(
                EVENT_REVALUED,
                {"location_id": location_id, "item_id": item_id, "moves": len(rows), "from": start},
                organization_id=org.pk,
                actor=actor,
            )
        logger.info(
            "revalued %d moves of item %s at location %s from %s",
            len(rows),
            item_id,
            location_id,
            start,
        )
        return len(rows)


def _batch_db() -> Any:
    import uuid

    return StockMove._meta.get_field("batch").get_db_prep_value(uuid.uuid4(), connection)


def _add_to_balances(
    location_id: int,
    item_id: int,
    balance_id: int,
    lot_deltas: dict[int, Decimal],
    pools: dict[tuple[int, ...], Pool],
    fifo: bool,
) -> None:
    rows = {
        b.lot_key: b
        for b in Balance.objects.select_for_update().filter(
            location_id=location_id, item_id=item_id, lot_key__in=lot_deltas
        )
    }
    for key, delta in lot_deltas.items():
        if delta:
            Balance.objects.filter(pk=rows[key].pk).update(value=rows[key].value + delta)
    item = ItemBalance.objects.get(pk=balance_id)
    total = sum(lot_deltas.values(), ZERO)
    if fifo:
        value = item.value + total
        cost = (
            round_cost(value / item.quantity) if item.quantity > 0 and value > 0 else item.unit_cost
        )
    else:
        cost = pools[(location_id, item_id)].cost()
    ItemBalance.objects.filter(pk=balance_id).update(value=item.value + total, unit_cost=cost)


def replay_from_start(location_id: int, item_id: int, fifo: bool) -> ReplayResult:
    """Replay every move of one item at one location from empty pools.

    Its deltas are what a full revaluation would still change: none when the books are right.
    """
    rows = list(_stream(location_id, item_id, "1 = 1", []))
    return replay({}, to_replay(rows, fifo))
