"""Ticket ingestion: outcomes per ticket, idempotency, amendments, voids, refunds, limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from boh.core.errors import BohError
from boh.inventory.models import StockMove
from boh.inventory.services import close_period
from boh.sales.models import DailyItemSales, DailySales, Ticket, TicketLine, TicketVersion
from boh.sales.services import ingest_tickets
from tests.conftest import World
from tests.sales.conftest import Shop, days_ago, sale, ticket


def ledger() -> list[tuple[Any, ...]]:
    """Every sales move: item code, quantity, source line, reversed move (if any)."""
    return list(
        StockMove.objects.filter(source_type="pos_ticket")
        .order_by("id")
        .values_list("item__code", "quantity", "source_line", "reverses_id")
    )


def depleted(location_id: int) -> dict[str, Decimal]:
    """Net sales depletion per item code at a location (positive = used)."""
    result: dict[str, Decimal] = {}
    for code, quantity in StockMove.objects.filter(
        location_id=location_id, kind="sale_depletion"
    ).values_list("item__code", "quantity"):
        result[code] = result.get(code, Decimal(0)) - quantity
    return {k: v for k, v in result.items() if v}


ONE_NOODLE = {
    "BEEF": Decimal("200.000"),
    "FLOUR": Decimal("160.000"),
    "EGG": Decimal("0.800"),
    "SALT": Decimal("2.000"),
    "BROTH": Decimal("500.000"),
    "CORI": Decimal("5.000"),
}


def times(vector: dict[str, Decimal], n: int | str) -> dict[str, Decimal]:
    return {k: v * Decimal(n) for k, v in vector.items()}


def test_a_ticket_lands_with_its_lines_version_and_depletion(world: World, shop: Shop) -> None:
    # given a ticket of two noodles at store A
    raw = ticket(world.store_a, sale(quantity=2, price="28.00", discount="6.00"), external_id="A-1")

    # when it is ingested
    result = ingest_tickets(world.actor, [raw])

    # then it is created, with one version, one line and the depletion of two noodles
    assert [o.as_dict()["outcome"] for o in result.outcomes] == ["created"]
    stored = Ticket.objects.get(source="pos1", external_id="A-1")
    assert (stored.version, stored.gross_sales, stored.discounts, stored.net_sales) == (
        1,
        Decimal("56.00"),
        Decimal("6.00"),
        Decimal("50.00"),
    )
    assert stored.business_date == days_ago(1).astimezone(timezone.get_default_timezone()).date()
    assert TicketVersion.objects.filter(ticket=stored).count() == 1
    line = TicketLine.objects.get(ticket=stored)
    assert (line.menu_item_id, line.quantity, line.net_amount, line.state) == (
        shop.noodles.pk,
        Decimal("2.000"),
        Decimal("50.00"),
        "posted",
    )
    assert depleted(world.store_a.pk) == times(ONE_NOODLE, 2)
    move = StockMove.objects.filter(source_type="pos_ticket").first()
    assert move is not None
    assert move.happened_at == dt.datetime.fromisoformat(raw["closed_at"])
    assert move.source_id == str(result.batch_id)


def test_replaying_a_batch_changes_nothing(world: World, shop: Shop) -> None:
    # given a batch that was ingested
    batch = [ticket(world.store_a, sale(quantity=n)) for n in (1, 2, 3)]
    ingest_tickets(world.actor, batch)
    moves, facts = ledger(), list(DailySales.objects.values_list("tickets", "net_sales"))

    # when the very same batch is sent again
    again = ingest_tickets(world.actor, batch)

    # then every ticket is unchanged, and the ledger, versions and facts are as they were
    assert [o.outcome for o in again.outcomes] == ["unchanged"] * 3
    assert again.batch_id is None
    assert ledger() == moves
    assert list(DailySales.objects.values_list("tickets", "net_sales")) == facts
    assert TicketVersion.objects.count() == 3


def test_an_amended_ticket_reverses_and_reposts_exactly(world: World, shop: Shop) -> None:
    # given a ticket of two large noodles, ingested
    first = ticket(world.store_a, sale(quantity=2, modifiers=["LARGE"]), external_id="A-7")
    ingest_tickets(world.actor, [first])
    original = ledger()

    # when the POS re-sends it with one plain noodle instead
    amended = {**first, "lines": [sale(quantity=1)]}
    result = ingest_tickets(world.actor, [amended])

    # then it is amended: every original move is reversed exactly, and one noodle is posted
    assert [(o.outcome, o.version) for o in result.outcomes] == [("amended", 2)]
    stored = Ticket.objects.get(external_id="A-7")
    v1, v2 = TicketVersion.objects.filter(ticket=stored).order_by("number")
    after = ledger()
    assert after[: len(original)] == original
    reversals = after[len(original) : 2 * len(original)]
    assert [(c, -q, f"r{v1.pk}") for c, q, _line, _rev in original] == [
        (c, q, line) for c, q, line, _rev in reversals
    ]
    assert all(rev is not None for *_rest, rev in reversals)
    assert depleted(world.store_a.pk) == ONE_NOODLE
    assert {line for _c, _q, line, _r in after[2 * len(original) :]} == {f"v{v2.pk}"}
    assert v1.superseded_at is not None and v2.superseded_at is None
    assert (stored.version, stored.net_sales) == (2, Decimal("28.00"))


def test_amendment_keeps_facts_exact(world: World, shop: Shop) -> None:
    # given a ticket of 3 noodles at 28.00 with 2 covers
    first = ticket(world.store_a, sale(quantity=3), external_id="F-1", covers=2)
    ingest_tickets(world.actor, [first])

    # when it is amended to 1 noodle and 1 cover
    ingest_tickets(world.actor, [{**first, "lines": [sale(quantity=1)], "covers": 1}])

    # then the facts count the ticket once, with the new figures
    rows = list(
        DailySales.objects.filter(location=world.store_a).values_list(
            "tickets", "covers", "gross_sales", "net_sales"
        )
    )
    assert rows == [(1, 1, Decimal("28.00"), Decimal("28.00"))]
    items = list(DailyItemSales.objects.values_list("menu_item_id", "quantity", "net_sales"))
    assert items == [(shop.noodles.pk, Decimal("1.000"), Decimal("28.00"))]


def test_an_older_revision_is_ignored(world: World, shop: Shop) -> None:
    # given a ticket at revision 2
    raw = ticket(world.store_a, sale(quantity=2), external_id="R-1", revision=2)
    ingest_tickets(world.actor, [raw])

    # when revision 1 arrives late
    late = ingest_tickets(world.actor, [{**raw, "revision": 1, "lines": [sale(quantity=5)]}])

    # then it changes nothing
    assert [o.outcome for o in late.outcomes] == ["unchanged"]
    assert depleted(world.store_a.pk) == times(ONE_NOODLE, 2)


def test_a_bad_ticket_is_refused_while_the_others_land(world: World, shop: Shop) -> None:
    # given a batch with good tickets and one bad ticket of each kind
    future = timezone.now() + dt.timedelta(days=2)
    batch = [
        ticket(world.store_a, sale(), external_id="OK-1"),
        {**ticket(world.store_a), "location_id": None, "location_code": "NOPE"},
        ticket(world.store_a, sale(), {"pos_code": "NOODLE", "unit_price": "28.00"}),
        ticket(world.store_a, sale(price="-28.00")),
        ticket(world.store_a, closed_at=future),
        ticket(world.store_a, sale(quantity=-1)),
        ticket(world.store_b, sale(), external_id="OK-2"),
        {**ticket(world.store_a), "tip": "5"},
    ]

    # when it is ingested
    result = ingest_tickets(world.actor, batch)

    # then the good ones land and each bad one is refused with its code and field
    got = [(o.outcome, [(e.field, e.code) for e in o.errors]) for o in result.outcomes]
    assert got == [
        ("created", []),
        ("rejected", [("tickets[1].location_code", "unknown_location")]),
        ("rejected", [("tickets[2].lines[1].quantity", "required")]),
        ("rejected", [("tickets[3].lines[0].unit_price", "negative_price")]),
        ("rejected", [("tickets[4].closed_at", "in_the_future")]),
        ("rejected", [("tickets[5].lines[0].quantity", "refund_flag_required")]),
        ("created", []),
        ("rejected", [("tickets[7].tip", "unknown_field")]),
    ]
    assert sorted(Ticket.objects.values_list("external_id", flat=True)) == ["OK-1", "OK-2"]
    assert depleted(world.store_a.pk) == ONE_NOODLE
    assert depleted(world.store_b.pk) == ONE_NOODLE


def test_duplicate_ids_in_one_batch(world: World, shop: Shop) -> None:
    # given one ticket sent twice alike, and another sent twice with different content
    same = ticket(world.store_a, external_id="D-1")
    other = ticket(world.store_a, external_id="D-2")
    batch = [same, dict(same), other, {**other, "lines": [sale(quantity=4)]}]

    # when they are ingested
    result = ingest_tickets(world.actor, batch)

    # then the alike copies make one ticket; the differing ones are both refused
    assert [o.outcome for o in result.outcomes] == ["created", "unchanged", "rejected", "rejected"]
    assert result.outcomes[2].errors[0].code == "duplicate_ticket"
    assert list(Ticket.objects.values_list("external_id", flat=True)) == ["D-1"]


def test_location_by_code_and_business_date_with_cutoff(world: World, shop: Shop) -> None:
    # given store A's day cut-off at 4:00, and a ticket closed at 01:30 local time
    closed = days_ago(1, hour=1, minute=30)
    raw = {**ticket(world.store_a, closed_at=closed), "location_id": None, "location_code": "A01"}

    # when it is ingested
    ingest_tickets(world.actor, [raw])

    # then it belongs to the day before, at hour 1
    stored = Ticket.objects.get()
    local_day = closed.astimezone(timezone.get_default_timezone()).date()
    assert stored.location_id == world.store_a.pk
    assert stored.business_date == local_day - dt.timedelta(days=1)
    assert list(DailySales.objects.values_list("business_date", "hour")) == [
        (local_day - dt.timedelta(days=1), 1)
    ]


def test_voided_lines_and_tickets_deplete_nothing(world: World, shop: Shop) -> None:
    # given a ticket with a voided line, and a voided ticket
    batch = [
        ticket(world.store_a, sale(quantity=1), sale(quantity=5, voided=True), external_id="V-1"),
        ticket(world.store_a, sale(quantity=3), external_id="V-2", voided=True),
    ]

    # when they are ingested
    ingest_tickets(world.actor, batch)

    # then only the one good line depletes and counts as sales
    assert depleted(world.store_a.pk) == ONE_NOODLE
    assert list(DailySales.objects.values_list("tickets", "net_sales")) == [(1, Decimal("28.00"))]


def test_voiding_a_posted_ticket_reverses_its_depletion(world: World, shop: Shop) -> None:
    # given a posted ticket
    raw = ticket(world.store_a, sale(quantity=2), external_id="V-3")
    ingest_tickets(world.actor, [raw])

    # when the POS re-sends it voided
    result = ingest_tickets(world.actor, [{**raw, "voided": True}])

    # then its depletion is reversed and it no longer counts
    assert [o.outcome for o in result.outcomes] == ["amended"]
    assert depleted(world.store_a.pk) == {}
    assert list(DailySales.objects.values_list("tickets", "net_sales")) == [(0, Decimal("0.00"))]


def test_refunds_net_against_the_sale(world: World, shop: Shop) -> None:
    # given a ticket selling 3 noodles and refunding 1
    raw = ticket(
        world.store_a,
        sale(quantity=3),
        sale(quantity=-1, refund=True),
        external_id="RF-1",
    )

    # when it is ingested
    ingest_tickets(world.actor, [raw])

    # then 2 noodles deplete, and the refund shows in the facts
    assert depleted(world.store_a.pk) == times(ONE_NOODLE, 2)
    stored = Ticket.objects.get()
    assert (stored.gross_sales, stored.refunds, stored.net_sales) == (
        Decimal("84.00"),
        Decimal("28.00"),
        Decimal("56.00"),
    )
    assert list(DailyItemSales.objects.values_list("quantity", "net_sales")) == [
        (Decimal("2.000"), Decimal("56.00"))
    ]


def test_modifiers_and_set_meals_deplete_through_the_recipes(world: World, shop: Shop) -> None:
    # given a large noodle with extra beef and no coriander, and a set meal
    raw = ticket(
        world.store_a,
        sale(modifiers=["LARGE", "ADDBEEF", "NOCORI"]),
        sale("SET1", price="45.00"),
    )

    # when it is ingested
    ingest_tickets(world.actor, [raw])

    # then the large noodle uses 1.5x plus 80 g beef minus 5 g coriander; the set meal
    # uses one noodle, two egg dishes (2 eggs each) and a box
    large = times(ONE_NOODLE, "1.5")
    large["BEEF"] += 80
    large["CORI"] -= 5
    expected = {k: large.get(k, Decimal(0)) + ONE_NOODLE.get(k, Decimal(0)) for k in ONE_NOODLE}
    expected["EGG"] += 4
    expected["BOX"] = Decimal("1.000")
    assert depleted(world.store_a.pk) == expected


def test_recipe_versions_are_honoured_by_business_date(world: World, shop: Shop) -> None:
    # given a new noodle recipe (300 g beef, nothing else) from 3 days ago
    from boh.menu import services as menu
    from tests.sales.conftest import line

    today = timezone.now().astimezone(timezone.get_default_timezone()).date()
    menu.define_recipe(
        world.actor,
        menu_item_id=shop.noodles.pk,
        effective_from=today - dt.timedelta(days=3),
        lines=[line(shop.item("beef"), 300, "g")],
    )

    # when noodles sold 5 days ago and 1 day ago are ingested in one batch
    ingest_tickets(
        world.actor,
        [
            ticket(world.store_a, closed_at=days_ago(5)),
            ticket(world.store_a, closed_at=days_ago(1)),
        ],
    )

    # then the old sale used the old recipe and the new sale the new one
    expected = dict(ONE_NOODLE)
    expected["BEEF"] += 300
    assert depleted(world.store_a.pk) == expected


def test_tickets_in_a_closed_stock_period_are_refused(world: World, shop: Shop) -> None:
    # given store A's books closed through 3 days ago
    today = timezone.now().astimezone(timezone.get_default_timezone()).date()
    close_period(
        world.actor, closed_through=today - dt.timedelta(days=3), location_id=world.store_a.pk
    )

    # when an old and a recent ticket arrive
    result = ingest_tickets(
        world.actor,
        [
            ticket(world.store_a, closed_at=days_ago(4)),
            ticket(world.store_a, closed_at=days_ago(1)),
        ],
    )

    # then the old one is refused and the recent one lands
    assert [o.outcome for o in result.outcomes] == ["rejected", "created"]
    assert result.outcomes[0].errors[0].code == "period_closed"


def test_a_batch_over_the_limit_is_refused_whole(world: World, shop: Shop) -> None:
    # given 501 tickets
    batch = [ticket(world.store_a) for _ in range(501)]

    # when they are sent in one call, then the call is refused with 413 and nothing lands
    with pytest.raises(BohError) as caught:
        ingest_tickets(world.actor, batch)
    assert (caught.value.status, caught.value.code) == (413, "batch_too_large")
    assert not Ticket.objects.exists()


def test_a_location_out_of_reach_is_refused(world: World, shop: Shop) -> None:
    # given an integration key limited to store B
    from boh.org.access import actor_for_api_key
    from boh.org.models import ApiKey
    from boh.org.services import create_api_key

    key, _raw = create_api_key(
        world.actor, name="pos B", role="integration", location_id=world.store_b.pk
    )
    actor = actor_for_api_key(ApiKey.objects.get(pk=key.pk))

    # when it sends tickets of store A and store B
    result = ingest_tickets(actor, [ticket(world.store_a), ticket(world.store_b)])

    # then store A's ticket is refused and store B's lands
    assert [o.outcome for o in result.outcomes] == ["rejected", "created"]
    assert result.outcomes[0].errors[0].code == "permission_denied"


def test_query_count_does_not_grow_with_the_batch(
    world: World, shop: Shop, django_assert_max_num_queries: Any
) -> None:
    # given batches of 10 and 100 tickets of 5 lines each, all new
    def batch(n: int, prefix: str) -> list[dict[str, Any]]:
        lines = [
            sale(),
            sale(modifiers=["LARGE"]),
            sale("EGGS"),
            sale("SET1"),
            sale(modifiers=["NOCORI"]),
        ]
        return [ticket(world.store_a, *lines, external_id=f"{prefix}{i}") for i in range(n)]

    small, large = batch(10, "S"), batch(100, "L")
    ingest_tickets(world.actor, batch(1, "warm"))

    # when each is ingested, then both take the same bounded number of queries
    with django_assert_max_num_queries(40) as counted_small:
        ingest_tickets(world.actor, small)
    with django_assert_max_num_queries(40) as counted_large:
        ingest_tickets(world.actor, large)
    assert len(counted_large.captured_queries) == len(counted_small.captured_queries)
    assert Ticket.objects.count() == 111
