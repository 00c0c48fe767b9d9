"""Template filters of the shell."""

from __future__ import annotations

from decimal import InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format

from boh.core.numbers import round_money, to_decimal

register = template.Library()

CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$"}


@register.filter
def money(value: Any, currency: str = "CNY") -> str:
    """Decimal money in the active language's number format: ¥1,234.50 for CNY."""
    if value is None or value == "":
        return ""
    try:
        amount = round_money(to_decimal(value))
    except (InvalidOperation, ValueError, TypeError):
        return ""
    code = (currency or "CNY").upper()
    symbol = CURRENCY_SYMBOLS.get(code, f"{code} ")
    digits = number_format(abs(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{digits}"
