"""HTTP operations of the menu module: parse, call a service or selector, return."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from boh.core.errors import collect
from boh.core.schemas import ERRORS, ObjId, Pages
from boh.menu import costing, selectors, services
from boh.menu.allergens import allergens_of
from boh.menu.explosion import SoldLine, explode_detailed
from boh.menu.models import (
    MenuCategory,
    MenuItem,
    MenuPrice,
    MenuSettings,
    ModifierGroup,
    ModifierOption,
    PosCode,
    Recipe,
    RecipeVersion,
    StandardCost,
)
from boh.menu.schemas import (
    MenuAllergensOut,
    MenuCategoryIn,
    MenuCategoryOut,
    MenuCategoryPatch,
    MenuCostMoverOut,
    MenuCostMoverQuery,
    MenuCostOut,
    MenuCostQuery,
    MenuExplodeIn,
    MenuExplodeOut,
    MenuItemIn,
    MenuItemOut,
    MenuItemPatch,
    MenuModifierGroupIn,
    MenuModifierGroupOut,
    MenuModifierGroupPatch,
    MenuOptionIn,
    MenuOptionOut,
    MenuOptionPatch,
    MenuPosCodeIn,
    MenuPosCodeOut,
    MenuPriceIn,
    MenuPriceOut,
    MenuPricePatch,
    MenuRecipeIn,
    MenuRecipeOut,
    MenuRecipePatch,
    MenuSettingsOut,
    MenuSettingsPatch,
    MenuStandardCostIn,
    MenuStandardCostOut,
    MenuVersionIn,
    MenuVersionOut,
)
from boh.org.access import Actor
from boh.org.access import request_actor as _actor
from boh.org.models import Location
from boh.org.roles import Perm

router = Router(tags=["menu"])
VIEW = selectors.VIEW


def _set(payload: Schema) -> dict[str, Any]:
    return payload.model_dump(exclude_unset=True)


def _item(actor: Actor, menu_item_id: int) -> MenuItem:
    return actor.get(
        MenuItem.objects.prefetch_related("modifier_groups", "components"), menu_item_id, VIEW
    )


# Menu categories


class MenuCategoryFilter(Schema):
    parent_id: ObjId | None = None
    active: bool | None = None


@router.get("/categories", response={200: list[MenuCategoryOut], **ERRORS})
@paginate(Pages)
def list_categories(request: HttpRequest, filters: Query[MenuCategoryFilter]) -> Any:
    """Menu categories in menu order."""
    qs = selectors.menu_categories(_actor(request))
    if filters.parent_id is not None:
        qs = qs.filter(parent_id=filters.parent_id)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return qs


@router.post("/categories", response={201: MenuCategoryOut, **ERRORS})
def create_category(request: HttpRequest, payload: MenuCategoryIn) -> Any:
    """Add a menu category, at the top or under another one."""
    return Status(201, services.create_menu_category(_actor(request), **payload.model_dump()))


@router.get("/categories/{menu_category_id}", response={200: MenuCategoryOut, **ERRORS})
def get_category(request: HttpRequest, menu_category_id: ObjId) -> Any:
    """One menu category."""
    return _actor(request).get(MenuCategory.objects.all(), menu_category_id, VIEW)


@router.patch("/categories/{menu_category_id}", response={200: MenuCategoryOut, **ERRORS})
def patch_category(
    request: HttpRequest, menu_category_id: ObjId, payload: MenuCategoryPatch
) -> Any:
    """Rename, reorder, move or deactivate a menu category."""
    actor = _actor(request)
    category = actor.get(MenuCategory.objects.all(), menu_category_id, VIEW)
    return services.update_menu_category(actor, category, **_set(payload))


@router.delete("/categories/{menu_category_id}", response={204: None, **ERRORS})
def delete_category(request: HttpRequest, menu_category_id: ObjId) -> Any:
    """Remove an empty menu category."""
    actor = _actor(request)
    category = actor.get(MenuCategory.objects.all(), menu_category_id, VIEW)
    services.delete_menu_category(actor, category)
    return Status(204, None)


# Menu items


class MenuItemFilter(Schema):
    menu_category_id: ObjId | None = None
    kind: str | None = None
    active: bool | None = None
    q: str | None = None


@router.get("/items", response={200: list[MenuItemOut], **ERRORS})
@paginate(Pages)
def list_items(request: HttpRequest, filters: Query[MenuItemFilter]) -> Any:
    """Menu items in menu order; filter by category, kind, active or a word in code or name."""
    return selectors.menu_items(
        _actor(request),
        category_id=filters.menu_category_id,
        kind=filters.kind,
        active=filters.active,
        q=filters.q,
    ).prefetch_related("modifier_groups", "components")


@router.post("/items", response={201: MenuItemOut, **ERRORS})
def create_item(request: HttpRequest, payload: MenuItemIn) -> Any:
    """Add a dish or a set meal (kind "combo" with components)."""
    actor = _actor(request)
    menu_item = services.create_menu_item(actor, **payload.model_dump())
    return Status(201, _item(actor, menu_item.pk))


@router.get("/items/{menu_item_id}", response={200: MenuItemOut, **ERRORS})
def get_item(request: HttpRequest, menu_item_id: ObjId) -> Any:
    """One menu item with its modifier groups and set-meal components."""
    return _item(_actor(request), menu_item_id)


@router.patch("/items/{menu_item_id}", response={200: MenuItemOut, **ERRORS})
def patch_item(request: HttpRequest, menu_item_id: ObjId, payload: MenuItemPatch) -> Any:
    """Change a menu item; modifier_group_ids and components, when given, replace the lists."""
    actor = _actor(request)
    services.update_menu_item(actor, _item(actor, menu_item_id), **_set(payload))
    return _item(actor, menu_item_id)


@router.delete("/items/{menu_item_id}", response={204: None, **ERRORS})
def delete_item(request: HttpRequest, menu_item_id: ObjId) -> Any:
    """Remove a menu item with its prices, POS codes and recipe."""
    actor = _actor(request)
    services.delete_menu_item(actor, _item(actor, menu_item_id))
    return Status(204, None)


# Prices


@router.get("/items/{menu_item_id}/prices", response={200: list[MenuPriceOut], **ERRORS})
@paginate(Pages)
def list_prices(request: HttpRequest, menu_item_id: ObjId) -> Any:
    """A menu item's price rows per channel and location, newest first."""
    actor = _actor(request)
    return selectors.prices(actor, _item(actor, menu_item_id))


@router.post("/items/{menu_item_id}/prices", response={201: MenuPriceOut, **ERRORS})
def create_price(request: HttpRequest, menu_item_id: ObjId, payload: MenuPriceIn) -> Any:
    """Set a price on a channel from a date, at one location or (no location) everywhere."""
    actor = _actor(request)
    return Status(
        201, services.create_price(actor, _item(actor, menu_item_id), **payload.model_dump())
    )


@router.get("/prices/{price_id}", response={200: MenuPriceOut, **ERRORS})
def get_price(request: HttpRequest, price_id: ObjId) -> Any:
    """One price row."""
    return _actor(request).get(MenuPrice.objects.all(), price_id, VIEW)


@router.patch("/prices/{price_id}", response={200: MenuPriceOut, **ERRORS})
def patch_price(request: HttpRequest, price_id: ObjId, payload: MenuPricePatch) -> Any:
    """Change a price row's amount or dates."""
    actor = _actor(request)
    row = actor.get(MenuPrice.objects.all(), price_id, VIEW)
    return services.update_price(actor, row, **_set(payload))


@router.delete("/prices/{price_id}", response={204: None, **ERRORS})
def delete_price(request: HttpRequest, price_id: ObjId) -> Any:
    """Remove a price row."""
    actor = _actor(request)
    services.delete_price(actor, actor.get(MenuPrice.objects.all(), price_id, VIEW))
    return Status(204, None)


# POS codes


class MenuPosCodeFilter(Schema):
    source: str | None = None
    menu_item_id: ObjId | None = None
    option_id: ObjId | None = None


@router.get("/pos-codes", response={200: list[MenuPosCodeOut], **ERRORS})
@paginate(Pages)
def list_pos_codes(request: HttpRequest, filters: Query[MenuPosCodeFilter]) -> Any:
    """POS codes by source and code; filter by source, menu item or option."""
    return selectors.pos_codes(
        _actor(request),
        source=filters.source,
        menu_item_id=filters.menu_item_id,
        option_id=filters.option_id,
    )


@router.post("/pos-codes", response={201: MenuPosCodeOut, **ERRORS})
def create_pos_code(request: HttpRequest, payload: MenuPosCodeIn) -> Any:
    """Map a POS code (PLU, SKU, platform id) of a source to a menu item or an option."""
    return Status(201, services.create_pos_code(_actor(request), **payload.model_dump()))


@router.get("/pos-codes/{pos_code_id}", response={200: MenuPosCodeOut, **ERRORS})
def get_pos_code(request: HttpRequest, pos_code_id: ObjId) -> Any:
    """One POS code."""
    return _actor(request).get(PosCode.objects.all(), pos_code_id, VIEW)


@router.delete("/pos-codes/{pos_code_id}", response={204: None, **ERRORS})
def delete_pos_code(request: HttpRequest, pos_code_id: ObjId) -> Any:
    """Stop recognising a POS code."""
    actor = _actor(request)
    services.delete_pos_code(actor, actor.get(PosCode.objects.all(), pos_code_id, VIEW))
    return Status(204, None)


# Modifier groups and options


@router.get("/modifier-groups", response={200: list[MenuModifierGroupOut], **ERRORS})
@paginate(Pages)
def list_modifier_groups(request: HttpRequest) -> Any:
    """Modifier groups in menu order."""
    return selectors.modifier_groups(_actor(request))


@router.post("/modifier-groups", response={201: MenuModifierGroupOut, **ERRORS})
def create_modifier_group(request: HttpRequest, payload: MenuModifierGroupIn) -> Any:
    """Add a modifier group (size, spice level, add-ons, removals)."""
    return Status(201, services.create_modifier_group(_actor(request), **payload.model_dump()))


@router.get("/modifier-groups/{modifier_group_id}", response={200: MenuModifierGroupOut, **ERRORS})
def get_modifier_group(request: HttpRequest, modifier_group_id: ObjId) -> Any:
    """One modifier group."""
    return _actor(request).get(ModifierGroup.objects.all(), modifier_group_id, VIEW)


@router.patch(
    "/modifier-groups/{modifier_group_id}", response={200: MenuModifierGroupOut, **ERRORS}
)
def patch_modifier_group(
    request: HttpRequest, modifier_group_id: ObjId, payload: MenuModifierGroupPatch
) -> Any:
    """Rename a modifier group or change how many options a guest picks."""
    actor = _actor(request)
    group = actor.get(ModifierGroup.objects.all(), modifier_group_id, VIEW)
    return services.update_modifier_group(actor, group, **_set(payload))


@router.delete("/modifier-groups/{modifier_group_id}", response={204: None, **ERRORS})
def delete_modifier_group(request: HttpRequest, modifier_group_id: ObjId) -> Any:
    """Remove a modifier group with its options."""
    actor = _actor(request)
    group = actor.get(ModifierGroup.objects.all(), modifier_group_id, VIEW)
    services.delete_modifier_group(actor, group)
    return Status(204, None)


@router.get(
    "/modifier-groups/{modifier_group_id}/options", response={200: list[MenuOptionOut], **ERRORS}
)
@paginate(Pages)
def list_options(request: HttpRequest, modifier_group_id: ObjId) -> Any:
    """Options of a modifier group with their recipe-change lines."""
    actor = _actor(request)
    group = actor.get(ModifierGroup.objects.all(), modifier_group_id, VIEW)
    return selectors.modifier_options(actor, group)


@router.post(
    "/modifier-groups/{modifier_group_id}/options", response={201: MenuOptionOut, **ERRORS}
)
def create_option(request: HttpRequest, modifier_group_id: ObjId, payload: MenuOptionIn) -> Any:
    """Add an option with its price change, recipe multiplier and signed delta lines."""
    actor = _actor(request)
    group = actor.get(ModifierGroup.objects.all(), modifier_group_id, VIEW)
    return Status(201, services.create_modifier_option(actor, group, **payload.model_dump()))


@router.get("/modifier-options/{option_id}", response={200: MenuOptionOut, **ERRORS})
def get_option(request: HttpRequest, option_id: ObjId) -> Any:
    """One modifier option with its recipe-change lines."""
    return _actor(request).get(ModifierOption.objects.all(), option_id, VIEW)


@router.patch("/modifier-options/{option_id}", response={200: MenuOptionOut, **ERRORS})
def patch_option(request: HttpRequest, option_id: ObjId, payload: MenuOptionPatch) -> Any:
    """Change an option; lines, when given, replace all its delta lines."""
    actor = _actor(request)
    option = actor.get(ModifierOption.objects.all(), option_id, VIEW)
    return services.update_modifier_option(actor, option, **_set(payload))


@router.delete("/modifier-options/{option_id}", response={204: None, **ERRORS})
def delete_option(request: HttpRequest, option_id: ObjId) -> Any:
    """Remove a modifier option with its POS codes."""
    actor = _actor(request)
    services.delete_modifier_option(actor, actor.get(ModifierOption.objects.all(), option_id, VIEW))
    return Status(204, None)


# Recipes and versions


class MenuRecipeFilter(Schema):
    menu_item_id: ObjId | None = None
    item_id: ObjId | None = None


@router.get("/recipes", response={200: list[MenuRecipeOut], **ERRORS})
@paginate(Pages)
def list_recipes(request: HttpRequest, filters: Query[MenuRecipeFilter]) -> Any:
    """Recipes of menu items and prepared items."""
    return selectors.recipes(
        _actor(request), menu_item_id=filters.menu_item_id, item_id=filters.item_id
    )


@router.post("/recipes", response={201: MenuRecipeOut, **ERRORS})
def create_recipe(request: HttpRequest, payload: MenuRecipeIn) -> Any:
    """Start the recipe of a menu item or of a prepared item."""
    return Status(201, services.create_recipe(_actor(request), **payload.model_dump()))


@router.get("/recipes/{recipe_id}", response={200: MenuRecipeOut, **ERRORS})
def get_recipe(request: HttpRequest, recipe_id: ObjId) -> Any:
    """One recipe."""
    return _actor(request).get(Recipe.objects.all(), recipe_id, VIEW)


@router.patch("/recipes/{recipe_id}", response={200: MenuRecipeOut, **ERRORS})
def patch_recipe(request: HttpRequest, recipe_id: ObjId, payload: MenuRecipePatch) -> Any:
    """Choose whether selling depletes the prepared item or explodes its recipe."""
    actor = _actor(request)
    recipe = actor.get(Recipe.objects.all(), recipe_id, VIEW)
    return services.update_recipe(actor, recipe, explode_when_sold=payload.explode_when_sold)


@router.delete("/recipes/{recipe_id}", response={204: None, **ERRORS})
def delete_recipe(request: HttpRequest, recipe_id: ObjId) -> Any:
    """Remove a recipe with all its versions."""
    actor = _actor(request)
    services.delete_recipe(actor, actor.get(Recipe.objects.all(), recipe_id, VIEW))
    return Status(204, None)


@router.get("/recipes/{recipe_id}/versions", response={200: list[MenuVersionOut], **ERRORS})
@paginate(Pages)
def list_versions(request: HttpRequest, recipe_id: ObjId) -> Any:
    """A recipe's versions, newest first, with their lines."""
    actor = _actor(request)
    return selectors.recipe_versions(actor.get(Recipe.objects.all(), recipe_id, VIEW))


@router.post("/recipes/{recipe_id}/versions", response={201: MenuVersionOut, **ERRORS})
def create_version(request: HttpRequest, recipe_id: ObjId, payload: MenuVersionIn) -> Any:
    """Put a new version of the recipe in force from a date."""
    actor = _actor(request)
    recipe = actor.get(Recipe.objects.all(), recipe_id, VIEW)
    return Status(201, services.create_recipe_version(actor, recipe, **payload.model_dump()))


def _version(actor: Actor, recipe_id: int, version_id: int) -> RecipeVersion:
    recipe = actor.get(Recipe.objects.all(), recipe_id, VIEW)
    return actor.get(RecipeVersion.objects.filter(recipe=recipe), version_id, VIEW)


@router.get("/recipes/{recipe_id}/versions/{version_id}", response={200: MenuVersionOut, **ERRORS})
def get_version(request: HttpRequest, recipe_id: ObjId, version_id: ObjId) -> Any:
    """One recipe version with its lines."""
    return _version(_actor(request), recipe_id, version_id)


@router.delete("/recipes/{recipe_id}/versions/{version_id}", response={204: None, **ERRORS})
def delete_version(request: HttpRequest, recipe_id: ObjId, version_id: ObjId) -> Any:
    """Withdraw a version that has not come into force yet."""
    actor = _actor(request)
    services.delete_recipe_version(actor, _version(actor, recipe_id, version_id))
    return Status(204, None)


# Costing


def _cost_location(actor: Actor, location_id: int | None) -> None:
    if location_id is not None:
        actor.get(Location.objects.all(), location_id, Perm.STOCK_VIEW, "id")
    else:
        actor.require(Perm.STOCK_VIEW)


@router.get("/items/{menu_item_id}/cost", response={200: MenuCostOut, **ERRORS})
def get_cost(request: HttpRequest, menu_item_id: ObjId, filters: Query[MenuCostQuery]) -> Any:
    """Portion cost at a location (none: standard costs), food-cost % and margin per price."""
    actor = _actor(request)
    menu_item = _item(actor, menu_item_id)
    _cost_location(actor, filters.location_id)
    on = filters.on or selectors.business_today(actor.organization)
    portion = costing.recipe_cost(
        actor.organization_id, menu_item, location_id=filters.location_id, on=on
    )
    allergens = allergens_of(actor.organization_id, [menu_item.pk], on)[menu_item.pk]
    body: dict[str, Any] = {
        "menu_item_id": menu_item.pk,
        "location_id": filters.location_id,
        "on": on,
        "version_id": None,
        "cost": Decimal(0),
        "complete": False,
        "missing_item_ids": [],
        "lines": [],
        "prices": [],
        "allergens": allergens,
    }
    if portion is None:
        return body
    body.update(
        version_id=portion.version_id,
        cost=portion.cost,
        complete=portion.complete,
        missing_item_ids=sorted(portion.missing_item_ids),
        lines=[
            {
                "line_id": lc.line.pk,
                "item_id": lc.line.item_id,
                "item_code": lc.line.item.code,
                "item_name": lc.line.item.name,
                "quantity": lc.line.quantity,
                "unit": lc.line.unit,
                "base_quantity": lc.line.base_quantity,
                "yield_pct": lc.line.yield_pct,
                "gross_quantity": lc.gross_quantity,
                "cost": lc.cost,
                "complete": lc.complete,
            }
            for lc in portion.lines
        ],
        prices=[vars(p) for p in portion.prices],
    )
    return body


@router.get("/items/{menu_item_id}/allergens", response={200: MenuAllergensOut, **ERRORS})
def get_allergens(request: HttpRequest, menu_item_id: ObjId, filters: Query[MenuCostQuery]) -> Any:
    """Allergens of a menu item, rolled up from every item of its recipe and sub-recipes."""
    actor = _actor(request)
    menu_item = _item(actor, menu_item_id)
    on = filters.on or selectors.business_today(actor.organization)
    codes = allergens_of(actor.organization_id, [menu_item.pk], on)[menu_item.pk]
    return {"menu_item_id": menu_item.pk, "on": on, "allergens": codes}


@router.get("/cost-movers", response={200: list[MenuCostMoverOut], **ERRORS})
def list_cost_movers(request: HttpRequest, filters: Query[MenuCostMoverQuery]) -> Any:
    """Dishes whose portion cost moved at least `threshold` % in `days` days, and why."""
    actor = _actor(request)
    _cost_location(actor, filters.location_id)
    movers = costing.cost_movers(
        actor.organization_id,
        location_id=filters.location_id,
        days=filters.days,
        threshold_pct=filters.threshold,
        today=selectors.business_today(actor.organization),
    )
    return [
        {
            "menu_item_id": m.menu_item.pk,
            "code": m.menu_item.code,
            "name": m.menu_item.name,
            "location_id": m.location_id,
            "old_on": m.old_on,
            "new_on": m.new_on,
            "old_cost": m.old_cost,
            "new_cost": m.new_cost,
            "change": m.change,
            "change_pct": m.change_pct,
            "item_id": m.item.pk if m.item else None,
            "item_code": m.item.code if m.item else "",
            "item_name": m.item.name if m.item else "",
            "item_old_cost": m.item_old_cost,
            "item_new_cost": m.item_new_cost,
        }
        for m in movers
    ]


@router.get("/settings", response={200: MenuSettingsOut, **ERRORS})
def get_settings(request: HttpRequest) -> Any:
    """The organization's recipe-costing settings and the cost bases on offer."""
    actor = _actor(request)
    actor.require(VIEW)
    return {
        "cost_basis": costing.cost_basis_of(actor.organization_id),
        "cost_bases": sorted(costing.COST_BASES),
    }


@router.patch("/settings", response={200: MenuSettingsOut, **ERRORS})
def patch_settings(request: HttpRequest, payload: MenuSettingsPatch) -> Any:
    """Choose the cost basis of recipe costing."""
    actor = _actor(request)
    settings: MenuSettings = services.set_cost_basis(actor, payload.cost_basis)
    return {"cost_basis": settings.cost_basis, "cost_bases": sorted(costing.COST_BASES)}


@router.get("/standard-costs", response={200: list[MenuStandardCostOut], **ERRORS})
@paginate(Pages)
def list_standard_costs(request: HttpRequest) -> Any:
    """Standard costs per base unit, the fallback of recipe costing."""
    actor = _actor(request)
    return actor.scope(StandardCost.objects.all(), Perm.STOCK_VIEW).order_by("item_id")


@router.post("/standard-costs", response={200: MenuStandardCostOut | None, **ERRORS})
def set_standard_cost(request: HttpRequest, payload: MenuStandardCostIn) -> Any:
    """Set an item's standard cost per `unit` (default its base unit); null clears it."""
    return services.set_standard_cost(_actor(request), **payload.model_dump())


@router.post("/explode", response={200: MenuExplodeOut, **ERRORS})
def explode_lines(request: HttpRequest, payload: MenuExplodeIn) -> Any:
    """Item quantities (base units) that sold lines deplete by the recipes of a business date."""
    lines = [
        SoldLine(
            menu_item_id=line.menu_item_id,
            quantity=line.quantity,
            option_ids=tuple(line.option_ids),
            components=None
            if line.components is None
            else tuple(
                SoldLine(c.menu_item_id, c.quantity, tuple(c.option_ids)) for c in line.components
            ),
        )
        for line in payload.lines
    ]
    result = explode_detailed(_actor(request), lines, payload.business_date)
    if result.errors:
        raise collect(result.errors, _("Some sold lines cannot be exploded."))
    return {
        "items": [{"item_id": k, "quantity": v} for k, v in sorted(result.totals.items())],
        "without_recipe": sorted(result.without_recipe),
    }
