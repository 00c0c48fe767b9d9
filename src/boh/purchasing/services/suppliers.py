"""Writes about suppliers: the supplier, its contacts, delivery terms, items and prices."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from boh.catalog.models import FACTOR_PLACES, Item, Pack
from boh.catalog.units import unit_factor
from boh.core.errors import BohError, conflict
from boh.core.models import AuditEntry
from boh.core.numbers import COST_PLACES
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.purchasing import errors
from boh.purchasing.models import (
    PaymentTerms,
    PreferredSupplier,
    PurchasingSettings,
    Supplier,
    SupplierContact,
    SupplierItem,
    SupplierLocation,
)
from boh.purchasing.services.common import (
    check_date,
    check_money,
    check_org_location,
    check_qty,
    check_tax_id,
    refuse_unknown,
    settings_of,
)
from boh.purchasing.services.prices import add_price, price_per_pack

logger = logging.getLogger(__name__)

SUPPLIER_FIELDS = {
    "code",
    "name",
    "name_en",
    "tax_id",
    "currency",
    "payment_terms",
    "payment_days",
    "email",
    "phone",
    "address",
    "internal_location_id",
    "over_receipt_tolerance_pct",
    "is_active",
}


def _check_supplier_values(actor: Actor, values: dict[str, Any], check: Checker) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "code" in values:
        clean["code"] = check.code("code", values["code"])
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=200)
    if "name_en" in values:
        clean["name_en"] = check.text("name_en", values["name_en"], max_length=200, required=False)
    if "tax_id" in values:
        clean["tax_id"] = check_tax_id(check, "tax_id", values["tax_id"])
    if "currency" in values:
        currency = check.text("currency", values["currency"], max_length=3).upper()
        if currency and (len(currency) != 3 or not currency.isalpha()):
            check.fail("currency", "invalid_currency", _("Use a three-letter ISO 4217 code."))
        clean["currency"] = currency
    if "payment_terms" in values:
        clean["payment_terms"] = check.choice(
            "payment_terms", values["payment_terms"], set(PaymentTerms.values)
        )
    if "payment_days" in values:
        clean["payment_days"] = check.integer(
            "payment_days", values["payment_days"], minimum=0, maximum=365
        )
    if "email" in values:
        email = check.text("email", values["email"], max_length=254, required=False)
        if email and "@" not in email:
            check.fail("email", "invalid_email", _("Enter a valid email address."))
        clean["email"] = email
    if "phone" in values:
        clean["phone"] = check.text("phone", values["phone"], max_length=40, required=False)
    if "address" in values:
        clean["address"] = check.text("address", values["address"], max_length=500, required=False)
    if "internal_location_id" in values:
        location_id = values["internal_location_id"]
        if location_id is not None:
            location = check_org_location(actor, check, "internal_location_id", location_id)
            if location is not None and location.kind not in {
                Location.Kind.CENTRAL_KITCHEN,
                Location.Kind.WAREHOUSE,
            }:
                check.fail(
                    "internal_location_id",
                    "not_a_supplying_location",
                    _("Only a central kitchen or a warehouse can supply other locations."),
                )
        clean["internal_location_id"] = location_id
    if "over_receipt_tolerance_pct" in values:
        pct = values["over_receipt_tolerance_pct"]
        clean["over_receipt_tolerance_pct"] = (
            None
            if pct is None
            else check.decimal("over_receipt_tolerance_pct", pct, places=2, minimum=Decimal(0))
        )
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    return clean


def _duplicate_code() -> BohError:
    return conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code")


def create_supplier(actor: Actor, **values: Any) -> Supplier:
    """Add a supplier, or a central kitchen or warehouse acting as one (internal)."""
    actor.require(Perm.PURCHASING_MANAGE)
    refuse_unknown(values, SUPPLIER_FIELDS)
    values.setdefault("code", "")
    values.setdefault("name", "")
    check = Checker()
    clean = _check_supplier_values(actor, values, check)
    check.raise_if_any()
    if Supplier.objects.filter(
        organization=actor.organization, code__iexact=clean["code"]
    ).exists():
        raise _duplicate_code()

    try:
        with transaction.atomic():
            supplier = Supplier.objects.create(organization=actor.organization, **clean)
            record_audit(actor, AuditEntry.Action.CREATE, supplier)
            emit_event(
                "purchasing.supplier_created",
                {"supplier_id": supplier.pk, "code": supplier.code},
                organization_id=actor.organization_id,
                actor=actor,
            )
    except IntegrityError:
        raise _duplicate_code() from None
    logger.info("created supplier %s in %s", supplier.code, actor.organization.code)
    return supplier


def update_supplier(actor: Actor, supplier: Supplier, **values: Any) -> Supplier:
    """Change a supplier's details, terms or tolerance; is_active false stops new orders."""
    actor.require(Perm.PURCHASING_MANAGE)
    refuse_unknown(values, SUPPLIER_FIELDS)
    check = Checker()
    clean = _check_supplier_values(actor, values, check)
    check.raise_if_any()
    if (
        "code" in clean
        and Supplier.objects.filter(organization=actor.organization, code__iexact=clean["code"])
        .exclude(pk=supplier.pk)
        .exists()
    ):
        raise _duplicate_code()

    with transaction.atomic():
        before = snapshot(supplier)
        for key, value in clean.items():
            setattr(supplier, key, value)
        supplier.save()
        record_audit(actor, AuditEntry.Action.UPDATE, supplier, before=before)
    return supplier


def add_contact(
    actor: Actor,
    supplier: Supplier,
    *,
    name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    is_primary: bool = False,
) -> SupplierContact:
    """Add a person to a supplier's contacts; a new primary contact replaces the old one."""
    actor.require(Perm.PURCHASING_MANAGE)
    check = Checker()
    name = check.text("name", name, max_length=100)
    title = check.text("title", title, max_length=100, required=False)
    phone = check.text("phone", phone, max_length=40, required=False)
    email = check.text("email", email, max_length=254, required=False)
    if email and "@" not in email:
        check.fail("email", "invalid_email", _("Enter a valid email address."))
    check.raise_if_any()

    with transaction.atomic():
        if is_primary:
            supplier.contacts.filter(is_primary=True).update(is_primary=False)
        contact = SupplierContact.objects.create(
            supplier=supplier,
            name=name,
            title=title,
            phone=phone,
            email=email,
            is_primary=bool(is_primary),
        )
        record_audit(
            actor, AuditEntry.Action.CREATE, contact, organization_id=supplier.organization_id
        )
    return contact


def remove_contact(actor: Actor, contact: SupplierContact) -> None:
    """Remove a person from a supplier's contacts."""
    actor.require(Perm.PURCHASING_MANAGE)
    with transaction.atomic():
        before = snapshot(contact)
        record_audit(
            actor,
            AuditEntry.Action.DELETE,
            contact,
            before=before,
            organization_id=contact.supplier.organization_id,
        )
        contact.delete()


def set_delivery_terms(
    actor: Actor,
    supplier: Supplier,
    *,
    location_id: int,
    delivery_weekdays: list[int],
    cutoff_time: dt.time | str | None = None,
    lead_time_days: int = 1,
    min_order_value: Any = 0,
) -> SupplierLocation:
    """Set on which weekdays, with which cut-off and lead time, a supplier delivers a location."""
    actor.require(Perm.PURCHASING_MANAGE)
    check = Checker()
    location = check_org_location(actor, check, "location_id", location_id)
    days: list[int] = []
    if not isinstance(delivery_weekdays, list | tuple) or any(
        isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in delivery_weekdays
    ):
        check.fail(
            "delivery_weekdays",
            "invalid_weekdays",
            _("Give weekdays as numbers from 0 (Monday) to 6 (Sunday)."),
        )
    else:
        days = sorted(set(delivery_weekdays))
    cutoff: dt.time | None = None
    if isinstance(cutoff_time, dt.time):
        cutoff = cutoff_time
    elif cutoff_time not in (None, ""):
        try:
            cutoff = dt.time.fromisoformat(str(cutoff_time))
        except ValueError:
            check.fail("cutoff_time", "invalid_time", _("Enter a time such as 14:00."))
    lead = check.integer("lead_time_days", lead_time_days, minimum=0, maximum=90)
    minimum = check_money(check, "min_order_value", min_order_value)
    check.raise_if_any()
    assert location is not None

    with transaction.atomic():
        terms, created = SupplierLocation.objects.update_or_create(
            supplier=supplier,
            location=location,
            defaults={
                "organization": actor.organization,
                "delivery_weekdays": days,
                "cutoff_time": cutoff,
                "lead_time_days": lead,
                "min_order_value": minimum,
            },
        )
        record_audit(
            actor, AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE, terms
        )
    return terms


def _pack_for(
    check: Checker,
    item: Item,
    *,
    pack_id: int | None,
    pack_code: str | None,
    pack_count: Any,
    pack_size: Any,
    pack_unit: str | None,
) -> tuple[Pack | None, str, str, Decimal]:
    """The supplier item's pack: a catalog pack, or count x size unit converted exactly."""
    if pack_id is not None:
        pack = Pack.objects.filter(item=item, pk=pack_id, is_active=True).first()
        if pack is None:
            check.fail("pack_id", "not_found", _("The item has no such pack."))
            return None, "", "", Decimal(0)
        return pack, pack.code, pack.name, pack.factor
    code = check.code("pack_code", pack_code, max_length=20)
    count = check.decimal(
        "pack_count", 1 if pack_count is None else pack_count, places=3, positive=True
    )
    size = check.decimal("pack_size", pack_size, places=6, positive=True)
    unit = check.text("pack_unit", pack_unit, max_length=20)
    if check.errors:
        return None, code, "", Decimal(0)
    try:
        factor = count * size * unit_factor(item, unit, field="pack_unit")
    except BohError as exc:
        check.fail("pack_unit", exc.code, exc.message)
        return None, code, "", Decimal(0)
    if factor != factor.quantize(Decimal(1).scaleb(-FACTOR_PLACES)):
        check.fail(
            "pack_size",
            errors.PACK_TOO_PRECISE,
            _("The pack must come to at most %(n)d decimal places of the base unit.")
            % {"n": FACTOR_PLACES},
        )
    label = f"{count.normalize():f} x {size.normalize():f} {unit}"
    if count == 1:
        label = f"{size.normalize():f} {unit}"
    return None, code, label, factor


def create_supplier_item(
    actor: Actor,
    supplier: Supplier,
    *,
    item_id: int,
    supplier_code: str,
    pack_id: int | None = None,
    pack_code: str | None = None,
    pack_count: Any = None,
    pack_size: Any = None,
    pack_unit: str | None = None,
    moq: Any = 0,
    price: Any = None,
    price_unit: str | None = None,
    valid_from: dt.date | str | None = None,
) -> SupplierItem:
    """Add an item as the supplier sells it, with its exact pack and an opening price."""
    actor.require(Perm.PURCHASING_MANAGE)
    check = Checker()
    item = Item.objects.filter(organization=actor.organization, pk=item_id).first()
    if item is None:
        check.fail("item_id", "not_found", _("No such item."))
    code = check.text("supplier_code", supplier_code, max_length=60)
    minimum = check_qty(check, "moq", moq)
    pack: Pack | None = None
    unit_code, label, factor = "", "", Decimal(0)
    if item is not None:
        pack, unit_code, label, factor = _pack_for(
            check,
            item,
            pack_id=pack_id,
            pack_code=pack_code,
            pack_count=pack_count,
            pack_size=pack_size,
            pack_unit=pack_unit,
        )
    opening: Decimal | None = None
    if price is not None:
        opening = check.decimal("price", price, places=COST_PLACES, minimum=Decimal(0))
    start = check_date(check, "valid_from", valid_from, required=False)
    check.raise_if_any()
    assert item is not None
    if SupplierItem.objects.filter(supplier=supplier, supplier_code=code).exists():
        raise conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "supplier_code")

    with transaction.atomic():
        supplier_item = SupplierItem.objects.create(
            organization=actor.organization,
            supplier=supplier,
            item=item,
            supplier_code=code,
            pack=pack,
            pack_code=unit_code,
            pack_label=label,
            pack_factor=factor,
            moq=minimum,
        )
        record_audit(actor, AuditEntry.Action.CREATE, supplier_item)
        if opening is not None:
            per_pack = price_per_pack(supplier_item, opening, price_unit, "price_unit")
            add_price(actor, supplier_item, per_pack, start or dt.date.today(), "")
    return supplier_item


def update_supplier_item(actor: Actor, supplier_item: SupplierItem, **values: Any) -> SupplierItem:
    """Change a supplier item's code, MOQ or active flag (the pack is fixed once created)."""
    actor.require(Perm.PURCHASING_MANAGE)
    refuse_unknown(values, {"supplier_code", "moq", "is_active"})
    check = Checker()
    clean: dict[str, Any] = {}
    if "supplier_code" in values:
        clean["supplier_code"] = check.text("supplier_code", values["supplier_code"], max_length=60)
    if "moq" in values:
        clean["moq"] = check_qty(check, "moq", values["moq"])
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    check.raise_if_any()
    if (
        "supplier_code" in clean
        and SupplierItem.objects.filter(
            supplier_id=supplier_item.supplier_id, supplier_code=clean["supplier_code"]
        )
        .exclude(pk=supplier_item.pk)
        .exists()
    ):
        raise conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "supplier_code")

    with transaction.atomic():
        before = snapshot(supplier_item)
        for key, value in clean.items():
            setattr(supplier_item, key, value)
        supplier_item.save()
        record_audit(actor, AuditEntry.Action.UPDATE, supplier_item, before=before)
    return supplier_item


def set_preferred_supplier(
    actor: Actor, *, supplier_item_id: int, location_id: int | None = None
) -> PreferredSupplier:
    """Make a supplier item the one a location (or every location) orders its item as."""
    check = Checker()
    supplier_item = (
        SupplierItem.objects.select_related("supplier")
        .filter(organization=actor.organization, pk=supplier_item_id)
        .first()
    )
    if supplier_item is None:
        check.fail("supplier_item_id", "not_found", _("No such supplier item."))
    if location_id is not None:
        check_org_location(actor, check, "location_id", location_id)
    check.raise_if_any()
    assert supplier_item is not None
    actor.require(Perm.PURCHASING_MANAGE, location_id)

    with transaction.atomic():
        row, created = PreferredSupplier.objects.update_or_create(
            organization=actor.organization,
            item_id=supplier_item.item_id,
            location_id=location_id,
            defaults={"supplier_item": supplier_item},
        )
        record_audit(actor, AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE, row)
    return row


def update_settings(actor: Actor, **values: Any) -> PurchasingSettings:
    """Change the organization's receiving and invoice-matching tolerances."""
    actor.require(Perm.ORG_MANAGE)
    decimals = {
        "over_receipt_tolerance_pct": 2,
        "chilled_max_temp": 1,
        "frozen_max_temp": 1,
        "match_qty_tolerance": 3,
        "match_price_tolerance_pct": 2,
        "match_amount_tolerance": 2,
    }
    refuse_unknown(values, set(decimals))
    check = Checker()
    clean: dict[str, Decimal] = {}
    for key, places in decimals.items():
        if key in values:
            minimum = None if key.endswith("_temp") else Decimal(0)
            clean[key] = check.decimal(key, values[key], places=places, minimum=minimum)
    check.raise_if_any()

    with transaction.atomic():
        current = settings_of(actor.organization)
        before = snapshot(current) if current.pk else {}
        for key, value in clean.items():
            setattr(current, key, value)
        current.save()
        record_audit(actor, AuditEntry.Action.UPDATE, current, before=before)
    return current
