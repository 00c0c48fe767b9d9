"""The sales card of the home dashboard."""

from __future__ import annotations

from django.utils import translation

from boh.sales.dashboard import net_sales_figure
from boh.sales.services import ingest_tickets
from tests.conftest import World
from tests.sales.conftest import Shop, sale, ticket


def test_net_sales_card_shows_yesterday(world: World, shop: Shop) -> None:
    # given nothing sold yet, then the card has no figure
    assert net_sales_figure(world.actor, None) is None

    # given two tickets yesterday and a code to map
    ingest_tickets(
        world.actor,
        [ticket(world.store_a, sale(quantity=2)), ticket(world.store_b, sale("NEW", price="10"))],
    )

    # when the card is computed for the whole organization and for store A
    with translation.override("en"):
        everywhere = net_sales_figure(world.actor, None)
        store_a = net_sales_figure(world.actor, world.store_a)

    # then it shows net sales, tickets, the average check and the codes to map
    assert everywhere is not None and store_a is not None
    assert (everywhere.value, everywhere.detail) == (
        "¥66.00",
        "2 tickets, average check ¥33.00; 1 POS code to map",
    )
    assert store_a.value == "¥56.00"
