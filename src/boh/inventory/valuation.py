"""How stock is valued: moving weighted average per (location, item), or FIFO by lot.

A *pool* holds the quantity and value that share one cost. Under moving average the pool
is (location, item); under FIFO by lot it is (location, item, lot), so each lot keeps the
cost it was received at and issues (which take lots in FEFO order) carry that cost. Items
that are not lot-tracked get an implicit lot per receipt in a FIFO organization, which
makes their receipts FIFO layers.

Rules, applied by `step` both when a move is posted and when moves are replayed:

- An incoming move with a given unit cost (receipt, opening, production output, transfer
  in, a reversal) is valued at that cost. One without (a count gain) takes the pool's cost.
- An issue takes the pool's average cost. The last unit out takes the remaining value
  exactly, so rounding never leaves value behind nor drives it below zero.
- With no stock on hand (negative stock allowed), issues are valued at the last known cost.
  When a receipt later brings the pool back to zero or above, the difference between that
  estimate and the receipt's cost is booked as a *cover* revaluation of the receipt. The
  same cover keeps a pool sound after any move with a fixed value (a reversed receipt
  after part of it was used at a lower average): a pool with no stock has no value, and a
  pool with stock never has a negative value.

Backdated moves. Posted moves are immutable. A move whose business time is earlier than
later moves of its location and item changes what those later issues should have cost.
`replay` walks the moves of that location and item from the backdated time onwards, in
business-time order, with the pools as they stood just before, and computes for each move
the value it should carry. The difference from the value it carries now (its own value
plus earlier revaluations of it) is written as a "revaluation" move: quantity 0, the value
difference, `revalues` pointing to the corrected move and the same business time, so
on-hand as of any time stays right. Only the moves of that location and item are revalued:
a transfer's receiving side keeps the cost it was shipped at. Up to `INLINE_REPLAY_LIMIT`
later moves are replayed inside the posting transaction; beyond that a PendingRevaluation
marker is recorded and a background job replays the window (see ledger/revaluation.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from boh.core.numbers import round_cost, round_value

ZERO = Decimal(0)

# Backdated moves with more later moves than this are revalued by a background job.
INLINE_REPLAY_LIMIT = 2000


@dataclass
class Pool:
    """Quantity and value sharing one cost, and the cost to use once stock runs out."""

    quantity: Decimal = ZERO
    value: Decimal = ZERO
    last_cost: Decimal = ZERO

    def __post_init__(self) -> None:
        # The average cost last computed and the (quantity, value) objects it was computed
        # from: posting asks for it once per move, and a division costs more than a check.
        self._average: tuple[Decimal, Decimal, Decimal] | None = None

    def cost(self) -> Decimal:
        """The unit cost an issue or an uncosted gain is valued at now."""
        quantity = self.quantity
        if quantity > 0:
            seen = self._average
            if seen is not None and seen[0] is quantity and seen[1] is self.value:
                return seen[2]
            average = round_cost(self.value / quantity)
            self._average = (quantity, self.value, average)
            return average
        return self.last_cost

    def apply(self, quantity: Decimal, value: Decimal, unit_cost: Decimal) -> None:
        self.quantity += quantity
        self.value += value
        if self.quantity > 0:
            self.last_cost = round_cost(self.value / self.quantity)
            self._average = (self.quantity, self.value, self.last_cost)
        elif quantity != 0:
            self.last_cost = unit_cost


@dataclass(frozen=True, init=False)
class Valued:
    value: Decimal
    unit_cost: Decimal
    cover: Decimal = ZERO

    def __init__(self, value: Decimal, unit_cost: Decimal, cover: Decimal = ZERO) -> None:
        # One per posted move: filling the dict directly skips the frozen __setattr__.
        fields = self.__dict__
        fields["value"] = value
        fields["unit_cost"] = unit_cost
        fields["cover"] = cover


def value_out(pool: Pool, take: Decimal) -> Decimal:
    """The value that leaves `pool` with `take` units (positive), exact for the last unit."""
    on_hand, value = pool.quantity, pool.value
    if on_hand > 0:
        if take >= on_hand:
            rest = take - on_hand
            return value + (round_value(rest * value / on_hand) if rest else ZERO)
        out = round_value(take * value / on_hand)
        return min(out, value) if value >= 0 else out
    return round_value(take * pool.last_cost)


def cover(pool: Pool, quantity: Decimal, value: Decimal, unit_cost: Decimal) -> Decimal:
    """Correction that keeps a pool sound after a move: no value without stock, no negative
    value with stock, and stock that comes back from below zero at the cost it came in at."""
    after_qty = pool.quantity + quantity
    after_value = pool.value + value
    if after_qty == 0:
        return -after_value
    if after_qty > 0:
        if quantity > 0 and (pool.quantity < 0 or (pool.quantity == 0 and pool.value != 0)):
            return round_value(after_qty * unit_cost) - after_value
        if after_value < 0:
            return -after_value
    return ZERO


def step(
    pool: Pool, quantity: Decimal, fixed_value: Decimal | None, fixed_cost: Decimal | None
) -> Valued:
    """Value one move against `pool` and apply it; the pool ends as the move leaves it."""
    if fixed_value is not None:
        unit_cost = fixed_cost if fixed_cost is not None else ZERO
        value = fixed_value
    elif fixed_cost is not None:
        unit_cost = fixed_cost
        value = round_value(quantity * fixed_cost)
    elif quantity < 0:
        unit_cost = pool.cost()
        value = -value_out(pool, -quantity)
    else:
        unit_cost = pool.cost()
        value = round_value(quantity * unit_cost)
    extra = cover(pool, quantity, value, unit_cost)
    pool.apply(quantity, value + extra, unit_cost)
    return Valued(value=value, unit_cost=unit_cost, cover=extra)


@dataclass
class ReplayMove:
    """A posted move as the replay sees it."""

    id: int
    pool_key: tuple[int, ...]
    quantity: Decimal
    value: Decimal  # as posted
    effective: Decimal  # as posted plus every revaluation of it so far
    unit_cost: Decimal
    cost_fixed: bool
    reverses_id: int | None


@dataclass
class ReplayResult:
    deltas: dict[int, Decimal] = field(default_factory=dict)
    pool_deltas: dict[tuple[int, ...], Decimal] = field(default_factory=dict)
    # Value each replayed move ends with, so a reversal follows its original.
    effective: dict[int, Decimal] = field(default_factory=dict)
    # Unit cost each changed move is now valued at.
    unit_costs: dict[int, Decimal] = field(default_factory=dict)
    count: int = 0


def replay(
    pools: dict[tuple[int, ...], Pool],
    moves: Iterable[ReplayMove],
    result: ReplayResult | None = None,
) -> ReplayResult:
    """Walk moves in business-time order and collect the value each should change by.

    `pools` holds the state just before the first move and is advanced in place, so a
    replay can be continued with more moves later.
    """
    result = result if result is not None else ReplayResult()
    effective = result.effective
    for move in moves:
        pool = pools.setdefault(move.pool_key, Pool())
        if move.reverses_id is not None and move.reverses_id in effective:
            valued = step(pool, move.quantity, -effective[move.reverses_id], move.unit_cost)
        elif move.cost_fixed or move.reverses_id is not None:
            valued = step(pool, move.quantity, move.value, move.unit_cost)
        else:
            valued = step(pool, move.quantity, None, None)
        desired = valued.value + valued.cover
        effective[move.id] = desired
        delta = desired - move.effective
        if delta:
            result.deltas[move.id] = delta
            result.unit_costs[move.id] = valued.unit_cost
            result.pool_deltas[move.pool_key] = result.pool_deltas.get(move.pool_key, ZERO) + delta
        result.count += 1
    return result
