"""Recipe costing: portion cost, food-cost % against each price, and the dishes whose cost moved.

Unit costs come from a `CostSource`. The organization's cost basis (MenuSettings) names
the primary source in COST_BASES: "average" reads the moving-average cost of the
location from the inventory ledger. A higher module adds another basis with
`register_cost_basis` (purchasing: "last_purchase"). Items the primary source cannot
cost fall back to their standard cost (StandardCost); a prepared item that still has no
cost is costed through its own recipe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from boh.catalog.models import Item
from boh.core.numbers import round_money, round_value
from boh.inventory.selectors import current_unit_cost
from boh.menu.explosion import ZERO, RecipeBook, Vector
from boh.menu.models import (
    ComboComponent,
    MenuItem,
    MenuSettings,
    RecipeCostSnapshot,
    RecipeLine,
    StandardCost,
    at_location,
)
from boh.menu.selectors import prices_in_force


class CostSource(Protocol):
    """Where unit costs come from."""

    def unit_costs(self, item_ids: Collection[int]) -> dict[int, Decimal]:
        """Cost per base unit of each item this source knows; unknown items are left out."""
        ...


class AverageCost:
    """The moving-average cost of each item at a location, from the inventory ledger."""

    def __init__(self, location_id: int) -> None:
        self.location_id = location_id

    def unit_costs(self, item_ids: Collection[int]) -> dict[int, Decimal]:
        result: dict[int, Decimal] = {}
        for item_id in item_ids:
            cost = current_unit_cost(self.location_id, item_id)
            if cost is not None and cost > 0:
                result[item_id] = cost
        return result


class StandardCostSource:
    """The planned cost per base unit entered for each item (StandardCost)."""

    def __init__(self, organization_id: int) -> None:
        self.organization_id = organization_id

    def unit_costs(self, item_ids: Collection[int]) -> dict[int, Decimal]:
        return dict(
            StandardCost.objects.filter(
                organization_id=self.organization_id, item_id__in=list(item_ids)
            ).values_list("item_id", "unit_cost")
        )


class FirstKnown:
    """Each item's cost from the first source that knows it."""

    def __init__(self, sources: Iterable[CostSource]) -> None:
        self.sources = list(sources)

    def unit_costs(self, item_ids: Collection[int]) -> dict[int, Decimal]:
        result: dict[int, Decimal] = {}
        missing = set(item_ids)
        for source in self.sources:
            if not missing:
                break
            found = source.unit_costs(missing)
            result.update(found)
            missing -= set(found)
        return result


CostBasisFactory = Callable[[int, int | None], CostSource | None]


@dataclass(frozen=True)
class CostBasis:
    name: str
    label: object
    # (organization id, location id or None) -> a source, or None where it has nothing to say.
    factory: CostBasisFactory


COST_BASES: dict[str, CostBasis] = {}


def register_cost_basis(name: str, label: object, factory: CostBasisFactory) -> None:
    """Offer a cost basis for recipe costing; higher modules call this from AppConfig.ready()."""
    COST_BASES[name] = CostBasis(name, label, factory)


register_cost_basis(
    "average",
    _("Moving average cost at the location"),
    lambda organization_id, location_id: AverageCost(location_id) if location_id else None,
)
register_cost_basis("standard", _("Standard cost"), lambda organization_id, location_id: None)


def cost_basis_of(organization_id: int) -> str:
    """The organization's chosen cost basis ("average" unless set otherwise)."""
    chosen = (
        MenuSettings.objects.filter(organization_id=organization_id)
        .values_list("cost_basis", flat=True)
        .first()
    )
    return chosen or "average"


def cost_source_for(organization_id: int, location_id: int | None) -> CostSource:
    """The organization's cost basis at a location, falling back to standard costs."""
    basis = COST_BASES.get(cost_basis_of(organization_id)) or COST_BASES["average"]
    primary = basis.factory(organization_id, location_id)
    standard = StandardCostSource(organization_id)
    return FirstKnown([primary, standard]) if primary is not None else standard


@dataclass
class LineCost:
    """One line of the recipe in force, per portion, with its cost."""

    line: RecipeLine
    gross_quantity: Decimal
    cost: Decimal
    complete: bool


@dataclass
class PriceCost:
    """Food cost % and margin against one channel's price."""

    channel: str
    location_id: int | None
    price: Decimal
    food_cost_pct: Decimal | None
    margin: Decimal


@dataclass
class PortionCost:
    """What one portion of a menu item costs at a location on a date."""

    menu_item_id: int
    version_id: int | None
    cost: Decimal
    complete: bool
    # Items that have no cost from any source (the cost leaves them out).
    missing_item_ids: set[int]
    # Exact cost share of each depleted item.
    contributions: Vector
    lines: list[LineCost] = field(default_factory=list)
    prices: list[PriceCost] = field(default_factory=list)


def food_cost_pct(cost: Decimal, price: Decimal) -> Decimal | None:
    """Cost as a percentage of a price, to two places; None for a free item."""
    if price == 0:
        return None
    return round_money(cost * 100 / price)


class _Costing:
    """Costs the recipes of many menu items with one recipe book and one cost lookup."""

    def __init__(
        self,
        organization_id: int,
        menu_item_ids: Collection[int],
        *,
        location_id: int | None,
        on: dt.date,
        source: CostSource | None,
    ) -> None:
        self.kinds = dict(
            MenuItem.objects.filter(
                organization_id=organization_id, pk__in=list(menu_item_ids)
            ).values_list("pk", "kind")
        )
        self.components: dict[int, list[tuple[int, Decimal]]] = {}
        combos = [pk for pk, kind in self.kinds.items() if kind == MenuItem.Kind.COMBO]
        for combo_id, component_id, quantity in ComboComponent.objects.filter(
            combo_id__in=combos
        ).values_list("combo_id", "component_id", "quantity"):
            self.components.setdefault(combo_id, []).append((component_id, quantity))
        self.book = RecipeBook(organization_id, on, all_prepared=True)
        self.book.load({*self.kinds, *(c for parts in self.components.values() for c, _ in parts)})
        source = source or cost_source_for(organization_id, location_id)
        self.costs = source.unit_costs(self.book.item_ids())
        prepared = self.book.prepared
        # A prepared item is costed through its recipe when that is what selling depletes,
        # or when no source knows its cost.
        self.book.expands = lambda item_id: (
            (version := prepared.get(item_id)) is not None
            and (version.explode or item_id not in self.costs)
        )

    def price(self, vector: Vector) -> tuple[Vector, set[int]]:
        contributions: Vector = {}
        missing: set[int] = set()
        for item_id, quantity in vector.items():
            unit_cost = self.costs.get(item_id)
            if unit_cost is None:
                missing.add(item_id)
            else:
                contributions[item_id] = quantity * unit_cost
        return contributions, missing

    def vector(self, menu_item_id: int) -> Vector | None:
        own = self.book.menu_vector(menu_item_id)
        parts = self.components.get(menu_item_id, [])
        if own is None and not parts:
            return None
        total = dict(own or {})
        for component_id, quantity in parts:
            for item_id, per_unit in (self.book.menu_vector(component_id) or {}).items():
                total[item_id] = total.get(item_id, ZERO) + per_unit * quantity
        return total

    def portion(self, menu_item_id: int) -> PortionCost | None:
        vector = self.vector(menu_item_id)
        if vector is None:
            return None
        contributions, missing = self.price(vector)
        version = self.book.menu.get(menu_item_id)
        return PortionCost(
            menu_item_id=menu_item_id,
            version_id=version.version_id if version else None,
            cost=round_value(sum(contributions.values(), ZERO)),
            complete=not missing,
            missing_item_ids=missing,
            contributions=contributions,
        )


def portion_costs(
    organization_id: int,
    menu_item_ids: Collection[int],
    *,
    location_id: int | None,
    on: dt.date,
    source: CostSource | None = None,
) -> dict[int, PortionCost]:
    """Portion cost of each menu item that has a recipe (or set-meal components) on a date."""
    costing = _Costing(
        organization_id, menu_item_ids, location_id=location_id, on=on, source=source
    )
    result: dict[int, PortionCost] = {}
    for menu_item_id in costing.kinds:
        portion = costing.portion(menu_item_id)
        if portion is not None:
            result[menu_item_id] = portion
    return result


def recipe_cost(
    organization_id: int,
    menu_item: MenuItem,
    *,
    location_id: int | None,
    on: dt.date,
    source: CostSource | None = None,
) -> PortionCost | None:
    """A menu item's portion cost with the cost of each recipe line and of each price."""
    costing = _Costing(
        organization_id, [menu_item.pk], location_id=location_id, on=on, source=source
    )
    portion = costing.portion(menu_item.pk)
    if portion is None:
        return None
    version = costing.book.menu.get(menu_item.pk)
    if version is not None:
        rows = RecipeLine.objects.filter(version_id=version.version_id).select_related("item")
        for line in rows.order_by("sort_order", "id"):
            per_portion = line.gross_base_quantity / version.yield_base
            vector: Vector = {}
            costing.book.add(vector, line.item_id, per_portion, frozenset())
            contributions, missing = costing.price(vector)
            portion.lines.append(
                LineCost(
                    line=line,
                    gross_quantity=per_portion,
                    cost=round_value(sum(contributions.values(), ZERO)),
                    complete=not missing,
                )
            )
    in_force = prices_in_force(organization_id, [menu_item.pk], location_id=location_id, on=on)
    for (_menu_item_id, channel), row in sorted(in_force.items()):
        portion.prices.append(
            PriceCost(
                channel=channel,
                location_id=row.location_id,
                price=row.price,
                food_cost_pct=food_cost_pct(portion.cost, row.price),
                margin=round_value(row.price - portion.cost),
            )
        )
    return portion


@dataclass
class CostMover:
    """A menu item whose portion cost moved, and the item that moved it most."""

    menu_item: MenuItem
    location_id: int | None
    old_on: dt.date
    new_on: dt.date
    old_cost: Decimal
    new_cost: Decimal
    change: Decimal
    change_pct: Decimal | None
    item: Item | None
    item_old_cost: Decimal
    item_new_cost: Decimal


def cost_movers(
    organization_id: int,
    *,
    location_id: int | None,
    days: int,
    threshold_pct: Decimal,
    today: dt.date,
) -> list[CostMover]:
    """Menu items whose snapshot cost moved by at least threshold_pct over `days` days.

    Compares each menu item's latest snapshot (on or before today) with its latest
    snapshot at least `days` days older; the largest moves come first.
    """
    window_start = today - dt.timedelta(days=days + 31)
    rows = (
        RecipeCostSnapshot.objects.filter(
            at_location(location_id),
            organization_id=organization_id,
            taken_on__lte=today,
            taken_on__gte=window_start,
        )
        .order_by("menu_item_id", "taken_on")
        .values_list("menu_item_id", "taken_on", "cost", "contributions")
    )
    history: dict[int, list[tuple[dt.date, Decimal, dict[str, str]]]] = {}
    for menu_item_id, taken_on, cost, contributions in rows:
        history.setdefault(menu_item_id, []).append((taken_on, cost, contributions))

    found: list[tuple[int, dt.date, dt.date, Decimal, Decimal, int | None, Decimal, Decimal]] = []
    for menu_item_id, snaps in history.items():
        new_on, new_cost, new_parts = snaps[-1]
        older = [s for s in snaps if s[0] <= new_on - dt.timedelta(days=days)]
        if not older:
            continue
        old_on, old_cost, old_parts = older[-1]
        change = new_cost - old_cost
        pct = (change * 100 / old_cost) if old_cost else None
        if change == 0 or (pct is not None and abs(pct) < threshold_pct):
            continue
        top_item, top_old, top_new = None, ZERO, ZERO
        for key in set(old_parts) | set(new_parts):
            before = Decimal(old_parts.get(key, "0"))
            after = Decimal(new_parts.get(key, "0"))
            if top_item is None or abs(after - before) > abs(top_new - top_old):
                top_item, top_old, top_new = int(key), before, after
        found.append((menu_item_id, old_on, new_on, old_cost, new_cost, top_item, top_old, top_new))

    menu = MenuItem.objects.in_bulk([f[0] for f in found])
    items = Item.objects.in_bulk([f[5] for f in found if f[5] is not None])
    movers = [
        CostMover(
            menu_item=menu[menu_item_id],
            location_id=location_id,
            old_on=old_on,
            new_on=new_on,
            old_cost=old_cost,
            new_cost=new_cost,
            change=new_cost - old_cost,
            change_pct=round_money((new_cost - old_cost) * 100 / old_cost) if old_cost else None,
            item=items.get(top) if top is not None else None,
            item_old_cost=top_old,
            item_new_cost=top_new,
        )
        for menu_item_id, old_on, new_on, old_cost, new_cost, top, top_old, top_new in found
    ]
    movers.sort(key=lambda m: (-abs(m.change_pct or Decimal(0)), -abs(m.change), m.menu_item.code))
    return movers
