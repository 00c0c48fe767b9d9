"""Allergens of menu items, rolled up from every item their recipes use, through sub-recipes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from boh.catalog.models import Allergen, Item
from boh.menu.explosion import RecipeBook
from boh.menu.models import ComboComponent

_ORDER = {code: n for n, code in enumerate(Allergen.values)}


def allergens_of(
    organization_id: int, menu_item_ids: Collection[int], on: dt.date
) -> dict[int, list[str]]:
    """Allergen codes of each menu item by its recipe in force on a date (set meals: with
    their components), whether prepared items are depleted or exploded when sold."""
    components: dict[int, set[int]] = {}
    for combo_id, component_id in ComboComponent.objects.filter(
        combo_id__in=list(menu_item_ids), combo__organization_id=organization_id
    ).values_list("combo_id", "component_id"):
        components.setdefault(combo_id, set()).add(component_id)
    book = RecipeBook(organization_id, on, all_prepared=True)
    book.load({*menu_item_ids, *(c for parts in components.values() for c in parts)})
    declared = dict(
        Item.objects.filter(organization_id=organization_id, pk__in=book.item_ids()).values_list(
            "pk", "allergens"
        )
    )

    def used_by(item_id: int, seen: set[int]) -> set[int]:
        if item_id in seen:
            return set()
        seen.add(item_id)
        result = {item_id}
        version = book.prepared.get(item_id)
        for child, _ in version.lines if version else ():
            result |= used_by(child, seen)
        return result

    result: dict[int, list[str]] = {}
    for menu_item_id in menu_item_ids:
        items: set[int] = set()
        for output in {menu_item_id, *components.get(menu_item_id, ())}:
            version = book.menu.get(output)
            for child, _ in version.lines if version else ():
                items |= used_by(child, set())
        codes = {code for item_id in items for code in (declared.get(item_id) or [])}
        result[menu_item_id] = sorted(codes, key=lambda c: (_ORDER.get(c, len(_ORDER)), c))
    return result
