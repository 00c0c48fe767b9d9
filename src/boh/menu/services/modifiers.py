"""Writes of modifier groups and their options, with each option's recipe change."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from boh.core.errors import BohError, conflict
from boh.core.models import AuditEntry
from boh.core.numbers import MONEY_PLACES
from boh.core.services import record_audit, snapshot
from boh.core.validation import Checker
from boh.menu import errors
from boh.menu.models import MULTIPLIER_PLACES, ModifierGroup, ModifierOption, ModifierOptionLine
from boh.menu.services.common import (
    CleanLine,
    check_lines,
    check_sort_order,
    duplicate_code,
    refuse_unknown,
)
from boh.org.access import Actor
from boh.org.roles import Perm

GROUP_FIELDS = {"code", "name", "name_en", "min_choices", "max_choices", "sort_order", "is_active"}
OPTION_FIELDS = {
    "code",
    "name",
    "name_en",
    "price_delta",
    "recipe_multiplier",
    "lines",
    "sort_order",
    "is_active",
}
MAX_MULTIPLIER = Decimal(1000)
MAX_PRICE_DELTA = Decimal(10) ** 12


def _check_group_values(
    check: Checker, values: dict[str, Any], group: ModifierGroup | None
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "code" in values:
        clean["code"] = check.code("code", values["code"])
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=200)
    if "name_en" in values:
        clean["name_en"] = check.text("name_en", values["name_en"], max_length=200, required=False)
    if "min_choices" in values:
        clean["min_choices"] = check.integer(
            "min_choices", values["min_choices"], minimum=0, maximum=100
        )
    if "max_choices" in values and values["max_choices"] is not None:
        clean["max_choices"] = check.integer(
            "max_choices", values["max_choices"], minimum=1, maximum=100
        )
    elif "max_choices" in values:
        clean["max_choices"] = None
    if "sort_order" in values:
        clean["sort_order"] = check_sort_order(check, values["sort_order"])
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    low = clean.get("min_choices", group.min_choices if group else 0)
    high = clean.get("max_choices", group.max_choices if group else None)
    if (
        not check.has("min_choices")
        and not check.has("max_choices")
        and high is not None
        and low > high
    ):
        check.fail(
            "max_choices",
            "out_of_range",
            _("The maximum number of choices cannot be below the minimum."),
        )
    return clean


def create_modifier_group(
    actor: Actor,
    *,
    code: str,
    name: str,
    name_en: str = "",
    min_choices: int = 0,
    max_choices: int | None = None,
    sort_order: int = 0,
) -> ModifierGroup:
    """Add a modifier group (size, spice level, add-ons) with how many options a guest picks."""
    actor.require(Perm.MENU_MANAGE)
    check = Checker()
    values = {
        "code": code,
        "name": name,
        "name_en": name_en,
        "min_choices": min_choices,
        "max_choices": max_choices,
        "sort_order": sort_order,
    }
    clean = _check_group_values(check, values, None)
    check.raise_if_any()
    if ModifierGroup.objects.filter(
        organization=actor.organization, code__iexact=clean["code"]
    ).exists():
        raise duplicate_code()
    try:
        with transaction.atomic():
            group = ModifierGroup.objects.create(organization=actor.organization, **clean)
            record_audit(actor, AuditEntry.Action.CREATE, group)
    except IntegrityError:
        raise duplicate_code() from None
    return group


def update_modifier_group(actor: Actor, group: ModifierGroup, **values: Any) -> ModifierGroup:
    """Rename a modifier group or change how many options a guest picks."""
    actor.require(Perm.MENU_MANAGE)
    refuse_unknown(values, GROUP_FIELDS)
    check = Checker()
    clean = _check_group_values(check, values, group)
    check.raise_if_any()
    if (
        "code" in clean
        and ModifierGroup.objects.filter(
            organization=actor.organization, code__iexact=clean["code"]
        )
        .exclude(pk=group.pk)
        .exists()
    ):
        raise duplicate_code()
    try:
        with transaction.atomic():
            before = snapshot(group)
            for key, value in clean.items():
                setattr(group, key, value)
            group.save()
            record_audit(actor, AuditEntry.Action.UPDATE, group, before=before)
    except IntegrityError:
        raise duplicate_code() from None
    return group


def _in_use() -> BohError:
    return conflict(errors.IN_USE, _("This is used by sales records; deactivate it instead."))


def delete_modifier_group(actor: Actor, group: ModifierGroup) -> None:
    """Remove a modifier group with its options; menu items stop offering it."""
    actor.require(Perm.MENU_MANAGE)
    try:
        with transaction.atomic():
            for option in group.options.all():
                record_audit(actor, AuditEntry.Action.DELETE, option, before=snapshot(option))
            record_audit(actor, AuditEntry.Action.DELETE, group, before=snapshot(group))
            group.delete()
    except (ProtectedError, IntegrityError):
        raise _in_use() from None


# Options


def _check_option_values(check: Checker, values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "code" in values:
        clean["code"] = check.code("code", values["code"])
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=200)
    if "name_en" in values:
        clean["name_en"] = check.text("name_en", values["name_en"], max_length=200, required=False)
    if "price_delta" in values:
        delta = check.decimal("price_delta", values["price_delta"] or 0, places=MONEY_PLACES)
        if not check.has("price_delta") and abs(delta) >= MAX_PRICE_DELTA:
            check.fail("price_delta", "too_large", _("This number is too large."))
        clean["price_delta"] = delta
    if "recipe_multiplier" in values:
        raw = values["recipe_multiplier"]
        multiplier = None
        if raw is not None and raw != "":
            multiplier = check.decimal(
                "recipe_multiplier", raw, places=MULTIPLIER_PLACES, positive=True
            )
            if not check.has("recipe_multiplier") and multiplier > MAX_MULTIPLIER:
                check.fail("recipe_multiplier", "too_large", _("This number is too large."))
        clean["recipe_multiplier"] = multiplier
    if "sort_order" in values:
        clean["sort_order"] = check_sort_order(check, values["sort_order"])
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    return clean


def _write_option_lines(option: ModifierOption, lines: list[CleanLine]) -> None:
    ModifierOptionLine.objects.filter(option=option).delete()
    ModifierOptionLine.objects.bulk_create(
        ModifierOptionLine(
            option=option,
            item=line.item,
            quantity=line.quantity,
            unit=line.unit,
            base_quantity=line.base_quantity,
            yield_pct=line.yield_pct,
            sort_order=n,
        )
        for n, line in enumerate(lines)
    )


def _lines_snapshot(option: ModifierOption) -> list[list[Any]]:
    return [
        [item_id, str(qty), unit, str(base), str(yld)]
        for item_id, qty, unit, base, yld in option.lines.values_list(
            "item_id", "quantity", "unit", "base_quantity", "yield_pct"
        )
    ]


def create_modifier_option(
    actor: Actor,
    group: ModifierGroup,
    *,
    code: str,
    name: str,
    name_en: str = "",
    price_delta: Any = 0,
    recipe_multiplier: Any = None,
    lines: Sequence[Any] = (),
    sort_order: int = 0,
) -> ModifierOption:
    """Add an option to a modifier group, with its price change and recipe change.

    The recipe change multiplies the base recipe (recipe_multiplier 1.5 for a large
    portion) and adds signed lines in any unit of each item (-5 g coriander).
    """
    actor.require(Perm.MENU_MANAGE)
    check = Checker()
    values = {
        "code": code,
        "name": name,
        "name_en": name_en,
        "price_delta": price_delta,
        "recipe_multiplier": recipe_multiplier,
        "sort_order": sort_order,
    }
    clean = _check_option_values(check, values)
    clean_lines = check_lines(actor, check, lines, signed=True)
    check.raise_if_any()
    if group.options.filter(code__iexact=clean["code"]).exists():
        raise duplicate_code()
    try:
        with transaction.atomic():
            option = ModifierOption.objects.create(
                organization=actor.organization, group=group, **clean
            )
            _write_option_lines(option, clean_lines)
            record_audit(
                actor,
                AuditEntry.Action.CREATE,
                option,
                after={**snapshot(option), "lines": _lines_snapshot(option)},
            )
    except IntegrityError:
        raise duplicate_code() from None
    return option


def update_modifier_option(actor: Actor, option: ModifierOption, **values: Any) -> ModifierOption:
    """Change a modifier option; lines, when given, replace all its recipe-change lines."""
    actor.require(Perm.MENU_MANAGE)
    refuse_unknown(values, OPTION_FIELDS)
    check = Checker()
    clean = _check_option_values(check, values)
    clean_lines = None
    if "lines" in values:
        clean_lines = check_lines(actor, check, values["lines"], signed=True)
    check.raise_if_any()
    if (
        "code" in clean
        and ModifierOption.objects.filter(group_id=option.group_id, code__iexact=clean["code"])
        .exclude(pk=option.pk)
        .exists()
    ):
        raise duplicate_code()
    try:
        with transaction.atomic():
            before = {**snapshot(option), "lines": _lines_snapshot(option)}
            for key, value in clean.items():
                setattr(option, key, value)
            option.save()
            if clean_lines is not None:
                _write_option_lines(option, clean_lines)
            record_audit(
                actor,
                AuditEntry.Action.UPDATE,
                option,
                before=before,
                after={**snapshot(option), "lines": _lines_snapshot(option)},
            )
    except IntegrityError:
        raise duplicate_code() from None
    return option


def delete_modifier_option(actor: Actor, option: ModifierOption) -> None:
    """Remove a modifier option with its POS codes."""
    actor.require(Perm.MENU_MANAGE)
    try:
        with transaction.atomic():
            record_audit(actor, AuditEntry.Action.DELETE, option, before=snapshot(option))
            option.delete()
    except (ProtectedError, IntegrityError):
        raise _in_use() from None
