"""Template filters of the purchasing forms."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def field_error(errors: Any, name: Any) -> str:
    """The message for one field from a {field: message} dict, or an empty string."""
    if not isinstance(errors, dict):
        return ""
    return str(errors.get(str(name), ""))


@register.filter
def picked(values: Any, value: Any) -> bool:
    """True when a value is among the chosen ones (compared as text)."""
    if values is None:
        return False
    if isinstance(values, str | int):
        values = [values]
    return str(value) in {str(v) for v in values}
