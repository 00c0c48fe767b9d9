"""Exact conversion between any defined unit of an item and its base unit.

Standard units (kg, 斤, 两, L) apply to every item of their dimension; packs are the
item's own. Quantities are Decimal throughout: 125 ml of a 750 ml bottle is exactly
1/6 bottle, shown rounded and stored as 125.000 ml.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boh.catalog.models import BASE_UNIT_DIMENSION, BaseUnit, Dimension, Item, Pack
from boh.core.errors import BohError, validation_error
from boh.core.numbers import round_qty
from boh.core.validation import Checker

# A fraction is shown beside the decimal ("0.167 bottle, 1/6") only when it is this simple.
MAX_SHOWN_DENOMINATOR = 100


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
    """The standard unit a code or alias names ("斤", "KG"), or None."""
    return _BY_CODE.get(code.strip().lower())


def is_standard_unit_name(code: str) -> bool:
    """True when `code` is a standard unit or one of its aliases (so no pack may take it)."""
    return code.strip().lower() in _BY_CODE


def pack_map(item: Item, packs: Iterable[Pack] | None = None) -> dict[str, Pack]:
    """The item's active packs by lower-case code, as unit_factor expects them."""
    source = item.packs.filter(is_active=True) if packs is None else packs
    return {p.code.lower(): p for p in source if p.is_active}


def unit_factor(
    item: Item, unit: str, packs: dict[str, Pack] | None = None, field: str = "unit"
) -> Decimal:
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
        packs = pack_map(item)
    pack = packs.get(code.lower())
    if pack is None:
        raise validation_error(
            "unknown_unit",
            _("%(item)s has no unit or pack called '%(unit)s'.")
            % {"item": item.name, "unit": code[:40]},
            field,
        )
    return pack.factor


def to_base(
    item: Item,
    quantity: Decimal,
    unit: str,
    packs: dict[str, Pack] | None = None,
    field: str = "unit",
) -> Decimal:
    """`quantity` of `unit` in the item's base unit, rounded to the stored precision."""
    return round_qty(quantity * unit_factor(item, unit, packs, field))


def from_base(
    item: Item, base_quantity: Decimal, unit: str, packs: dict[str, Pack] | None = None
) -> Decimal:
    """A base quantity expressed in `unit`, exact (the caller rounds for display)."""
    return base_quantity / unit_factor(item, unit, packs)


def number_text(value: Decimal) -> str:
    """A quantity rounded to the stored precision, without trailing zeros: 2, 0.167, 12.5."""
    text = format(round_qty(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def fraction_text(value: Fraction) -> str:
    """ "1/6" for a simple fraction that is not a whole number, else the empty string."""
    if value.denominator == 1 or value.denominator > MAX_SHOWN_DENOMINATOR:
        return ""
    return f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class Conversion:
    """A quantity of an item converted from one unit to another, exactly."""

    quantity: Decimal
    from_unit: str
    to_unit: str
    base_quantity: Decimal
    exact: Fraction

    @property
    def result(self) -> Decimal:
        """The converted quantity rounded to the stored precision (0.167 for 1/6)."""
        return round_qty(Decimal(self.exact.numerator) / Decimal(self.exact.denominator))

    @property
    def fraction(self) -> str:
        return fraction_text(self.exact)

    @property
    def text(self) -> str:
        shown = f"{number_text(self.result)} {self.to_unit}"
        return f"{shown} ({self.fraction})" if self.fraction else shown


def convert_quantity(
    item: Item,
    quantity: Decimal,
    from_unit: str,
    to_unit: str,
    packs: dict[str, Pack] | None = None,
) -> Conversion:
    """`quantity` of from_unit in to_unit; both must be defined for the item."""
    if packs is None:
        packs = pack_map(item)
    source = unit_factor(item, from_unit, packs, "from_unit")
    target = unit_factor(item, to_unit, packs, "to_unit")
    exact = Fraction(quantity) * Fraction(source) / Fraction(target)
    return Conversion(
        quantity=quantity,
        from_unit=from_unit.strip(),
        to_unit=to_unit.strip(),
        base_quantity=round_qty(quantity * source),
        exact=exact,
    )


def split_quantity(
    base_qty: Decimal, packs: Iterable[Pack]
) -> tuple[list[tuple[Decimal, Pack]], Decimal]:
    """Whole packs, largest first, and the rest in base units: 9875 ml -> [(1, case)], 875."""
    remaining = abs(base_qty)
    parts: list[tuple[Decimal, Pack]] = []
    for pack in sorted((p for p in packs if p.is_active), key=lambda p: (-p.factor, p.code)):
        count = remaining // pack.factor
        if count > 0:
            parts.append((count, pack))
            remaining -= count * pack.factor
    return parts, remaining


def describe_quantity(
    item: Item, base_qty: Decimal, packs: Iterable[Pack], *, names: bool = False
) -> str:
    """A base quantity in mixed units for counting sheets: "2 case + 5 bottle + 30 ml"."""
    parts, rest = split_quantity(base_qty, packs)
    words = [f"{number_text(n)} {p.name if names else p.code}" for n, p in parts]
    if rest != 0 or not words:
        words.append(f"{number_text(rest)} {item.base_unit}")
    text = " + ".join(words)
    if base_qty < 0:
        return f"-{text}" if len(words) == 1 else f"-({text})"
    return text


def parse_mixed_quantity(
    item: Item,
    parts: Sequence[tuple[object, str]],
    packs: dict[str, Pack] | None = None,
) -> Decimal:
    """The base quantity of a count in several units, e.g. [(2, "case"), (5, "bottle")].

    Each quantity must be zero or more; every unit must be defined for the item. Errors
    name the part at fault (quantities.1.unit) and are all reported at once.
    """
    if packs is None:
        packs = pack_map(item)
    check = Checker()
    total = Decimal(0)
    for index, (raw_quantity, unit) in enumerate(parts):
        quantity = check.decimal(
            f"quantities.{index}.quantity", raw_quantity, places=6, minimum=Decimal(0)
        )
        try:
            factor = unit_factor(item, str(unit), packs, f"quantities.{index}.unit")
        except BohError as exc:
            for error in exc.fields:
                check.fail(error.field, error.code, error.message)
            continue
        total += quantity * factor
    check.raise_if_any()
    return round_qty(total)


@dataclass(frozen=True)
class UnitChoice:
    code: str
    label: str
    factor: Decimal


def units_for(item: Item, packs: Iterable[Pack]) -> list[UnitChoice]:
    """Every unit a quantity of `item` may be entered in: standard units, then its packs."""
    dimension = BASE_UNIT_DIMENSION[BaseUnit(item.base_unit)]
    choices = [
        UnitChoice(u.code, str(u.label), u.factor)
        for u in STANDARD_UNITS
        if u.dimension == dimension
    ]
    for pack in sorted(packs, key=lambda p: (p.factor, p.code)):
        if pack.is_active:
            choices.append(
                UnitChoice(pack.code, f"{pack.name} ({pack_size_text(item, pack)})", pack.factor)
            )
    return choices


def pack_size_text(item: Item, pack: Pack) -> str:
    """A pack's size as people write it: "12 x bottle = 9000 ml", or "750 ml"."""
    size = f"{number_text(pack.factor)} {item.base_unit}"
    if pack.inner_pack_id and pack.inner_count is not None and pack.inner_pack is not None:
        return f"{number_text(pack.inner_count)} x {pack.inner_pack.code} = {size}"
    return size
