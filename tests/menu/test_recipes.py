"""Recipes: lines in any unit, yields, versions by date, sub-recipe cycles, and refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from boh.catalog import services as catalog
from boh.core.errors import BohError
from boh.core.models import AuditEntry, DomainEvent
from boh.menu import selectors, services
from boh.menu.models import Recipe, RecipeLine, RecipeVersion
from tests.conftest import World
from tests.menu.conftest import JAN1, Kitchen, line


def test_given_a_bottle_pack_when_a_line_takes_125_ml_or_half_a_bottle_then_base_is_exact(
    kitchen: Kitchen,
) -> None:
    world = kitchen.world
    chicken = services.create_menu_item(world.actor, code="M10", name="醉鸡")

    version = services.define_recipe(
        world.actor,
        menu_item_id=chicken.pk,
        effective_from=JAN1,
        lines=[
            line(kitchen.wine, 125, "ml"),
            line(kitchen.wine, "0.5", "bottle"),
            line(kitchen.wine, "0.125", "l"),
            line(kitchen.beef, "1.5", "斤"),
            line(kitchen.beef, 2, "两"),
        ],
    )

    rows = list(version.lines.values_list("quantity", "unit", "base_quantity"))
    assert rows == [
        (Decimal("125.000000"), "ml", Decimal("125.000")),
        (Decimal("0.500000"), "bottle", Decimal("375.000")),
        (Decimal("0.125000"), "l", Decimal("125.000")),
        (Decimal("1.500000"), "斤", Decimal("750.000")),
        (Decimal("2.000000"), "两", Decimal("100.000")),
    ]


def test_given_a_line_with_75_pct_yield_then_200_g_is_needed_for_150_g_net(
    kitchen: Kitchen,
) -> None:
    line_row = kitchen.recipe_v1.lines.get(item=kitchen.beef)

    assert line_row.base_quantity == Decimal("150.000")
    assert line_row.yield_pct == Decimal("75.000")
    assert line_row.trim_loss_pct == Decimal("25.000")
    assert line_row.gross_base_quantity == Decimal(200)


def test_given_a_prepared_item_then_the_yield_is_kept_in_base_units(kitchen: Kitchen) -> None:
    broth = RecipeVersion.objects.get(recipe__item=kitchen.broth)

    assert (broth.yield_quantity, broth.yield_unit, broth.yield_base_quantity) == (
        Decimal("10.000000"),
        "l",
        Decimal("10000.000"),
    )


def test_given_bad_lines_when_defining_then_every_field_is_named_and_nothing_is_written(
    kitchen: Kitchen,
) -> None:
    world = kitchen.world
    dish = services.create_menu_item(world.actor, code="M11", name="凉拌牛肉")
    before = (Recipe.objects.count(), RecipeVersion.objects.count(), AuditEntry.objects.count())

    with pytest.raises(BohError) as err:
        services.define_recipe(
            world.actor,
            menu_item_id=dish.pk,
            effective_from=JAN1,
            lines=[
                line(kitchen.beef, 100, "bottle"),
                line(kitchen.egg, 1, "g"),
                {"item_id": 999_999, "quantity": 1, "unit": "g"},
                line(kitchen.beef, -3, "g"),
                line(kitchen.beef, 10, "g", 0),
                line(kitchen.beef, "0.0001", "g"),
            ],
        )

    assert err.value.status == 400
    assert [(f.field, f.code) for f in err.value.fields] == [
        ("lines[0].unit", "unknown_unit"),
        ("lines[1].unit", "unit_dimension_mismatch"),
        ("lines[2].item_id", "not_found"),
        ("lines[3].quantity", "not_positive"),
        ("lines[4].yield_pct", "not_positive"),
        ("lines[5].quantity", "quantity_rounds_to_zero"),
    ]
    after = (Recipe.objects.count(), RecipeVersion.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_given_versions_when_asking_by_business_date_then_the_one_in_force_answers(
    kitchen: Kitchen,
) -> None:
    world = kitchen.world
    v2 = services.define_recipe(
        world.actor,
        menu_item_id=kitchen.noodles.pk,
        effective_from=dt.date(2026, 3, 1),
        lines=[line(kitchen.beef, 180, "g", 75), line(kitchen.dough, 200, "g")],
    )

    assert selectors.recipe_for(kitchen.noodles, dt.date(2025, 12, 31)) is None
    assert selectors.recipe_for(kitchen.noodles, JAN1) == kitchen.recipe_v1
    assert selectors.recipe_for(kitchen.noodles, dt.date(2026, 2, 28)) == kitchen.recipe_v1
    assert selectors.recipe_for(kitchen.noodles, dt.date(2026, 3, 1)) == v2
    assert selectors.recipe_for(kitchen.noodles, dt.date(2027, 1, 1)) == v2


def test_given_a_version_on_the_same_date_then_it_is_refused_as_a_conflict(
    kitchen: Kitchen,
) -> None:
    with pytest.raises(BohError) as err:
        services.define_recipe(
            kitchen.world.actor,
            menu_item_id=kitchen.noodles.pk,
            effective_from=JAN1,
            lines=[line(kitchen.beef, 1, "g")],
        )

    assert (err.value.status, err.value.code, err.value.fields[0].field) == (
        409,
        "duplicate_recipe_version",
        "effective_from",
    )
    assert RecipeVersion.objects.filter(recipe__menu_item=kitchen.noodles).count() == 1


def test_given_broth_uses_sauce_when_sauce_would_use_broth_then_the_cycle_is_named(
    kitchen: Kitchen,
) -> None:
    world = kitchen.world
    sauce = catalog.create_item(
        world.actor, code="SAUCE", name="红油", base_unit="g", kind="prepared"
    )
    services.define_recipe(
        world.actor, item_id=sauce.pk, effective_from=JAN1, lines=[line(kitchen.salt, 10, "g")]
    )
    services.define_recipe(
        world.actor,
        item_id=kitchen.broth.pk,
        effective_from=dt.date(2026, 2, 1),
        yield_quantity=10,
        yield_unit="l",
        lines=[line(kitchen.bones, 3, "kg"), line(sauce, 100, "g")],
    )
    lines_before = RecipeLine.objects.count()

    with pytest.raises(BohError) as err:
        services.define_recipe(
            world.actor,
            item_id=sauce.pk,
            effective_from=dt.date(2026, 3, 1),
            lines=[line(kitchen.salt, 10, "g"), line(kitchen.broth, 50, "ml")],
        )

    assert [(f.field, f.code, f.message) for f in err.value.fields] == [
        (
            "lines[1].item_id",
            "recipe_cycle",
            "This line would make the recipe use itself: 红油 → 牛骨汤 → 红油.",
        )
    ]
    assert RecipeLine.objects.count() == lines_before


def test_given_a_prepared_item_when_it_uses_itself_then_it_is_refused(kitchen: Kitchen) -> None:
    with pytest.raises(BohError) as err:
        services.define_recipe(
            kitchen.world.actor,
            item_id=kitchen.dough.pk,
            effective_from=dt.date(2026, 2, 1),
            lines=[line(kitchen.flour, 500, "g"), line(kitchen.dough, 100, "g")],
        )

    assert [(f.field, f.code) for f in err.value.fields] == [("lines[1].item_id", "recipe_cycle")]


def test_given_an_ingredient_when_starting_its_recipe_then_only_prepared_items_may(
    kitchen: Kitchen,
) -> None:
    with pytest.raises(BohError) as err:
        services.create_recipe(kitchen.world.actor, item_id=kitchen.beef.pk)

    assert (err.value.code, err.value.fields[0].field) == ("not_a_prepared_item", "item_id")


def test_given_a_store_manager_when_defining_a_recipe_then_it_is_forbidden(
    kitchen: Kitchen,
) -> None:
    world = kitchen.world
    manager = world.actor_for(world.user("store_manager", location_id=world.store_a.pk))

    with pytest.raises(BohError) as err:
        services.define_recipe(
            manager,
            menu_item_id=kitchen.noodles.pk,
            effective_from=dt.date(2026, 5, 1),
            lines=[line(kitchen.beef, 1, "g")],
        )

    assert err.value.status == 403


def test_given_a_new_version_then_it_is_audited_and_announced(kitchen: Kitchen) -> None:
    version = services.define_recipe(
        kitchen.world.actor,
        menu_item_id=kitchen.noodles.pk,
        effective_from=dt.date(2026, 4, 1),
        lines=[line(kitchen.beef, 160, "g")],
    )

    entry = AuditEntry.objects.get(object_type="menu.recipeversion", object_id=str(version.pk))
    assert entry.changes["lines"] == [
        None,
        [[kitchen.beef.pk, "160", "g", "160.000", "100"]],
    ]
    event = DomainEvent.objects.filter(name="menu.recipe_version_created").last()
    assert event is not None
    assert event.payload["version_id"] == version.pk
    assert event.payload["effective_from"] == "2026-04-01"


def test_given_versions_when_withdrawing_then_only_a_future_one_may_go(
    kitchen: Kitchen, world: World
) -> None:
    today = selectors.business_today(world.org)
    future = services.define_recipe(
        world.actor,
        menu_item_id=kitchen.noodles.pk,
        effective_from=today + dt.timedelta(days=3),
        lines=[line(kitchen.beef, 160, "g")],
    )

    with pytest.raises(BohError) as err:
        services.delete_recipe_version(world.actor, kitchen.recipe_v1)
    services.delete_recipe_version(world.actor, future)

    assert err.value.code == "recipe_version_in_force"
    assert list(RecipeVersion.objects.filter(recipe__menu_item=kitchen.noodles)) == [
        kitchen.recipe_v1
    ]
