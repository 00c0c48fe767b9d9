"""Stocktakes: snapshot, sheets in walking order, mixed units, blind, review, posting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from boh.catalog import services as catalog
from boh.catalog.models import Item, StorageArea
from boh.core.errors import BohError
from boh.core.models import AuditEntry
from boh.inventory.documents import selectors, stocktakes
from boh.inventory.documents.models import Stocktake, StocktakeExpected, StocktakeLine
from boh.inventory.models import Lot, MoveKind, StockMove
from boh.inventory.services import LotSpec, MoveSpec, close_period, post_moves
from boh.org.access import Actor
from tests.conftest import World
from tests.inventory.test_documents_support import (  # noqa: F401
    Kitchen,
    english_fixture,
    kitchen_fixture,
    moves_of,
    on_hand,
    row_counts,
)

D = Decimal


class Store:
    """Store A with a walk-in (walked first) and a dry store, stocked through the ledger.

    Walk-in: milk (count order 1) and beef (2); dry store: beer. On hand: 12,000 ml of
    beer at 0.02, 4,000 ml of milk at 0.01 and beef lot S1 (2,000 g at 0.10).
    """

    def __init__(self, world: World, kitchen: Kitchen) -> None:
        actor = world.actor
        self.world = world
        self.kitchen = kitchen
        self.location = world.store_a
        self.dry: StorageArea = kitchen.area(self.location, "DRY", 2)
        self.walk_in: StorageArea = kitchen.area(self.location, "WALKIN", 1)
        self.milk: Item = catalog.create_item(actor, code="MILK", name="牛奶", base_unit="ml")
        for item, area, order in (
            (kitchen.beer, self.dry, 1),
            (self.milk, self.walk_in, 1),
            (kitchen.beef, self.walk_in, 2),
        ):
            catalog.create_stock_level(
                actor,
                location_id=self.location.pk,
                item_id=item.pk,
                par=0,
                storage_area_id=area.pk,
                count_order=order,
            )
        result = post_moves(
            actor,
            [
                Kitchen.receipt(self.location, kitchen.beer, "12000", "0.02"),
                Kitchen.receipt(self.location, self.milk, "4000", "0.01"),
                Kitchen.receipt(
                    self.location,
                    kitchen.beef,
                    "2000",
                    "0.10",
                    LotSpec("S1", kitchen.today + dt.timedelta(5)),
                ),
            ],
            source_type="test",
            source_id="store-opening",
        )
        self.s1: Lot = Lot.objects.get(pk=result.moves[2].lot_id)

    def sell(self, item: Item, qty: str, at: dt.datetime | None = None) -> None:
        post_moves(
            self.world.actor,
            [
                MoveSpec(
                    location_id=self.location.pk,
                    item_id=item.pk,
                    quantity=-D(qty),
                    kind=MoveKind.SALE_DEPLETION,
                    happened_at=at,
                )
            ],
            source_type="pos_ticket",
            source_id=f"T-{qty}-{at}",
        )

    def line(self, stocktake: Stocktake, item: Item, area: StorageArea | None) -> StocktakeLine:
        return StocktakeLine.objects.get(
            stocktake=stocktake, item=item, area_key=area.pk if area else 0
        )

    def staff(self) -> Actor:
        return self.world.actor_for(self.world.user("store_staff", location_id=self.location.pk))


@pytest.fixture
def store(world: World, kitchen: Kitchen) -> Store:
    return Store(world, kitchen)


def test_given_sales_during_the_count_when_posting_then_adjustments_at_the_snapshot_count_them_once(
    world: World, store: Store
) -> None:
    beer, beef = store.kitchen.beer, store.kitchen.beef
    count = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)
    # A ticket from just before the snapshot reaches the ledger late, one after it on time.
    store.sell(beer, "200", at=count.snapshot_at - dt.timedelta(minutes=1))
    store.sell(beer, "1000")
    stocktakes.set_count(
        world.actor,
        count,
        store.line(count, beer, store.dry),
        entries=[{"quantity": "1", "unit": "case"}, {"quantity": "11", "unit": "bottle"}],
    )
    stocktakes.set_count(
        world.actor,
        count,
        store.line(count, beef, store.walk_in),
        entries=[{"quantity": "1.8", "unit": "kg"}],
    )
    stocktakes.approve_stocktake(world.actor, count)

    stocktakes.post_stocktake(world.actor, count)

    # Beer: counted 11,500 against 12,000 - 200 = 11,800 as of the snapshot: -300.
    # Beef: counted 1,800 against 2,000: -200 from S1. Milk was not counted: no move.
    assert moves_of("stocktake", count.pk) == [
        (MoveKind.COUNT_ADJUSTMENT, store.location.pk, None, "-300.000", "-6.0000"),
        (MoveKind.COUNT_ADJUSTMENT, store.location.pk, store.s1.pk, "-200.000", "-20.0000"),
    ]
    assert set(
        StockMove.objects.filter(source_type="stocktake").values_list("happened_at", flat=True)
    ) == {count.snapshot_at}
    # 12,000 - 200 - 1,000 sold - 300 adjusted: the sale after the snapshot is deducted once.
    assert on_hand(store.location, beer) == D("10500")
    assert on_hand(store.location, beef, store.s1) == D("1800")
    assert on_hand(store.location, store.milk) == D("4000")
    posted = Stocktake.objects.get(pk=count.pk)
    assert (posted.status, posted.adjustment_value) == ("posted", D("-26"))
    assert StocktakeExpected.objects.get(stocktake=count, item=beer).quantity == D("11800")


def test_given_counts_when_reviewing_then_variances_are_largest_value_first(
    world: World, store: Store
) -> None:
    beer, beef = store.kitchen.beer, store.kitchen.beef
    count = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)
    stocktakes.set_count(
        world.actor, count, store.line(count, beer, store.dry), entries=[{"quantity": "11500"}]
    )
    stocktakes.set_count(
        world.actor, count, store.line(count, beef, store.walk_in), entries=[{"quantity": "1800"}]
    )

    rows = selectors.variance_review(world.actor, count)

    assert [
        (
            r.item_code,
            r.expected_quantity,
            r.counted_quantity,
            r.variance_quantity,
            r.variance_value,
        )
        for r in rows
    ] == [
        ("BEEF", D("2000"), D("1800"), D("-200"), D("-20")),
        ("BEER", D("12000"), D("11500"), D("-500"), D("-10")),
        ("MILK", D("4000"), None, None, None),
    ]


def test_given_a_store_when_opening_sheets_then_areas_and_lines_follow_the_walking_order(
    world: World, store: Store
) -> None:
    count = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)

    areas = selectors.sheet_areas(count)
    walk_in = selectors.count_sheet(world.actor, count, store.walk_in.pk)

    assert [(a.area_id, a.lines, a.counted) for a in areas] == [
        (store.walk_in.pk, 2, 0),
        (store.dry.pk, 1, 0),
    ]
    assert [(line.item_code, line.expected_quantity) for line in walk_in] == [
        ("MILK", D("4000")),
        ("BEEF", D("2000")),
    ]
    beer = selectors.count_sheet(world.actor, count, store.dry.pk)[0]
    assert [(u.code, u.factor) for u in beer.units] == [
        ("case", D("6000")),
        ("bottle", D("500")),
        ("ml", D("1")),
    ]
    assert beer.barcodes == ["6901234567892"]


def test_given_a_blind_count_then_counters_see_no_expected_quantity_nor_the_review(
    world: World, store: Store
) -> None:
    count = stocktakes.start_stocktake(world.actor, location_id=store.location.pk, blind=True)
    counter = store.staff()

    sheet = selectors.count_sheet(counter, count, store.walk_in.pk)

    assert [line.expected_quantity for line in sheet] == [None, None]
    with pytest.raises(BohError) as refused:
        selectors.variance_review(counter, count)
    assert refused.value.status == 403
    assert [
        (r.item_code, r.expected_quantity) for r in selectors.variance_review(world.actor, count)
    ] == [("BEEF", D("2000")), ("BEER", D("12000")), ("MILK", D("4000"))]


def test_given_two_counters_in_two_areas_then_their_counts_add_up_per_item(
    world: World, store: Store
) -> None:
    beer = store.kitchen.beer
    count = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)
    first, second = store.staff(), store.staff()

    stocktakes.set_count(
        first,
        count,
        store.line(count, store.milk, store.walk_in),
        entries=[{"quantity": "3.9", "unit": "l"}],
    )
    stocktakes.set_count(
        second,
        count,
        store.line(count, beer, store.dry),
        entries=[{"quantity": "2", "unit": "case"}],
    )
    # The walk-in counter finds two bottles of beer that belong in the dry store.
    found = stocktakes.count_item(
        first,
        count,
        item_id=beer.pk,
        area_id=store.walk_in.pk,
        entries=[{"quantity": "2", "unit": "bottle"}],
    )
    again = stocktakes.count_item(
        first,
        count,
        item_id=beer.pk,
        area_id=store.walk_in.pk,
        entries=[{"quantity": "2", "unit": "bottle"}],
    )

    assert again.pk == found.pk
    assert StocktakeLine.objects.filter(stocktake=count, item=beer).count() == 2
    by_item = {
        r.item_code: r.counted_quantity for r in selectors.variance_review(world.actor, count)
    }
    assert by_item == {"BEER": D("13000"), "MILK": D("3900"), "BEEF": None}
    assert [(a.area_id, a.lines, a.counted) for a in selectors.sheet_areas(count)] == [
        (store.walk_in.pk, 3, 2),
        (store.dry.pk, 1, 1),
    ]
    names = set(
        StocktakeLine.objects.filter(stocktake=count).values_list("counted_by_name", flat=True)
    )
    assert len(names - {""}) == 2


def test_given_the_same_entries_again_when_autosaving_then_nothing_changes(
    world: World, store: Store
) -> None:
    count = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)
    line = store.line(count, store.milk, store.walk_in)
    entries = [{"quantity": "3", "unit": "l"}, {"quantity": "250", "unit": "ml"}]
    stocktakes.set_count(world.actor, count, line, entries=entries)
    audits = AuditEntry.objects.filter(verb="count").count()

    saved = stocktakes.set_count(world.actor, count, line, entries=entries)

    assert saved.counted_quantity == D("3250")
    assert saved.entries == [{"quantity": "3", "unit": "l"}, {"quantity": "250", "unit": "ml"}]
    assert AuditEntry.objects.filter(verb="count").count() == audits
    cleared = stocktakes.set_count(world.actor, count, line, entries=[])
    assert (cleared.counted_quantity, cleared.entries) == (None, [])


def test_given_a_posted_stocktake_when_posting_again_then_nothing_more_is_posted(
    world: World, store: Store
) -> None:
    count = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)
    stocktakes.set_count(
        world.actor,
        count,
        store.line(count, store.milk, store.walk_in),
        entries=[{"quantity": "3000"}],
    )
    stocktakes.approve_stocktake(world.actor, count)
    stocktakes.post_stocktake(world.actor, count)
    before = row_counts()

    again = stocktakes.post_stocktake(world.actor, count)

    assert again.status == Stocktake.Status.POSTED
    assert row_counts() == before
    assert moves_of("stocktake", count.pk) == [
        (MoveKind.COUNT_ADJUSTMENT, store.location.pk, None, "-1000.000", "-10.0000")
    ]


def test_given_two_lots_when_short_or_over_then_fefo_takes_and_the_last_lot_gains(
    world: World, store: Store
) -> None:
    beef = store.kitchen.beef
    s2 = (
        post_moves(
            world.actor,
            [
                Kitchen.receipt(
                    store.location,
                    beef,
                    "1000",
                    "0.10",
                    LotSpec("S2", store.kitchen.today + dt.timedelta(9)),
                )
            ],
            source_type="test",
            source_id="s2",
        )
        .moves[0]
        .lot_id
    )
    short = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)
    stocktakes.set_count(
        world.actor, short, store.line(short, beef, store.walk_in), entries=[{"quantity": "500"}]
    )
    stocktakes.approve_stocktake(world.actor, short)

    stocktakes.post_stocktake(world.actor, short)

    assert moves_of("stocktake", short.pk) == [
        (MoveKind.COUNT_ADJUSTMENT, store.location.pk, store.s1.pk, "-2000.000", "-200.0000"),
        (MoveKind.COUNT_ADJUSTMENT, store.location.pk, s2, "-500.000", "-50.0000"),
    ]
    over = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)
    stocktakes.set_count(
        world.actor, over, store.line(over, beef, store.walk_in), entries=[{"quantity": "800"}]
    )
    stocktakes.approve_stocktake(world.actor, over)
    stocktakes.post_stocktake(world.actor, over)
    assert moves_of("stocktake", over.pk) == [
        (MoveKind.COUNT_ADJUSTMENT, store.location.pk, s2, "300.000", "30.0000")
    ]


def test_given_an_area_stocktake_when_counting_an_item_of_another_area_then_item_is_refused(
    world: World, store: Store
) -> None:
    count = stocktakes.start_stocktake(
        world.actor, location_id=store.location.pk, scope="areas", area_ids=[store.walk_in.pk]
    )
    before = row_counts()

    with pytest.raises(BohError) as refused:
        stocktakes.count_item(
            world.actor,
            count,
            item_id=store.kitchen.beer.pk,
            area_id=store.walk_in.pk,
            entries=[{"quantity": "1"}],
        )

    assert [(f.field, f.code) for f in refused.value.fields] == [("item_id", "not_in_stocktake")]
    assert row_counts() == before
    assert sorted(
        StocktakeLine.objects.filter(stocktake=count).values_list("item__code", flat=True)
    ) == ["BEEF", "MILK"]


def test_given_a_category_stocktake_then_only_its_items_are_on_the_sheets(
    world: World, store: Store
) -> None:
    count = stocktakes.start_stocktake(
        world.actor,
        location_id=store.location.pk,
        scope="categories",
        category_ids=[store.kitchen.drinks.pk],
    )

    codes = list(StocktakeLine.objects.filter(stocktake=count).values_list("item__code", flat=True))
    assert codes == ["BEER"]
    with pytest.raises(BohError) as refused:
        stocktakes.count_item(world.actor, count, item_id=store.milk.pk, entries=[])
    assert refused.value.fields[0].field == "item_id"


@pytest.mark.parametrize(
    ("entries", "field", "code"),
    [
        ([{"quantity": "-1", "unit": "bottle"}], "entries[0].quantity", "too_small"),
        ([{"quantity": "1", "unit": "barrel"}], "entries[0].unit", "unknown_unit"),
        ([{"quantity": "1"}, {"quantity": "x"}], "entries[1].quantity", "invalid_number"),
    ],
)
def test_given_a_bad_count_when_saving_then_the_entry_is_named_and_nothing_is_written(
    world: World, store: Store, entries: list[dict[str, str]], field: str, code: str
) -> None:
    count = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)
    line = store.line(count, store.kitchen.beer, store.dry)
    before = row_counts()

    with pytest.raises(BohError) as refused:
        stocktakes.set_count(world.actor, count, line, entries=entries)

    assert [(f.field, f.code) for f in refused.value.fields] == [(field, code)]
    assert row_counts() == before


def test_given_an_open_full_count_when_starting_another_then_it_is_refused(
    world: World, store: Store
) -> None:
    stocktakes.start_stocktake(world.actor, location_id=store.location.pk)
    before = row_counts()

    with pytest.raises(BohError) as refused:
        stocktakes.start_stocktake(
            world.actor, location_id=store.location.pk, scope="areas", area_ids=[store.dry.pk]
        )

    assert (refused.value.code, refused.value.status) == ("stocktake_overlap", 409)
    assert row_counts() == before


def test_given_an_approved_count_when_counting_then_it_is_refused(
    world: World, store: Store
) -> None:
    count = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)
    line = store.line(count, store.milk, store.walk_in)
    stocktakes.set_count(world.actor, count, line, entries=[{"quantity": "1"}])
    stocktakes.approve_stocktake(world.actor, count)
    before = row_counts()

    with pytest.raises(BohError) as refused:
        stocktakes.set_count(world.actor, count, line, entries=[{"quantity": "2"}])

    assert (refused.value.code, refused.value.status) == ("wrong_status", 409)
    assert row_counts() == before


def test_given_nothing_counted_or_a_counter_when_approving_then_it_is_refused(
    world: World, store: Store
) -> None:
    count = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)

    with pytest.raises(BohError) as empty:
        stocktakes.approve_stocktake(world.actor, count)
    stocktakes.set_count(
        world.actor,
        count,
        store.line(count, store.milk, store.walk_in),
        entries=[{"quantity": "1"}],
    )
    with pytest.raises(BohError) as counter:
        stocktakes.approve_stocktake(store.staff(), count)

    assert empty.value.code == "nothing_counted"
    assert counter.value.status == 403
    assert Stocktake.objects.get(pk=count.pk).status == Stocktake.Status.COUNTING


def test_given_a_snapshot_in_a_closed_period_when_posting_then_the_ledger_refusal_shows(
    world: World, store: Store
) -> None:
    count = stocktakes.start_stocktake(world.actor, location_id=store.location.pk)
    stocktakes.set_count(
        world.actor,
        count,
        store.line(count, store.milk, store.walk_in),
        entries=[{"quantity": "1"}],
    )
    stocktakes.approve_stocktake(world.actor, count)
    # A count started last week and approved only now, after the books were closed.
    Stocktake.objects.filter(pk=count.pk).update(snapshot_at=timezone.now() - dt.timedelta(days=7))
    close_period(world.actor, closed_through=timezone.localdate() - dt.timedelta(days=2))
    before = row_counts()

    with pytest.raises(BohError) as refused:
        stocktakes.post_stocktake(world.actor, count)

    assert refused.value.code == "period_closed"
    assert [f.field for f in refused.value.fields] == ["snapshot_at"]
    assert row_counts() == before
    assert Stocktake.objects.get(pk=count.pk).status == Stocktake.Status.APPROVED
