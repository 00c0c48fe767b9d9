"""Writes of the catalog at a location: storage areas in walking order, par/min/max levels.

Both are managed by catalog managers, or by stock admins of that location.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from boh.catalog import errors
from boh.catalog.models import Item, Pack, StockLevel, StorageArea
from boh.catalog.services.common import (
    check_location,
    check_quantity,
    references_outside_catalog,
    require_location_manage,
)
from boh.catalog.units import pack_map, unit_factor
from boh.core.errors import BohError, conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import round_qty
from boh.core.services import emit_event, emit_events, record_audit, record_audits, snapshot
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.models import Organization

AREA_FIELDS = {"code", "name", "name_en", "sort_order", "is_active"}
LEVEL_FIELDS = {"par", "minimum", "maximum", "unit", "storage_area_id", "count_order"}
SORT_STEP = 10
MAX_ORDER = 1_000_000


def _refuse_unknown(values: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), sorted(unknown)[0])


def _duplicate_area_code() -> BohError:
    return conflict(
        errors.DUPLICATE_CODE, _("This location already has a storage area with this code."), "code"
    )


# Storage areas


def _check_area_values(values: dict[str, Any], check: Checker) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "code" in values:
        clean["code"] = check.code("code", values["code"])
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=100)
    if "name_en" in values:
        clean["name_en"] = check.text("name_en", values["name_en"], max_length=100, required=False)
    if "sort_order" in values and values["sort_order"] is not None:
        clean["sort_order"] = check.integer(
            "sort_order", values["sort_order"], minimum=0, maximum=MAX_ORDER
        )
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    return clean


def create_storage_area(
    actor: Actor,
    *,
    location_id: int,
    code: str,
    name: str,
    name_en: str = "",
    sort_order: int | None = None,
) -> StorageArea:
    """Add a storage area (walk-in, freezer, dry store) to a location, last in walking order."""
    check = Checker()
    location = check_location(actor, check, location_id)
    clean = _check_area_values(
        {"code": code, "name": name, "name_en": name_en, "sort_order": sort_order}, check
    )
    check.raise_if_any()
    assert location is not None
    require_location_manage(actor, location.pk)
    areas = StorageArea.objects.filter(location=location)
    if areas.filter(code__iexact=clean["code"]).exists():
        raise _duplicate_area_code()
    if "sort_order" not in clean:
        last = areas.aggregate(last=Max("sort_order"))["last"]
        clean["sort_order"] = 0 if last is None else last + SORT_STEP

    try:
        with transaction.atomic():
            area = StorageArea.objects.create(
                organization=actor.organization, location=location, **clean
            )
            record_audit(actor, AuditEntry.Action.CREATE, area)
    except IntegrityError:
        raise _duplicate_area_code() from None
    return area


def update_storage_area(actor: Actor, area: StorageArea, **values: Any) -> StorageArea:
    """Rename a storage area, move it in the walking order, or retire it."""
    require_location_manage(actor, area.location_id)
    _refuse_unknown(values, AREA_FIELDS)
    check = Checker()
    clean = _check_area_values(values, check)
    check.raise_if_any()
    if (
        "code" in clean
        and StorageArea.objects.filter(location_id=area.location_id, code__iexact=clean["code"])
        .exclude(pk=area.pk)
        .exists()
    ):
        raise _duplicate_area_code()

    try:
        with transaction.atomic():
            before = snapshot(area)
            for key, value in clean.items():
                setattr(area, key, value)
            area.save()
            record_audit(actor, AuditEntry.Action.UPDATE, area, before=before)
    except IntegrityError:
        raise _duplicate_area_code() from None
    return area


def delete_storage_area(actor: Actor, area: StorageArea) -> None:
    """Remove a storage area; stock levels that named it keep their values without an area."""
    require_location_manage(actor, area.location_id)
    if references_outside_catalog(area):
        raise conflict(
            errors.STORAGE_AREA_IN_USE,
            _("Records of other modules refer to this storage area; deactivate it instead."),
        )
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, area, before=snapshot(area))
        area.delete()


def reorder_storage_areas(
    actor: Actor, *, location_id: int, area_ids: list[int]
) -> list[StorageArea]:
    """Set a location's walking order: area_ids lists every one of its areas, first to last."""
    check = Checker()
    location = check_location(actor, check, location_id)
    check.raise_if_any()
    assert location is not None
    require_location_manage(actor, location.pk)
    areas = {a.pk: a for a in StorageArea.objects.filter(location=location)}
    if len(area_ids) != len(set(area_ids)) or set(area_ids) != set(areas):
        raise validation_error(
            errors.REORDER_MISMATCH,
            _("List every storage area of this location exactly once."),
            "area_ids",
        )

    with transaction.atomic():
        ordered = []
        for position, area_id in enumerate(area_ids, start=1):
            area = areas[area_id]
            new_order = position * SORT_STEP
            if area.sort_order != new_order:
                before = snapshot(area, ["sort_order"])
                area.sort_order = new_order
                area.save(update_fields=["sort_order"])
                record_audit(
                    actor,
                    AuditEntry.Action.UPDATE,
                    area,
                    before=before,
                    verb="reordered",
                    after=snapshot(area, ["sort_order"]),
                )
            ordered.append(area)
    return ordered


# Stock levels


def _level_quantities(
    item: Item,
    values: dict[str, Any],
    current: StockLevel | None,
    check: Checker,
    packs: dict[str, Pack] | None = None,
) -> dict[str, Decimal | None]:
    """par, minimum and maximum in base units, from values entered in `unit`."""
    unit = values.get("unit") or item.base_unit
    factor = Decimal(1)
    try:
        factor = unit_factor(item, str(unit), pack_map(item) if packs is None else packs, "unit")
    except BohError as exc:
        for error in exc.fields:
            check.fail(error.field, error.code, error.message)
    result: dict[str, Decimal | None] = {}
    for field in ("par", "minimum", "maximum"):
        if field not in values:
            continue
        if values[field] is None:
            if field == "maximum":
                result[field] = None
            else:
                check.fail(field, "required", _("This field is required."))
            continue
        quantity = check_quantity(check, field, values[field])
        if not check.has(field):
            result[field] = round_qty(quantity * factor)

    par = result.get("par", current.par if current else Decimal(0))
    minimum = result.get("minimum", current.minimum if current else Decimal(0))
    maximum = result.get("maximum", current.maximum if current else None)
    if check.errors or par is None or minimum is None:
        return result
    if minimum > par:
        check.fail(
            "minimum",
            errors.LEVELS_OUT_OF_ORDER,
            _("The minimum must not be above the par level."),
        )
    if maximum is not None and par > maximum:
        check.fail(
            "maximum",
            errors.LEVELS_OUT_OF_ORDER,
            _("The maximum must not be below the par level."),
        )
    return result


def _check_area_at(
    check: Checker, storage_area_id: Any, location_id: int, organization: Organization
) -> StorageArea | None:
    if storage_area_id is None:
        return None
    area = StorageArea.objects.filter(organization=organization, pk=storage_area_id).first()
    if area is None:
        check.fail("storage_area_id", "not_found", _("No such storage area."))
    elif area.location_id != location_id:
        check.fail(
            "storage_area_id",
            errors.WRONG_LOCATION,
            _("This storage area is at another location."),
        )
        return None
    return area


def _level_payload(level: StockLevel, action: str) -> dict[str, Any]:
    return {
        "location_id": level.location_id,
        "item_id": level.item_id,
        "par": level.par,
        "minimum": level.minimum,
        "maximum": level.maximum,
        "action": action,
    }


def _announce_level(actor: Actor, level: StockLevel, action: str) -> None:
    emit_event(
        "catalog.stock_level_changed",
        _level_payload(level, action),
        organization_id=actor.organization_id,
        actor=actor,
    )


def create_stock_level(
    actor: Actor,
    *,
    location_id: int,
    item_id: int,
    par: Any,
    minimum: Any = 0,
    maximum: Any = None,
    unit: str | None = None,
    storage_area_id: int | None = None,
    count_order: int = 0,
) -> StockLevel:
    """Set the par, minimum and maximum of an item at a location, entered in any unit of it."""
    check = Checker()
    location = check_location(actor, check, location_id)
    item = Item.objects.filter(organization=actor.organization, pk=item_id).first()
    if item is None:
        check.fail("item_id", "not_found", _("No such item."))
    check.raise_if_any()
    assert location is not None and item is not None
    require_location_manage(actor, location.pk)
    quantities = _level_quantities(
        item, {"par": par, "minimum": minimum, "maximum": maximum, "unit": unit}, None, check
    )
    area = _check_area_at(check, storage_area_id, location.pk, actor.organization)
    count_order = check.integer("count_order", count_order, minimum=0, maximum=MAX_ORDER)
    check.raise_if_any()
    exists = conflict(
        errors.STOCK_LEVEL_EXISTS,
        _("This item already has stock levels at this location; change them instead."),
        "item_id",
    )
    if StockLevel.objects.filter(location=location, item=item).exists():
        raise exists

    try:
        with transaction.atomic():
            level = StockLevel.objects.create(
                organization=actor.organization,
                location=location,
                item=item,
                storage_area=area,
                count_order=count_order,
                **quantities,
            )
            record_audit(actor, AuditEntry.Action.CREATE, level)
            _announce_level(actor, level, "created")
    except IntegrityError:
        raise exists from None
    return level


def create_stock_levels(
    actor: Actor, *, location_id: int, levels: list[dict[str, Any]]
) -> list[StockLevel]:
    """create_stock_level for many items at one location, checked alike and written at once.

    Each entry of levels holds item_id, par and optionally minimum, maximum, unit,
    storage_area_id and count_order. An entry's errors name it (levels[3].par); when any
    entry is refused, nothing is written.
    """
    check = Checker()
    location = check_location(actor, check, location_id)
    check.raise_if_any()
    assert location is not None
    require_location_manage(actor, location.pk)
    org = actor.organization
    item_ids = [row.get("item_id") for row in levels]
    items = Item.objects.filter(organization=org).in_bulk(
        [i for i in item_ids if isinstance(i, int) and not isinstance(i, bool)]
    )
    packs: dict[int, list[Pack]] = {}
    for pack in Pack.objects.filter(item_id__in=list(items)):
        packs.setdefault(pack.item_id, []).append(pack)
    areas = {a.pk: a for a in StorageArea.objects.filter(organization=org)}
    existing = set(
        StockLevel.objects.filter(location=location, item_id__in=list(items)).values_list(
            "item_id", flat=True
        )
    )
    seen: set[int] = set()
    rows: list[StockLevel] = []
    for n, values in enumerate(levels):
        at = f"levels[{n}]"
        row_check = Checker()
        _refuse_unknown(values, LEVEL_FIELDS | {"item_id"})
        item = items.get(values.get("item_id"))
        if item is None:
            check.fail(f"{at}.item_id", "not_found", _("No such item."))
            continue
        if item.pk in existing or item.pk in seen:
            check.fail(
                f"{at}.item_id",
                errors.STOCK_LEVEL_EXISTS,
                _("This item already has stock levels at this location; change them instead."),
            )
            continue
        seen.add(item.pk)
        quantities = _level_quantities(
            item,
            {
                "par": values.get("par"),
                "minimum": values.get("minimum", 0),
                "maximum": values.get("maximum"),
                "unit": values.get("unit"),
            },
            None,
            row_check,
            pack_map(item, packs.get(item.pk, [])),
        )
        area = None
        area_id = values.get("storage_area_id")
        if area_id is not None:
            area = areas.get(area_id)
            if area is None:
                row_check.fail("storage_area_id", "not_found", _("No such storage area."))
            elif area.location_id != location.pk:
                row_check.fail(
                    "storage_area_id",
                    errors.WRONG_LOCATION,
                    _("This storage area is at another location."),
                )
        count_order = row_check.integer(
            "count_order", values.get("count_order", 0), minimum=0, maximum=MAX_ORDER
        )
        for error in row_check.errors:
            check.fail(f"{at}.{error.field}", error.code, error.message)
        if not row_check.errors:
            rows.append(
                StockLevel(
                    organization=org,
                    location=location,
                    item=item,
                    storage_area=area,
                    count_order=count_order,
                    **quantities,
                )
            )
    check.raise_if_any()

    try:
        with transaction.atomic():
            created = StockLevel.objects.bulk_create(rows)
            record_audits(actor, AuditEntry.Action.CREATE, list(created))
            emit_events(
                "catalog.stock_level_changed",
                [_level_payload(level, "created") for level in created],
                organization_id=actor.organization_id,
                actor=actor,
            )
    except IntegrityError:
        raise conflict(
            errors.STOCK_LEVEL_EXISTS,
            _("This item already has stock levels at this location; change them instead."),
            "levels",
        ) from None
    return created


def update_stock_level(actor: Actor, level: StockLevel, **values: Any) -> StockLevel:
    """Change an item's par, minimum or maximum at a location, or its place on the count sheet."""
    require_location_manage(actor, level.location_id)
    _refuse_unknown(values, LEVEL_FIELDS)
    check = Checker()
    clean: dict[str, Any] = dict(_level_quantities(level.item, values, level, check))
    if "storage_area_id" in values:
        clean["storage_area"] = _check_area_at(
            check, values["storage_area_id"], level.location_id, actor.organization
        )
    if "count_order" in values:
        clean["count_order"] = check.integer(
            "count_order", values["count_order"], minimum=0, maximum=MAX_ORDER
        )
    check.raise_if_any()

    with transaction.atomic():
        before = snapshot(level)
        for key, value in clean.items():
            setattr(level, key, value)
        level.save()
        record_audit(actor, AuditEntry.Action.UPDATE, level, before=before)
        _announce_level(actor, level, "updated")
    return level


def delete_stock_level(actor: Actor, level: StockLevel) -> None:
    """Stop keeping par, minimum and maximum for an item at a location."""
    require_location_manage(actor, level.location_id)
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, level, before=snapshot(level))
        _announce_level(actor, level, "deleted")
        level.delete()
