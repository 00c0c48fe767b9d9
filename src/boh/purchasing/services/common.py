"""Checks and small helpers shared by the purchasing services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from boh.core.errors import validation_error
from boh.core.numbers import MONEY_PLACES, QTY_PLACES
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.models import Location, Organization
from boh.purchasing import errors
from boh.purchasing.models import PurchasingSettings

# 统一社会信用代码 (GB 32100-2015): 18 characters of this alphabet, the last a check character.
TAX_ID_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
TAX_ID_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def is_valid_tax_id(code: str) -> bool:
    """True for a well-formed unified social credit code with the right check character."""
    if len(code) != 18 or any(ch not in TAX_ID_ALPHABET for ch in code):
        return False
    total = sum(
        TAX_ID_ALPHABET.index(ch) * w for ch, w in zip(code[:17], TAX_ID_WEIGHTS, strict=True)
    )
    check = (31 - total % 31) % 31
    return TAX_ID_ALPHABET[check] == code[17]


def check_tax_id(check: Checker, field: str, value: Any, *, required: bool = False) -> str:
    """A unified social credit code, upper-cased; a field error when malformed."""
    code = check.text(field, value, max_length=18, required=required).upper()
    if code and not check.has(field) and not is_valid_tax_id(code):
        check.fail(
            field,
            errors.INVALID_TAX_ID,
            _("Enter an 18-character unified social credit code (统一社会信用代码)."),
        )
    return code


def check_money(check: Checker, field: str, value: Any, *, positive: bool = False) -> Decimal:
    """A non-negative (or positive) amount of money to the fen."""
    return check.decimal(
        field,
        value,
        places=MONEY_PLACES,
        positive=positive,
        minimum=None if positive else Decimal(0),
    )


def check_qty(check: Checker, field: str, value: Any, *, positive: bool = False) -> Decimal:
    """A non-negative (or positive) quantity to the stored precision."""
    return check.decimal(
        field, value, places=QTY_PLACES, positive=positive, minimum=None if positive else Decimal(0)
    )


def check_date(check: Checker, field: str, value: Any, *, required: bool = True) -> dt.date | None:
    """A date given as a date or an ISO string."""
    if value is None or value == "":
        if required:
            check.fail(field, "required", _("This field is required."))
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        check.fail(field, "invalid_date", _("Enter a valid date (YYYY-MM-DD)."))
        return None


def check_org_location(
    actor: Actor, check: Checker, field: str, location_id: Any
) -> Location | None:
    """A location of the actor's organization, or a field error."""
    location = None
    if location_id is not None:
        location = Location.objects.filter(organization=actor.organization, pk=location_id).first()
    if location is None:
        check.fail(field, "not_found", _("No such location."))
    return location


def check_ids_exist(
    check: Checker, lines: Any, field: str, known: set[int], prefix: str = "lines"
) -> None:
    """A not-found error for each line naming an id outside the organization's `known` ids."""
    if not isinstance(lines, list):
        return
    for i, line in enumerate(lines):
        value = line.get(field) if isinstance(line, dict) else None
        if value is not None and value not in known:
            check.fail(f"{prefix}[{i}].{field}", "not_found", _("Not found."))


def refuse_unknown(values: dict[str, Any], allowed: set[str]) -> None:
    """Refuse a value whose name the service does not take."""
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), unknown[0])


def settings_of(organization: Organization) -> PurchasingSettings:
    """The organization's purchasing tolerances; defaults until someone changes them."""
    found = PurchasingSettings.objects.filter(organization=organization).first()
    return found or PurchasingSettings(organization=organization)


def assign_number(obj: models.Model, prefix: str) -> None:
    """Give a freshly created document its number from its id: PO000042."""
    obj.number = f"{prefix}{obj.pk:06d}"  # type: ignore[attr-defined]
    obj.save(update_fields=["number"])
