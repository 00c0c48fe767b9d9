"""Daily sales facts, AvT variance on a hand-computed example, and menu engineering."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from boh.catalog import services as catalog
from boh.catalog.models import Item
from boh.core.errors import BohError
from boh.inventory.services import MoveSpec, post_moves
from boh.menu import services as menu
from boh.menu.models import MenuItem
from boh.sales import reports, selectors
from boh.sales.services import ingest_tickets
from tests.conftest import World
from tests.sales.conftest import JAN1, days_ago, line, sale, ticket

D = Decimal


def local_day(days: int) -> dt.date:
    return timezone.now().astimezone(timezone.get_default_timezone()).date() - dt.timedelta(
        days=days
    )


def dish(world: World, code: str, item: Item, grams: int) -> MenuItem:
    """A dish made of one ingredient, sold under its own code on POS "pos1"."""
    made = menu.create_menu_item(world.actor, code=code, name=code)
    menu.define_recipe(
        world.actor, menu_item_id=made.pk, effective_from=JAN1, lines=[line(item, grams, "g")]
    )
    menu.create_pos_code(world.actor, source="pos1", code=code, menu_item_id=made.pk)
    return made


def move(
    world: World, item: Item, kind: str, quantity: str, when: dt.datetime, cost: str | None = None
) -> None:
    spec = MoveSpec(
        location_id=world.store_a.pk,
        item_id=item.pk,
        quantity=D(quantity),
        kind=kind,
        unit_cost=D(cost) if cost else None,
        happened_at=when,
    )
    post_moves(world.actor, [spec], source_type="test", source_id=kind)


def test_daily_facts_by_channel_and_hour(world: World) -> None:
    # given a dish, sold dine-in at noon and by Meituan delivery at 19:00 yesterday
    beef = catalog.create_item(world.actor, code="BEEF", name="牛肉", base_unit="g")
    dish(world, "PLATE", beef, 200)
    ingest_tickets(
        world.actor,
        [
            ticket(world.store_a, sale("PLATE", 2, "30.00", discount="5.00"), covers=3),
            ticket(
                world.store_a,
                sale("PLATE", 1, "33.00"),
                channel="delivery_meituan",
                covers=1,
                closed_at=days_ago(1, hour=19),
            ),
        ],
    )

    # when yesterday's sales report is read
    report = selectors.sales_report(
        world.actor, date_from=local_day(1), date_to=local_day(1), location_id=world.store_a.pk
    )

    # then the totals, channels, hours and the dish's quantity are exact
    total = report.total
    assert (total.tickets, total.covers, total.gross_sales, total.discounts, total.net_sales) == (
        2,
        4,
        D("93.00"),
        D("5.00"),
        D("88.00"),
    )
    assert (total.average_check, total.average_per_cover) == (D("44.00"), D("22.00"))
    assert {k: v.net_sales for k, v in report.channels.items()} == {
        "delivery_meituan": D("33.00"),
        "dine_in": D("55.00"),
    }
    assert {k: v.tickets for k, v in report.hours.items()} == {12: 1, 19: 1}
    assert [(i.code, i.quantity, i.net_sales) for i in report.items] == [
        ("PLATE", D("3.000"), D("88.00"))
    ]


def test_avt_matches_a_hand_computed_example(world: World) -> None:
    # given beef received 6 days ago: 10,000 g at 0.05 a gram (500.00)
    beef = catalog.create_item(world.actor, code="BEEF", name="牛肉", base_unit="g")
    dish(world, "PLATE", beef, 200)
    move(world, beef, "receipt", "10000", days_ago(6), cost="0.05")
    # a plate sold 5 days ago, before the period (opening: 9,800 g, 490.00)
    ingest_tickets(
        world.actor, [ticket(world.store_a, sale("PLATE", 1, "28.00"), closed_at=days_ago(5))]
    )
    # in the period (business dates 3 to 1 days ago): 3 plates sold 2 days ago (600 g, 30.00),
    # 100 g wasted (5.00), and a count that found 150 g missing (7.50)
    ingest_tickets(
        world.actor, [ticket(world.store_a, sale("PLATE", 3, "28.00"), closed_at=days_ago(2))]
    )
    move(world, beef, "waste", "-100", days_ago(2, hour=15))
    move(world, beef, "count_adjustment", "-150", days_ago(1, hour=20))

    # when the AvT report of those three days is read
    report = reports.avt_report(
        world.actor, location_id=world.store_a.pk, date_from=local_day(3), date_to=local_day(1)
    )

    # then actual = 9,800 - 100 - 8,950 = 750 g (37.50), theoretical 600 g (30.00),
    # variance 150 g, 7.50, which is 8.93% of the 84.00 of net sales
    [row] = report.items
    assert (row.opening.quantity, row.opening.value) == (D("9800.000"), D("490.0000"))
    assert (row.waste.quantity, row.waste.value) == (D("100.000"), D("5.0000"))
    assert (row.closing.quantity, row.closing.value) == (D("8950.000"), D("447.5000"))
    assert (row.actual.quantity, row.actual.value) == (D("750.000"), D("37.5000"))
    assert (row.theoretical.quantity, row.theoretical.value) == (D("600.000"), D("30.0000"))
    assert (row.variance.quantity, row.variance.value) == (D("150.000"), D("7.5000"))
    assert report.net_sales == D("84.00")
    assert row.variance_pct == D("8.93") == report.variance_pct
    # and by day: the sale on its day, the missing stock on the day of the count
    assert [(d.business_date, d.actual.quantity, d.theoretical.quantity) for d in row.days] == [
        (local_day(2), D("600.000"), D("600.000")),
        (local_day(1), D("150.000"), D("0.000")),
    ]


def test_avt_counts_an_amended_ticket_once(world: World) -> None:
    # given a ticket amended from 3 plates to 2
    beef = catalog.create_item(world.actor, code="BEEF", name="牛肉", base_unit="g")
    dish(world, "PLATE", beef, 200)
    move(world, beef, "receipt", "1000", days_ago(6), cost="0.05")
    raw = ticket(world.store_a, sale("PLATE", 3, "28.00"), closed_at=days_ago(2))
    ingest_tickets(world.actor, [raw])
    ingest_tickets(world.actor, [{**raw, "lines": [sale("PLATE", 2, "28.00")]}])

    # when the AvT report is read, then theoretical usage is 2 plates, on the sale's date
    report = reports.avt_report(
        world.actor, location_id=world.store_a.pk, date_from=local_day(3), date_to=local_day(1)
    )
    [row] = report.items
    assert (row.theoretical.quantity, row.theoretical.value) == (D("400.000"), D("20.0000"))
    assert [(d.business_date, d.theoretical.quantity) for d in row.days] == [
        (local_day(2), D("400.000"))
    ]


def test_a_reversed_period_is_refused(world: World) -> None:
    with pytest.raises(BohError) as caught:
        reports.avt_report(
            world.actor, location_id=world.store_a.pk, date_from=local_day(1), date_to=local_day(3)
        )
    assert caught.value.code == "bad_period"


def test_menu_engineering_sorts_dishes_into_four_classes(world: World) -> None:
    # given four dishes of 100 g each: three of an item at 0.10 a gram, one at 0.12
    cheap = catalog.create_item(world.actor, code="I1", name="甲", base_unit="g")
    dear = catalog.create_item(world.actor, code="I2", name="乙", base_unit="g")
    move(world, cheap, "receipt", "100000", days_ago(6), cost="0.10")
    move(world, dear, "receipt", "100000", days_ago(6), cost="0.12")
    for code, item in (("A", cheap), ("B", dear), ("C", cheap), ("D", cheap)):
        dish(world, code, item, 100)
    sold: list[dict[str, Any]] = [
        sale("A", 50, "30.00"),
        sale("B", 40, "20.00"),
        sale("C", 5, "40.00"),
        sale("D", 5, "15.00"),
    ]
    ingest_tickets(world.actor, [ticket(world.store_a, *sold)])

    # when the menu is engineered over yesterday
    result = reports.menu_engineering(
        world.actor, location_id=world.store_a.pk, date_from=local_day(1), date_to=local_day(1)
    )

    # then, with 17.5% as the popularity line and 14.95 as the average margin:
    assert (result.popularity_threshold_pct, result.average_margin) == (D("17.50"), D("14.95"))
    got = {i.code: (i.mix_pct, i.portion_cost, i.margin, i.klass) for i in result.items}
    assert got == {
        "A": (D("50.00"), D("10.0000"), D("20.00"), "star"),
        "B": (D("40.00"), D("12.0000"), D("8.00"), "plowhorse"),
        "C": (D("5.00"), D("10.0000"), D("30.00"), "puzzle"),
        "D": (D("5.00"), D("10.0000"), D("5.00"), "dog"),
    }
