"""Menu objects for the tenant-isolation walk."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING

from boh.catalog import services as catalog
from boh.menu import services
from boh.menu.models import RecipeVersion
from tests.isolation import foreign

if TYPE_CHECKING:
    from tests.conftest import World

_seq = itertools.count(1)


@foreign("menu_category_id")
def _menu_category(world: World) -> int:
    return services.create_menu_category(world.actor, code="HOT", name="热菜").pk


def _menu_item(world: World, code: str = "ISO1") -> int:
    return services.create_menu_item(world.actor, code=code, name="回锅肉").pk


@foreign("menu_item_id")
def _menu_item_id(world: World) -> int:
    return _menu_item(world, "ISO2")


@foreign("price_id")
def _price(world: World) -> int:
    menu_item = services.create_menu_item(world.actor, code="ISO3", name="鱼香肉丝")
    return services.create_price(
        world.actor, menu_item, channel="dine_in", price=38, effective_from=dt.date(2026, 1, 1)
    ).pk


@foreign("pos_code_id")
def _pos_code(world: World) -> int:
    return services.create_pos_code(
        world.actor, source="pos", code="PLU-ISO", menu_item_id=_menu_item(world, "ISO4")
    ).pk


@foreign("modifier_group_id")
def _modifier_group(world: World) -> int:
    return services.create_modifier_group(world.actor, code="SPICE", name="辣度").pk


@foreign("option_id")
def _option(world: World) -> int:
    group = services.create_modifier_group(world.actor, code="SIZE-ISO", name="份量")
    return services.create_modifier_option(world.actor, group, code="L", name="大份").pk


def _version(world: World) -> RecipeVersion:
    n = next(_seq)
    item = catalog.create_item(world.actor, code=f"ISO-PORK{n}", name="五花肉", base_unit="g")
    return services.define_recipe(
        world.actor,
        menu_item_id=_menu_item(world, f"ISO-R{n}"),
        effective_from=dt.date(2026, 1, 1),
        lines=[{"item_id": item.pk, "quantity": 200, "unit": "g"}],
    )


@foreign("recipe_id")
def _recipe(world: World) -> int:
    return _version(world).recipe_id


@foreign("version_id")
def _version_id(world: World) -> int:
    return _version(world).pk
