"""Refund lines take back at most what the ticket, or the ticket it refunds, sold."""

from __future__ import annotations

from decimal import Decimal

from boh.inventory.models import StockMove
from boh.sales.models import Ticket
from boh.sales.services import ingest_tickets
from tests.conftest import World
from tests.sales.conftest import Shop, sale, ticket

ONE_NOODLE_BEEF = Decimal("200.000")


def beef_used(world: World) -> Decimal:
    """Beef depleted by sales at store A (positive = used)."""
    return -sum(
        StockMove.objects.filter(
            location_id=world.store_a.pk, kind="sale_depletion", item__code="BEEF"
        ).values_list("quantity", flat=True),
        Decimal(0),
    )


def test_a_refund_larger_than_the_ticket_sold_is_refused_naming_the_line(
    world: World, shop: Shop
) -> None:
    # given a ticket selling 1 noodle and refunding 2, beside a good ticket
    over = ticket(
        world.store_a,
        sale(quantity=1),
        sale(quantity=-2, refund=True),
        external_id="RF-OVER",
    )
    good = ticket(world.store_a, sale(quantity=3), sale(quantity=-1, refund=True))

    # when both are ingested
    result = ingest_tickets(world.actor, [over, good])

    # then the over-refund is refused on its refund line, the other lands
    outcome = result.outcomes[0].as_dict()
    assert outcome["outcome"] == "rejected"
    assert outcome["errors"] == [
        {
            "field": "tickets[0].lines[1].quantity",
            "code": "refund_exceeds_sale",
            "message": "This refund takes back more NOODLE than the ticket sold; name the "
            "ticket it refunds in refund_of.",
        }
    ]
    assert result.outcomes[1].outcome == "created"
    assert not Ticket.objects.filter(external_id="RF-OVER").exists()
    assert beef_used(world) == 2 * ONE_NOODLE_BEEF


def test_a_refund_of_an_earlier_ticket_takes_back_what_that_ticket_sold(
    world: World, shop: Shop
) -> None:
    # given a ticket that sold 3 noodles
    ingest_tickets(world.actor, [ticket(world.store_a, sale(quantity=3), external_id="S-1")])

    # when a refund ticket takes back 2 of them, then another tries to take back 2 more
    first = ingest_tickets(
        world.actor,
        [ticket(world.store_a, sale(quantity=-2, refund=True), external_id="R-1", refund_of="S-1")],
    )
    second = ingest_tickets(
        world.actor,
        [ticket(world.store_a, sale(quantity=-2, refund=True), external_id="R-2", refund_of="S-1")],
    )

    # then the first lands, linked to the sale, and the second is refused: 1 is left
    assert first.outcomes[0].outcome == "created"
    refund = Ticket.objects.get(external_id="R-1")
    assert refund.refund_of_id == Ticket.objects.get(external_id="S-1").pk
    assert (refund.refunds, refund.net_sales) == (Decimal("56.00"), Decimal("-56.00"))
    assert [(e.field, e.code) for e in second.outcomes[0].errors] == [
        ("tickets[0].lines[0].quantity", "refund_exceeds_sale")
    ]
    assert not Ticket.objects.filter(external_id="R-2").exists()
    # a refund ticket returns nothing to stock: 3 noodles' beef stays used
    assert beef_used(world) == 3 * ONE_NOODLE_BEEF


def test_a_sale_and_its_refund_in_one_batch_are_linked(world: World, shop: Shop) -> None:
    # given a sale of 2 and a refund of 2 of it in the same batch
    batch = [
        ticket(world.store_a, sale(quantity=2), external_id="S-9"),
        ticket(world.store_a, sale(quantity=-2, refund=True), external_id="R-9", refund_of="S-9"),
    ]

    # when the batch is ingested
    result = ingest_tickets(world.actor, batch)

    # then both land and the refund points to the sale
    assert [o.outcome for o in result.outcomes] == ["created", "created"]
    sale_id = Ticket.objects.get(external_id="S-9").pk
    assert Ticket.objects.get(external_id="R-9").refund_of_id == sale_id


def test_a_refund_of_a_ticket_never_received_is_refused(world: World, shop: Shop) -> None:
    # given a refund naming a ticket that never arrived
    raw = ticket(world.store_a, sale(quantity=-1, refund=True), external_id="R-5", refund_of="NOPE")

    # when it is ingested
    result = ingest_tickets(world.actor, [raw])

    # then it is refused on refund_of, and nothing is written
    assert result.outcomes[0].as_dict()["errors"] == [
        {
            "field": "tickets[0].refund_of",
            "code": "unknown_original",
            "message": "No ticket NOPE of this POS has been received.",
        }
    ]
    assert Ticket.objects.count() == 0
