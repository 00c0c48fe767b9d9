"""Reads of the menu module, scoped to the actor's organization."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from boh.menu.models import (
    MenuCategory,
    MenuItem,
    MenuPrice,
    ModifierGroup,
    ModifierOption,
    PosCode,
    Recipe,
    RecipeVersion,
)
from boh.org.access import Actor
from boh.org.models import Organization
from boh.org.roles import Perm

# Menus are read by everyone who may read the catalog: store staff need them too.
VIEW = Perm.CATALOG_VIEW


def business_today(organization: Organization) -> dt.date:
    """Today's date in the organization's time zone."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(organization.time_zone))


def menu_categories(actor: Actor) -> QuerySet[MenuCategory]:
    """Menu sections of the actor's organization, in menu order."""
    return actor.scope(MenuCategory.objects.all(), VIEW).order_by("sort_order", "code")


def menu_items(
    actor: Actor,
    *,
    category_id: int | None = None,
    kind: str | None = None,
    active: bool | None = None,
    q: str | None = None,
) -> QuerySet[MenuItem]:
    """Menu items of the actor's organization, filtered, in menu order."""
    qs = actor.scope(MenuItem.objects.select_related("category"), VIEW)
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(name_en__icontains=q))
    return qs.order_by("sort_order", "code")


def menu_item(actor: Actor, menu_item_id: object) -> MenuItem:
    """One menu item of the actor's organization, or 404."""
    return actor.get(MenuItem.objects.select_related("category"), menu_item_id, VIEW)


def prices(actor: Actor, menu_item: MenuItem | None = None) -> QuerySet[MenuPrice]:
    """Price rows, of one menu item or all, newest first per channel."""
    qs = actor.scope(MenuPrice.objects.select_related("location"), VIEW)
    if menu_item is not None:
        qs = qs.filter(menu_item=menu_item)
    return qs.order_by("menu_item_id", "channel", "location_id", "-effective_from", "id")


def prices_in_force(
    organization_id: int,
    menu_item_ids: Iterable[int],
    *,
    location_id: int | None,
    on: dt.date,
) -> dict[tuple[int, str], MenuPrice]:
    """The price of each (menu item, channel) at a location (None: the default) on a date.

    A location's own row beats the default row; among rows in force the latest start wins.
    """
    rows = MenuPrice.objects.filter(
        organization_id=organization_id,
        menu_item_id__in=list(menu_item_ids),
        effective_from__lte=on,
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    if location_id is None:
        rows = rows.filter(location__isnull=True)
    else:
        rows = rows.filter(Q(location__isnull=True) | Q(location_id=location_id))
    best: dict[tuple[int, str], MenuPrice] = {}
    for row in rows:
        key = (row.menu_item_id, row.channel)
        current = best.get(key)
        rank = (row.location_id is not None, row.effective_from, row.pk)
        if current is None or rank > (
            current.location_id is not None,
            current.effective_from,
            current.pk,
        ):
            best[key] = row
    return best


def pos_codes(
    actor: Actor,
    *,
    source: str | None = None,
    menu_item_id: int | None = None,
    option_id: int | None = None,
) -> QuerySet[PosCode]:
    """POS codes of the actor's organization, by source and code."""
    qs = actor.scope(PosCode.objects.all(), VIEW)
    if source:
        qs = qs.filter(source=source.lower())
    if menu_item_id is not None:
        qs = qs.filter(menu_item_id=menu_item_id)
    if option_id is not None:
        qs = qs.filter(option_id=option_id)
    return qs.order_by("source", "code")


def resolve_pos_codes(
    organization_id: int, source: str, codes: Iterable[str]
) -> dict[str, tuple[int | None, int | None]]:
    """(menu_item_id, option_id) of each known code of a POS source, in one query."""
    rows = PosCode.objects.filter(
        organization_id=organization_id, source=source.lower(), code__in=set(codes)
    ).values_list("code", "menu_item_id", "option_id")
    return {code: (menu_item_id, option_id) for code, menu_item_id, option_id in rows}


def modifier_groups(actor: Actor) -> QuerySet[ModifierGroup]:
    """Modifier groups of the actor's organization, in menu order."""
    return actor.scope(ModifierGroup.objects.all(), VIEW).order_by("sort_order", "code")


def modifier_options(actor: Actor, group: ModifierGroup) -> QuerySet[ModifierOption]:
    """Options of a modifier group, with their recipe-change lines."""
    return (
        actor.scope(ModifierOption.objects.filter(group=group), VIEW)
        .prefetch_related("lines__item")
        .order_by("sort_order", "code")
    )


def recipes(
    actor: Actor, *, menu_item_id: int | None = None, item_id: int | None = None
) -> QuerySet[Recipe]:
    """Recipes of the actor's organization, of menu items and prepared items."""
    qs = actor.scope(Recipe.objects.select_related("menu_item", "item"), VIEW)
    if menu_item_id is not None:
        qs = qs.filter(menu_item_id=menu_item_id)
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    return qs.order_by("id")


def recipe_versions(recipe: Recipe) -> QuerySet[RecipeVersion]:
    """A recipe's versions, newest first, with their lines."""
    return recipe.versions.prefetch_related("lines__item").order_by("-effective_from")


def recipe_for(menu_item: MenuItem, business_date: dt.date) -> RecipeVersion | None:
    """The version of a menu item's recipe in force on a business date, if any."""
    return (
        RecipeVersion.objects.filter(recipe__menu_item=menu_item, effective_from__lte=business_date)
        .prefetch_related("lines__item")
        .order_by("-effective_from")
        .first()
    )


def version_in_force(recipe: Recipe, business_date: dt.date) -> RecipeVersion | None:
    """The version of any recipe in force on a business date, if any."""
    return (
        recipe.versions.filter(effective_from__lte=business_date)
        .prefetch_related("lines__item")
        .order_by("-effective_from")
        .first()
    )
