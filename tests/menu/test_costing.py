"""Recipe costing: portion cost, food-cost %, cost sources, allergens and cost movers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from decimal import Decimal

import pytest

from boh.core.errors import BohError
from boh.inventory.services import MoveSpec, post_moves
from boh.menu import costing, services
from boh.menu.allergens import allergens_of
from boh.menu.models import RecipeCostSnapshot, StandardCost
from boh.menu.selectors import business_today
from boh.menu.tasks import snapshot_recipe_costs
from tests.menu.conftest import JAN1, Kitchen

D = Decimal


def standard_costs(kitchen: Kitchen) -> None:
    actor = kitchen.world.actor
    for item, cost, unit in [
        (kitchen.beef, "120", "kg"),
        (kitchen.flour, "5", "kg"),
        (kitchen.egg, "1.20", None),
        (kitchen.salt, "2", "kg"),
        (kitchen.broth, "10", "l"),
        (kitchen.coriander, "20", "斤"),
        (kitchen.bones, "20", "kg"),
        (kitchen.soy, "10", "l"),
    ]:
        services.set_standard_cost(actor, item_id=item.pk, unit_cost=D(cost), unit=unit)


def prices(kitchen: Kitchen) -> None:
    actor, noodles = kitchen.world.actor, kitchen.noodles
    services.create_price(actor, noodles, channel="dine_in", price=D("58"), effective_from=JAN1)
    services.create_price(actor, noodles, channel="meituan", price=D("68"), effective_from=JAN1)
    services.create_price(
        actor,
        noodles,
        channel="dine_in",
        price=D("62"),
        effective_from=JAN1,
        location_id=kitchen.world.store_a.pk,
    )


def test_given_costs_per_kg_and_jin_then_standard_costs_are_kept_per_base_unit(
    kitchen: Kitchen,
) -> None:
    standard_costs(kitchen)

    assert StandardCost.objects.get(item=kitchen.beef).unit_cost == D("0.120000")
    assert StandardCost.objects.get(item=kitchen.coriander).unit_cost == D("0.040000")
    assert StandardCost.objects.get(item=kitchen.egg).unit_cost == D("1.200000")


def test_given_standard_costs_then_the_portion_cost_matches_the_hand_computed_example(
    kitchen: Kitchen,
) -> None:
    standard_costs(kitchen)
    prices(kitchen)

    portion = costing.recipe_cost(kitchen.world.org.pk, kitchen.noodles, location_id=None, on=JAN1)

    # beef 200 g x 0.12 = 24; dough 200 g = 160 g flour x 0.005 + 0.8 egg x 1.20
    # + 2 g salt x 0.002 = 1.764; broth 500 ml x 0.01 = 5; coriander 5 g x 0.04 = 0.2.
    assert portion is not None
    assert portion.cost == D("30.9640")
    assert portion.complete is True
    assert [(lc.line.item.code, lc.gross_quantity, lc.cost) for lc in portion.lines] == [
        ("BEEF", D(200), D("24.0000")),
        ("DOUGH", D(200), D("1.7640")),
        ("BROTH", D(500), D("5.0000")),
        ("CORI", D(5), D("0.2000")),
    ]
    assert [(p.channel, p.price, p.food_cost_pct, p.margin) for p in portion.prices] == [
        ("dine_in", D("58.00"), D("53.39"), D("27.0360")),
        ("meituan", D("68.00"), D("45.54"), D("37.0360")),
    ]


def test_given_receipts_at_a_store_then_its_moving_average_cost_is_used(
    kitchen: Kitchen,
) -> None:
    world = kitchen.world
    standard_costs(kitchen)
    prices(kitchen)
    store = world.store_a.pk
    post_moves(
        world.actor,
        [
            MoveSpec(store, kitchen.beef.pk, D(10000), "receipt", unit_cost=D("0.10")),
            MoveSpec(store, kitchen.beef.pk, D(5000), "receipt", unit_cost=D("0.13")),
            MoveSpec(store, kitchen.broth.pk, D(20000), "receipt", unit_cost=D("0.012")),
        ],
        source_type="po_receipt",
        source_id="PO-1",
    )

    at_store = costing.recipe_cost(world.org.pk, kitchen.noodles, location_id=store, on=JAN1)
    elsewhere = costing.recipe_cost(
        world.org.pk, kitchen.noodles, location_id=world.store_b.pk, on=JAN1
    )

    # beef (10000 x 0.10 + 5000 x 0.13) / 15000 = 0.11 per g; broth 0.012 per ml.
    assert at_store is not None and elsewhere is not None
    assert at_store.cost == D("29.9640")
    assert [(p.channel, p.price, p.food_cost_pct) for p in at_store.prices] == [
        ("dine_in", D("62.00"), D("48.33")),
        ("meituan", D("68.00"), D("44.06")),
    ]
    assert elsewhere.cost == D("30.9640")


def test_given_a_prepared_item_without_cost_then_it_is_costed_through_its_recipe(
    kitchen: Kitchen,
) -> None:
    standard_costs(kitchen)
    services.set_standard_cost(kitchen.world.actor, item_id=kitchen.broth.pk, unit_cost=None)

    portion = costing.recipe_cost(kitchen.world.org.pk, kitchen.noodles, location_id=None, on=JAN1)

    # 10 L broth = 3 kg bones x 0.02 + 200 ml soy x 0.01 = 62, so 500 ml costs 3.10.
    assert portion is not None
    assert portion.cost == D("29.0640")
    assert portion.lines[2].cost == D("3.1000")


def test_given_an_item_without_any_cost_then_the_cost_is_marked_incomplete(
    kitchen: Kitchen,
) -> None:
    standard_costs(kitchen)
    services.set_standard_cost(kitchen.world.actor, item_id=kitchen.salt.pk, unit_cost=None)

    portion = costing.recipe_cost(kitchen.world.org.pk, kitchen.noodles, location_id=None, on=JAN1)

    assert portion is not None
    assert (portion.cost, portion.complete, portion.missing_item_ids) == (
        D("30.9600"),
        False,
        {kitchen.salt.pk},
    )


class FixedCost:
    """A cost source as another module would plug in: the same price for everything."""

    def unit_costs(self, item_ids: Collection[int]) -> dict[int, Decimal]:
        return dict.fromkeys(item_ids, D("0.01"))


@pytest.fixture
def fixed_basis() -> Iterator[None]:
    costing.register_cost_basis("fixed", "fixed", lambda org_id, location_id: FixedCost())
    yield
    costing.COST_BASES.pop("fixed")


def test_given_another_cost_basis_is_chosen_then_costing_takes_costs_from_it(
    kitchen: Kitchen, fixed_basis: None
) -> None:
    services.set_cost_basis(kitchen.world.actor, "fixed")

    portion = costing.recipe_cost(kitchen.world.org.pk, kitchen.noodles, location_id=None, on=JAN1)

    # Broth is stocked, so it is costed itself; the dough explodes into 162.8 units:
    # (200 beef + 162.8 dough ingredients + 500 broth + 5 coriander) x 0.01.
    assert portion is not None
    assert portion.cost == D("8.6780")


def test_given_an_unknown_cost_basis_then_it_is_refused(kitchen: Kitchen) -> None:
    with pytest.raises(BohError) as err:
        services.set_cost_basis(kitchen.world.actor, "last_purchase")

    assert (err.value.code, err.value.fields[0].field) == ("unknown_cost_basis", "cost_basis")


def test_given_allergens_on_ingredients_then_they_roll_up_through_sub_recipes(
    kitchen: Kitchen,
) -> None:
    eggs, combo = kitchen.set_meal()

    found = allergens_of(kitchen.world.org.pk, [kitchen.noodles.pk, eggs.pk, combo.pk], JAN1)

    # Gluten from the dough's flour and the broth's soy sauce, soybeans from the broth.
    assert found == {
        kitchen.noodles.pk: ["gluten", "eggs", "soybeans", "celery"],
        eggs.pk: ["eggs"],
        combo.pk: ["gluten", "eggs", "soybeans", "celery"],
    }


def test_given_beef_got_dearer_then_cost_movers_name_the_dish_and_the_beef(
    kitchen: Kitchen,
) -> None:
    world = kitchen.world
    standard_costs(kitchen)
    today = business_today(world.org)
    services.snapshot_recipe_costs(world.actor, on=today - dt.timedelta(days=7))
    services.set_standard_cost(world.actor, item_id=kitchen.beef.pk, unit_cost=D("150"), unit="kg")
    services.snapshot_recipe_costs(world.actor, on=today)

    movers = costing.cost_movers(
        world.org.pk, location_id=None, days=7, threshold_pct=D(5), today=today
    )
    quiet = costing.cost_movers(
        world.org.pk, location_id=None, days=7, threshold_pct=D(20), today=today
    )

    assert [
        (
            m.menu_item.code,
            m.old_cost,
            m.new_cost,
            m.change,
            m.change_pct,
            m.item.code if m.item else None,
            m.item_old_cost,
            m.item_new_cost,
        )
        for m in movers
    ] == [
        (
            "M01",
            D("30.9640"),
            D("36.9640"),
            D("6.0000"),
            D("19.38"),
            "BEEF",
            D("24.0000"),
            D("30.0000"),
        )
    ]
    assert quiet == []


def test_given_the_nightly_job_then_it_snapshots_every_store_and_standard_costs_once_a_day(
    kitchen: Kitchen,
) -> None:
    world = kitchen.world
    standard_costs(kitchen)

    first = snapshot_recipe_costs.call_local()
    again = snapshot_recipe_costs.call_local()

    rows = RecipeCostSnapshot.objects.filter(organization=world.org)
    assert (first, again) == (3, 3)
    assert sorted(
        (r.location_id or 0, r.cost, r.taken_on == business_today(world.org)) for r in rows
    ) == [
        (0, D("30.9640"), True),
        (world.store_a.pk, D("30.9640"), True),
        (world.store_b.pk, D("30.9640"), True),
    ]
