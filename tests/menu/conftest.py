"""A small kitchen built through the catalog and menu services: items, packs, recipes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from boh.catalog import services as catalog
from boh.catalog.models import Item
from boh.menu import services as menu
from boh.menu.models import MenuItem, ModifierGroup, ModifierOption
from tests.conftest import World

JAN1 = dt.date(2026, 1, 1)


def line(item: Item, quantity: Any, unit: str, yield_pct: Any = 100) -> dict[str, Any]:
    return {
        "item_id": item.pk,
        "quantity": Decimal(str(quantity)),
        "unit": unit,
        "yield_pct": Decimal(str(yield_pct)),
    }


class Kitchen:
    """Beef noodle soup (牛肉面) and what it is made of, in one world.

    Noodle dough is made to order (its recipe explodes when sold); broth is made in the
    central kitchen and stocked, so it is depleted itself.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        actor = world.actor

        def item(code: str, name: str, base_unit: str, **extra: Any) -> Item:
            return catalog.create_item(actor, code=code, name=name, base_unit=base_unit, **extra)

        self.beef = item("BEEF", "牛腱肉", "g")
        self.flour = item("FLOUR", "面粉", "g", allergens=["gluten"])
        self.egg = item("EGG", "鸡蛋", "each", allergens=["eggs"])
        self.salt = item("SALT", "盐", "g")
        self.coriander = item("CORI", "香菜", "g", allergens=["celery"])
        self.bones = item("BONES", "牛骨", "g")
        self.soy = item("SOY", "生抽", "ml", allergens=["soybeans", "gluten"])
        self.wine = item("WINE", "绍兴黄酒", "ml")
        catalog.create_pack(actor, self.wine, code="bottle", name="瓶", quantity=750, unit="ml")
        self.dough = item("DOUGH", "面团", "g", kind="prepared")
        self.broth = item("BROTH", "牛骨汤", "ml", kind="prepared")
        self.box = item("BOX", "打包盒", "each", kind="packaging")

        menu.define_recipe(
            actor,
            item_id=self.dough.pk,
            effective_from=JAN1,
            yield_quantity=1,
            yield_unit="kg",
            explode_when_sold=True,
            lines=[line(self.flour, 800, "g"), line(self.egg, 4, "each"), line(self.salt, 10, "g")],
        )
        menu.define_recipe(
            actor,
            item_id=self.broth.pk,
            effective_from=JAN1,
            yield_quantity=10,
            yield_unit="l",
            lines=[line(self.bones, 3, "kg"), line(self.soy, 200, "ml")],
        )
        self.noodles = menu.create_menu_item(
            actor, code="M01", name="牛肉面", name_en="Beef noodles"
        )
        self.recipe_v1 = menu.define_recipe(
            actor,
            menu_item_id=self.noodles.pk,
            effective_from=JAN1,
            lines=[
                line(self.beef, 150, "g", 75),
                line(self.dough, 200, "g"),
                line(self.broth, "0.5", "l"),
                line(self.coriander, 5, "g"),
            ],
        )

    def options(self) -> tuple[ModifierGroup, ModifierGroup, dict[str, ModifierOption]]:
        """Size (large = 1.5x), and extras: add-on beef +80 g, no coriander -5 g."""
        actor = self.world.actor
        size = menu.create_modifier_group(actor, code="SIZE", name="份量", max_choices=1)
        extras = menu.create_modifier_group(actor, code="EXTRA", name="加料/忌口")
        options = {
            "large": menu.create_modifier_option(
                actor, size, code="L", name="大份", recipe_multiplier=Decimal("1.5"), price_delta=6
            ),
            "beef": menu.create_modifier_option(
                actor, extras, code="BEEF", name="加牛肉", lines=[line(self.beef, 80, "g")]
            ),
            "no_coriander": menu.create_modifier_option(
                actor, extras, code="NOCORI", name="不要香菜", lines=[line(self.coriander, -5, "g")]
            ),
        }
        menu.update_menu_item(actor, self.noodles, modifier_group_ids=[size.pk, extras.pk])
        return size, extras, options

    def set_meal(self) -> tuple[MenuItem, MenuItem]:
        """A cold egg dish, and a set meal of noodles + egg dish in a takeaway box."""
        actor = self.world.actor
        eggs = menu.create_menu_item(actor, code="M02", name="皮蛋")
        menu.define_recipe(
            actor, menu_item_id=eggs.pk, effective_from=JAN1, lines=[line(self.egg, 2, "each")]
        )
        combo = menu.create_menu_item(
            actor,
            code="C01",
            name="牛肉面套餐",
            kind="combo",
            components=[
                {"menu_item_id": self.noodles.pk, "quantity": 1},
                {"menu_item_id": eggs.pk, "quantity": 2},
            ],
        )
        menu.define_recipe(
            actor, menu_item_id=combo.pk, effective_from=JAN1, lines=[line(self.box, 1, "each")]
        )
        return eggs, combo


@pytest.fixture
def kitchen(world: World) -> Kitchen:
    return Kitchen(world)
