"""How much of the demo data to load: the whole chain, a small one, or a bare one.

The small chain keeps every location and person, but sells a short menu in two stores,
so only the items those dishes need are catalogued, stocked, bought and depleted. The
bare chain stops after the organization, its locations, people and API key.
"""

from __future__ import annotations

from dataclasses import dataclass

from boh.demo.data import catalog as catalog_data
from boh.demo.data import menu as menu_data

SIZES = ("full", "small", "bare")
SMALL_STORES = frozenset({"SH01", "GZ01"})
SMALL_DISHES = frozenset(
    {
        "M001", "M002", "M004", "M005", "M102", "M105", "M119", "M201", "M202", "M205",
        "M401", "M501", "M601", "M605", "M801", "M901",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """The stores, dishes and items a load covers; None means all of them."""

    stores: frozenset[str] | None = None
    dishes: frozenset[str] | None = None
    items: frozenset[str] | None = None
    bare: bool = False

    def has_store(self, code: str) -> bool:
        return self.stores is None or code in self.stores

    def has_dish(self, code: str) -> bool:
        return self.dishes is None or code in self.dishes

    def has_item(self, code: str) -> bool:
        return self.items is None or code in self.items


def items_for(dishes: frozenset[str]) -> frozenset[str]:
    """Items the dishes use: recipes, modifiers, and what the kitchen makes them from."""
    dish_rows = {row[0]: row for row in menu_data.DISHES}
    set_parts = {row[0]: [part for part, _n in row[6]] for row in menu_data.SET_MEALS}
    wanted_dishes = set(dishes)
    for code in dishes:
        wanted_dishes.update(set_parts.get(code, ()))
    groups = {row[0]: row for row in menu_data.MODIFIER_GROUPS}
    items: set[str] = set()
    for code in wanted_dishes:
        row = dish_rows.get(code)
        if row is None:
            continue
        items.update(line[0] for line in row[8])
        for group in row[7].split():
            for option in groups[group][5]:
                items.update(line[0] for line in option[5])
    recipes = {row[0]: row[3] for row in menu_data.SUB_RECIPES}
    pending = [code for code in items if code in recipes]
    while pending:
        for line in recipes[pending.pop()]:
            if line[0] not in items:
                items.add(line[0])
                if line[0] in recipes:
                    pending.append(line[0])
    return frozenset(code for code in items if code in catalog_data.ITEMS_BY_CODE)


def scope_of(size: str) -> Scope:
    """The scope of a named size: "full" (everything), "small" or "bare"."""
    if size == "bare":
        return Scope(bare=True)
    if size == "small":
        return Scope(stores=SMALL_STORES, dishes=SMALL_DISHES, items=items_for(SMALL_DISHES))
    return Scope()
