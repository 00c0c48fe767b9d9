"""Writes of the catalog's item master: the category tree, items and their barcodes."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from boh.catalog import errors
from boh.catalog.models import Allergen, Barcode, BaseUnit, Category, Item, Pack
from boh.catalog.services.common import (
    check_optional_days,
    pinyin_initials,
    references_outside_catalog,
)
from boh.core.errors import BohError, conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.roles import Perm

logger = logging.getLogger(__name__)

CATEGORY_FIELDS = {"code", "name", "name_en", "parent_id", "expiry_alert_days"}
ITEM_FIELDS = {
    "code",
    "name",
    "name_en",
    "kind",
    "category_id",
    "base_unit",
    "storage",
    "shelf_life_days",
    "shelf_life_open_days",
    "lot_tracked",
    "allergens",
    "is_active",
}
GTIN_LENGTHS = {8, 12, 13, 14}
_ALLERGEN_ORDER = {code: n for n, code in enumerate(Allergen.values)}


def _refuse_unknown(values: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), sorted(unknown)[0])


def _duplicate_code() -> BohError:
    return conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code")


# Categories


def _check_category_values(actor: Actor, values: dict[str, Any], check: Checker) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "code" in values:
        clean["code"] = check.code("code", values["code"])
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=200)
    if "name_en" in values:
        clean["name_en"] = check.text("name_en", values["name_en"], max_length=200, required=False)
    if "expiry_alert_days" in values:
        days = values["expiry_alert_days"]
        clean["expiry_alert_days"] = (
            None
            if days is None
            else check.integer("expiry_alert_days", days, minimum=0, maximum=365)
        )
    return clean


def _category_parent(actor: Actor, check: Checker, parent_id: Any) -> Category | None:
    if parent_id is None:
        return None
    parent = Category.objects.filter(organization=actor.organization, pk=parent_id).first()
    if parent is None:
        check.fail("parent_id", "not_found", _("No such category."))
    return parent


def create_category(
    actor: Actor,
    *,
    code: str,
    name: str,
    name_en: str = "",
    parent_id: int | None = None,
    expiry_alert_days: int | None = None,
) -> Category:
    """Add a category under a parent, or at the top of the tree."""
    actor.require(Perm.CATALOG_MANAGE)
    check = Checker()
    clean = _check_category_values(
        actor,
        {"code": code, "name": name, "name_en": name_en, "expiry_alert_days": expiry_alert_days},
        check,
    )
    parent = _category_parent(actor, check, parent_id)
    check.raise_if_any()
    if Category.objects.filter(
        organization=actor.organization, code__iexact=clean["code"]
    ).exists():
        raise _duplicate_code()

    with transaction.atomic():
        category = Category.objects.create(
            organization=actor.organization, parent=parent, path="", **clean
        )
        category.path = f"{parent.path if parent else '/'}{category.pk}/"
        category.save(update_fields=["path"])
        record_audit(actor, AuditEntry.Action.CREATE, category)
    return category


def update_category(actor: Actor, category: Category, **values: Any) -> Category:
    """Rename a category or move it, with its subtree, under another parent."""
    actor.require(Perm.CATALOG_MANAGE)
    _refuse_unknown(values, CATEGORY_FIELDS)
    check = Checker()
    clean = _check_category_values(actor, values, check)
    new_parent = category.parent
    if "parent_id" in values:
        new_parent = _category_parent(actor, check, values["parent_id"])
        if new_parent is not None and new_parent.path.startswith(category.path):
            check.fail(
                "parent_id",
                errors.CATEGORY_CYCLE,
                _("A category cannot be moved under itself or its own sub-categories."),
            )
    check.raise_if_any()
    if (
        "code" in clean
        and Category.objects.filter(organization=actor.organization, code__iexact=clean["code"])
        .exclude(pk=category.pk)
        .exists()
    ):
        raise _duplicate_code()

    with transaction.atomic():
        before = snapshot(category)
        for key, value in clean.items():
            setattr(category, key, value)
        if new_parent != category.parent:
            old_path = category.path
            new_path = f"{new_parent.path if new_parent else '/'}{category.pk}/"
            for node in Category.objects.filter(
                organization=actor.organization, path__startswith=old_path
            ).exclude(pk=category.pk):
                node.path = new_path + node.path[len(old_path) :]
                node.save(update_fields=["path"])
            category.parent = new_parent
            category.path = new_path
        category.save()
        record_audit(actor, AuditEntry.Action.UPDATE, category, before=before)
    return category


def delete_category(actor: Actor, category: Category) -> None:
    """Remove a category that has no sub-categories and no items."""
    actor.require(Perm.CATALOG_MANAGE)
    if category.children.exists() or category.items.exists():
        raise conflict(
            errors.CATEGORY_IN_USE,
            _("This category still has sub-categories or items; move them first."),
        )
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, category, before=snapshot(category))
        category.delete()


# Items


def _check_allergens(check: Checker, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        check.fail("allergens", "invalid_list", _("Give a list of allergen codes."))
        return []
    unknown = sorted(set(value) - set(Allergen.values))
    if unknown:
        check.fail(
            "allergens",
            errors.UNKNOWN_ALLERGEN,
            _("Unknown allergen: %(code)s.") % {"code": unknown[0][:40]},
        )
    return sorted(set(value) & set(Allergen.values), key=_ALLERGEN_ORDER.__getitem__)


def check_item_values(actor: Actor, values: dict[str, Any], check: Checker) -> dict[str, Any]:
    """Validated item fields, with a field error in `check` for each bad value."""
    clean: dict[str, Any] = {}
    if "code" in values:
        clean["code"] = check.code("code", values["code"])
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=200)
    if "name_en" in values:
        clean["name_en"] = check.text("name_en", values["name_en"], max_length=200, required=False)
    if "kind" in values:
        clean["kind"] = check.choice("kind", values["kind"], set(Item.Kind.values))
    if "base_unit" in values:
        clean["base_unit"] = check.choice("base_unit", values["base_unit"], set(BaseUnit.values))
    if "storage" in values:
        clean["storage"] = check.choice("storage", values["storage"], set(Item.Storage.values))
    for field in ("shelf_life_days", "shelf_life_open_days"):
        if field in values:
            clean[field] = check_optional_days(check, field, values[field])
    if "lot_tracked" in values:
        clean["lot_tracked"] = bool(values["lot_tracked"])
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    if "allergens" in values:
        clean["allergens"] = _check_allergens(check, values["allergens"])
    if "category_id" in values:
        category_id = values["category_id"]
        if (
            category_id is not None
            and not Category.objects.filter(
                organization=actor.organization, pk=category_id
            ).exists()
        ):
            check.fail("category_id", "not_found", _("No such category."))
        clean["category_id"] = category_id
    if "name" in clean:
        clean["pinyin"] = pinyin_initials(clean["name"])
    return clean


def create_item(actor: Actor, **values: Any) -> Item:
    """Add an item to the catalog; its pinyin initials are computed from the name."""
    actor.require(Perm.CATALOG_MANAGE)
    _refuse_unknown(values, ITEM_FIELDS)
    values = {
        "name_en": "",
        "kind": Item.Kind.INGREDIENT,
        "category_id": None,
        "storage": Item.Storage.AMBIENT,
        "shelf_life_days": None,
        "shelf_life_open_days": None,
        "lot_tracked": False,
        "allergens": [],
        "is_active": True,
        **values,
    }
    for required in ("code", "name", "base_unit"):
        values.setdefault(required, "")
    check = Checker()
    clean = check_item_values(actor, values, check)
    check.raise_if_any()
    if Item.objects.filter(organization=actor.organization, code__iexact=clean["code"]).exists():
        raise _duplicate_code()

    try:
        with transaction.atomic():
            item = Item.objects.create(organization=actor.organization, **clean)
            record_audit(actor, AuditEntry.Action.CREATE, item)
            emit_event(
                "catalog.item_created",
                {"item_id": item.pk, "code": item.code, "base_unit": item.base_unit},
                organization_id=actor.organization_id,
                actor=actor,
            )
    except IntegrityError:
        raise _duplicate_code() from None
    logger.info("created item %s in %s", item.code, actor.organization.code)
    return item


def base_unit_locked(item: Item) -> bool:
    """The base unit is fixed once packs, stock levels or other modules' records refer to it."""
    return item.packs.exists() or item.stock_levels.exists() or references_outside_catalog(item)


def update_item(actor: Actor, item: Item, **values: Any) -> Item:
    """Change an item's details; set is_active false to retire it and keep its history."""
    actor.require(Perm.CATALOG_MANAGE)
    _refuse_unknown(values, ITEM_FIELDS)
    check = Checker()
    clean = check_item_values(actor, values, check)
    if (
        "base_unit" in clean
        and not check.has("base_unit")
        and clean["base_unit"] != item.base_unit
        and base_unit_locked(item)
    ):
        check.fail(
            "base_unit",
            errors.BASE_UNIT_LOCKED,
            _(
                "The base unit cannot change once the item has packs, stock levels or "
                "records in other modules; create a new item instead."
            ),
        )
    check.raise_if_any()
    if (
        "code" in clean
        and Item.objects.filter(organization=actor.organization, code__iexact=clean["code"])
        .exclude(pk=item.pk)
        .exists()
    ):
        raise _duplicate_code()

    try:
        with transaction.atomic():
            before = snapshot(item)
            for key, value in clean.items():
                setattr(item, key, value)
            item.save()
            entry = record_audit(actor, AuditEntry.Action.UPDATE, item, before=before)
            changed = sorted(k for k in entry.changes if k != "updated_at")
            if changed:
                emit_event(
                    "catalog.item_updated",
                    {"item_id": item.pk, "changed": changed},
                    organization_id=actor.organization_id,
                    actor=actor,
                )
    except IntegrityError:
        raise _duplicate_code() from None
    return item


def delete_item(actor: Actor, item: Item) -> None:
    """Remove an item entered by mistake; one with stock levels or history is refused."""
    actor.require(Perm.CATALOG_MANAGE)
    in_use = conflict(
        errors.ITEM_IN_USE,
        _("This item has stock levels or records in other modules; deactivate it instead."),
    )
    if item.stock_levels.exists() or references_outside_catalog(item):
        raise in_use

    item_id = item.pk
    try:
        with transaction.atomic():
            record_audit(actor, AuditEntry.Action.DELETE, item, before=snapshot(item))
            # Packs protect the packs built on them; unlink them so they go with the item.
            Pack.objects.filter(item=item).update(inner_pack=None)
            item.delete()
            emit_event(
                "catalog.item_deleted",
                {"item_id": item_id, "code": item.code},
                organization_id=actor.organization_id,
                actor=actor,
            )
    except (ProtectedError, IntegrityError):
        raise in_use from None
    logger.info("deleted item %s in %s", item.code, actor.organization.code)


# Barcodes


def is_valid_gtin(code: str) -> bool:
    """True when the last digit of a GTIN-8/12/13/14 matches its check digit."""
    if not code.isdigit() or len(code) not in GTIN_LENGTHS:
        return False
    *body, check_digit = (int(c) for c in code)
    total = sum(d * (3 if n % 2 == 0 else 1) for n, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check_digit


def check_barcode(check: Checker, value: Any, field: str = "code") -> str:
    """A scanned code: GTINs must carry a correct check digit; other codes any printable text."""
    code = check.text(field, value, max_length=64)
    if not code or check.has(field):
        return code
    if any(ch.isspace() or not ch.isprintable() for ch in code):
        check.fail(field, errors.INVALID_BARCODE, _("A barcode cannot contain spaces."))
    elif code.isdigit() and len(code) in GTIN_LENGTHS and not is_valid_gtin(code):
        check.fail(
            field,
            errors.INVALID_GTIN,
            _("The check digit of this GTIN is wrong; scan or type it again."),
        )
    return code


def barcode_conflict(actor: Actor, code: str, item: Item | None = None) -> BohError | None:
    """A 409 naming the item that already carries this barcode, if any does."""
    taken = (
        Barcode.objects.filter(organization=actor.organization, code=code)
        .select_related("item")
        .first()
    )
    if taken is None:
        return None
    if item is not None and taken.item_id == item.pk:
        return conflict(errors.BARCODE_IN_USE, _("This item already has this barcode."), "code")
    return conflict(
        errors.BARCODE_IN_USE,
        _("This barcode already belongs to %(item)s.") % {"item": str(taken.item)},
        "code",
    )


def add_barcode(actor: Actor, item: Item, *, code: str, pack_id: int | None = None) -> Barcode:
    """Attach a barcode to an item, or to one of its packs (a case has its own GTIN)."""
    actor.require(Perm.CATALOG_MANAGE)
    check = Checker()
    code = check_barcode(check, code)
    pack = None
    if pack_id is not None:
        pack = Pack.objects.filter(item=item, pk=pack_id).first()
        if pack is None:
            check.fail("pack_id", "not_found", _("No such pack of this item."))
    check.raise_if_any()
    taken = barcode_conflict(actor, code, item)
    if taken is not None:
        raise taken

    try:
        with transaction.atomic():
            barcode = Barcode.objects.create(
                organization=actor.organization, item=item, pack=pack, code=code
            )
            record_audit(actor, AuditEntry.Action.CREATE, barcode)
    except IntegrityError:
        raise conflict(
            errors.BARCODE_IN_USE, _("This barcode is already in use."), "code"
        ) from None
    return barcode


def remove_barcode(actor: Actor, barcode: Barcode) -> None:
    """Detach a barcode from its item."""
    actor.require(Perm.CATALOG_MANAGE)
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, barcode, before=snapshot(barcode))
        barcode.delete()
