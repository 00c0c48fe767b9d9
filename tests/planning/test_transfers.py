"""Stock about to expire at one store is suggested to a nearby store that runs short; staff
accept a suggestion into a requested transfer or reject it with a reason."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from boh.core.errors import BohError
from boh.inventory.documents.models import Transfer
from boh.inventory.services import MoveSpec, post_moves
from boh.planning import replenish
from boh.planning.models import Suggestion, TransferSuggestion
from boh.planning.services.decisions import accept_transfer, reject_transfer
from boh.planning.services.nightly import plan_organization
from tests.conftest import ApiClient, World
from tests.planning.worlds import QUICK, planned


def test_given_a_store_short_and_a_neighbour_with_expiring_stock_then_a_transfer(
    world: World,
) -> None:
    built = planned(world)

    transfer = TransferSuggestion.objects.get(run=built.run)
    second_line = Suggestion.objects.get(location=built.second_store).lines.get()
    today = built.run.first_date
    assert (transfer.from_location, transfer.to_location, transfer.item) == (
        built.second_store,
        world.store_a,
        built.item,
    )
    assert transfer.expiry_date == today + dt.timedelta(days=2)
    # the new store borrows store A's 500 g a day: 3 days use 1500 of its 3000 g
    assert second_line.explanation["expiring_unused"] == "1500.000"
    assert transfer.quantity == Decimal("1500.000")


def test_given_a_suggested_transfer_when_accepted_twice_then_one_requested_transfer(
    world: World,
) -> None:
    built = planned(world)
    suggestion = built.transfers[0]

    first = accept_transfer(world.actor, suggestion)
    second = accept_transfer(world.actor, suggestion)

    suggestion.refresh_from_db()
    line = first.lines.get()
    assert second.pk == first.pk
    assert Transfer.objects.count() == 1
    assert (first.from_location, first.to_location, first.status) == (
        built.second_store,
        world.store_a,
        Transfer.Status.REQUESTED,
    )
    assert (line.item, line.lot, line.requested_quantity) == (
        built.item,
        suggestion.lot,
        Decimal("1500.000"),
    )
    assert first.note == f"Suggested transfer #{suggestion.pk}: 1500 g of lot DF-1."
    assert (suggestion.status, suggestion.transfer_id) == (
        TransferSuggestion.Status.ACCEPTED,
        first.pk,
    )
    assert suggestion.decided_at is not None


def test_given_a_suggested_transfer_when_rejected_then_the_reason_and_no_transfer(
    world: World,
) -> None:
    suggestion = planned(world).transfers[0]

    reject_transfer(world.actor, suggestion, reason="A三店 uses it for a banquet")

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reason) == (
        TransferSuggestion.Status.REJECTED,
        "A三店 uses it for a banquet",
    )
    assert not Transfer.objects.exists()
    with pytest.raises(BohError) as accepted:
        accept_transfer(world.actor, suggestion)
    assert (accepted.value.status, accepted.value.code) == (409, "suggestion_not_open")
    assert not Transfer.objects.exists()


def test_given_no_reason_when_rejecting_a_transfer_then_the_field_is_named_and_it_stays_open(
    world: World,
) -> None:
    suggestion = planned(world).transfers[0]

    with pytest.raises(BohError) as refused:
        reject_transfer(world.actor, suggestion, reason="  ")

    suggestion.refresh_from_db()
    assert (refused.value.status, refused.value.fields[0].field) == (400, "reason")
    assert (suggestion.status, suggestion.reason) == (TransferSuggestion.Status.OPEN, "")


def test_given_the_lot_partly_used_since_when_accepting_then_only_what_is_left_and_said(
    world: World,
) -> None:
    built = planned(world)
    suggestion = built.transfers[0]
    post_moves(
        world.actor,
        [
            MoveSpec(
                built.second_store.pk,
                built.item.pk,
                Decimal(-1800),
                "waste",
                lot_id=suggestion.lot_id,
            )
        ],
        source_type="test",
        source_id="spoiled",
    )

    transfer = accept_transfer(world.actor, suggestion)

    assert transfer.lines.get().requested_quantity == Decimal("1200.000")
    assert transfer.note.endswith("Only 1200 g of the lot are left to send.")


def test_given_the_lot_used_up_when_accepting_then_a_conflict_and_nothing_requested(
    world: World,
) -> None:
    built = planned(world)
    suggestion = built.transfers[0]
    post_moves(
        world.actor,
        [
            MoveSpec(
                built.second_store.pk, built.item.pk, Decimal(-3000), "waste", suggestion.lot_id
            )
        ],
        source_type="test",
        source_id="spoiled",
    )

    with pytest.raises(BohError) as refused:
        accept_transfer(world.actor, suggestion)

    suggestion.refresh_from_db()
    assert (refused.value.status, refused.value.code) == (409, "transfer_stock_gone")
    assert suggestion.status == TransferSuggestion.Status.OPEN
    assert not Transfer.objects.exists()


def test_given_an_accepted_transfer_when_planning_again_then_the_stock_is_not_offered_twice(
    world: World,
) -> None:
    built = planned(world)
    accept_transfer(world.actor, built.transfers[0])

    again = plan_organization(
        world.actor,
        horizon=14,
        today=built.run.first_date,
        now=dt.datetime.combine(built.run.first_date, dt.time(9), timezone.get_default_timezone()),
        settings=QUICK,
    )

    store_a = Suggestion.objects.get(location=world.store_a, run=again.run).lines.get()
    assert again.transfers == []
    # the 1500 g on their way count as on order at store A (due tomorrow): of its 1500 g
    # short before the delivery, only today's 500 g remain
    assert store_a.explanation["on_order"] == "1500.000"
    assert store_a.explanation["short_before_delivery"] == "500.000"


def test_given_transfers_over_the_api_then_accepted_rejected_and_listed(
    world: World, admin_api: ApiClient
) -> None:
    built = planned(world)
    suggestion = built.transfers[0]

    refused = admin_api.post(f"/planning/transfers/{suggestion.pk}/reject", {"reason": ""})
    accepted = admin_api.post(f"/planning/transfers/{suggestion.pk}/accept", {})
    again = admin_api.post(f"/planning/transfers/{suggestion.pk}/accept", {})
    listed = admin_api.get("/planning/transfers?status=accepted")

    transfer = Transfer.objects.get()
    assert refused.status_code == 400
    assert refused.json()["fields"][0]["field"] == "reason"
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["transfer_id"] == transfer.pk
    assert again.json()["transfer_id"] == transfer.pk
    assert [t["id"] for t in listed.json()["items"]] == [suggestion.pk]


def test_given_a_suggested_transfer_when_rejected_over_the_api_then_the_reason_is_listed(
    world: World, admin_api: ApiClient
) -> None:
    suggestion = planned(world).transfers[0]

    rejected = admin_api.post(f"/planning/transfers/{suggestion.pk}/reject", {"reason": "已用完"})
    listed = admin_api.get("/planning/transfers?status=rejected")

    assert rejected.status_code == 200
    assert listed.json()["items"][0]["reason"] == "已用完"
    assert not Transfer.objects.exists()


surpluses = st.lists(
    st.tuples(
        st.integers(1, 4),  # location
        st.integers(1, 3),  # item
        st.integers(1, 5000),  # quantity
        st.integers(1, 6),  # days to expiry
    ),
    max_size=8,
)
shortages = st.lists(
    st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 5000)), max_size=8
)


@settings(max_examples=200, deadline=None)
@given(surpluses, shortages)
def test_suggested_transfers_never_move_more_than_the_surplus_or_the_shortage(
    surplus_rows: list[tuple[int, int, int, int]], shortage_rows: list[tuple[int, int, int]]
) -> None:
    today = dt.date(2026, 5, 4)
    surplus = [
        replenish.Surplus(loc, "north", item, n, Decimal(qty), today + dt.timedelta(days=days))
        for n, (loc, item, qty, days) in enumerate(surplus_rows, start=1)
    ]
    short = [
        replenish.Shortage(loc, "north", item, Decimal(qty), today + dt.timedelta(days=2))
        for loc, item, qty in shortage_rows
    ]

    moves = replenish.suggest_transfers(short, surplus, ship_date=today + dt.timedelta(days=1))

    sent: dict[int | None, Decimal] = defaultdict(Decimal)
    received: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for move in moves:
        sent[move.lot_id] += move.quantity
        received[(move.to_location_id, move.item_id)] += move.quantity
        assert move.quantity > 0
        assert move.from_location_id != move.to_location_id
    for s in surplus:
        assert sent[s.lot_id] <= s.quantity
    wanted: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for s in short:
        wanted[(s.location_id, s.item_id)] += s.quantity
    for key, quantity in received.items():
        assert quantity <= wanted[key]
