"""Writes of recipes (bills of materials) of menu items and prepared items, in dated versions."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from boh.catalog.models import Item
from boh.catalog.units import to_base
from boh.core.errors import BohError, conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.menu import errors
from boh.menu.models import PORTION, MenuItem, Recipe, RecipeLine, RecipeVersion
from boh.menu.selectors import business_today
from boh.menu.services.common import CleanLine, check_date, check_lines, is_id
from boh.org.access import Actor
from boh.org.roles import Perm

logger = logging.getLogger(__name__)

MAX_YIELD_QUANTITY = 10**12


def create_recipe(
    actor: Actor,
    *,
    menu_item_id: int | None = None,
    item_id: int | None = None,
    explode_when_sold: bool = False,
) -> Recipe:
    """Start the recipe of a menu item, or of a prepared item (kind "prepared")."""
    actor.require(Perm.MENU_MANAGE)
    check = Checker()
    menu_item, item = _check_output(actor, check, menu_item_id, item_id)
    if menu_item is not None and explode_when_sold:
        check.fail(
            "explode_when_sold",
            errors.NOT_PREPARED,
            _("Only a prepared item's recipe can be exploded when sold."),
        )
    check.raise_if_any()
    exists = Recipe.objects.filter(menu_item=menu_item) if menu_item else None
    if item is not None:
        exists = Recipe.objects.filter(item=item)
    if exists is not None and exists.exists():
        raise conflict(errors.RECIPE_EXISTS, _("This already has a recipe."))

    try:
        with transaction.atomic():
            recipe = Recipe.objects.create(
                organization=actor.organization,
                menu_item=menu_item,
                item=item,
                explode_when_sold=explode_when_sold,
            )
            record_audit(actor, AuditEntry.Action.CREATE, recipe)
    except IntegrityError:
        raise conflict(errors.RECIPE_EXISTS, _("This already has a recipe.")) from None
    return recipe


def _check_output(
    actor: Actor, check: Checker, menu_item_id: Any, item_id: Any
) -> tuple[MenuItem | None, Item | None]:
    menu_item = item = None
    if menu_item_id is not None:
        if is_id(menu_item_id):
            menu_item = MenuItem.objects.filter(
                organization=actor.organization, pk=menu_item_id
            ).first()
        if menu_item is None:
            check.fail("menu_item_id", "not_found", _("No such menu item."))
    if item_id is not None:
        if is_id(item_id):
            item = Item.objects.filter(organization=actor.organization, pk=item_id).first()
        if item is None:
            check.fail("item_id", "not_found", _("No such item."))
        elif item.kind != Item.Kind.PREPARED:
            check.fail(
                "item_id",
                errors.NOT_PREPARED,
                _("Only a prepared item (broth, sauce, dough) has a recipe."),
            )
    if (menu_item_id is None) == (item_id is None):
        check.fail("menu_item_id", "one_output", _("Give either a menu item or a prepared item."))
    return menu_item, item


def update_recipe(actor: Actor, recipe: Recipe, *, explode_when_sold: bool) -> Recipe:
    """Choose whether selling a dish depletes this prepared item or explodes its recipe."""
    actor.require(Perm.MENU_MANAGE)
    if recipe.item_id is None and explode_when_sold:
        raise validation_error(
            errors.NOT_PREPARED,
            _("Only a prepared item's recipe can be exploded when sold."),
            "explode_when_sold",
        )
    with transaction.atomic():
        before = snapshot(recipe)
        recipe.explode_when_sold = bool(explode_when_sold)
        recipe.save(update_fields=["explode_when_sold"])
        record_audit(actor, AuditEntry.Action.UPDATE, recipe, before=before)
    return recipe


def delete_recipe(actor: Actor, recipe: Recipe) -> None:
    """Remove a recipe with all its versions."""
    actor.require(Perm.MENU_MANAGE)
    with transaction.atomic():
        for version in recipe.versions.all():
            record_audit(actor, AuditEntry.Action.DELETE, version, before=snapshot(version))
        record_audit(actor, AuditEntry.Action.DELETE, recipe, before=snapshot(recipe))
        recipe.delete()


def _check_yield(
    check: Checker, output: Item | None, quantity: Any, unit: Any
) -> tuple[Any, str, Any]:
    number = check.decimal("yield_quantity", quantity, places=6, positive=True)
    if not check.has("yield_quantity") and number >= MAX_YIELD_QUANTITY:
        check.fail("yield_quantity", "too_large", _("This number is too large."))
    if output is None:
        text = check.text("yield_unit", unit or PORTION, max_length=20)
        if text != PORTION:
            check.fail("yield_unit", "invalid_choice", _("A dish's recipe yields portions."))
        return number, PORTION, number
    text = check.text("yield_unit", unit or output.base_unit, max_length=20)
    if check.has("yield_quantity") or check.has("yield_unit"):
        return number, text, None
    try:
        base = to_base(output, number, text, None, "yield_unit")
    except BohError as exc:
        for error in exc.fields:
            check.fail(error.field, error.code, error.message)
        return number, text, None
    if base == 0:
        check.fail(
            "yield_quantity",
            errors.QUANTITY_ROUNDS_TO_ZERO,
            _("This quantity is less than 0.001 %(unit)s.") % {"unit": output.base_unit},
        )
    return number, text, base


def check_cycles(actor: Actor, check: Checker, output: Item, lines: list[CleanLine]) -> None:
    """Refuse lines through which the prepared item would end up in its own recipe."""
    edges: dict[int, set[int]] = defaultdict(set)
    for parent, child in (
        RecipeLine.objects.filter(
            version__organization=actor.organization, version__recipe__item__isnull=False
        )
        .values_list("version__recipe__item_id", "item_id")
        .distinct()
    ):
        edges[parent].add(child)

    def path_back(start: int) -> list[int] | None:
        # Depth-first search from a line's item back to the output.
        stack: list[tuple[int, list[int]]] = [(start, [start])]
        seen: set[int] = set()
        while stack:
            node, path = stack.pop()
            if node == output.pk:
                return path
            if node in seen:
                continue
            seen.add(node)
            stack.extend((child, [*path, child]) for child in sorted(edges.get(node, ())))
        return None

    for index, line in enumerate(lines):
        path = path_back(line.item.pk)
        if path is None:
            continue
        ids = [output.pk, *path]
        names = dict(Item.objects.filter(pk__in=ids).values_list("pk", "name"))
        check.fail(
            f"lines[{index}].item_id",
            errors.RECIPE_CYCLE,
            _("This line would make the recipe use itself: %(cycle)s.")
            % {"cycle": " → ".join(names[i] for i in ids)},
        )


def create_recipe_version(
    actor: Actor,
    recipe: Recipe,
    *,
    effective_from: Any,
    lines: Sequence[Any],
    yield_quantity: Any = 1,
    yield_unit: str | None = None,
    note: str = "",
) -> RecipeVersion:
    """Put a new version of a recipe in force from a date; earlier versions keep their dates.

    Lines are entered in any unit of their item (g, kg, 斤, a pack) with a yield %; a line
    may be a prepared item with its own recipe, to any depth, but never back to itself.
    """
    actor.require(Perm.MENU_MANAGE)
    check = Checker()
    start = check_date(check, "effective_from", effective_from)
    output = recipe.item
    number, unit, base = _check_yield(check, output, yield_quantity, yield_unit)
    note = check.text("note", note, max_length=500, required=False)
    clean_lines = check_lines(actor, check, lines)
    if not lines:
        check.fail("lines", "required", _("A recipe needs at least one line."))
    if output is not None and clean_lines:
        check_cycles(actor, check, output, clean_lines)
    check.raise_if_any()
    assert start is not None
    duplicate = conflict(
        errors.DUPLICATE_VERSION,
        _("A version of this recipe already starts on this date."),
        "effective_from",
    )
    if recipe.versions.filter(effective_from=start).exists():
        raise duplicate

    try:
        with transaction.atomic():
            version = RecipeVersion.objects.create(
                organization=actor.organization,
                recipe=recipe,
                effective_from=start,
                yield_quantity=number,
                yield_unit=unit,
                yield_base_quantity=base,
                note=note,
                created_by_user_id=actor.user_id,
            )
            RecipeLine.objects.bulk_create(
                RecipeLine(
                    version=version,
                    item=line.item,
                    quantity=line.quantity,
                    unit=line.unit,
                    base_quantity=line.base_quantity,
                    yield_pct=line.yield_pct,
                    sort_order=n,
                )
                for n, line in enumerate(clean_lines)
            )
            record_audit(
                actor,
                AuditEntry.Action.CREATE,
                version,
                after={
                    **snapshot(version),
                    "lines": [
                        [x.item.pk, str(x.quantity), x.unit, str(x.base_quantity), str(x.yield_pct)]
                        for x in clean_lines
                    ],
                },
            )
            emit_event(
                "menu.recipe_version_created",
                {
                    "recipe_id": recipe.pk,
                    "version_id": version.pk,
                    "menu_item_id": recipe.menu_item_id,
                    "item_id": recipe.item_id,
                    "effective_from": start,
                },
                organization_id=actor.organization_id,
                actor=actor,
            )
    except IntegrityError:
        raise duplicate from None
    logger.info("recipe %s: version from %s with %d lines", recipe.pk, start, len(clean_lines))
    return version


def delete_recipe_version(actor: Actor, version: RecipeVersion) -> None:
    """Withdraw a version that has not yet come into force."""
    actor.require(Perm.MENU_MANAGE)
    if version.effective_from <= business_today(actor.organization):
        raise conflict(
            errors.VERSION_IN_USE,
            _("This version is already in force; put a new version in force instead."),
        )
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, version, before=snapshot(version))
        version.delete()


def define_recipe(
    actor: Actor,
    *,
    menu_item_id: int | None = None,
    item_id: int | None = None,
    effective_from: Any,
    lines: Sequence[Any],
    yield_quantity: Any = 1,
    yield_unit: str | None = None,
    explode_when_sold: bool | None = None,
    note: str = "",
) -> RecipeVersion:
    """Add a recipe version, starting the recipe first if the output has none yet."""
    actor.require(Perm.MENU_MANAGE)
    with transaction.atomic():
        recipe = None
        if is_id(menu_item_id) and item_id is None:
            recipe = Recipe.objects.filter(
                organization=actor.organization, menu_item_id=menu_item_id
            ).first()
        elif is_id(item_id) and menu_item_id is None:
            recipe = Recipe.objects.filter(organization=actor.organization, item_id=item_id).first()
        if recipe is None:
            recipe = create_recipe(
                actor,
                menu_item_id=menu_item_id,
                item_id=item_id,
                explode_when_sold=bool(explode_when_sold),
            )
        elif explode_when_sold is not None and explode_when_sold != recipe.explode_when_sold:
            recipe = update_recipe(actor, recipe, explode_when_sold=explode_when_sold)
        return create_recipe_version(
            actor,
            recipe,
            effective_from=effective_from,
            lines=lines,
            yield_quantity=yield_quantity,
            yield_unit=yield_unit,
            note=note,
        )
