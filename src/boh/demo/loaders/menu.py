"""Demo step of the menu: sub-recipes, modifiers, dishes with recipes, set meals, prices, POS codes.

Everything goes through boh.menu.services; what exists (by code) is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from boh.demo.chain import DemoChain
from boh.demo.data import menu as data
from boh.demo.sales_model import channel_price

# Recipes and prices are in force from this many days before the opening stock count.
IN_FORCE_BEFORE_OPENING = 30


def recipe_lines(chain: DemoChain, lines: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """Data lines (item code, quantity, unit[, yield %]) as the menu services take them."""
    result = []
    for code, quantity, unit, *rest in lines:
        line: dict[str, Any] = {
            "item_id": chain.items[code].pk,
            "quantity": Decimal(quantity),
            "unit": unit,
        }
        if rest:
            line["yield_pct"] = Decimal(rest[0])
        result.append(line)
    return result


def priced_channels(for_delivery: bool) -> tuple[str, ...]:
    """The channels a dish is sold on."""
    return ("dine_in", *data.DELIVERY_CHANNELS) if for_delivery else ("dine_in",)


def load_menu(chain: DemoChain) -> None:
    """The hot-pot menu with recipes, modifiers, set meals, channel prices and POS codes."""
    try:
        from boh.menu import services as menu
        from boh.menu.models import (
            MenuCategory,
            MenuItem,
            MenuPrice,
            ModifierGroup,
            ModifierOption,
            PosCode,
            Recipe,
            StandardCost,
        )
    except ImportError as exc:
        chain.skip(_("Menu"), exc)
        return

    actor, org = chain.actor, chain.organization
    since = chain.opening_date - dt.timedelta(days=IN_FORCE_BEFORE_OPENING)

    # Standard costs and sub-recipes of what the central kitchen makes.
    costed = set(StandardCost.objects.filter(organization=org).values_list("item_id", flat=True))
    with_recipe = set(
        Recipe.objects.filter(organization=org, item__isnull=False).values_list(
            "item_id", flat=True
        )
    )
    for code, batch, unit, lines in data.SUB_RECIPES:
        if code not in chain.items:
            continue
        item = chain.items[code]
        if item.pk not in costed:
            menu.set_standard_cost(actor, item_id=item.pk, unit_cost=chain.unit_costs[code])
            chain.count("standard costs")
        if item.pk not in with_recipe:
            menu.define_recipe(
                actor,
                item_id=item.pk,
                effective_from=since,
                lines=recipe_lines(chain, lines),
                yield_quantity=batch,
                yield_unit=unit,
                note=_("Central kitchen batch"),
            )
            chain.count("recipes")

    categories = {c.code: c for c in MenuCategory.objects.filter(organization=org)}
    for code, name, name_en, order in data.MENU_CATEGORIES:
        if code not in categories:
            categories[code] = menu.create_menu_category(
                actor, code=code, name=name, name_en=name_en, sort_order=order
            )
            chain.count("menu categories")

    pos_codes = set(
        PosCode.objects.filter(organization=org, source=data.POS_SOURCE).values_list(
            "code", flat=True
        )
    )
    groups = {g.code: g for g in ModifierGroup.objects.filter(organization=org)}
    options = {(o.group_id, o.code): o for o in ModifierOption.objects.filter(organization=org)}
    offered = {g for row in data.DISHES if chain.scope.has_dish(row[0]) for g in row[7].split()}
    for order, (code, name, name_en, least, most, choices) in enumerate(data.MODIFIER_GROUPS):
        if code not in offered:
            continue
        group = groups.get(code)
        if group is None:
            group = groups[code] = menu.create_modifier_group(
                actor,
                code=code,
                name=name,
                name_en=name_en,
                min_choices=least,
                max_choices=most,
                sort_order=order * 10,
            )
            chain.count("modifier groups")
        for n, (opt_code, pos, opt_name, opt_name_en, delta, lines) in enumerate(choices):
            option = options.get((group.pk, opt_code))
            if option is None:
                option = menu.create_modifier_option(
                    actor,
                    group,
                    code=opt_code,
                    name=opt_name,
                    name_en=opt_name_en,
                    price_delta=Decimal(delta),
                    lines=recipe_lines(chain, lines),
                    sort_order=n * 10,
                )
                chain.count("modifier options")
            if pos not in pos_codes:
                menu.create_pos_code(actor, source=data.POS_SOURCE, code=pos, option_id=option.pk)
                pos_codes.add(pos)
                chain.count("POS codes")

    existing = {m.code: m for m in MenuItem.objects.filter(organization=org)}
    dish_recipes = set(
        Recipe.objects.filter(organization=org, menu_item__isnull=False).values_list(
            "menu_item_id", flat=True
        )
    )
    priced = set(
        MenuPrice.objects.filter(organization=org, location__isnull=True).values_list(
            "menu_item_id", "channel"
        )
    )

    def sell(code: str, pos: str, price: str, for_delivery: bool) -> None:
        menu_item = chain.menu_items[code]
        for channel in priced_channels(for_delivery):
            if (menu_item.pk, channel) not in priced:
                menu.create_price(
                    actor,
                    menu_item,
                    channel=channel,
                    price=channel_price(Decimal(price), channel),
                    effective_from=since,
                )
                chain.count("menu prices")
        if pos not in pos_codes:
            menu.create_pos_code(actor, source=data.POS_SOURCE, code=pos, menu_item_id=menu_item.pk)
            pos_codes.add(pos)
            chain.count("POS codes")

    for n, (code, pos, name, name_en, category, price, delivery, mods, lines) in enumerate(
        data.DISHES
    ):
        if not chain.scope.has_dish(code):
            continue
        menu_item = existing.get(code)
        if menu_item is None:
            menu_item = menu.create_menu_item(
                actor,
                code=code,
                name=name,
                name_en=name_en,
                menu_category_id=categories[category].pk,
                sort_order=n * 10,
                modifier_group_ids=[groups[g].pk for g in mods.split()],
            )
            chain.count("menu items")
        chain.menu_items[code] = menu_item
        if menu_item.pk not in dish_recipes:
            menu.define_recipe(
                actor,
                menu_item_id=menu_item.pk,
                effective_from=since,
                lines=recipe_lines(chain, lines),
            )
            chain.count("recipes")
        sell(code, pos, price, delivery)

    for n, (code, pos, name, name_en, price, delivery, parts) in enumerate(data.SET_MEALS):
        if not chain.scope.has_dish(code):
            continue
        menu_item = existing.get(code)
        if menu_item is None:
            menu_item = menu.create_menu_item(
                actor,
                code=code,
                name=name,
                name_en=name_en,
                kind=MenuItem.Kind.COMBO,
                menu_category_id=categories["SET"].pk,
                sort_order=n * 10,
                components=[
                    {"menu_item_id": chain.menu_items[part].pk, "quantity": Decimal(quantity)}
                    for part, quantity in parts
                ],
            )
            chain.count("menu items")
        chain.menu_items[code] = menu_item
        sell(code, pos, price, delivery)
