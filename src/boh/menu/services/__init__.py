"""Every write of the menu module, one function per business operation."""

from boh.menu.services.costing import set_cost_basis, set_standard_cost, snapshot_recipe_costs
from boh.menu.services.items import (
    create_menu_category,
    create_menu_item,
    delete_menu_category,
    delete_menu_item,
    update_menu_category,
    update_menu_item,
)
from boh.menu.services.modifiers import (
    create_modifier_group,
    create_modifier_option,
    delete_modifier_group,
    delete_modifier_option,
    update_modifier_group,
    update_modifier_option,
)
from boh.menu.services.pricing import (
    create_pos_code,
    create_price,
    delete_pos_code,
    delete_price,
    update_price,
)
from boh.menu.services.recipes import (
    create_recipe,
    create_recipe_version,
    define_recipe,
    delete_recipe,
    delete_recipe_version,
    update_recipe,
)

__all__ = [
    "create_menu_category",
    "create_menu_item",
    "create_modifier_group",
    "create_modifier_option",
    "create_pos_code",
    "create_price",
    "create_recipe",
    "create_recipe_version",
    "define_recipe",
    "delete_menu_category",
    "delete_menu_item",
    "delete_modifier_group",
    "delete_modifier_option",
    "delete_pos_code",
    "delete_price",
    "delete_recipe",
    "delete_recipe_version",
    "set_cost_basis",
    "set_standard_cost",
    "snapshot_recipe_costs",
    "update_menu_category",
    "update_menu_item",
    "update_modifier_group",
    "update_modifier_option",
    "update_price",
    "update_recipe",
]
