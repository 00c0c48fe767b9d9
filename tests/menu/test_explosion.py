"""Exploding sold lines into item quantities: sub-recipes, modifiers, set meals, versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boh.catalog import services as catalog
from boh.catalog.models import Item
from boh.core.errors import BohError
from boh.menu import services
from boh.menu.explosion import SoldLine, explode, explode_detailed
from boh.menu.models import MenuItem
from tests.conftest import World
from tests.menu.conftest import JAN1, Kitchen, line

D = Decimal


def by_code(totals: dict[int, Decimal]) -> dict[str, Decimal]:
    codes = dict(Item.objects.filter(pk__in=totals).values_list("pk", "code"))
    return {codes[k]: v for k, v in sorted(totals.items(), key=lambda kv: codes[kv[0]])}


def test_given_beef_noodles_when_three_are_sold_then_dough_explodes_and_broth_is_depleted(
    kitchen: Kitchen,
) -> None:
    totals = explode(kitchen.world.org, [SoldLine(kitchen.noodles.pk, D(3))], JAN1)

    assert by_code(totals) == {
        "BEEF": D("600.000"),
        "BROTH": D("1500.000"),
        "CORI": D("15.000"),
        "EGG": D("2.400"),
        "FLOUR": D("480.000"),
        "SALT": D("6.000"),
    }


class ChiliChain:
    """Dan dan noodles: sauce -> chili oil -> aromatic oil -> ingredients (three levels)."""

    def __init__(self, kitchen: Kitchen) -> None:
        actor = kitchen.world.actor

        def item(code: str, base_unit: str, **extra: Any) -> Item:
            return catalog.create_item(actor, code=code, name=code, base_unit=base_unit, **extra)

        self.oil = item("OIL", "ml")
        self.anise = item("ANISE", "g")
        self.chili = item("CHILI", "g")
        self.sesame = item("SESAME", "g", allergens=["sesame"])
        self.aromatic = item("AROMA", "ml", kind="prepared")
        self.chili_oil = item("CHILIOIL", "g", kind="prepared")
        self.sauce = item("DDSAUCE", "g", kind="prepared")
        services.define_recipe(
            actor,
            item_id=self.aromatic.pk,
            effective_from=JAN1,
            yield_quantity=800,
            yield_unit="ml",
            explode_when_sold=True,
            lines=[line(self.oil, 1, "l"), line(self.anise, 20, "g")],
        )
        self.chili_oil_version = services.define_recipe(
            actor,
            item_id=self.chili_oil.pk,
            effective_from=JAN1,
            yield_quantity=500,
            yield_unit="g",
            explode_when_sold=True,
            lines=[line(self.aromatic, 400, "ml"), line(self.chili, 150, "g")],
        )
        services.define_recipe(
            actor,
            item_id=self.sauce.pk,
            effective_from=JAN1,
            yield_quantity=1,
            yield_unit="kg",
            explode_when_sold=True,
            lines=[
                line(self.chili_oil, 200, "g"),
                line(kitchen.soy, 300, "ml"),
                line(self.sesame, 500, "g"),
            ],
        )
        self.dish = services.create_menu_item(actor, code="M20", name="担担面")
        services.define_recipe(
            actor,
            menu_item_id=self.dish.pk,
            effective_from=JAN1,
            lines=[line(self.sauce, 50, "g"), line(kitchen.dough, 150, "g")],
        )


def test_given_three_levels_of_sub_recipes_when_sold_then_each_level_is_exploded_exactly(
    kitchen: Kitchen,
) -> None:
    chain = ChiliChain(kitchen)

    totals = explode(kitchen.world.org, [SoldLine(chain.dish.pk, D(4))], JAN1)

    assert by_code(totals) == {
        "ANISE": D("0.800"),
        "CHILI": D("12.000"),
        "EGG": D("2.400"),
        "FLOUR": D("480.000"),
        "OIL": D("40.000"),
        "SALT": D("6.000"),
        "SESAME": D("100.000"),
        "SOY": D("60.000"),
    }


def test_given_a_stocked_middle_level_when_sold_then_it_is_depleted_and_not_exploded(
    kitchen: Kitchen,
) -> None:
    chain = ChiliChain(kitchen)
    services.update_recipe(
        kitchen.world.actor, chain.chili_oil_version.recipe, explode_when_sold=False
    )

    totals = explode(kitchen.world.org, [SoldLine(chain.dish.pk, D(4))], JAN1)

    assert by_code(totals) == {
        "CHILIOIL": D("40.000"),
        "EGG": D("2.400"),
        "FLOUR": D("480.000"),
        "SALT": D("6.000"),
        "SESAME": D("100.000"),
        "SOY": D("60.000"),
    }


def test_given_new_versions_from_march_then_february_and_march_sales_use_their_own(
    kitchen: Kitchen,
) -> None:
    actor = kitchen.world.actor
    march = dt.date(2026, 3, 1)
    services.define_recipe(
        actor,
        menu_item_id=kitchen.noodles.pk,
        effective_from=march,
        lines=[line(kitchen.beef, 180, "g", 75), line(kitchen.dough, 200, "g")],
    )
    services.define_recipe(
        actor,
        item_id=kitchen.dough.pk,
        effective_from=march,
        yield_quantity=1,
        yield_unit="kg",
        lines=[line(kitchen.flour, 900, "g"), line(kitchen.salt, 10, "g")],
    )
    sold = [SoldLine(kitchen.noodles.pk, D(1))]

    february = explode(kitchen.world.org, sold, dt.date(2026, 2, 28))
    in_march = explode(kitchen.world.org, sold, march)

    assert by_code(february) == {
        "BEEF": D("200.000"),
        "BROTH": D("500.000"),
        "CORI": D("5.000"),
        "EGG": D("0.800"),
        "FLOUR": D("160.000"),
        "SALT": D("2.000"),
    }
    assert by_code(in_march) == {"BEEF": D("240.000"), "FLOUR": D("180.000"), "SALT": D("2.000")}


def test_given_modifiers_then_add_on_beef_no_coriander_and_large_size_change_the_recipe(
    kitchen: Kitchen,
) -> None:
    _size, _extras, options = kitchen.options()
    noodles = kitchen.noodles.pk
    sold = [
        SoldLine(noodles, D(2), (options["beef"].pk,)),
        SoldLine(noodles, D(1), (options["no_coriander"].pk,)),
        SoldLine(noodles, D(1), (options["large"].pk,)),
    ]

    result = explode_detailed(kitchen.world.org, sold, JAN1, per_line=True)

    assert by_code(result.totals) == {
        "BEEF": D("1060.000"),
        "BROTH": D("2250.000"),
        "CORI": D("17.500"),
        "EGG": D("3.600"),
        "FLOUR": D("720.000"),
        "SALT": D("9.000"),
    }
    assert result.lines is not None
    assert kitchen.coriander.pk not in result.lines[1]
    assert result.lines[2][kitchen.beef.pk] == D(300)
    assert result.errors == []


def test_given_large_without_coriander_then_the_removal_is_not_scaled_and_never_negative(
    kitchen: Kitchen,
) -> None:
    _size, _extras, options = kitchen.options()
    large_plain = (options["large"].pk, options["no_coriander"].pk)

    totals = explode(
        kitchen.world.org,
        [SoldLine(kitchen.noodles.pk, D(2), large_plain)],
        JAN1,
    )
    only_removal = explode(
        kitchen.world.org,
        [
            SoldLine(kitchen.noodles.pk, D(1), (options["no_coriander"].pk,)),
        ],
        JAN1,
    )

    assert totals[kitchen.coriander.pk] == D("5.000")
    assert kitchen.coriander.pk not in only_removal


def test_given_a_set_meal_when_sold_then_its_box_and_components_are_depleted(
    kitchen: Kitchen,
) -> None:
    _eggs, combo = kitchen.set_meal()

    totals = explode(kitchen.world.org, [SoldLine(combo.pk, D(2))], JAN1)

    assert by_code(totals) == {
        "BEEF": D("400.000"),
        "BOX": D("2.000"),
        "BROTH": D("1000.000"),
        "CORI": D("10.000"),
        "EGG": D("9.600"),
        "FLOUR": D("320.000"),
        "SALT": D("4.000"),
    }


def test_given_a_set_meal_with_components_from_the_pos_then_they_replace_the_defined_ones(
    kitchen: Kitchen,
) -> None:
    _size, _extras, options = kitchen.options()
    eggs, combo = kitchen.set_meal()
    sold = SoldLine(
        combo.pk,
        D(1),
        components=(
            SoldLine(kitchen.noodles.pk, D(1), (options["large"].pk,)),
            SoldLine(eggs.pk, D(1)),
        ),
    )

    totals = explode(kitchen.world.org, [sold], JAN1)

    assert by_code(totals) == {
        "BEEF": D("300.000"),
        "BOX": D("1.000"),
        "BROTH": D("750.000"),
        "CORI": D("7.500"),
        "EGG": D("3.200"),
        "FLOUR": D("240.000"),
        "SALT": D("3.000"),
    }


def test_given_a_refund_line_then_it_gives_negative_quantities(kitchen: Kitchen) -> None:
    totals = explode(kitchen.world.org, [SoldLine(kitchen.noodles.pk, D(-1))], JAN1)

    assert totals[kitchen.beef.pk] == D("-200.000")


def test_given_bad_lines_then_each_is_named_and_the_batch_is_refused(
    kitchen: Kitchen, other_world: World
) -> None:
    _size, _extras, options = kitchen.options()
    eggs, _combo = kitchen.set_meal()
    foreign = services.create_menu_item(other_world.actor, code="X1", name="外")
    sold = [
        SoldLine(foreign.pk, D(1)),
        SoldLine(eggs.pk, D(1), (options["beef"].pk,)),
        SoldLine(kitchen.noodles.pk, D(0)),
        SoldLine(kitchen.noodles.pk, D(1), components=(SoldLine(eggs.pk, D(1)),)),
        SoldLine(kitchen.noodles.pk, D(1), (999_999,)),
    ]

    with pytest.raises(BohError) as err:
        explode(kitchen.world.org, sold, JAN1)

    assert [(f.field, f.code) for f in err.value.fields] == [
        ("lines[2].quantity", "invalid_number"),
        ("lines[0].menu_item_id", "not_found"),
        ("lines[1].option_ids[0]", "option_not_offered"),
        ("lines[3].components", "not_a_combo"),
        ("lines[4].option_ids[0]", "not_found"),
    ]


def test_given_a_dish_without_recipe_then_it_is_reported_not_silently_dropped(
    kitchen: Kitchen,
) -> None:
    tea = services.create_menu_item(kitchen.world.actor, code="T1", name="茶位")

    result = explode_detailed(
        kitchen.world.org,
        [SoldLine(tea.pk, D(2)), SoldLine(kitchen.noodles.pk, D(1))],
        JAN1,
    )

    assert result.without_recipe == {tea.pk}
    assert result.totals[kitchen.beef.pk] == D("200.000")


def _mixed_lines(kitchen: Kitchen, chain: ChiliChain, combo: MenuItem, n: int) -> list[SoldLine]:
    options = [o.pk for o in kitchen.noodles.modifier_groups.get(code="EXTRA").options.all()]
    large = kitchen.noodles.modifier_groups.get(code="SIZE").options.get().pk
    shapes = [
        SoldLine(kitchen.noodles.pk, D(1)),
        SoldLine(kitchen.noodles.pk, D(2), (options[0],)),
        SoldLine(kitchen.noodles.pk, D(1), (large, options[1])),
        SoldLine(chain.dish.pk, D(3)),
        SoldLine(combo.pk, D(1)),
        SoldLine(
            combo.pk,
            D(1),
            components=(SoldLine(kitchen.noodles.pk, D(1), (large,)), SoldLine(chain.dish.pk)),
        ),
    ]
    return [shapes[i % len(shapes)] for i in range(n)]


def test_given_more_lines_then_the_number_of_queries_stays_the_same(
    kitchen: Kitchen, django_assert_max_num_queries: Any
) -> None:
    kitchen.options()
    _eggs, combo = kitchen.set_meal()
    chain = ChiliChain(kitchen)
    few = _mixed_lines(kitchen, chain, combo, 6)
    many = _mixed_lines(kitchen, chain, combo, 600)

    with CaptureQueriesContext(connection) as small:
        explode(kitchen.world.org, few, JAN1)
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as large:
        totals = explode(kitchen.world.org, many, JAN1)

    assert len(large.captured_queries) == len(small.captured_queries)
    assert totals[kitchen.box.pk] == D("200.000")
