"""Helpers shared by the purchasing pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

from boh.core.errors import BohError
from boh.org.models import Location
from boh.web.shell import page_actor

PAGE_SIZE = 25


def paged(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def field_errors(exc: BohError) -> dict[str, str]:
    return {f.field: f.message for f in exc.fields}


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_decimal(value: str | None) -> Decimal | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def reachable_locations(request: HttpRequest, perm: str) -> list[Location]:
    actor = page_actor(request)
    return list(actor.scope(Location.objects.filter(is_active=True), perm, "id").order_by("code"))


def parse_id(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 1 << 63 else None


def split_errors(exc: BohError, shown: set[str]) -> tuple[dict[str, str], list[str]]:
    """Messages of the fields a form shows by field name, and the rest as plain messages.

    A field named `lines[2].quantity` stays under that name, for tables of lines.
    """
    by_field: dict[str, str] = {}
    others: list[str] = []
    for fe in exc.fields:
        if fe.field in shown or fe.field.startswith("lines["):
            by_field.setdefault(fe.field, str(fe.message))
        else:
            others.append(str(fe.message))
    if not exc.fields:
        others.append(str(exc.message))
    return by_field, others


def line_errors(errors: dict[str, str], count: int, prefix: str = "lines") -> list[dict[str, str]]:
    """Per row of a table of lines, its {field: message} from errors named `lines[i].field`."""
    rows: list[dict[str, str]] = [{} for _ in range(count)]
    for name, message in errors.items():
        if not name.startswith(f"{prefix}["):
            continue
        index, _sep, rest = name[len(prefix) + 1 :].partition("]")
        if index.isdigit() and int(index) < count:
            rows[int(index)].setdefault(rest.lstrip(".") or "_", message)
    return rows


def form_text(data: Any, name: str, limit: int = 500) -> str:
    """A text value of a submitted form, trimmed and cut to a limit."""
    return str(data.get(name, "")).strip()[:limit]


def form_int(data: Any, name: str) -> int | str:
    """A whole number typed in a form, or the text as typed for the service to refuse."""
    text = form_text(data, name, 20)
    try:
        return int(text)
    except ValueError:
        return text
