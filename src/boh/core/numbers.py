"""Fixed scales for quantities, costs and money, and the one place where rounding happens."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Quantities are stored in an item's base unit (g, ml, each) to a thousandth.
QTY_DIGITS, QTY_PLACES = 18, 3
# Unit costs carry more precision than money: a gram of saffron costs fractions of a fen.
COST_DIGITS, COST_PLACES = 20, 6
# Stock values and document totals.
VALUE_DIGITS, VALUE_PLACES = 20, 4
# Money shown and billed (yuan and fen).
MONEY_DIGITS, MONEY_PLACES = 18, 2

_QTY = Decimal(1).scaleb(-QTY_PLACES)
_COST = Decimal(1).scaleb(-COST_PLACES)
_VALUE = Decimal(1).scaleb(-VALUE_PLACES)
_MONEY = Decimal(1).scaleb(-MONEY_PLACES)

ZERO = Decimal(0)


def to_decimal(value: object) -> Decimal:
    """Convert a user or JSON value to Decimal without passing through float rounding."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidOperation("booleans are not numbers")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value).strip())


def round_qty(value: Decimal) -> Decimal:
    return value.quantize(_QTY, rounding=ROUND_HALF_UP)


def round_cost(value: Decimal) -> Decimal:
    return value.quantize(_COST, rounding=ROUND_HALF_UP)


def round_value(value: Decimal) -> Decimal:
    return value.quantize(_VALUE, rounding=ROUND_HALF_UP)


def round_money(value: Decimal) -> Decimal:
    return value.quantize(_MONEY, rounding=ROUND_HALF_UP)
