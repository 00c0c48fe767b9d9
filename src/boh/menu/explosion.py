"""Theoretical depletion: the items, in base units, that a batch of sold menu lines consumes.

`explode` is called by ticket ingestion for thousands of lines at a time, so it loads
everything it needs in a fixed number of queries per call (menu items, set-meal
components, options, and one query per level of sub-recipes), flattens each recipe once,
and multiplies each distinct (menu item, options, components) vector once by the total
quantity sold of it.

How a sold line becomes item quantities:

* a dish: its recipe version in force on the business date, per portion (lines / yield);
* each recipe line needs base_quantity / (yield % / 100) of its item;
* a prepared item on a line is depleted itself, unless its recipe says
  explode_when_sold, in which case its own recipe (in force on the same date) is
  exploded in its place, to any depth;
* modifier options: the base recipe is multiplied by the product of the options'
  recipe multipliers (large = 1.5), then each option's signed delta lines are added
  (add-on beef +80 g, no coriander -5 g, not scaled by the multiplier); an item never
  goes below zero for one portion, so removing what the recipe lacks depletes nothing;
* a set meal: its own recipe if it has one (packaging), plus each component's vector
  times the component quantity; components sent by the POS (with their own options)
  replace the set meal's defined components.

Totals are exact Decimal sums, rounded once per item to the stored quantity precision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from boh.core.errors import BohError, FieldError, collect
from boh.core.numbers import round_qty, to_decimal
from boh.menu import errors
from boh.menu.models import (
    ComboComponent,
    MenuItem,
    MenuItemModifierGroup,
    ModifierOption,
    ModifierOptionLine,
    RecipeLine,
    RecipeVersion,
)
from boh.org.access import Actor
from boh.org.models import Organization
from boh.org.roles import Perm

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
# Sub-recipes nest a few levels in practice; a deeper chain is a data error.
MAX_DEPTH = 20

Vector = dict[int, Decimal]


@dataclass(frozen=True)
class SoldLine:
    """One line of a ticket: a menu item, how many, the options chosen, set-meal components.

    components is None for the set meal's defined components; for a component line,
    quantity is per one set meal.
    """

    menu_item_id: int
    quantity: Decimal = ONE
    option_ids: tuple[int, ...] = ()
    components: tuple[SoldLine, ...] | None = None


@dataclass
class Explosion:
    """The result of exploding sold lines."""

    # Base quantity of each item to deplete, rounded to the stored precision.
    totals: dict[int, Decimal]
    # Exact vector of each sold line, in input order (only when asked for).
    lines: list[Vector] | None
    # Menu items sold without a recipe in force on the business date.
    without_recipe: set[int]
    # Lines refused, with the field at fault (lines[3].option_ids[0]); they deplete nothing.
    errors: list[FieldError] = field(default_factory=list)


@dataclass
class _Version:
    version_id: int
    output_id: int
    yield_base: Decimal
    explode: bool
    # (item id, gross base quantity) for the whole yield.
    lines: list[tuple[int, Decimal]]


def _gross(base_quantity: Decimal, yield_pct: Decimal) -> Decimal:
    if yield_pct == HUNDRED:
        return base_quantity
    return base_quantity * HUNDRED / yield_pct


def _versions_in_force(
    organization_id: int, on: dt.date, output_filter: Q, output_field: str
) -> list[_Version]:
    """The version in force on a date of each matching recipe, with its lines, in one query."""
    latest = (
        RecipeVersion.objects.filter(
            recipe_id=OuterRef("version__recipe_id"), effective_from__lte=on
        )
        .order_by("-effective_from")
        .values("effective_from")[:1]
    )
    rows = (
        RecipeLine.objects.filter(
            output_filter,
            version__organization_id=organization_id,
            version__effective_from=Subquery(latest),
        )
        .order_by("version_id", "sort_order", "id")
        .values_list(
            "version_id",
            output_field,
            "version__yield_base_quantity",
            "version__recipe__explode_when_sold",
            "item_id",
            "base_quantity",
            "yield_pct",
        )
    )
    found: dict[int, _Version] = {}
    for version_id, output_id, yield_base, explode, item_id, base_qty, yield_pct in rows:
        version = found.get(version_id)
        if version is None:
            version = found[version_id] = _Version(version_id, output_id, yield_base, explode, [])
        version.lines.append((item_id, _gross(base_qty, yield_pct)))
    return list(found.values())


class RecipeBook:
    """The recipes in force on one business date, loaded in bulk and flattened once each.

    With all_prepared False only prepared items whose recipe explodes when sold are
    loaded (what depletion needs); with True every prepared item's recipe is (what
    costing and allergens need). `expands` decides whether a prepared item with a
    loaded recipe is replaced by its ingredients; by default it is.
    """

    def __init__(self, organization_id: int, on: dt.date, *, all_prepared: bool = False) -> None:
        self.organization_id = organization_id
        self.on = on
        self.all_prepared = all_prepared
        self.menu: dict[int, _Version | None] = {}
        self.prepared: dict[int, _Version | None] = {}
        self.expands: Callable[[int], bool] = lambda item_id: self.prepared.get(item_id) is not None
        self._menu_flat: dict[int, Vector | None] = {}
        self._item_flat: dict[int, Vector] = {}

    def load(self, menu_item_ids: Iterable[int], item_ids: Iterable[int] = ()) -> None:
        """Load the recipes of menu items and, level by level, of the prepared items used."""
        unloaded_menu = set(menu_item_ids) - set(self.menu)
        next_items = set(item_ids)
        if unloaded_menu:
            self.menu.update(dict.fromkeys(unloaded_menu))
            for version in _versions_in_force(
                self.organization_id,
                self.on,
                Q(version__recipe__menu_item_id__in=unloaded_menu),
                "version__recipe__menu_item_id",
            ):
                self.menu[version.output_id] = version
                next_items.update(item_id for item_id, _ in version.lines)
        depth = 0
        unloaded = next_items - set(self.prepared)
        while unloaded:
            depth += 1
            if depth > MAX_DEPTH:
                raise BohError(
                    code=errors.TOO_DEEP,
                    message=_("Sub-recipes are nested more than %(n)d levels deep.")
                    % {"n": MAX_DEPTH},
                )
            self.prepared.update(dict.fromkeys(unloaded))
            output_filter = Q(version__recipe__item_id__in=unloaded)
            if not self.all_prepared:
                output_filter &= Q(version__recipe__explode_when_sold=True)
            found = _versions_in_force(
                self.organization_id, self.on, output_filter, "version__recipe__item_id"
            )
            unloaded = set()
            for version in found:
                self.prepared[version.output_id] = version
                unloaded.update(item_id for item_id, _ in version.lines)
            unloaded -= set(self.prepared)

    def item_ids(self) -> set[int]:
        """Every item the loaded recipes use, at any level, and the prepared items themselves."""
        result = set(self.prepared)
        for version in [*self.menu.values(), *self.prepared.values()]:
            if version is not None:
                result.update(item_id for item_id, _ in version.lines)
        return result

    def add(self, vector: Vector, item_id: int, quantity: Decimal, trail: frozenset[int]) -> None:
        """Add quantity of an item to vector, exploding it if it is a prepared item that expands."""
        if self.expands(item_id):
            for child, per_unit in self.item_vector(item_id, trail).items():
                vector[child] = vector.get(child, ZERO) + quantity * per_unit
        else:
            vector[item_id] = vector.get(item_id, ZERO) + quantity

    def item_vector(self, item_id: int, trail: frozenset[int] = frozenset()) -> Vector:
        """Depleted items per base unit of a prepared item that expands."""
        cached = self._item_flat.get(item_id)
        if cached is not None:
            return cached
        if item_id in trail:
            raise BohError(
                code=errors.RECIPE_CYCLE, message=_("A recipe uses itself through its sub-recipes.")
            )
        version = self.prepared[item_id]
        assert version is not None
        vector: Vector = {}
        inner = trail | {item_id}
        for child, gross in version.lines:
            self.add(vector, child, gross / version.yield_base, inner)
        self._item_flat[item_id] = vector
        return vector

    def menu_vector(self, menu_item_id: int) -> Vector | None:
        """Depleted items per portion of a menu item; None without a recipe in force."""
        if menu_item_id in self._menu_flat:
            return self._menu_flat[menu_item_id]
        version = self.menu.get(menu_item_id)
        vector: Vector | None = None
        if version is not None:
            vector = {}
            for child, gross in version.lines:
                self.add(vector, child, gross / version.yield_base, frozenset())
        self._menu_flat[menu_item_id] = vector
        return vector


def organization_id_of(actor_or_org: Actor | Organization | int) -> int:
    """The organization id of an actor (who must be allowed to read menus), an org or an id."""
    if isinstance(actor_or_org, Actor):
        actor_or_org.require(Perm.CATALOG_VIEW)
        return actor_or_org.organization_id
    if isinstance(actor_or_org, Organization):
        return actor_or_org.pk
    return int(actor_or_org)


@dataclass
class _Options:
    multiplier: dict[int, Decimal | None]
    group: dict[int, int]
    lines: dict[int, list[tuple[int, Decimal]]]
    offered: set[tuple[int, int]]


_Key = tuple[int, tuple[int, ...], tuple[tuple[int, Decimal, tuple[int, ...]], ...] | None]


class _Exploder:
    def __init__(self, organization_id: int, on: dt.date) -> None:
        self.organization_id = organization_id
        self.book = RecipeBook(organization_id, on)
        self.errors: list[FieldError] = []
        self.without_recipe: set[int] = set()
        self.kinds: dict[int, str] = {}
        self.defined: dict[int, list[tuple[int, Decimal]]] = {}
        self.options = _Options({}, {}, {}, set())
        self._dish: dict[tuple[int, tuple[int, ...]], Vector] = {}
        self._keyed: dict[_Key, Vector] = {}

    def fail(self, at: str, code: str, message: str) -> None:
        self.errors.append(FieldError(at, code, message))

    # Validation of the input shape, before anything is loaded.

    def shape(self, line: Any, at: str, ids: set[int], option_ids: set[int]) -> bool:
        ok = True
        if not isinstance(line, SoldLine):
            self.fail(at, "invalid_line", _("Each line must be a sold line."))
            return False
        if not _is_id(line.menu_item_id):
            self.fail(f"{at}.menu_item_id", "not_found", _("No such menu item."))
            ok = False
        else:
            ids.add(line.menu_item_id)
        try:
            quantity = to_decimal(line.quantity)
            if not quantity.is_finite() or quantity == 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            self.fail(f"{at}.quantity", "invalid_number", _("Enter a number other than zero."))
            ok = False
        for n, option_id in enumerate(line.option_ids):
            if not _is_id(option_id):
                self.fail(f"{at}.option_ids[{n}]", "not_found", _("No such option."))
                ok = False
            else:
                option_ids.add(option_id)
        for n, component in enumerate(line.components or ()):
            ok = self.shape(component, f"{at}.components[{n}]", ids, option_ids) and ok
            if isinstance(component, SoldLine) and component.components is not None:
                self.fail(
                    f"{at}.components[{n}]",
                    errors.COMBO_IN_COMBO,
                    _("A set meal is made of dishes, not of other set meals."),
                )
                ok = False
        return ok

    def load(self, lines: Sequence[SoldLine], option_ids: set[int], ids: set[int]) -> None:
        self.kinds = dict(
            MenuItem.objects.filter(organization_id=self.organization_id, pk__in=ids).values_list(
                "pk", "kind"
            )
        )
        combos = [pk for pk, kind in self.kinds.items() if kind == MenuItem.Kind.COMBO]
        if any(
            isinstance(line, SoldLine) and line.components is None and line.menu_item_id in combos
            for line in lines
        ):
            for combo_id, component_id, quantity in ComboComponent.objects.filter(
                combo_id__in=combos
            ).values_list("combo_id", "component_id", "quantity"):
                self.defined.setdefault(combo_id, []).append((component_id, quantity))
        option_items: set[int] = set()
        if option_ids:
            for pk, group_id, multiplier in ModifierOption.objects.filter(
                organization_id=self.organization_id, pk__in=option_ids
            ).values_list("pk", "group_id", "recipe_multiplier"):
                self.options.group[pk] = group_id
                self.options.multiplier[pk] = multiplier
                self.options.lines[pk] = []
            self.options.offered = set(
                MenuItemModifierGroup.objects.filter(
                    menu_item_id__in=self.kinds, group_id__in=set(self.options.group.values())
                ).values_list("menu_item_id", "group_id")
            )
            for option_id, item_id, base_qty, yield_pct in ModifierOptionLine.objects.filter(
                option_id__in=self.options.group
            ).values_list("option_id", "item_id", "base_quantity", "yield_pct"):
                self.options.lines[option_id].append((item_id, _gross(base_qty, yield_pct)))
                option_items.add(item_id)
        menu_ids = set(self.kinds)
        for parts in self.defined.values():
            menu_ids.update(component_id for component_id, _ in parts)
        self.book.load(menu_ids, option_items)

    # Validation against what was loaded.

    def check(self, line: SoldLine, at: str, *, component: bool) -> bool:
        kind = self.kinds.get(line.menu_item_id)
        if kind is None:
            self.fail(f"{at}.menu_item_id", "not_found", _("No such menu item."))
            return False
        ok = True
        if component and kind == MenuItem.Kind.COMBO:
            self.fail(
                f"{at}.menu_item_id",
                errors.COMBO_IN_COMBO,
                _("A set meal is made of dishes, not of other set meals."),
            )
            ok = False
        if line.components is not None and kind != MenuItem.Kind.COMBO:
            self.fail(f"{at}.components", errors.NOT_A_COMBO, _("Only a set meal has components."))
            ok = False
        for n, option_id in enumerate(line.option_ids):
            group_id = self.options.group.get(option_id)
            if group_id is None:
                self.fail(f"{at}.option_ids[{n}]", "not_found", _("No such option."))
                ok = False
            elif (line.menu_item_id, group_id) not in self.options.offered:
                self.fail(
                    f"{at}.option_ids[{n}]",
                    errors.OPTION_NOT_OFFERED,
                    _("This option is not offered on this menu item."),
                )
                ok = False
        for n, part in enumerate(line.components or ()):
            ok = self.check(part, f"{at}.components[{n}]", component=True) and ok
        return ok

    # Vectors, each computed once per call.

    def dish(self, menu_item_id: int, option_ids: tuple[int, ...]) -> Vector:
        key = (menu_item_id, option_ids)
        cached = self._dish.get(key)
        if cached is not None:
            return cached
        base = self.book.menu_vector(menu_item_id)
        if base is None and self.kinds.get(menu_item_id) != MenuItem.Kind.COMBO:
            self.without_recipe.add(menu_item_id)
        multiplier = ONE
        for option_id in option_ids:
            factor = self.options.multiplier.get(option_id)
            if factor is not None:
                multiplier *= factor
        vector = {k: v * multiplier for k, v in (base or {}).items()}
        for option_id in option_ids:
            for item_id, quantity in self.options.lines.get(option_id, ()):
                self.book.add(vector, item_id, quantity, frozenset())
        result = {k: v for k, v in vector.items() if v > 0}
        self._dish[key] = result
        return result

    def keyed(self, key: _Key) -> Vector:
        cached = self._keyed.get(key)
        if cached is not None:
            return cached
        menu_item_id, option_ids, parts = key
        vector = dict(self.dish(menu_item_id, option_ids))
        if self.kinds.get(menu_item_id) == MenuItem.Kind.COMBO:
            components = (
                parts
                if parts is not None
                else tuple((cid, qty, ()) for cid, qty in self.defined.get(menu_item_id, ()))
            )
            if not components and self.book.menu_vector(menu_item_id) is None:
                self.without_recipe.add(menu_item_id)
            for component_id, quantity, component_options in components:
                for k, v in self.dish(component_id, component_options).items():
                    vector[k] = vector.get(k, ZERO) + v * quantity
        self._keyed[key] = vector
        return vector


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _key(line: SoldLine) -> _Key:
    parts = None
    if line.components is not None:
        parts = tuple(
            (c.menu_item_id, to_decimal(c.quantity), tuple(sorted(c.option_ids)))
            for c in line.components
        )
    return (line.menu_item_id, tuple(sorted(line.option_ids)), parts)


def explode_detailed(
    actor_or_org: Actor | Organization | int,
    lines: Sequence[SoldLine],
    business_date: dt.date,
    *,
    per_line: bool = False,
) -> Explosion:
    """Explode sold lines into item base quantities; refused lines are reported, not raised."""
    organization_id = organization_id_of(actor_or_org)
    exploder = _Exploder(organization_id, business_date)
    ids: set[int] = set()
    option_ids: set[int] = set()
    shaped = [exploder.shape(line, f"lines[{n}]", ids, option_ids) for n, line in enumerate(lines)]
    exploder.load(lines, option_ids, ids)

    totals: dict[int, Decimal] = {}
    per_key: dict[_Key, Decimal] = {}
    vectors: list[Vector] | None = [] if per_line else None
    for n, line in enumerate(lines):
        if not shaped[n] or not exploder.check(line, f"lines[{n}]", component=False):
            if vectors is not None:
                vectors.append({})
            continue
        key = _key(line)
        quantity = to_decimal(line.quantity)
        per_key[key] = per_key.get(key, ZERO) + quantity
        if vectors is not None:
            vectors.append({k: v * quantity for k, v in exploder.keyed(key).items()})
    for key, quantity in per_key.items():
        for item_id, per_unit in exploder.keyed(key).items():
            totals[item_id] = totals.get(item_id, ZERO) + per_unit * quantity
    rounded = {k: round_qty(v) for k, v in totals.items()}
    return Explosion(
        totals={k: v for k, v in rounded.items() if v != 0},
        lines=vectors,
        without_recipe=exploder.without_recipe,
        errors=exploder.errors,
    )


def explode(
    actor_or_org: Actor | Organization | int,
    lines: Sequence[SoldLine],
    business_date: dt.date,
) -> dict[int, Decimal]:
    """Base quantity of each item that sold lines deplete, by the recipes in force that day.

    Refuses the whole batch (BohError naming lines[i]...) if any line is invalid.
    """
    result = explode_detailed(actor_or_org, lines, business_date)
    if result.errors:
        raise collect(result.errors, _("Some sold lines cannot be exploded."))
    return result.totals
