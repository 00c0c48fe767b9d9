"""Writes of the menu structure: menu categories, menu items and set-meal components."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from boh.core.errors import conflict
from boh.core.models import AuditEntry
from boh.core.numbers import QTY_PLACES
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.menu import errors
from boh.menu.models import (
    ComboComponent,
    MenuCategory,
    MenuItem,
    MenuItemModifierGroup,
    ModifierGroup,
)
from boh.menu.services.common import (
    check_sort_order,
    duplicate_code,
    is_id,
    refuse_unknown,
)
from boh.org.access import Actor
from boh.org.roles import Perm

logger = logging.getLogger(__name__)

CATEGORY_FIELDS = {"code", "name", "name_en", "parent_id", "sort_order", "is_active"}
ITEM_FIELDS = {
    "code",
    "name",
    "name_en",
    "kind",
    "menu_category_id",
    "sort_order",
    "is_active",
    "modifier_group_ids",
    "components",
}


# Menu categories


def _check_category_values(
    actor: Actor, values: Mapping[str, Any], check: Checker, category: MenuCategory | None
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "code" in values:
        clean["code"] = check.code("code", values["code"])
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=200)
    if "name_en" in values:
        clean["name_en"] = check.text("name_en", values["name_en"], max_length=200, required=False)
    if "sort_order" in values:
        clean["sort_order"] = check_sort_order(check, values["sort_order"])
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    if "parent_id" in values:
        parent_id = values["parent_id"]
        clean["parent_id"] = parent_id
        if parent_id is not None:
            parents = dict(
                MenuCategory.objects.filter(organization=actor.organization).values_list(
                    "id", "parent_id"
                )
            )
            if not is_id(parent_id) or parent_id not in parents:
                check.fail("parent_id", "not_found", _("No such menu category."))
            elif category is not None:
                node: int | None = parent_id
                while node is not None:
                    if node == category.pk:
                        check.fail(
                            "parent_id",
                            errors.CATEGORY_CYCLE,
                            _("A category cannot be moved under itself or its own sub-categories."),
                        )
                        break
                    node = parents.get(node)
    return clean


def create_menu_category(
    actor: Actor,
    *,
    code: str,
    name: str,
    name_en: str = "",
    parent_id: int | None = None,
    sort_order: int = 0,
) -> MenuCategory:
    """Add a section to the menu, at the top or under another section."""
    actor.require(Perm.MENU_MANAGE)
    check = Checker()
    values = {
        "code": code,
        "name": name,
        "name_en": name_en,
        "parent_id": parent_id,
        "sort_order": sort_order,
    }
    clean = _check_category_values(actor, values, check, None)
    check.raise_if_any()
    if MenuCategory.objects.filter(
        organization=actor.organization, code__iexact=clean["code"]
    ).exists():
        raise duplicate_code()

    try:
        with transaction.atomic():
            category = MenuCategory.objects.create(organization=actor.organization, **clean)
            record_audit(actor, AuditEntry.Action.CREATE, category)
    except IntegrityError:
        raise duplicate_code() from None
    return category


def update_menu_category(actor: Actor, category: MenuCategory, **values: Any) -> MenuCategory:
    """Rename, reorder, move or deactivate a menu section."""
    actor.require(Perm.MENU_MANAGE)
    refuse_unknown(values, CATEGORY_FIELDS)
    check = Checker()
    clean = _check_category_values(actor, values, check, category)
    check.raise_if_any()
    if (
        "code" in clean
        and MenuCategory.objects.filter(organization=actor.organization, code__iexact=clean["code"])
        .exclude(pk=category.pk)
        .exists()
    ):
        raise duplicate_code()

    try:
        with transaction.atomic():
            before = snapshot(category)
            for key, value in clean.items():
                setattr(category, key, value)
            category.save()
            record_audit(actor, AuditEntry.Action.UPDATE, category, before=before)
    except IntegrityError:
        raise duplicate_code() from None
    return category


def delete_menu_category(actor: Actor, category: MenuCategory) -> None:
    """Remove an empty menu section: no sub-sections and no menu items."""
    actor.require(Perm.MENU_MANAGE)
    if category.children.exists() or category.items.exists():
        raise conflict(errors.IN_USE, _("This category still has sub-categories or menu items."))
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, category, before=snapshot(category))
        category.delete()


# Menu items


def _check_item_values(actor: Actor, values: Mapping[str, Any], check: Checker) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "code" in values:
        clean["code"] = check.code("code", values["code"])
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=200)
    if "name_en" in values:
        clean["name_en"] = check.text("name_en", values["name_en"], max_length=200, required=False)
    if "kind" in values:
        clean["kind"] = check.choice("kind", values["kind"], set(MenuItem.Kind.values))
    if "sort_order" in values:
        clean["sort_order"] = check_sort_order(check, values["sort_order"])
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    if "menu_category_id" in values:
        category_id = values["menu_category_id"]
        if category_id is not None and (
            not is_id(category_id)
            or not MenuCategory.objects.filter(
                organization=actor.organization, pk=category_id
            ).exists()
        ):
            check.fail("menu_category_id", "not_found", _("No such menu category."))
        clean["category_id"] = category_id
    return clean


def _check_group_ids(actor: Actor, check: Checker, value: Any) -> list[int]:
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        check.fail("modifier_group_ids", "invalid_list", _("Give a list of ids."))
        return []
    ids = list(dict.fromkeys(v for v in value if is_id(v)))
    found = set(
        ModifierGroup.objects.filter(organization=actor.organization, pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    for index, group_id in enumerate(value):
        if not is_id(group_id) or group_id not in found:
            check.fail(f"modifier_group_ids[{index}]", "not_found", _("No such modifier group."))
    return [i for i in ids if i in found]


def _check_components(
    actor: Actor, check: Checker, value: Any, combo: MenuItem | None
) -> list[tuple[int, Decimal]]:
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        check.fail("components", "invalid_list", _("Give a list of components."))
        return []
    wanted = {
        c.get("menu_item_id")
        for c in value
        if isinstance(c, Mapping) and is_id(c.get("menu_item_id"))
    }
    kinds = dict(
        MenuItem.objects.filter(organization=actor.organization, pk__in=wanted).values_list(
            "pk", "kind"
        )
    )
    clean: list[tuple[int, Decimal]] = []
    seen: set[int] = set()
    for index, raw in enumerate(value):
        at = f"components[{index}]"
        if not isinstance(raw, Mapping) or set(raw) - {"menu_item_id", "quantity"}:
            check.fail(at, "invalid_line", _("Give menu_item_id and quantity."))
            continue
        menu_item_id = raw.get("menu_item_id")
        quantity = check.decimal(
            f"{at}.quantity", raw.get("quantity", 1), places=QTY_PLACES, positive=True
        )
        if not is_id(menu_item_id) or menu_item_id not in kinds:
            check.fail(f"{at}.menu_item_id", "not_found", _("No such menu item."))
        elif kinds[menu_item_id] != MenuItem.Kind.DISH or (
            combo is not None and menu_item_id == combo.pk
        ):
            check.fail(
                f"{at}.menu_item_id",
                errors.COMBO_IN_COMBO,
                _("A set meal is made of dishes, not of other set meals."),
            )
        elif menu_item_id in seen:
            check.fail(
                f"{at}.menu_item_id", "duplicate", _("This menu item is already in the set meal.")
            )
        else:
            seen.add(menu_item_id)
            clean.append((menu_item_id, quantity))
    return clean


def _write_links(
    menu_item: MenuItem,
    group_ids: list[int] | None,
    components: list[tuple[int, Decimal]] | None,
) -> None:
    if group_ids is not None:
        MenuItemModifierGroup.objects.filter(menu_item=menu_item).delete()
        MenuItemModifierGroup.objects.bulk_create(
            MenuItemModifierGroup(menu_item=menu_item, group_id=gid, sort_order=n)
            for n, gid in enumerate(group_ids)
        )
    if components is not None:
        ComboComponent.objects.filter(combo=menu_item).delete()
        ComboComponent.objects.bulk_create(
            ComboComponent(combo=menu_item, component_id=cid, quantity=qty, sort_order=n)
            for n, (cid, qty) in enumerate(components)
        )


def _links_snapshot(menu_item: MenuItem) -> dict[str, Any]:
    return {
        "modifier_group_ids": list(
            MenuItemModifierGroup.objects.filter(menu_item=menu_item).values_list(
                "group_id", flat=True
            )
        ),
        "components": [
            [cid, str(qty)]
            for cid, qty in ComboComponent.objects.filter(combo=menu_item).values_list(
                "component_id", "quantity"
            )
        ],
    }


def create_menu_item(
    actor: Actor,
    *,
    code: str,
    name: str,
    name_en: str = "",
    kind: str = MenuItem.Kind.DISH,
    menu_category_id: int | None = None,
    sort_order: int = 0,
    modifier_group_ids: Sequence[int] = (),
    components: Sequence[Mapping[str, Any]] = (),
) -> MenuItem:
    """Add a dish or a set meal to the menu, with its modifier groups and set-meal components."""
    actor.require(Perm.MENU_MANAGE)
    check = Checker()
    values = {
        "code": code,
        "name": name,
        "name_en": name_en,
        "kind": kind,
        "menu_category_id": menu_category_id,
        "sort_order": sort_order,
    }
    clean = _check_item_values(actor, values, check)
    group_ids = _check_group_ids(actor, check, modifier_group_ids)
    parts = _check_components(actor, check, components, None)
    if parts and clean["kind"] != MenuItem.Kind.COMBO:
        check.fail("components", errors.NOT_A_COMBO, _("Only a set meal has components."))
    check.raise_if_any()
    if MenuItem.objects.filter(
        organization=actor.organization, code__iexact=clean["code"]
    ).exists():
        raise duplicate_code()

    try:
        with transaction.atomic():
            menu_item = MenuItem.objects.create(organization=actor.organization, **clean)
            _write_links(menu_item, group_ids, parts)
            record_audit(
                actor,
                AuditEntry.Action.CREATE,
                menu_item,
                after={**snapshot(menu_item), **_links_snapshot(menu_item)},
            )
            emit_event(
                "menu.item_created",
                {"menu_item_id": menu_item.pk, "code": menu_item.code, "kind": menu_item.kind},
                organization_id=actor.organization_id,
                actor=actor,
            )
    except IntegrityError:
        raise duplicate_code() from None
    logger.info("created menu item %s in %s", menu_item.code, actor.organization.code)
    return menu_item


def update_menu_item(actor: Actor, menu_item: MenuItem, **values: Any) -> MenuItem:
    """Change a menu item; modifier_group_ids and components, when given, replace the lists."""
    actor.require(Perm.MENU_MANAGE)
    refuse_unknown(values, ITEM_FIELDS)
    check = Checker()
    clean = _check_item_values(actor, values, check)
    group_ids = None
    if "modifier_group_ids" in values:
        group_ids = _check_group_ids(actor, check, values["modifier_group_ids"] or [])
    parts = None
    if "components" in values:
        parts = _check_components(actor, check, values["components"] or [], menu_item)
    kind = clean.get("kind", menu_item.kind)
    if kind != MenuItem.Kind.COMBO:
        has_parts = parts if parts is not None else menu_item.components.exists()
        if has_parts:
            check.fail("components", errors.NOT_A_COMBO, _("Only a set meal has components."))
    if (
        kind == MenuItem.Kind.COMBO
        and menu_item.kind != MenuItem.Kind.COMBO
        and ComboComponent.objects.filter(component=menu_item).exists()
    ):
        check.fail(
            "kind",
            errors.COMBO_IN_COMBO,
            _("This dish is part of a set meal, so it cannot become a set meal itself."),
        )
    check.raise_if_any()
    if (
        "code" in clean
        and MenuItem.objects.filter(organization=actor.organization, code__iexact=clean["code"])
        .exclude(pk=menu_item.pk)
        .exists()
    ):
        raise duplicate_code()

    try:
        with transaction.atomic():
            before = {**snapshot(menu_item), **_links_snapshot(menu_item)}
            for key, value in clean.items():
                setattr(menu_item, key, value)
            menu_item.save()
            _write_links(menu_item, group_ids, parts)
            record_audit(
                actor,
                AuditEntry.Action.UPDATE,
                menu_item,
                before=before,
                after={**snapshot(menu_item), **_links_snapshot(menu_item)},
            )
    except IntegrityError:
        raise duplicate_code() from None
    return menu_item


def delete_menu_item(actor: Actor, menu_item: MenuItem) -> None:
    """Remove a menu item with its prices, POS codes and recipe; one in a set meal is refused."""
    actor.require(Perm.MENU_MANAGE)
    in_use = conflict(
        errors.IN_USE,
        _("This menu item is used by a set meal or by sales records; deactivate it instead."),
    )
    if ComboComponent.objects.filter(component=menu_item).exists():
        raise in_use
    menu_item_id = menu_item.pk
    try:
        with transaction.atomic():
            record_audit(actor, AuditEntry.Action.DELETE, menu_item, before=snapshot(menu_item))
            menu_item.delete()
            emit_event(
                "menu.item_deleted",
                {"menu_item_id": menu_item_id, "code": menu_item.code},
                organization_id=actor.organization_id,
                actor=actor,
            )
    except (ProtectedError, IntegrityError):
        raise in_use from None
    logger.info("deleted menu item %s in %s", menu_item.code, actor.organization.code)
