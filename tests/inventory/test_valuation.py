"""Moving average and FIFO valuation, and revaluation after backdated moves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from boh.core.jobs import JobProgress
from boh.core.models import Job
from boh.inventory import valuation
from boh.inventory.ledger import revaluation
from boh.inventory.ledger.verify import verify_balances
from boh.inventory.models import ItemBalance, PendingRevaluation, StockMove
from boh.inventory.services import MoveSpec, post_moves
from boh.inventory.tasks import run_revaluation
from boh.inventory.valuation import Pool, step, value_out
from boh.org import services as org_services
from tests.inventory.conftest import Pantry, at, issue, receive

D = Decimal


def effective(move_id: int) -> Decimal:
    move = StockMove.objects.get(pk=move_id)
    return move.value + sum((r.value for r in StockMove.objects.filter(revalues=move)), D(0))


def books_are_right(pantry: Pantry, fifo: bool = False) -> None:
    w = pantry.world
    assert verify_balances(w.org.pk) == []
    for item in (pantry.oil, pantry.rice, pantry.beef):
        for location in (w.store_a, w.store_b, w.kitchen):
            assert revaluation.replay_from_start(location.pk, item.pk, fifo).deltas == {}


# The valuation rules on their own


def test_given_a_pool_when_issuing_part_then_the_average_is_rounded_but_never_exceeds_value() -> (
    None
):
    pool = Pool(D("3.000"), D("0.0002"), D("0"))

    assert value_out(pool, D("1.000")) == D("0.0001")
    assert value_out(pool, D("3.000")) == D("0.0002")
    assert value_out(pool, D("5.000")) == D("0.0003")


def test_given_negative_stock_when_a_receipt_covers_it_then_the_cover_restores_its_cost() -> None:
    pool = Pool(D("-10.000"), D("-10.0000"), D("1.000000"))

    valued = step(pool, D("30.000"), None, D("2.000000"))

    assert (valued.value, valued.cover) == (D("60.0000"), D("-10.0000"))
    assert (pool.quantity, pool.value, pool.last_cost) == (D("20.000"), D("40.0000"), D("2.000000"))


# Backdated moves revalue later moves of that location and item


def test_given_an_issue_when_a_receipt_is_backdated_before_it_then_the_issue_is_revalued(
    pantry: Pantry,
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.oil, "100", "1", when=at(3))
    sale = issue(w.actor, w.store_a, pantry.oil, "50", when=at(1))
    receive(w.actor, w.store_b, pantry.oil, "10", "9", when=at(2))

    late = receive(w.actor, w.store_a, pantry.oil, "100", "2", when=at(2))

    correction = StockMove.objects.get(revalues_id=sale.moves[0].pk)
    assert (correction.kind, correction.quantity, correction.value, correction.reason) == (
        "revaluation",
        D("0.000"),
        D("-25.0000"),
        "backdated",
    )
    assert correction.happened_at == sale.moves[0].happened_at
    assert correction.batch == late.batch
    assert effective(sale.moves[0].pk) == D("-75.0000")
    balance = ItemBalance.objects.get(location=w.store_a, item=pantry.oil)
    assert (balance.quantity, balance.value, balance.unit_cost) == (
        D("150.000"),
        D("225.0000"),
        D("1.500000"),
    )
    assert StockMove.objects.filter(location=w.store_b, kind="revaluation").count() == 0
    books_are_right(pantry)


def test_given_later_receipts_when_an_issue_is_backdated_then_it_takes_the_cost_of_its_time(
    pantry: Pantry,
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.rice, "10", "1", when=at(5))
    receive(w.actor, w.store_a, pantry.rice, "10", "3", when=at(1))

    waste = issue(w.actor, w.store_a, pantry.rice, "4", kind="waste", when=at(3))

    assert waste.moves[0].value == D("-8.0000")
    assert effective(waste.moves[0].pk) == D("-4.0000")
    assert ItemBalance.objects.get(location=w.store_a, item=pantry.rice).value == D("36.0000")
    books_are_right(pantry)


class PostingMeanwhile(JobProgress):
    """Job progress during which other documents keep posting (as they would in production)."""

    def __init__(self, job_id: int, during: Any) -> None:
        super().__init__(job_id, every=1)
        self.during = during

    def advance(self, n: int = 1) -> None:
        if self.during is not None:
            during, self.during = self.during, None
            during()
        super().advance(n)


def test_given_many_later_moves_when_backdating_then_a_job_revalues_them_while_posting_goes_on(
    pantry: Pantry, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = pantry.world
    monkeypatch.setattr(valuation, "INLINE_REPLAY_LIMIT", 5)
    receive(w.actor, w.store_a, pantry.oil, "1000", "1", when=at(10))
    for day in range(9, 1, -1):
        issue(w.actor, w.store_a, pantry.oil, "10", when=at(day))

    late = receive(w.actor, w.store_a, pantry.oil, "1000", "3", when=at(9.5))

    assert not StockMove.objects.filter(kind="revaluation").exists()
    marker = PendingRevaluation.objects.get(location=w.store_a, item=pantry.oil)
    assert late.revaluation_job_ids == [marker.job_id]
    job = Job.objects.get(pk=marker.job_id)
    assert (job.kind, job.status, job.params) == (
        "inventory.revalue",
        "queued",
        {"location_id": w.store_a.pk, "item_id": pantry.oil.pk},
    )

    def keep_posting() -> None:
        issue(w.actor, w.store_a, pantry.oil, "5")
        again = receive(w.actor, w.store_a, pantry.oil, "100", "5", when=at(6))
        assert again.revaluation_job_ids == [job.pk]

    progress = PostingMeanwhile(job.pk, keep_posting)
    with progress:
        result = revaluation.run_pending(w.store_a.pk, pantry.oil.pk, progress)
        progress.finish(result)

    job.refresh_from_db()
    assert job.status == "done"
    assert job.result["rounds"] == 2
    assert job.done >= job.total  # type: ignore[operator]
    assert not PendingRevaluation.objects.exists()
    assert StockMove.objects.filter(kind="revaluation", reason="backdated").count() == 9
    books_are_right(pantry)


def test_given_a_queued_revaluation_when_the_task_runs_then_it_records_progress(
    pantry: Pantry, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = pantry.world
    monkeypatch.setattr(valuation, "INLINE_REPLAY_LIMIT", 1)
    receive(w.actor, w.store_a, pantry.rice, "100", "1", when=at(4))
    issue(w.actor, w.store_a, pantry.rice, "10", when=at(2))
    issue(w.actor, w.store_a, pantry.rice, "10", when=at(1))
    job_id = receive(w.actor, w.store_a, pantry.rice, "100", "2", when=at(3)).revaluation_job_ids[0]

    run_revaluation(job_id)

    job = Job.objects.get(pk=job_id)
    assert (job.status, job.total, job.done, job.result) == (
        "done",
        3,
        3,
        {"revalued": 2, "rounds": 1},
    )
    books_are_right(pantry)


# FIFO by lot


def test_given_fifo_when_issuing_an_untracked_item_then_the_oldest_receipt_cost_goes_first(
    pantry: Pantry,
) -> None:
    w = pantry.world
    org_services.update_organization(w.actor, valuation="fifo")
    w.actor.organization.refresh_from_db()
    receive(w.actor, w.store_a, pantry.oil, "100", "1", when=at(3))
    receive(w.actor, w.store_a, pantry.oil, "100", "2", when=at(2))

    result = issue(w.actor, w.store_a, pantry.oil, "150")

    assert [(m.quantity, m.value, m.unit_cost) for m in result.moves] == [
        (D("-100.000"), D("-100.0000"), D("1.000000")),
        (D("-50.000"), D("-100.0000"), D("2.000000")),
    ]
    balance = ItemBalance.objects.get(location=w.store_a, item=pantry.oil)
    assert (balance.quantity, balance.value, balance.unit_cost) == (
        D("50.000"),
        D("100.0000"),
        D("2.000000"),
    )
    books_are_right(pantry, fifo=True)


def test_given_fifo_when_a_receipt_is_backdated_then_other_lots_keep_their_cost(
    pantry: Pantry,
) -> None:
    w = pantry.world
    org_services.update_organization(w.actor, valuation="fifo")
    w.actor.organization.refresh_from_db()
    expiry = at(0).date() + dt.timedelta(days=20)
    receive(w.actor, w.store_a, pantry.beef, "100", "1", lot="A", expiry=expiry, when=at(3))
    sale = issue(w.actor, w.store_a, pantry.beef, "40", when=at(1))

    receive(
        w.actor,
        w.store_a,
        pantry.beef,
        "100",
        "5",
        lot="B",
        expiry=expiry + dt.timedelta(1),
        when=at(2),
    )

    assert effective(sale.moves[0].pk) == D("-40.0000")
    assert not StockMove.objects.filter(kind="revaluation").exists()
    books_are_right(pantry, fifo=True)


def test_given_a_batch_with_many_items_when_posted_then_each_pair_is_valued_on_its_own(
    pantry: Pantry,
) -> None:
    w = pantry.world
    result = post_moves(
        w.actor,
        [
            MoveSpec(w.store_a.pk, pantry.oil.pk, D("10"), "opening", unit_cost=D("1")),
            MoveSpec(w.store_b.pk, pantry.oil.pk, D("10"), "opening", unit_cost=D("3")),
            MoveSpec(w.store_a.pk, pantry.oil.pk, D("-4"), "transfer_out"),
            MoveSpec(w.store_b.pk, pantry.oil.pk, D("4"), "transfer_in", unit_cost=D("1")),
        ],
        source_type="transfer",
        source_id="TR-1",
    )

    assert [m.value for m in result.moves] == [
        D("10.0000"),
        D("30.0000"),
        D("-4.0000"),
        D("4.0000"),
    ]
    assert ItemBalance.objects.get(location=w.store_b, item=pantry.oil).unit_cost == D("2.428571")
    books_are_right(pantry)
