"""Collects field errors of one request so the caller hears about all of them at once."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Context, Decimal, InvalidOperation, localcontext
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from boh.core.errors import BohError, FieldError
from boh.core.numbers import (
    COST_DIGITS,
    COST_PLACES,
    MONEY_DIGITS,
    MONEY_PLACES,
    QTY_DIGITS,
    QTY_PLACES,
    VALUE_DIGITS,
    VALUE_PLACES,
    to_decimal,
)

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_ZONES = zoneinfo.available_timezones()
_COLUMN_DIGITS = {
    QTY_PLACES: QTY_DIGITS,
    COST_PLACES: COST_DIGITS,
    VALUE_PLACES: VALUE_DIGITS,
    MONEY_PLACES: MONEY_DIGITS,
}


# Real clocks are within 14 hours of UTC (Kiribati is +14:00); databases refuse larger offsets
# (PostgreSQL stops at 15:59), and times near the ends of the calendar cannot be turned into UTC.
MAX_UTC_OFFSET = dt.timedelta(hours=14)
FIRST_YEAR, LAST_YEAR = 1900, 2999


def moment_problem(value: dt.datetime) -> str | None:
    """Why a date-time is not one a restaurant could have lived ("offset", "year"), or None."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        return "offset"
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        return "year"
    return None


class Checker:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, field: str, code: str, message: str | Promise) -> None:
        self.errors.append(FieldError(field, code, str(message)))

    def has(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def text(self, field: str, value: Any, *, max_length: int, required: bool = True) -> str:
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.fail(field, "required", _("This field is required."))
        elif len(text) > max_length:
            self.fail(
                field,
                "too_long",
                _("At most %(n)d characters are allowed.") % {"n": max_length},
            )
        return text

    def code(self, field: str, value: Any, *, max_length: int = 40) -> str:
        text = self.text(field, value, max_length=max_length)
        if text and not self.has(field) and not CODE_RE.match(text):
            self.fail(
                field,
                "invalid_code",
                _("Use letters, digits, '.', '_' and '-' only, starting with a letter or digit."),
            )
        return text

    def choice(self, field: str, value: Any, choices: list[str] | set[str]) -> str:
        text = "" if value is None else str(value)
        if text not in choices:
            self.fail(
                field,
                "invalid_choice",
                _("'%(value)s' is not one of the allowed values.") % {"value": text[:50]},
            )
        return text

    def time_zone(self, field: str, value: Any) -> str:
        text = "" if value is None else str(value)
        if text not in _ZONES:
            self.fail(field, "invalid_time_zone", _("Unknown time zone."))
        return text

    def integer(self, field: str, value: Any, *, minimum: int, maximum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, "invalid_integer", _("Enter a whole number."))
            return minimum
        if not minimum <= value <= maximum:
            self.fail(
                field,
                "out_of_range",
                _("Enter a number from %(min)d to %(max)d.") % {"min": minimum, "max": maximum},
            )
        return value

    def decimal(
        self,
        field: str,
        value: Any,
        *,
        places: int,
        positive: bool = False,
        minimum: Decimal | None = None,
        digits: int | None = None,
    ) -> Decimal:
        """A number with at most `places` decimals that fits a column of `digits` digits
        (by default the standard column for those places: quantity, cost, value or money)."""
        try:
            number = to_decimal(value)
            if not number.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            self.fail(field, "invalid_number", _("Enter a number."))
            return Decimal(0)
        whole_digits = (digits or _COLUMN_DIGITS.get(places, 20)) - places
        if number and number.adjusted() >= whole_digits:
            self.fail(
                field,
                "too_large",
                _("Enter a number with at most %(n)d digits before the decimal point.")
                % {"n": whole_digits},
            )
            return Decimal(0)
        exponent = number.as_tuple().exponent
        # Enough precision for the comparison, however many digits were sent.
        with localcontext(Context(prec=len(number.as_tuple().digits) + places + 2)):
            too_precise = (
                isinstance(exponent, int)
                and -exponent > places
                and number != number.quantize(Decimal(1).scaleb(-places))
            )
        if too_precise:
            self.fail(
                field,
                "too_precise",
                _("At most %(n)d decimal places are allowed.") % {"n": places},
            )
        if positive and number <= 0:
            self.fail(field, "not_positive", _("Enter a number greater than zero."))
        elif minimum is not None and number < minimum:
            self.fail(
                field, "too_small", _("Enter a number of at least %(min)s.") % {"min": minimum}
            )
        return number

    def raise_if_any(self, message: str | Promise | None = None) -> None:
        if self.errors:
            first = self.errors[0]
            raise BohError(
                code=first.code if len(self.errors) == 1 else "invalid",
                message=message
                or (first.message if len(self.errors) == 1 else _("Check the highlighted fields.")),
                fields=list(self.errors),
                status=400,
            )
