"""Random sequences of stock operations keep the ledger's invariants (hypothesis state machine).

Receipts (some backdated), transfers as paired moves, sales depletion, waste, counts,
reversals, holds and revaluation jobs, under each negative-stock policy and valuation
method. After every step: balances equal the sums of their moves (quantity and value),
quantities equal an independent model, no stock is negative when that is refused, no pool
holds value without stock, and replaying every move from the start changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from boh.core.errors import BohError
from boh.inventory import valuation
from boh.inventory.ledger import revaluation
from boh.inventory.ledger.posting import LotRow
from boh.inventory.ledger.verify import verify_balances
from boh.inventory.models import Balance, ItemBalance, Lot, LotStatus, PendingRevaluation, StockMove
from boh.inventory.services import (
    LotSpec,
    MoveSpec,
    place_lot_on_hold,
    post_moves,
    release_lot,
    reverse_moves,
)
from boh.org.models import Location
from tests.conftest import World
from tests.inventory.conftest import Pantry, make_pantry

D = Decimal
ZERO = D(0)
quantities = st.integers(min_value=1, max_value=60).map(D)
costs = st.sampled_from(["0.5", "1", "1.25", "3", "0.333333"]).map(D)
days_back = st.one_of(st.none(), st.integers(min_value=1, max_value=12))


class LedgerMachine(RuleBasedStateMachine):
    """A store and a kitchen trading oil (untracked) and beef (lot-tracked)."""

    pantry: Pantry
    moves = Bundle("moves")

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._limit = valuation.INLINE_REPLAY_LIMIT
        w = self.pantry.world
        self.actor = w.actor
        self.locations: list[Location] = [w.store_a, w.kitchen]
        self.items = [self.pantry.oil, self.pantry.beef]
        self.expected: dict[tuple[int, int], Decimal] = {}
        self.lots: list[Lot] = []
        self.serial = 0

    def teardown(self) -> None:
        valuation.INLINE_REPLAY_LIMIT = self._limit
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize(
        policy=st.sampled_from(["refuse", "allow"]),
        method=st.sampled_from(["average", "fifo"]),
        inline_limit=st.sampled_from([2000, 3]),
    )
    def policies(self, policy: str, method: str, inline_limit: int) -> None:
        org = self.actor.organization
        org.negative_stock, org.valuation = policy, method
        org.save(update_fields=["negative_stock", "valuation"])
        valuation.INLINE_REPLAY_LIMIT = inline_limit

    # Helpers

    def _when(self, back: int | None) -> dt.datetime | None:
        if back is None:
            return None
        return timezone.now() - dt.timedelta(days=back, minutes=self.serial)

    def _post(self, specs: list[MoveSpec], source: str) -> list[StockMove] | None:
        self.serial += 1
        try:
            result = post_moves(self.actor, specs, source_type=source, source_id=str(self.serial))
        except BohError as refused:
            assert refused.code in {"insufficient_stock", "lot_unavailable"}, refused.as_dict()
            assert (
                self.actor.organization.negative_stock == "refuse"
                or refused.code == "lot_unavailable"
            )
            return None
        for spec in specs:
            key = (spec.location_id, spec.item_id)
            self.expected[key] = self.expected.get(key, ZERO) + spec.quantity
        return result.moves

    def _fefo_order(self, location: Location, item_id: int, day: dt.date) -> list[LotRow]:
        rows = []
        for b in Balance.objects.filter(
            location=location, item_id=item_id, quantity__gt=0
        ).select_related("lot"):
            lot = b.lot
            row = LotRow(b.lot_key, b.quantity, b.value)
            if lot is not None:
                row.expiry_date, row.received_date, row.status = (
                    lot.expiry_date,
                    lot.received_date,
                    lot.status,
                )
            if row.usable_on(day):
                rows.append(row)
        return sorted(rows, key=LotRow.fefo_key)

    # Rules

    @rule(
        target=moves,
        loc=st.integers(0, 1),
        item=st.integers(0, 1),
        quantity=quantities,
        cost=costs,
        back=days_back,
        expiry_days=st.integers(-2, 10),
        reuse=st.booleans(),
    )
    def receive(
        self,
        loc: int,
        item: int,
        quantity: Decimal,
        cost: Decimal,
        back: int | None,
        expiry_days: int,
        reuse: bool,
    ) -> list[StockMove]:
        location, it = self.locations[loc], self.items[item]
        lot_id, new_lot = None, None
        if it.lot_tracked:
            if reuse and self.lots:
                lot_id = self.lots[-1].pk
            else:
                new_lot = LotSpec(
                    f"L{self.serial}", timezone.localdate() + dt.timedelta(days=expiry_days)
                )
        spec = MoveSpec(
            location.pk,
            it.pk,
            quantity,
            "receipt",
            unit_cost=cost,
            lot_id=lot_id,
            new_lot=new_lot,
            happened_at=self._when(back),
        )
        posted = self._post([spec], "po_receipt") or []
        if new_lot is not None and posted:
            self.lots.append(Lot.objects.get(pk=posted[0].lot_id))
        return posted

    @rule(
        target=moves,
        loc=st.integers(0, 1),
        item=st.integers(0, 1),
        quantity=quantities,
        back=days_back,
    )
    def sell(self, loc: int, item: int, quantity: Decimal, back: int | None) -> list[StockMove]:
        location, it = self.locations[loc], self.items[item]
        when = self._when(back)
        day = (when or timezone.now()).astimezone(dt.UTC).date()
        candidates = self._fefo_order(location, it.pk, day)
        posted = self._post(
            [MoveSpec(location.pk, it.pk, -quantity, "sale_depletion", happened_at=when)],
            "pos_ticket",
        )
        assert posted is not None  # a sale has happened: a shortfall is flagged, not refused
        taken = [m.lot_id or 0 for m in posted]
        keys = [r.lot_key for r in candidates]
        if taken[-1] == 0 and posted[-1].flagged and 0 not in keys:
            taken.pop()
        assert taken == keys[: len(taken)]
        for move, row in zip(posted[:-1], candidates, strict=False):
            assert -move.quantity == row.quantity
        return posted

    @rule(target=moves, item=st.integers(0, 1), quantity=quantities, to_kitchen=st.booleans())
    def transfer(self, item: int, quantity: Decimal, to_kitchen: bool) -> list[StockMove]:
        source, dest = self.locations if to_kitchen else self.locations[::-1]
        it = self.items[item]
        shipped = self._post([MoveSpec(source.pk, it.pk, -quantity, "transfer_out")], "transfer")
        if not shipped:
            return []
        arriving = [
            MoveSpec(
                dest.pk, it.pk, -m.quantity, "transfer_in", lot_id=m.lot_id, unit_cost=m.unit_cost
            )
            for m in shipped
            if m.lot_id is not None or not it.lot_tracked
        ]
        received = self._post(arriving, "transfer") if arriving else []
        return shipped + (received or [])

    @rule(target=moves, loc=st.integers(0, 1), item=st.integers(0, 1), quantity=quantities)
    def waste(self, loc: int, item: int, quantity: Decimal) -> list[StockMove]:
        location, it = self.locations[loc], self.items[item]
        return (
            self._post(
                [MoveSpec(location.pk, it.pk, -quantity, "waste", reason="spoiled")], "waste"
            )
            or []
        )

    @rule(target=moves, loc=st.integers(0, 1), counted=st.integers(0, 80).map(D))
    def count_oil(self, loc: int, counted: Decimal) -> list[StockMove]:
        location, oil = self.locations[loc], self.pantry.oil
        on_hand = self.expected.get((location.pk, oil.pk), ZERO)
        if counted == on_hand:
            return []
        return (
            self._post(
                [MoveSpec(location.pk, oil.pk, counted - on_hand, "count_adjustment")], "stocktake"
            )
            or []
        )

    @rule(batch=moves, pick=st.integers(0, 10))
    def reverse(self, batch: list[StockMove], pick: int) -> None:
        candidates = [m for m in batch if m.kind != "revaluation" and m.reverses_id is None]
        if not candidates:
            return
        original = candidates[pick % len(candidates)]
        if StockMove.objects.filter(reverses_id=original.pk).exists():
            return
        lot_key = original.lot_id or 0
        before = Balance.objects.get(
            location_id=original.location_id, item_id=original.item_id, lot_key=lot_key
        )
        self.serial += 1
        try:
            undo = reverse_moves(
                self.actor,
                [original.pk],
                reason="test",
                source_type="fix",
                source_id=str(self.serial),
            )
        except BohError as refused:
            assert refused.code == "insufficient_stock"
            return
        key = (original.location_id, original.item_id)
        self.expected[key] = self.expected.get(key, ZERO) - original.quantity
        after = Balance.objects.get(pk=before.pk)
        effective = original.value + sum(
            (r.value for r in StockMove.objects.filter(revalues_id=original.pk)), ZERO
        )
        assert after.quantity == before.quantity - original.quantity
        if not undo.revaluations:
            assert after.value == before.value - effective

    @rule(pick=st.integers(0, 10), hold=st.booleans())
    def hold_or_release(self, pick: int, hold: bool) -> None:
        if not self.lots:
            return
        lot = self.lots[pick % len(self.lots)]
        lot.refresh_from_db()
        if hold and lot.status != LotStatus.ON_HOLD:
            place_lot_on_hold(self.actor, lot.pk)
        elif not hold and lot.status == LotStatus.ON_HOLD:
            release_lot(self.actor, lot.pk)

    @rule()
    def run_revaluations(self) -> None:
        for marker in list(PendingRevaluation.objects.all()):
            revaluation.run_pending(marker.location_id, marker.item_id)
        assert not PendingRevaluation.objects.exists()

    # Invariants

    @invariant()
    def balances_equal_their_moves(self) -> None:
        assert verify_balances(self.actor.organization_id) == []
        for (location_id, item_id), quantity in self.expected.items():
            assert (
                ItemBalance.objects.get(location_id=location_id, item_id=item_id).quantity
                == quantity
            )

    @invariant()
    def stock_and_values_are_consistent(self) -> None:
        org = self.actor.organization
        if org.negative_stock == "refuse":
            # Only a sale may run stock below zero, flagged; every other issue is refused.
            for row in Balance.objects.filter(quantity__lt=0):
                assert StockMove.objects.filter(
                    location_id=row.location_id,
                    item_id=row.item_id,
                    kind="sale_depletion",
                    flagged=True,
                ).exists()
        if org.valuation == "average":
            pools: list[Any] = list(ItemBalance.objects.all())
        else:
            pools = list(Balance.objects.all())
        for pool in pools:
            if pool.quantity == 0:
                assert pool.value == 0, pool
            elif pool.quantity > 0:
                assert pool.value >= 0, pool

    @invariant()
    def a_full_replay_changes_nothing(self) -> None:
        org = self.actor.organization
        if PendingRevaluation.objects.exists():
            return
        for location in self.locations:
            for item in self.items:
                assert (
                    revaluation.replay_from_start(
                        location.pk, item.pk, org.valuation == "fifo"
                    ).deltas
                    == {}
                )


def test_ledger_state_machine(world: World) -> None:
    LedgerMachine.pantry = make_pantry(world)
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
