"""The unmapped-sales queue: nothing is dropped, and mapping a code depletes what waited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boh.core.errors import BohError
from boh.inventory.models import StockMove
from boh.menu import services as menu
from boh.sales import selectors
from boh.sales.models import DailyItemSales, Ticket, TicketLine, UnmappedLine, UnmappedSale
from boh.sales.services import ingest_tickets, map_pos_code
from tests.conftest import World
from tests.sales.conftest import Shop, days_ago, sale, ticket
from tests.sales.test_ingest import ONE_NOODLE, depleted, times


def test_an_unmapped_modifier_waits_and_is_depleted_once_mapped(world: World, shop: Shop) -> None:
    # given "extra beef" sent under a code nobody mapped, on a ticket with a plain noodle
    raw = ticket(
        world.store_a,
        sale(quantity=1),
        sale(quantity=2, price="34.00", modifiers=["XBEEF"]),
        closed_at=days_ago(2),
    )

    # when it is ingested
    ingest_tickets(world.actor, [raw])

    # then the plain noodle depletes, and the line with the unknown modifier waits in the queue
    assert depleted(world.store_a.pk) == ONE_NOODLE
    queued = UnmappedSale.objects.get()
    assert (queued.source, queued.code, queued.kind, queued.lines) == (
        "pos1",
        "XBEEF",
        "modifier",
        1,
    )
    assert (queued.quantity, queued.revenue) == (Decimal("2.000"), Decimal("68.00"))
    assert queued.first_seen_at == days_ago(2) == queued.last_seen_at
    waiting = TicketLine.objects.get(state="waiting")
    assert list(UnmappedLine.objects.values_list("line_id", flat=True)) == [waiting.pk]
    assert Ticket.objects.get().waiting_lines == 1
    summary = selectors.unmapped_summary(world.actor)
    assert (summary.codes, summary.lines, summary.revenue) == (1, 1, Decimal("68.00"))

    # when the code is mapped to "extra beef"
    result = map_pos_code(
        world.actor, source="pos1", code="XBEEF", option_id=shop.option("beef").pk
    )

    # then the waiting line depletes 2 noodles with 80 g extra beef each, at the ticket's time
    assert (result.depleted_lines, result.still_waiting) == (1, 0)
    expected = times(ONE_NOODLE, 3)
    expected["BEEF"] += 160
    assert depleted(world.store_a.pk) == expected
    late = StockMove.objects.filter(source_id__startswith="map-")
    assert {m.happened_at for m in late} == {days_ago(2)}
    queued.refresh_from_db()
    assert (queued.lines, queued.quantity, queued.revenue) == (0, Decimal("0.000"), Decimal("0.00"))
    assert queued.resolved_at is not None and queued.pos_code_id == result.pos_code_id
    assert not UnmappedLine.objects.exists()
    assert Ticket.objects.get().waiting_lines == 0
    assert list(DailyItemSales.objects.values_list("quantity", "net_sales")) == [
        (Decimal("3.000"), Decimal("96.00"))
    ]
    assert selectors.unmapped_summary(world.actor).codes == 0


def test_a_line_waits_until_every_code_is_mapped(world: World, shop: Shop) -> None:
    # given a line whose item code and modifier code are both unknown
    ingest_tickets(world.actor, [ticket(world.store_a, sale("MYSTERY", modifiers=["ZZ"]))])
    assert sorted(UnmappedSale.objects.values_list("code", "kind", "lines")) == [
        ("MYSTERY", "line", 1),
        ("ZZ", "modifier", 1),
    ]

    # when only the item code is mapped
    first = map_pos_code(world.actor, source="pos1", code="MYSTERY", menu_item_id=shop.noodles.pk)

    # then nothing depletes yet, and the line only waits for the modifier
    assert (first.depleted_lines, first.still_waiting) == (0, 1)
    assert depleted(world.store_a.pk) == {}
    assert sorted(UnmappedSale.objects.values_list("code", "lines")) == [("MYSTERY", 0), ("ZZ", 1)]

    # when the modifier is mapped too, then the line depletes
    second = map_pos_code(world.actor, source="pos1", code="ZZ", option_id=shop.option("large").pk)
    assert second.depleted_lines == 1
    assert depleted(world.store_a.pk) == times(ONE_NOODLE, "1.5")


def test_mapping_through_the_menu_depletes_waiting_sales(
    world: World, shop: Shop, django_capture_on_commit_callbacks: object
) -> None:
    # given a line waiting for code EGG2
    ingest_tickets(world.actor, [ticket(world.store_a, sale("EGG2", quantity=3))])

    # when the menu maps EGG2 (not through the sales queue)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        menu.create_pos_code(world.actor, source="pos1", code="EGG2", menu_item_id=shop.eggs.pk)

    # then the sales module hears of it and depletes 3 egg dishes (2 eggs each)
    assert depleted(world.store_a.pk) == {"EGG": Decimal("6.000")}
    assert UnmappedSale.objects.get().lines == 0


def test_an_amended_ticket_leaves_the_queue(world: World, shop: Shop) -> None:
    # given a waiting line on a ticket
    raw = ticket(world.store_a, sale("NEWDISH", quantity=2), external_id="Q-1")
    ingest_tickets(world.actor, [raw])

    # when the POS amends the ticket to a known dish
    ingest_tickets(world.actor, [{**raw, "lines": [sale()]}])

    # then the old line no longer waits and the queue row is empty
    assert UnmappedSale.objects.get().lines == 0
    assert not UnmappedLine.objects.exists()
    assert TicketLine.objects.filter(state="waiting").count() == 0
    assert depleted(world.store_a.pk) == ONE_NOODLE


def test_mapping_a_code_twice_is_refused(world: World, shop: Shop) -> None:
    # given a mapped code, when it is mapped again, then the menu refuses it
    with pytest.raises(BohError) as caught:
        map_pos_code(world.actor, source="pos1", code="NOODLE", menu_item_id=shop.eggs.pk)
    assert caught.value.code == "duplicate_pos_code"


def test_store_staff_may_not_map_codes(world: World, shop: Shop) -> None:
    # given store staff, when they map a code, then they are refused
    staff = world.actor_for(world.user("store_staff", location_id=world.store_a.pk))
    with pytest.raises(BohError) as caught:
        map_pos_code(staff, source="pos1", code="X", menu_item_id=shop.eggs.pk)
    assert caught.value.status == 403


def test_mapping_a_code_again_to_the_same_target_depletes_what_still_waits(
    world: World, shop: Shop
) -> None:
    # given a line waiting for LATE, and LATE mapped in the menu while nobody heard of it
    ingest_tickets(world.actor, [ticket(world.store_a, sale("LATE"))])
    menu.create_pos_code(world.actor, source="pos1", code="LATE", menu_item_id=shop.noodles.pk)
    assert TicketLine.objects.get().state == "waiting"

    # when the code is mapped again to the same dish
    result = map_pos_code(world.actor, source="pos1", code="LATE", menu_item_id=shop.noodles.pk)

    # then the line depletes, and no second POS code is made
    assert result.depleted_lines == 1
    assert depleted(world.store_a.pk) == ONE_NOODLE
