"""Writes of item packs: purchase and counting units with an exact size in base units.

A pack is defined by a quantity of a unit: a standard unit ("bag = 25 kg" is 25000 g)
or another pack of the item ("case = 12 bottle" is 12 x 750 ml = 9000 ml). A pack
built on another keeps the link, so resizing the bottle resizes the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from boh.catalog import errors
from boh.catalog.models import FACTOR_PLACES, Item, Pack
from boh.catalog.services.common import MAX_FACTOR, check_quantity, references_outside_catalog
from boh.catalog.units import is_standard_unit_name, standard_unit, unit_factor
from boh.core.errors import BohError, conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.roles import Perm

PACK_FIELDS = {"code", "name", "name_en", "quantity", "unit", "is_active"}
_FACTOR_STEP = Decimal(1).scaleb(-FACTOR_PLACES)


@dataclass(frozen=True)
class PackSize:
    factor: Decimal
    inner_pack: Pack | None
    inner_count: Decimal | None


def _duplicate_code() -> BohError:
    return conflict(
        errors.DUPLICATE_CODE, _("This item already has a pack with this code."), "code"
    )


def _check_pack_code(check: Checker, value: Any) -> str:
    code = check.code("code", value, max_length=20)
    if code and not check.has("code") and is_standard_unit_name(code):
        check.fail(
            "code",
            errors.RESERVED_UNIT,
            _("'%(code)s' is a standard unit; give the pack another code.") % {"code": code},
        )
    return code


def _check_factor(check: Checker, factor: Decimal) -> Decimal:
    """The size at the stored scale; a field error if it does not fit exactly."""
    if factor >= MAX_FACTOR or factor != factor.quantize(_FACTOR_STEP):
        check.fail(
            "quantity",
            errors.PACK_TOO_PRECISE,
            _("The pack size must be below %(max)s base units with at most %(n)d decimals.")
            % {"max": MAX_FACTOR, "n": FACTOR_PLACES},
        )
        return factor
    # Exact by the check above: only the scale changes, never the value.
    return factor.quantize(_FACTOR_STEP)


def _builds_on(start: Pack, target: Pack, by_id: dict[int, Pack]) -> bool:
    """True when `start` is `target` or is built, through its inner packs, on `target`."""
    seen: set[int] = set()
    node: Pack | None = start
    while node is not None and node.pk not in seen:
        if node.pk == target.pk:
            return True
        seen.add(node.pk)
        node = by_id.get(node.inner_pack_id) if node.inner_pack_id else None
    return False


def pack_size(
    item: Item,
    check: Checker,
    quantity: Any,
    unit: Any,
    by_id: dict[int, Pack],
    this: Pack | None = None,
) -> PackSize:
    """The exact size of `quantity` x `unit`; field errors on quantity or unit go to `check`."""
    count = check_quantity(check, "quantity", quantity, positive=True)
    unit_code = check.text("unit", unit, max_length=40)
    if check.has("quantity") or check.has("unit"):
        return PackSize(Decimal(0), None, None)
    packs = {p.code.lower(): p for p in by_id.values()}
    inner = None if standard_unit(unit_code) else packs.get(unit_code.lower())
    if this is not None and inner is not None and _builds_on(inner, this, by_id):
        check.fail(
            "unit",
            errors.PACK_CYCLE,
            _("A pack cannot be made of itself or of a pack that contains it."),
        )
        return PackSize(Decimal(0), None, None)
    try:
        factor = count * unit_factor(item, unit_code, packs, "unit")
    except BohError as exc:
        for error in exc.fields:
            check.fail(error.field, error.code, error.message)
        return PackSize(Decimal(0), None, None)
    factor = _check_factor(check, factor)
    return PackSize(factor, inner, count if inner is not None else None)


def _resized_dependents(
    pack: Pack, by_id: dict[int, Pack], check: Checker
) -> list[tuple[Pack, Decimal]]:
    """Packs built on `pack`, directly or not, resized from it, each with its old size."""
    changed: list[tuple[Pack, Decimal]] = []
    queue = [pack]
    while queue:
        base = queue.pop()
        for other in by_id.values():
            if other.inner_pack_id == base.pk and other.inner_count is not None:
                changed.append((other, other.factor))
                other.factor = _check_factor(check, other.inner_count * base.factor)
                queue.append(other)
    return changed


def _announce(actor: Actor, pack: Pack, item: Item, action: str) -> None:
    emit_event(
        "catalog.pack_changed",
        {"item_id": item.pk, "pack_id": pack.pk, "code": pack.code, "action": action},
        organization_id=actor.organization_id,
        actor=actor,
    )


def create_pack(
    actor: Actor,
    item: Item,
    *,
    code: str,
    name: str,
    quantity: Any,
    unit: str,
    name_en: str = "",
) -> Pack:
    """Define a pack of the item as `quantity` of a standard unit or of another of its packs."""
    actor.require(Perm.CATALOG_MANAGE)
    check = Checker()
    code = _check_pack_code(check, code)
    name = check.text("name", name, max_length=100)
    name_en = check.text("name_en", name_en, max_length=100, required=False)
    by_id = {p.pk: p for p in item.packs.all()}
    size = pack_size(item, check, quantity, unit, by_id)
    check.raise_if_any()
    if any(p.code.lower() == code.lower() for p in by_id.values()):
        raise _duplicate_code()

    try:
        with transaction.atomic():
            pack = Pack.objects.create(
                item=item,
                code=code,
                name=name,
                name_en=name_en,
                factor=size.factor,
                inner_pack=size.inner_pack,
                inner_count=size.inner_count,
            )
            record_audit(
                actor, AuditEntry.Action.CREATE, pack, organization_id=item.organization_id
            )
            _announce(actor, pack, item, "created")
    except IntegrityError:
        raise _duplicate_code() from None
    return pack


def update_pack(actor: Actor, pack: Pack, **values: Any) -> Pack:
    """Rename, resize or retire a pack; packs built on it are resized with it."""
    actor.require(Perm.CATALOG_MANAGE)
    unknown = set(values) - PACK_FIELDS
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), sorted(unknown)[0])
    item = pack.item
    by_id = {p.pk: p for p in item.packs.all()}
    check = Checker()
    clean: dict[str, Any] = {}
    if "code" in values:
        clean["code"] = _check_pack_code(check, values["code"])
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=100)
    if "name_en" in values:
        clean["name_en"] = check.text("name_en", values["name_en"], max_length=100, required=False)
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    dependents: list[tuple[Pack, Decimal]] = []
    if "quantity" in values or "unit" in values:
        inner = by_id.get(pack.inner_pack_id) if pack.inner_pack_id else None
        quantity = values.get("quantity", pack.inner_count if inner else pack.factor)
        unit = values.get("unit", inner.code if inner else item.base_unit)
        size = pack_size(item, check, quantity, unit, by_id, this=pack)
        if not check.errors:
            resized = by_id[pack.pk]
            resized.factor = size.factor
            dependents = _resized_dependents(resized, by_id, check)
            clean.update(
                factor=size.factor, inner_pack=size.inner_pack, inner_count=size.inner_count
            )
    check.raise_if_any()
    if "code" in clean and any(
        p.code.lower() == clean["code"].lower() and p.pk != pack.pk for p in by_id.values()
    ):
        raise _duplicate_code()

    try:
        with transaction.atomic():
            before = snapshot(pack)
            for key, value in clean.items():
                setattr(pack, key, value)
            pack.save()
            record_audit(
                actor,
                AuditEntry.Action.UPDATE,
                pack,
                before=before,
                organization_id=item.organization_id,
            )
            for other, old_factor in dependents:
                other.save(update_fields=["factor"])
                record_audit(
                    actor,
                    AuditEntry.Action.UPDATE,
                    other,
                    before={"factor": str(old_factor)},
                    after=snapshot(other, ["factor"]),
                    verb="resized_with_inner_pack",
                    organization_id=item.organization_id,
                )
            _announce(actor, pack, item, "updated")
    except IntegrityError:
        raise _duplicate_code() from None
    return pack


def delete_pack(actor: Actor, pack: Pack) -> None:
    """Remove a pack no other pack is built on; its barcodes go with it."""
    actor.require(Perm.CATALOG_MANAGE)
    if Pack.objects.filter(inner_pack=pack).exists() or references_outside_catalog(pack):
        raise conflict(
            errors.PACK_IN_USE,
            _("Other packs or records are built on this pack; deactivate it instead."),
        )
    item = pack.item
    with transaction.atomic():
        for barcode in pack.barcode_set.all():
            record_audit(actor, AuditEntry.Action.DELETE, barcode, before=snapshot(barcode))
        record_audit(
            actor,
            AuditEntry.Action.DELETE,
            pack,
            before=snapshot(pack),
            organization_id=item.organization_id,
        )
        _announce(actor, pack, item, "deleted")
        pack.delete()
