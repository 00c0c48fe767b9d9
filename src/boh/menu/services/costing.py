"""Writes of recipe costing: the cost basis, standard costs and daily recipe cost snapshots."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from boh.catalog.models import Item
from boh.catalog.units import unit_factor
from boh.core.errors import BohError
from boh.core.models import AuditEntry
from boh.core.numbers import COST_PLACES, round_cost, round_value
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.menu import errors
from boh.menu.costing import COST_BASES, portion_costs
from boh.menu.models import (
    MenuItem,
    MenuSettings,
    RecipeCostSnapshot,
    StandardCost,
    at_location,
)
from boh.menu.selectors import business_today
from boh.menu.services.common import is_id
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm

logger = logging.getLogger(__name__)

MAX_UNIT_COST = Decimal(10) ** 13


def set_cost_basis(actor: Actor, cost_basis: str) -> MenuSettings:
    """Choose where recipe costing takes unit costs from (see boh.menu.costing.COST_BASES)."""
    actor.require(Perm.MENU_MANAGE)
    if cost_basis not in COST_BASES:
        raise BohError(
            code=errors.UNKNOWN_COST_BASIS,
            message=_("'%(value)s' is not one of the allowed values.") % {"value": cost_basis[:50]},
            field="cost_basis",
        )
    with transaction.atomic():
        settings, created = MenuSettings.objects.get_or_create(organization=actor.organization)
        before = snapshot(settings)
        settings.cost_basis = cost_basis
        settings.save()
        record_audit(
            actor,
            AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            settings,
            before=before,
        )
    return settings


def set_standard_cost(
    actor: Actor, *, item_id: int, unit_cost: Any, unit: str | None = None
) -> StandardCost | None:
    """Set an item's standard cost, entered per `unit` (default: its base unit); None clears it.

    Stored per base unit: 36 per kg is 0.036 per g.
    """
    actor.require(Perm.MENU_MANAGE)
    check = Checker()
    item = (
        Item.objects.filter(organization=actor.organization, pk=item_id).first()
        if is_id(item_id)
        else None
    )
    if item is None:
        check.fail("item_id", "not_found", _("No such item."))
    cost = None
    if unit_cost is not None:
        cost = check.decimal("unit_cost", unit_cost, places=COST_PLACES, minimum=Decimal(0))
        if not check.has("unit_cost") and cost >= MAX_UNIT_COST:
            check.fail("unit_cost", "too_large", _("This number is too large."))
    factor = Decimal(1)
    if item is not None and unit:
        try:
            factor = unit_factor(item, unit, None, "unit")
        except BohError as exc:
            for error in exc.fields:
                check.fail(error.field, error.code, error.message)
    check.raise_if_any()
    assert item is not None

    with transaction.atomic():
        existing = StandardCost.objects.filter(item=item).first()
        if cost is None:
            if existing is not None:
                record_audit(actor, AuditEntry.Action.DELETE, existing, before=snapshot(existing))
                existing.delete()
            return None
        per_base = round_cost(cost / factor)
        if existing is None:
            row = StandardCost.objects.create(
                organization=actor.organization, item=item, unit_cost=per_base
            )
            record_audit(actor, AuditEntry.Action.CREATE, row)
            return row
        before = snapshot(existing)
        existing.unit_cost = per_base
        existing.save()
        record_audit(actor, AuditEntry.Action.UPDATE, existing, before=before)
        return existing


def snapshot_recipe_costs(
    actor: Actor,
    *,
    on: dt.date | None = None,
    location_ids: Collection[int | None] | None = None,
) -> int:
    """Record each menu item's portion cost for a day, per store and (None) at standard cost.

    Running it again for the same day replaces that day's snapshots.
    """
    actor.require(Perm.MENU_MANAGE)
    on = on or business_today(actor.organization)
    if location_ids is None:
        stores = Location.objects.filter(
            organization=actor.organization, kind=Location.Kind.STORE, is_active=True
        ).values_list("pk", flat=True)
        location_ids = [None, *stores]
    menu_ids = list(
        MenuItem.objects.filter(organization=actor.organization, is_active=True).values_list(
            "pk", flat=True
        )
    )

    rows: list[RecipeCostSnapshot] = []
    for location_id in location_ids:
        costs = portion_costs(actor.organization_id, menu_ids, location_id=location_id, on=on)
        rows.extend(
            RecipeCostSnapshot(
                organization=actor.organization,
                menu_item_id=menu_item_id,
                location_id=location_id,
                taken_on=on,
                version_id=portion.version_id,
                cost=portion.cost,
                complete=portion.complete,
                contributions={
                    str(item_id): str(round_value(value))
                    for item_id, value in sorted(portion.contributions.items())
                },
            )
            for menu_item_id, portion in costs.items()
        )

    with transaction.atomic():
        for location_id in location_ids:
            RecipeCostSnapshot.objects.filter(
                at_location(location_id), organization=actor.organization, taken_on=on
            ).delete()
        RecipeCostSnapshot.objects.bulk_create(rows, batch_size=500)
        emit_event(
            "menu.recipe_costs_snapshotted",
            {"taken_on": on, "snapshots": len(rows)},
            organization_id=actor.organization_id,
            actor=actor,
        )
    logger.info("snapshotted %d recipe costs on %s in %s", len(rows), on, actor.organization.code)
    return len(rows)
