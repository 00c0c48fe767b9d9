"""post_moves and reverse_moves: balances, FEFO, moving average, refusals, reversals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boh.core.errors import BohError
from boh.core.models import AuditEntry, DomainEvent
from boh.inventory.ledger.verify import verify_balances
from boh.inventory.models import Balance, ItemBalance, Lot, LotStatus, StockMove
from boh.inventory.selectors import current_unit_cost, lots_on_hand, stock_on_hand
from boh.inventory.services import (
    LotSpec,
    MoveSpec,
    close_period,
    place_lot_on_hold,
    post_moves,
    reverse_moves,
)
from boh.org import services as org_services
from tests.conftest import World
from tests.inventory.conftest import Pantry, at, issue, make_pantry, receive

D = Decimal


def balance(location_id: int, item_id: int, lot_id: int | None = None) -> tuple[Decimal, Decimal]:
    row = Balance.objects.get(location_id=location_id, item_id=item_id, lot_key=lot_id or 0)
    return row.quantity, row.value


def item_balance(location_id: int, item_id: int) -> tuple[Decimal, Decimal, Decimal]:
    row = ItemBalance.objects.get(location_id=location_id, item_id=item_id)
    return row.quantity, row.value, row.unit_cost


# Receipts and issues at moving average


def test_given_a_receipt_when_posted_then_move_and_balances_hold_it(pantry: Pantry) -> None:
    w = pantry.world

    result = receive(w.actor, w.store_a, pantry.oil, "1000", "0.02")

    move = result.moves[0]
    assert (move.kind, move.quantity, move.unit_cost, move.value) == (
        "receipt",
        D("1000.000"),
        D("0.020000"),
        D("20.0000"),
    )
    assert move.posted_by_user_id == w.owner.pk
    assert (move.source_type, move.source_id, move.batch) == ("po_receipt", "R-test", result.batch)
    assert balance(w.store_a.pk, pantry.oil.pk) == (D("1000.000"), D("20.0000"))
    assert item_balance(w.store_a.pk, pantry.oil.pk) == (D("1000.000"), D("20.0000"), D("0.020000"))


def test_given_two_receipts_at_different_costs_when_issuing_then_the_average_is_used(
    pantry: Pantry,
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.oil, "1000", "0.02")
    receive(w.actor, w.store_a, pantry.oil, "1000", "0.04")

    result = issue(w.actor, w.store_a, pantry.oil, "500")

    assert (result.moves[0].quantity, result.moves[0].value, result.moves[0].unit_cost) == (
        D("-500.000"),
        D("-15.0000"),
        D("0.030000"),
    )
    assert item_balance(w.store_a.pk, pantry.oil.pk) == (D("1500.000"), D("45.0000"), D("0.030000"))
    assert current_unit_cost(w.store_a.pk, pantry.oil.pk) == D("0.030000")


def test_given_thirds_when_the_last_unit_leaves_then_it_takes_the_remaining_value_exactly(
    pantry: Pantry,
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.rice, "1", "1")
    receive(w.actor, w.store_a, pantry.rice, "2", "2")

    values = [issue(w.actor, w.store_a, pantry.rice, "1").moves[0].value for _ in range(3)]

    assert values == [D("-1.6667"), D("-1.6667"), D("-1.6666")]
    assert item_balance(w.store_a.pk, pantry.rice.pk)[:2] == (D("0.000"), D("0.0000"))


# FEFO


def test_given_two_lots_when_issuing_without_a_lot_then_the_earliest_expiry_goes_first(
    pantry: Pantry,
) -> None:
    w = pantry.world
    today = timezone.localdate()
    late = receive(
        w.actor, w.store_a, pantry.beef, "300", "0.1", lot="L-LATE", expiry=today + dt.timedelta(9)
    )
    soon = receive(
        w.actor, w.store_a, pantry.beef, "200", "0.1", lot="L-SOON", expiry=today + dt.timedelta(2)
    )

    result = issue(w.actor, w.store_a, pantry.beef, "250")

    assert [(m.lot_id, m.quantity) for m in result.moves] == [
        (soon.moves[0].lot_id, D("-200.000")),
        (late.moves[0].lot_id, D("-50.000")),
    ]
    assert balance(w.store_a.pk, pantry.beef.pk, soon.moves[0].lot_id)[0] == D("0.000")
    assert balance(w.store_a.pk, pantry.beef.pk, late.moves[0].lot_id)[0] == D("250.000")


def test_given_lots_with_the_same_expiry_when_issuing_then_the_earlier_receipt_goes_first(
    pantry: Pantry,
) -> None:
    w = pantry.world
    expiry = timezone.localdate() + dt.timedelta(5)
    first = post_moves(
        w.actor,
        [
            MoveSpec(
                w.store_a.pk,
                pantry.beef.pk,
                D("100"),
                "receipt",
                unit_cost=D("1"),
                new_lot=LotSpec("NEW", expiry, received_date=timezone.localdate()),
            ),
            MoveSpec(
                w.store_a.pk,
                pantry.beef.pk,
                D("100"),
                "receipt",
                unit_cost=D("1"),
                new_lot=LotSpec(
                    "OLD", expiry, received_date=timezone.localdate() - dt.timedelta(3)
                ),
            ),
        ],
        source_type="po_receipt",
        source_id="R1",
    )

    result = issue(w.actor, w.store_a, pantry.beef, "150")

    old_lot, new_lot = first.moves[1].lot_id, first.moves[0].lot_id
    assert [(m.lot_id, m.quantity) for m in result.moves] == [
        (old_lot, D("-100.000")),
        (new_lot, D("-50.000")),
    ]


def test_given_an_expired_and_a_held_lot_when_consuming_then_fefo_skips_both(
    pantry: Pantry,
) -> None:
    w = pantry.world
    today = timezone.localdate()
    expired = receive(
        w.actor,
        w.store_a,
        pantry.beef,
        "100",
        "1",
        lot="OLD",
        expiry=today - dt.timedelta(1),
        when=at(3),
    )
    held = receive(
        w.actor, w.store_a, pantry.beef, "100", "1", lot="HELD", expiry=today + dt.timedelta(1)
    )
    good = receive(
        w.actor, w.store_a, pantry.beef, "100", "1", lot="GOOD", expiry=today + dt.timedelta(8)
    )
    place_lot_on_hold(w.actor, held.moves[0].lot_id, note="smells off")

    result = issue(w.actor, w.store_a, pantry.beef, "60")

    assert [m.lot_id for m in result.moves] == [good.moves[0].lot_id]
    assert expired.moves[0].lot_id != good.moves[0].lot_id


def test_given_a_held_lot_when_consumed_by_name_without_override_then_refused(
    pantry: Pantry,
) -> None:
    w = pantry.world
    held = receive(
        w.actor,
        w.store_a,
        pantry.beef,
        "100",
        "1",
        lot="HELD",
        expiry=timezone.localdate() + dt.timedelta(3),
    )
    lot_id = held.moves[0].lot_id
    place_lot_on_hold(w.actor, lot_id)
    before = StockMove.objects.count()

    with pytest.raises(BohError) as refused:
        issue(w.actor, w.store_a, pantry.beef, "10", lot_id=lot_id)

    assert refused.value.code == "lot_unavailable"
    assert refused.value.fields[0].field == "moves[0].lot_id"
    assert StockMove.objects.count() == before


def test_given_a_held_lot_when_consumed_with_an_override_then_posted_with_the_note(
    pantry: Pantry,
) -> None:
    w = pantry.world
    held = receive(
        w.actor,
        w.store_a,
        pantry.beef,
        "100",
        "1",
        lot="HELD",
        expiry=timezone.localdate() + dt.timedelta(3),
    )
    lot_id = held.moves[0].lot_id
    place_lot_on_hold(w.actor, lot_id)

    result = post_moves(
        w.actor,
        [
            MoveSpec(
                w.store_a.pk,
                pantry.beef.pk,
                D("-10"),
                "sale_depletion",
                lot_id=lot_id,
                allow_unavailable_lot=True,
                override_note="lab cleared it by phone",
            )
        ],
        source_type="pos_ticket",
        source_id="T9",
    )

    assert result.moves[0].override_note == "lab cleared it by phone"
    assert balance(w.store_a.pk, pantry.beef.pk, lot_id)[0] == D("90.000")


# Negative stock


def test_given_refuse_policy_when_issuing_more_than_on_hand_then_refused_naming_the_shortfall(
    pantry: Pantry,
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.oil, "100", "0.02")
    before = (StockMove.objects.count(), AuditEntry.objects.count(), DomainEvent.objects.count())

    with pytest.raises(BohError) as refused:
        issue(w.actor, w.store_a, pantry.oil, "130.5", kind="waste")

    assert refused.value.code == "insufficient_stock"
    assert refused.value.status == 400
    assert refused.value.fields[0].field == "moves[0].quantity"
    assert refused.value.fields[0].message == (
        "Not enough 菜籽油 at A店: 100 ml can be used, 130.5 ml are needed, short by 30.5 ml."
    )
    after = (StockMove.objects.count(), AuditEntry.objects.count(), DomainEvent.objects.count())
    assert after == before
    assert balance(w.store_a.pk, pantry.oil.pk) == (D("100.000"), D("2.0000"))


def test_given_allow_policy_when_going_negative_then_flagged_and_a_receipt_restores_cost(
    pantry: Pantry,
) -> None:
    w = pantry.world
    org_services.update_organization(w.actor, negative_stock="allow")
    w.actor.organization.refresh_from_db()
    receive(w.actor, w.store_a, pantry.oil, "100", "0.02")

    short = issue(w.actor, w.store_a, pantry.oil, "150")
    covered = receive(w.actor, w.store_a, pantry.oil, "100", "0.05")

    assert [(m.quantity, m.value, m.flagged) for m in short.moves] == [
        (D("-150.000"), D("-3.0000"), True)
    ]
    assert covered.moves[0].value == D("5.0000")
    cover = StockMove.objects.get(revalues=covered.moves[0])
    assert (cover.kind, cover.quantity, cover.value, cover.reason) == (
        "revaluation",
        D("0.000"),
        D("-1.5000"),
        "negative_cover",
    )
    assert item_balance(w.store_a.pk, pantry.oil.pk) == (D("50.000"), D("2.5000"), D("0.050000"))


def test_given_refuse_policy_when_a_sale_outruns_stock_then_its_depletion_is_flagged(
    pantry: Pantry,
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.oil, "100", "0.02")

    sale = issue(w.actor, w.store_a, pantry.oil, "130")

    assert [(m.quantity, m.value, m.flagged) for m in sale.moves] == [
        (D("-130.000"), D("-2.6000"), True)
    ]
    assert item_balance(w.store_a.pk, pantry.oil.pk)[:2] == (D("-30.000"), D("-0.6000"))


# Refused input writes nothing


def test_given_bad_lines_when_posting_then_each_field_is_named_and_nothing_is_written(
    pantry: Pantry, other_world: World
) -> None:
    w = pantry.world
    rival = make_pantry(other_world)
    beef_lot = (
        receive(
            w.actor,
            w.store_a,
            pantry.beef,
            "10",
            "1",
            lot="B1",
            expiry=timezone.localdate() + dt.timedelta(4),
        )
        .moves[0]
        .lot_id
    )
    before = StockMove.objects.count()

    with pytest.raises(BohError) as refused:
        post_moves(
            w.actor,
            [
                MoveSpec(w.store_a.pk, pantry.oil.pk, D("0"), "receipt", unit_cost=D("1")),
                MoveSpec(w.store_a.pk, pantry.oil.pk, D("-1"), "sale_depletion", lot_id=beef_lot),
                MoveSpec(w.store_a.pk, pantry.beef.pk, D("5"), "receipt", unit_cost=D("1")),
                MoveSpec(w.store_a.pk, pantry.oil.pk, D("5"), "receipt"),
                MoveSpec(w.store_a.pk, pantry.oil.pk, D("5"), "waste"),
            ],
            source_type="test",
            source_id="bad",
        )

    assert [(f.field, f.code) for f in refused.value.fields] == [
        ("moves[0].quantity", "zero_quantity"),
        ("moves[1].lot_id", "lot_of_other_item"),
        ("moves[2].lot_id", "lot_required"),
        ("moves[3].unit_cost", "unit_cost_required"),
        ("moves[4].quantity", "wrong_sign"),
    ]
    assert refused.value.status == 400
    assert StockMove.objects.count() == before

    with pytest.raises(BohError) as foreign:
        post_moves(
            w.actor,
            [
                MoveSpec(w.store_a.pk, rival.oil.pk, D("5"), "receipt", unit_cost=D("1")),
                MoveSpec(
                    other_world.store_a.pk, pantry.oil.pk, D("5"), "receipt", unit_cost=D("1")
                ),
            ],
            source_type="test",
            source_id="foreign",
        )
    assert foreign.value.status == 400
    assert [(f.field, f.code) for f in foreign.value.fields] == [
        ("moves[0].item_id", "not_found"),
        ("moves[1].location_id", "not_found"),
    ]
    assert StockMove.objects.count() == before


def test_given_a_closed_period_when_posting_into_it_then_refused_on_happened_at(
    pantry: Pantry,
) -> None:
    w = pantry.world
    close_period(w.actor, closed_through=timezone.localdate() - dt.timedelta(3))

    with pytest.raises(BohError) as refused:
        receive(w.actor, w.store_a, pantry.oil, "10", "1", when=at(5))

    assert refused.value.code == "period_closed"
    assert refused.value.fields[0].field == "moves[0].happened_at"
    assert not StockMove.objects.exists()
    assert receive(w.actor, w.store_a, pantry.oil, "10", "1", when=at(1)).moves[0].quantity == D(
        "10.000"
    )


def test_given_a_store_user_when_posting_at_another_store_then_forbidden(pantry: Pantry) -> None:
    w = pantry.world
    staff = w.actor_for(w.user("store_staff", location_id=w.store_a.pk))

    with pytest.raises(BohError) as refused:
        receive(staff, w.store_b, pantry.oil, "10", "1")

    assert refused.value.status == 403
    assert receive(staff, w.store_a, pantry.oil, "10", "1").moves[0].location_id == w.store_a.pk


# Reversals and immutability


def test_given_an_issue_when_reversed_then_quantity_and_value_come_back_exactly(
    pantry: Pantry,
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.rice, "3", "1.111111")
    sale = issue(w.actor, w.store_a, pantry.rice, "1")
    before = item_balance(w.store_a.pk, pantry.rice.pk)

    undo = reverse_moves(
        w.actor, [sale.moves[0].pk], reason="voided", source_type="pos_ticket", source_id="T-test"
    )

    reversal = undo.moves[0]
    assert (reversal.quantity, reversal.value, reversal.reverses_id, reversal.kind) == (
        D("1.000"),
        -sale.moves[0].value,
        sale.moves[0].pk,
        "sale_depletion",
    )
    assert item_balance(w.store_a.pk, pantry.rice.pk)[:2] == (
        before[0] + 1,
        before[1] - sale.moves[0].value,
    )
    with pytest.raises(BohError) as twice:
        reverse_moves(w.actor, [sale.moves[0].pk], reason="again", source_type="x", source_id="y")
    assert (twice.value.code, twice.value.fields[0].field) == ("already_reversed", "move_ids[0]")


def test_given_a_posted_move_when_changed_or_deleted_then_refused(pantry: Pantry) -> None:
    w = pantry.world
    move = receive(w.actor, w.store_a, pantry.oil, "10", "1").moves[0]
    stored = StockMove.objects.get(pk=move.pk)

    with pytest.raises(PermissionError):
        stored.save()
    with pytest.raises(PermissionError):
        stored.delete()
    with pytest.raises(PermissionError):
        StockMove.objects.filter(pk=move.pk).update(quantity=5)
    with pytest.raises(PermissionError):
        StockMove.objects.filter(pk=move.pk).delete()


# One batch: one audit entry, one event, a constant number of queries


def test_given_a_batch_when_posted_then_one_audit_entry_and_one_event(pantry: Pantry) -> None:
    w = pantry.world
    audits, events = AuditEntry.objects.count(), DomainEvent.objects.count()

    result = post_moves(
        w.actor,
        [
            MoveSpec(w.store_a.pk, pantry.oil.pk, D(n), "receipt", unit_cost=D("0.01"))
            for n in (1, 2, 3)
        ],
        source_type="po_receipt",
        source_id="PO-7",
    )

    assert AuditEntry.objects.count() == audits + 1
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None
    assert (entry.verb, entry.object_id, entry.changes["moves"]) == (
        "posted",
        str(result.moves[0].pk),
        [None, 3],
    )
    event = DomainEvent.objects.order_by("-id").first()
    assert event is not None and DomainEvent.objects.count() == events + 1
    assert (event.name, event.payload["moves"], event.payload["source_id"]) == (
        "inventory.moves_posted",
        3,
        "PO-7",
    )


def _batch(pantry: Pantry, n: int, source: str) -> list[MoveSpec]:
    w = pantry.world
    items = [pantry.oil, pantry.rice]
    return [
        MoveSpec(w.store_a.pk, items[i % 2].pk, D(i + 1), "receipt", unit_cost=D("0.5"))
        for i in range(n)
    ]


def test_given_10_or_200_moves_when_posted_then_the_query_count_is_the_same(
    pantry: Pantry, django_assert_max_num_queries: object
) -> None:
    w = pantry.world
    post_moves(w.actor, _batch(pantry, 2, "warm"), source_type="test", source_id="warm")
    with CaptureQueriesContext(connection) as small:
        post_moves(w.actor, _batch(pantry, 10, "small"), source_type="test", source_id="small")

    with django_assert_max_num_queries(len(small.captured_queries)):  # type: ignore[operator]
        result = post_moves(
            w.actor, _batch(pantry, 200, "big"), source_type="test", source_id="big"
        )

    assert len(result.moves) == 200
    assert len(small.captured_queries) <= 16


# Reads


def test_given_history_when_reading_on_hand_as_of_a_past_time_then_the_ledger_answers(
    pantry: Pantry,
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.oil, "100", "0.02", when=at(3))
    issue(w.actor, w.store_a, pantry.oil, "30", when=at(2))
    receive(w.actor, w.store_a, pantry.oil, "50", "0.02", when=at(1))

    past = stock_on_hand(w.actor, w.store_a.pk, as_of=at(2) + dt.timedelta(hours=1))
    now = stock_on_hand(w.actor, w.store_a.pk)

    assert [(r.item_code, r.quantity, r.value) for r in past] == [("OIL", D("70.000"), D("1.4000"))]
    assert [(r.item_code, r.quantity, r.value, r.unit_cost) for r in now] == [
        ("OIL", D("120.000"), D("2.4000"), D("0.020000"))
    ]


def test_given_lots_when_listing_lots_on_hand_then_in_fefo_order(pantry: Pantry) -> None:
    w = pantry.world
    today = timezone.localdate()
    receive(w.actor, w.store_a, pantry.beef, "5", "1", lot="LATE", expiry=today + dt.timedelta(9))
    receive(w.actor, w.store_a, pantry.beef, "7", "1", lot="SOON", expiry=today + dt.timedelta(1))

    rows = lots_on_hand(w.actor, w.store_a.pk, pantry.beef.pk)

    assert [(r.code, r.quantity) for r in rows] == [("SOON", D("7.000")), ("LATE", D("5.000"))]
    assert Lot.objects.get(code="SOON").status == LotStatus.AVAILABLE


# Verification


def test_given_consistent_books_when_verifying_then_no_difference_and_a_tampered_one_is_found(
    pantry: Pantry, capsys: pytest.CaptureFixture[str]
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.oil, "100", "0.02")
    issue(w.actor, w.store_a, pantry.oil, "40")

    call_command("inventory_verify", "--no-progress")
    assert verify_balances() == []
    assert "all balances equal" in capsys.readouterr().out

    Balance.objects.filter(item=pantry.oil).update(quantity=D("61"))
    with pytest.raises(CommandError):
        call_command("inventory_verify", "--no-progress")
    differences = verify_balances(w.org.pk)
    assert [
        (d.item_id, d.whole_item, d.stored_quantity, d.moves_quantity) for d in differences
    ] == [(pantry.oil.pk, False, D("61.000"), D("60.000"))]
