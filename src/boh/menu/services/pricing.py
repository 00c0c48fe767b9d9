"""Writes of menu prices per location and channel, and of the POS codes that name menu items."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from boh.core.errors import BohError, conflict
from boh.core.models import AuditEntry
from boh.core.numbers import MONEY_PLACES
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.menu import errors
from boh.menu.models import (
    Channel,
    MenuItem,
    MenuPrice,
    ModifierOption,
    PosCode,
    at_location,
)
from boh.menu.services.common import check_date, is_id, refuse_unknown
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm

logger = logging.getLogger(__name__)

PRICE_FIELDS = {"price", "effective_from", "effective_to"}
# Largest amount a MONEY column (18 digits, 2 places) holds.
MAX_PRICE = Decimal(10) ** 15


def _duplicate_price() -> BohError:
    return conflict(
        errors.DUPLICATE_PRICE,
        _("A price for this channel and location already starts on this date."),
        "effective_from",
    )


def _check_price_values(check: Checker, values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "price" in values:
        price = check.decimal("price", values["price"], places=MONEY_PLACES, minimum=Decimal(0))
        if not check.has("price") and price >= MAX_PRICE:
            check.fail("price", "too_large", _("This number is too large."))
        clean["price"] = price
    if "effective_from" in values:
        clean["effective_from"] = check_date(check, "effective_from", values["effective_from"])
    if "effective_to" in values:
        clean["effective_to"] = check_date(
            check, "effective_to", values["effective_to"], required=False
        )
    return clean


def _check_dates_ordered(check: Checker, start: Any, end: Any) -> None:
    if start is not None and end is not None and end < start:
        check.fail(
            "effective_to",
            "dates_reversed",
            _("The last day cannot be before the first day."),
        )


def create_price(
    actor: Actor,
    menu_item: MenuItem,
    *,
    channel: str,
    price: Any,
    effective_from: Any,
    effective_to: Any = None,
    location_id: int | None = None,
) -> MenuPrice:
    """Set a menu item's price on a channel from a date, at one location or (none) everywhere."""
    actor.require(Perm.MENU_MANAGE, location_id)
    check = Checker()
    channel = check.choice("channel", channel, set(Channel.values))
    clean = _check_price_values(
        check, {"price": price, "effective_from": effective_from, "effective_to": effective_to}
    )
    _check_dates_ordered(check, clean["effective_from"], clean["effective_to"])
    if location_id is not None and (
        not is_id(location_id)
        or not Location.objects.filter(organization=actor.organization, pk=location_id).exists()
    ):
        check.fail("location_id", "not_found", _("No such location."))
    check.raise_if_any()
    same = MenuPrice.objects.filter(
        at_location(location_id),
        menu_item=menu_item,
        channel=channel,
        effective_from=clean["effective_from"],
    )
    if same.exists():
        raise _duplicate_price()

    try:
        with transaction.atomic():
            row = MenuPrice.objects.create(
                organization=actor.organization,
                menu_item=menu_item,
                channel=channel,
                location_id=location_id,
                **clean,
            )
            record_audit(actor, AuditEntry.Action.CREATE, row)
            emit_event(
                "menu.price_set",
                {
                    "menu_item_id": menu_item.pk,
                    "price_id": row.pk,
                    "channel": channel,
                    "location_id": location_id,
                    "price": row.price,
                    "effective_from": row.effective_from,
                },
                organization_id=actor.organization_id,
                actor=actor,
            )
    except IntegrityError:
        raise _duplicate_price() from None
    return row


def update_price(actor: Actor, row: MenuPrice, **values: Any) -> MenuPrice:
    """Change a price row's amount or dates."""
    actor.require(Perm.MENU_MANAGE, row.location_id)
    refuse_unknown(values, PRICE_FIELDS)
    check = Checker()
    clean = _check_price_values(check, values)
    if "effective_from" in values and clean["effective_from"] is None:
        clean.pop("effective_from")
    _check_dates_ordered(
        check,
        clean.get("effective_from", row.effective_from),
        clean.get("effective_to", row.effective_to),
    )
    check.raise_if_any()
    if (
        "effective_from" in clean
        and MenuPrice.objects.filter(
            at_location(row.location_id),
            menu_item_id=row.menu_item_id,
            channel=row.channel,
            effective_from=clean["effective_from"],
        )
        .exclude(pk=row.pk)
        .exists()
    ):
        raise _duplicate_price()

    try:
        with transaction.atomic():
            before = snapshot(row)
            for key, value in clean.items():
                setattr(row, key, value)
            row.save()
            record_audit(actor, AuditEntry.Action.UPDATE, row, before=before)
            emit_event(
                "menu.price_set",
                {
                    "menu_item_id": row.menu_item_id,
                    "price_id": row.pk,
                    "channel": row.channel,
                    "location_id": row.location_id,
                    "price": row.price,
                    "effective_from": row.effective_from,
                },
                organization_id=actor.organization_id,
                actor=actor,
            )
    except IntegrityError:
        raise _duplicate_price() from None
    return row


def delete_price(actor: Actor, row: MenuPrice) -> None:
    """Remove a price row entered by mistake."""
    actor.require(Perm.MENU_MANAGE, row.location_id)
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, row, before=snapshot(row))
        row.delete()


# POS codes


def _duplicate_pos_code() -> BohError:
    return conflict(
        errors.DUPLICATE_POS_CODE,
        _("This POS source already uses this code for another menu item or option."),
        "code",
    )


def create_pos_code(
    actor: Actor,
    *,
    source: str,
    code: str,
    menu_item_id: int | None = None,
    option_id: int | None = None,
) -> PosCode:
    """Map a code a POS sends (PLU, SKU, platform id) to a menu item or a modifier option."""
    actor.require(Perm.MENU_MANAGE)
    check = Checker()
    source = check.code("source", source).lower()
    code = check.text("code", code, max_length=64)
    if code and not code.isprintable():
        check.fail("code", "invalid_code", _("Use printable characters only."))
    if menu_item_id is not None and (
        not is_id(menu_item_id)
        or not MenuItem.objects.filter(organization=actor.organization, pk=menu_item_id).exists()
    ):
        check.fail("menu_item_id", "not_found", _("No such menu item."))
    if option_id is not None and (
        not is_id(option_id)
        or not ModifierOption.objects.filter(organization=actor.organization, pk=option_id).exists()
    ):
        check.fail("option_id", "not_found", _("No such modifier option."))
    if (menu_item_id is None) == (option_id is None):
        check.fail(
            "menu_item_id",
            "one_target",
            _("Give either a menu item or a modifier option."),
        )
    check.raise_if_any()
    if PosCode.objects.filter(organization=actor.organization, source=source, code=code).exists():
        raise _duplicate_pos_code()

    try:
        with transaction.atomic():
            pos_code = PosCode.objects.create(
                organization=actor.organization,
                source=source,
                code=code,
                menu_item_id=menu_item_id,
                option_id=option_id,
            )
            record_audit(actor, AuditEntry.Action.CREATE, pos_code)
            # Sales may hold lines that were unmapped until now; it listens for this.
            emit_event(
                "menu.pos_code_mapped",
                {
                    "pos_code_id": pos_code.pk,
                    "source": source,
                    "code": code,
                    "menu_item_id": menu_item_id,
                    "option_id": option_id,
                },
                organization_id=actor.organization_id,
                actor=actor,
            )
    except IntegrityError:
        raise _duplicate_pos_code() from None
    return pos_code


def delete_pos_code(actor: Actor, pos_code: PosCode) -> None:
    """Stop recognising a POS code."""
    actor.require(Perm.MENU_MANAGE)
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, pos_code, before=snapshot(pos_code))
        pos_code.delete()
