"""Exact conversion between any defined unit of an item and its base unit.

Standard units (kg, 斤, 两, L) apply to every item of their dimension; packs are the
item's own. Quantities are Decimal throughout: 125 ml of a 750 ml bottle is exactly
1/6 bottle, shown rounded and stored as 125.000 ml.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boh.catalog.models import BASE_UNIT_DIMENSION, BaseUnit, Dimension, Item, Pack
from boh.core.errors import validation_error
from boh.core.numbers import round_qty


@dataclass(frozen=True)
class StandardUnit:
    code: str
    dimension: str
    factor: Decimal
    label: object
    aliases: tuple[str, ...] = ()


STANDARD_UNITS: tuple[StandardUnit, ...] = (
    StandardUnit("g", Dimension.MASS, Decimal(1), gettext_lazy("g"), ("克", "gram")),
    StandardUnit("kg", Dimension.MASS, Decimal(1000), gettext_lazy("kg"), ("公斤", "千克")),
    StandardUnit("jin", Dimension.MASS, Decimal(500), gettext_lazy("jin (500 g)"), ("斤", "市斤")),
    StandardUnit("liang", Dimension.MASS, Decimal(50), gettext_lazy("liang (50 g)"), ("两",)),
    StandardUnit("ml", Dimension.VOLUME, Decimal(1), gettext_lazy("ml"), ("毫升",)),
    StandardUnit("l", Dimension.VOLUME, Decimal(1000), gettext_lazy("L"), ("升", "L")),
    StandardUnit("each", Dimension.COUNT, Decimal(1), gettext_lazy("each"), ("个", "pc", "pcs")),
)
_BY_CODE: dict[str, StandardUnit] = {}
for _unit in STANDARD_UNITS:
    for _name in (_unit.code, *_unit.aliases):
        _BY_CODE[_name.lower()] = _unit


def standard_unit(code: str) -> StandardUnit | None:
    return _BY_CODE.get(code.strip().lower())


def unit_factor(item: Item, unit: str, packs: dict[str, Pack] | None = None, field: str = "unit") -> Decimal:
    """Base units in one `unit` of `item`; an error naming the item and unit if undefined."""
    code = unit.strip()
    std = standard_unit(code)
    if std is not None:
        if std.dimension != BASE_UNIT_DIMENSION[BaseUnit(item.base_unit)]:
            raise validation_error(
                "unit_dimension_mismatch",
                _(
                    "%(item)s is kept in %(base)s; %(unit)s cannot be converted without a "
                    "pack that defines it."
                )
                % {"item": item.name, "base": item.base_unit, "unit": code},
                field,
            )
        return std.factor
    if packs is None:
        packs = {p.code.lower(): p for p in item.packs.filter(is_active=True)}
    pack = packs.get(code.lower())
    if pack is None:
        raise validation_error(
            "unknown_unit",
            _("%(item)s has no unit or pack called '%(unit)s'.") % {"item": item.name, "unit": code[:40]},
            field,
        )
    return pack.factor


def to_base(item: Item, quantity: Decimal, unit: str, packs: dict[str, Pack] | None = None, field: str = "unit") -> Decimal:
    """`quantity` of `unit` in the item's base unit, rounded to the stored precision."""
    return round_qty(quantity * unit_factor(item, unit, packs, field))


def from_base(item: Item, base_quantity: Decimal, unit: str, packs: dict[str, Pack] | None = None) -> Decimal:
    """A base quantity expressed in `unit`, exact (the caller rounds for display)."""
    return base_quantity / unit_factor(item, unit, packs)
