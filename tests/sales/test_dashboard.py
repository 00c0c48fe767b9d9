"""The sales cards of the home dashboard: net sales and AvT variance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation

from boh.inventory.services import MoveSpec, post_moves
from boh.menu.selectors import business_today
from boh.sales.dashboard import avt_figure, net_sales_figure
from boh.sales.services import ingest_tickets
from tests.conftest import World
from tests.sales.conftest import Shop, days_ago, sale, ticket


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


def test_avt_card_ranks_locations_by_variance_value_of_the_last_week(
    world: World, shop: Shop
) -> None:
    # given nothing counted yet, then the card has no figure
    assert avt_figure(world.actor, None) is None

    # given beef received at both stores, a noodle sold at store A yesterday, and counts
    # that found 500 g of beef missing at store A and 100 g at store B two days ago
    for store in (world.store_a, world.store_b):
        shop.stock(store, days_ago(5), beef=10000)
    ingest_tickets(world.actor, [ticket(world.store_a, sale(quantity=1))])
    post_moves(
        world.actor,
        [
            MoveSpec(
                location_id=store.pk,
                item_id=shop.item("beef").pk,
                quantity=Decimal(-missing),
                kind="count_adjustment",
                happened_at=days_ago(2),
            )
            for store, missing in ((world.store_a, 500), (world.store_b, 100))
        ],
        source_type="test",
        source_id="count",
    )

    # when the card is computed
    with translation.override("en"):
        figure = avt_figure(world.actor, None)

    # then it shows the variance value, its share of net sales, the worst location first
    # with its worst item, and links to that location's AvT page for the week
    assert figure is not None
    date_to = business_today(world.org) - dt.timedelta(days=1)
    date_from = date_to - dt.timedelta(days=6)
    assert (figure.value, figure.detail) == (
        "¥6.00",
        f"21.43% of net sales, {date_from.isoformat()} to {date_to.isoformat()}",
    )
    assert figure.lines == ("A店: ¥5.00 (worst: 牛腱肉 ¥5.00)", "B店: ¥1.00 (worst: 牛腱肉 ¥1.00)")
    assert figure.url == (
        f"/sales/avt/?location={world.store_a.pk}&date_from={date_from.isoformat()}"
        f"&date_to={date_to.isoformat()}"
    )
