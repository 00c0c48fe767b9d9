"""How audit entries read on a page: record and field names, values in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from boh.core.models import AuditEntry


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    type_label: str
    changes: list[Change]


def record_types() -> list[tuple[str, str]]:
    """Record types of BOH's own modules, by their translated names, for the filter."""
    return sorted(
        (
            (model._meta.label_lower, capfirst(str(model._meta.verbose_name)))
            for model in apps.get_models()
            if model.__module__.startswith("boh.")
        ),
        key=lambda pair: pair[1],
    )


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def shown_value(field: models.Field[Any, Any] | None, value: Any) -> str:
    """One stored value as a reader expects it: choice labels, local times, localized numbers."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(field, models.DecimalField):
        try:
            return number_format(Decimal(str(value)), use_l10n=True)
        except InvalidOperation:
            return str(value)
    return str(value)


def _is_noise_on_create(field: models.Field[Any, Any] | None, new: Any) -> bool:
    """Values a new record always has, which say nothing about what was entered."""
    if new is None or new == "":
        return True
    if field is None:
        return False
    automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return bool(field.primary_key or automatic)


def describe(entry: AuditEntry) -> AuditRow:
    """An audit entry with its record type and each changed field named for the reader."""
    model = _model(entry.object_type)
    fields: dict[str, models.Field[Any, Any]] = {}
    type_label = entry.object_type
    if model is not None:
        type_label = capfirst(str(model._meta.verbose_name))
        fields = {f.attname: f for f in model._meta.concrete_fields}

    # Fields in the model's own order: the stored JSON keeps no order on PostgreSQL.
    position = {name: i for i, name in enumerate(fields)}
    stored = sorted((entry.changes or {}).items(), key=lambda kv: (position.get(kv[0], 999), kv[0]))
    changes: list[Change] = []
    for name, pair in stored:
        old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        field = fields.get(name)
        if entry.action == AuditEntry.Action.CREATE and _is_noise_on_create(field, new):
            continue
        label = str(field.verbose_name) if field is not None else name
        changes.append(Change(label, shown_value(field, old), shown_value(field, new)))
    return AuditRow(entry, type_label, changes)
