"""From dishes to ingredients: a run's menu-item forecasts exploded through the recipe in
force on each future day, and the central kitchens' prep lists that stores' use of prepared
items calls for.

Demand of an item on a day is the sum over dishes of P50 x quantity per portion. Its
standard deviation treats dishes and days as independent: sqrt(sum((quantity per portion x
sigma of the dish)^2)), sigma being read off the dish's P50-P90 spread.

A prepared item that a store uses as itself (broth stocked in the store, not mixed to
order) is made by the central kitchen that supplies the store: its preferred supplier for
the item when that is a central kitchen, else the organization's only central kitchen. The
kitchen makes it lead-time days before the store uses it, less what it already holds;
its own recipe (in force on the production day) gives the kitchen's ingredient demand.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from boh.catalog.models import Item
from boh.core.numbers import ZERO, round_qty
from boh.inventory.models import ItemBalance
from boh.menu.explosion import RecipeBook, SoldLine, explode_detailed
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.planning.forecast.quantiles import Z90
from boh.planning.models import ForecastRun, ForecastValue, IngredientDemand, Measure, PrepLine
from boh.purchasing.models import SupplierLocation
from boh.purchasing.selectors import preferred_supplier_items
from boh.sales.services.rows import db_date, insert

logger = logging.getLogger(__name__)

ONE = Decimal(1)
WRITE_BATCH = 5000
DEMAND_TABLE = IngredientDemand._meta.db_table
DEMAND_COLUMNS = (
    "run_id",
    "organization_id",
    "location_id",
    "item_id",
    "date",
    "source",
    "quantity",
    "sigma",
)
# (location, item, date) -> [median quantity, variance]
Demand = dict[tuple[int, int, dt.date], list[Any]]


@dataclass
class DemandSummary:
    ingredient_rows: int = 0
    prep_lines: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)


def _decimal(value: float) -> Decimal:
    return Decimal(repr(round(value, 3)))


def explode_run(actor: Actor, run: ForecastRun) -> Demand:
    """Ingredient use per location, item and day from the run's menu-item forecasts."""
    per_day: dict[dt.date, list[tuple[int, int, float, float]]] = defaultdict(list)
    for location_id, menu_item_id, day, p50, p90 in (
        ForecastValue.objects.filter(run=run, measure=Measure.ITEM, p50__gt=0)
        .order_by()
        .values_list("location_id", "menu_item_id", "date", "p50", "p90")
    ):
        per_day[day].append((location_id, menu_item_id, p50, max(p90 - p50, 0.0) / Z90))
    demand: Demand = {}
    without_recipe: set[int] = set()
    for day, rows in sorted(per_day.items()):
        menu_ids = sorted({mid for _loc, mid, _p, _s in rows})
        explosion = explode_detailed(
            actor.organization_id, [SoldLine(mid, ONE) for mid in menu_ids], day, per_line=True
        )
        assert explosion.lines is not None
        vectors = dict(zip(menu_ids, explosion.lines, strict=True))
        without_recipe |= explosion.without_recipe
        for location_id, menu_item_id, p50, sigma in rows:
            portions = _decimal(p50)
            for item_id, per_portion in vectors[menu_item_id].items():
                acc = demand.setdefault((location_id, item_id, day), [ZERO, 0.0])
                acc[0] += portions * per_portion
                acc[1] += (float(per_portion) * sigma) ** 2
    if without_recipe:
        _warn(run, "without_recipe", menu_item_ids=sorted(without_recipe))
    return demand


def _warn(run: ForecastRun, code: str, **params: Any) -> None:
    run.warnings = [*run.warnings, {"code": code, "params": params}]


def _kitchens(
    actor: Actor, uses: dict[tuple[int, int], Any]
) -> tuple[dict[tuple[int, int], tuple[int, int]], list[tuple[int, int]]]:
    """The kitchen and lead time supplying each (store, prepared item); and those without."""
    kitchens = list(
        Location.objects.filter(
            organization=actor.organization, kind=Location.Kind.CENTRAL_KITCHEN, is_active=True
        ).values_list("pk", flat=True)
    )
    only = kitchens[0] if len(kitchens) == 1 else None
    result: dict[tuple[int, int], tuple[int, int]] = {}
    missing = []
    by_store: dict[int, set[int]] = defaultdict(set)
    for store_id, item_id in uses:
        by_store[store_id].add(item_id)
    for store_id, item_ids in by_store.items():
        preferred = preferred_supplier_items(actor.organization_id, item_ids, store_id)
        for item_id in item_ids:
            si = preferred.get(item_id)
            kitchen = si.supplier.internal_location_id if si is not None else None
            if kitchen is None or kitchen not in kitchens:
                kitchen = only
            if kitchen is None:
                missing.append((store_id, item_id))
                continue
            lead = 1
            if si is not None and si.supplier.internal_location_id == kitchen:
                terms = SupplierLocation.objects.filter(
                    supplier_id=si.supplier_id, location_id=store_id
                ).first()
                lead = terms.lead_time_days if terms is not None else 1
            result[(store_id, item_id)] = (kitchen, lead)
    return result, missing


def plan_demand(actor: Actor, run: ForecastRun) -> DemandSummary:
    """Store the run's ingredient demand per location and day, and the kitchens' prep lists."""
    actor.require(Perm.PLANNING_MANAGE)
    demand = explode_run(actor, run)
    prepared = set(
        Item.objects.filter(
            organization=actor.organization,
            kind=Item.Kind.PREPARED,
            pk__in={item_id for _loc, item_id, _day in demand},
            recipe__isnull=False,
        ).values_list("pk", flat=True)
    )
    uses: dict[tuple[int, int], dict[dt.date, list[Any]]] = defaultdict(dict)
    for (location_id, item_id, day), acc in demand.items():
        if item_id in prepared:
            uses[(location_id, item_id)][day] = acc
    supply, missing = _kitchens(actor, uses)
    if missing:
        _warn(run, "no_kitchen", pairs=sorted(missing))

    # Prep quantity per (kitchen, item, production day), with the stores it is for.
    prep: dict[tuple[int, int, dt.date], dict[int, list[Any]]] = defaultdict(dict)
    for (store_id, item_id), days in uses.items():
        if (store_id, item_id) not in supply:
            continue
        kitchen, lead = supply[(store_id, item_id)]
        for day, acc in days.items():
            made_on = day - dt.timedelta(days=lead)
            if made_on < run.first_date:
                continue
            share = prep[(kitchen, item_id, made_on)].setdefault(store_id, [ZERO, 0.0])
            share[0] += acc[0]
            share[1] += acc[1]
    held = _kitchen_stock(prep)
    books: dict[dt.date, RecipeBook] = {}
    lines: list[PrepLine] = []
    production: Demand = {}
    for kitchen, item_id, made_on in sorted(prep):
        stores = prep[(kitchen, item_id, made_on)]
        total = sum((share[0] for share in stores.values()), ZERO)
        variance = sum(share[1] for share in stores.values())
        covered = min(held.get((kitchen, item_id), ZERO), total)
        held[(kitchen, item_id)] = held.get((kitchen, item_id), ZERO) - covered
        quantity = round_qty(total - covered)
        if quantity <= 0:
            continue
        lines.append(
            PrepLine(
                run=run,
                organization_id=run.organization_id,
                location_id=kitchen,
                item_id=item_id,
                date=made_on,
                quantity=quantity,
                for_locations={str(s): str(round_qty(v[0])) for s, v in sorted(stores.items())},
            )
        )
        book = books.setdefault(
            made_on, RecipeBook(actor.organization_id, made_on, all_prepared=True)
        )
        book.load((), [item_id])
        if book.prepared.get(item_id) is None:
            continue
        for child, per_unit in book.item_vector(item_id).items():
            acc = production.setdefault((kitchen, child, made_on), [ZERO, 0.0])
            acc[0] += quantity * per_unit
            acc[1] += float(per_unit) ** 2 * variance

    rows = _demand_rows(run, demand, IngredientDemand.Source.SALES) + _demand_rows(
        run, production, IngredientDemand.Source.PRODUCTION
    )
    with transaction.atomic():
        IngredientDemand.objects.filter(run=run).delete()
        PrepLine.objects.filter(run=run).delete()
        for start in range(0, len(rows), WRITE_BATCH):
            insert(DEMAND_TABLE, DEMAND_COLUMNS, rows[start : start + WRITE_BATCH])
        PrepLine.objects.bulk_create(lines, batch_size=WRITE_BATCH)
        run.save(update_fields=["warnings"])
    logger.info("run %s: %d ingredient demand rows, %d prep lines", run.pk, len(rows), len(lines))
    return DemandSummary(len(rows), len(lines), list(run.warnings))


def _kitchen_stock(prep: dict[tuple[int, int, dt.date], Any]) -> dict[tuple[int, int], Decimal]:
    """What each kitchen holds now of the prepared items it is to make."""
    pairs = {(kitchen, item_id) for kitchen, item_id, _day in prep}
    if not pairs:
        return {}
    rows = (
        ItemBalance.objects.filter(
            location_id__in={k for k, _i in pairs}, item_id__in={i for _k, i in pairs}
        )
        .values("location_id", "item_id")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    return {
        (r["location_id"], r["item_id"]): max(r["quantity"] or ZERO, ZERO)
        for r in rows
        if (r["location_id"], r["item_id"]) in pairs
    }


def _demand_rows(run: ForecastRun, demand: Demand, source: str) -> list[tuple[Any, ...]]:
    """Rows of ingredient demand with a quantity to use, as tuples in DEMAND_COLUMNS order."""
    days: dict[dt.date, Any] = {}
    rows = []
    for (location_id, item_id, day), acc in demand.items():
        quantity = round_qty(acc[0])
        if quantity <= 0:
            continue
        stored = days.get(day)
        if stored is None:
            stored = days[day] = db_date(day)
        rows.append(
            (
                run.pk,
                run.organization_id,
                location_id,
                item_id,
                stored,
                source,
                quantity,
                _decimal(math.sqrt(acc[1])),
            )
        )
    return rows
