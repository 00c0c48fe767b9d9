"""Checks shared by the catalog's services: permissions at a location, names, numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from boh.core.errors import permission_denied
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm

# Days of shelf life are entered by people; a hundred years is plainly a typing error.
MAX_SHELF_LIFE_DAYS = 36_500
# Largest quantity a QTY column (18 digits, 3 places) holds.
MAX_QUANTITY = Decimal(10) ** 15
# Largest pack size a factor column (18 digits, 6 places) holds.
MAX_FACTOR = Decimal(10) ** 12


def pinyin_initials(name: str) -> str:
    """Initials of a Chinese name in pinyin for quick search: 肥牛卷 -> "fnj"."""
    letters = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
    return "".join(ch for ch in letters if ch.isascii() and ch.isalnum())[:200]


def can_manage_location(actor: Actor, location_id: int) -> bool:
    """Storage areas and stock levels: catalog managers, or stock admins of that location."""
    return actor.can(Perm.CATALOG_MANAGE, location_id) or actor.can(Perm.STOCK_ADMIN, location_id)


def require_location_manage(actor: Actor, location_id: int) -> None:
    """Raise 403 unless the actor may manage storage areas and stock levels at the location."""
    if not can_manage_location(actor, location_id):
        raise permission_denied(_("Your role does not allow this action."))


def check_location(actor: Actor, check: Checker, location_id: Any) -> Location | None:
    """The actor's organization's location, or a field error on location_id."""
    location = None
    if isinstance(location_id, int) and not isinstance(location_id, bool):
        location = Location.objects.filter(organization=actor.organization, pk=location_id).first()
    if location is None:
        check.fail("location_id", "not_found", _("No such location."))
    return location


def check_optional_days(check: Checker, field: str, value: Any) -> int | None:
    """A number of days, or None when left empty."""
    if value is None or value == "":
        return None
    return check.integer(field, value, minimum=0, maximum=MAX_SHELF_LIFE_DAYS)


def check_quantity(check: Checker, field: str, value: Any, *, positive: bool = False) -> Decimal:
    """A quantity as entered (in any unit): at most 6 places, not negative, not absurdly large."""
    number = check.decimal(field, value, places=6, positive=positive, minimum=Decimal(0))
    if not check.has(field) and number >= MAX_QUANTITY:
        check.fail(field, "too_large", _("This number is too large."))
    return number


def references_outside_catalog(obj: models.Model) -> bool:
    """True when a row of another module (stock moves, recipes, orders) points at obj."""
    for rel in obj._meta.related_objects:
        model = rel.related_model
        if not isinstance(model, type) or model._meta.app_label == "catalog":
            continue
        if model._default_manager.filter(**{rel.field.name: obj}).exists():
            return True
    return False
