"""What forecasts learn from besides sales: the events calendar, imported weather, store
profiles, and days a dish sold out."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from boh.core.errors import FieldError, conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import ZERO
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.menu.models import MenuItem
from boh.org.access import Actor
from boh.org.models import Location, Region
from boh.org.roles import Perm
from boh.planning import errors
from boh.planning.models import WEATHER_PLACES, Event, LocationProfile, SoldOutDay, WeatherDay

logger = logging.getLogger(__name__)

EVENT_FIELDS = {"kind", "name", "start_date", "end_date", "note", "location_id", "region_id"}
MAX_EVENT_DAYS = 366
WEATHER_COLUMNS = ("location", "region", "date", "temperature", "rain_mm")


def check_date(check: Checker, field: str, value: Any) -> dt.date | None:
    """A date given as a date or an ISO string (YYYY-MM-DD)."""
    if isinstance(value, dt.datetime):
        check.fail(field, "invalid_date", _("Enter a date as YYYY-MM-DD."))
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        check.fail(field, "invalid_date", _("Enter a date as YYYY-MM-DD."))
        return None


def _check_event(actor: Actor, values: dict[str, Any], check: Checker) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "kind" in values:
        clean["kind"] = check.choice("kind", values["kind"], set(Event.Kind.values))
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=200)
    if "note" in values:
        clean["note"] = check.text("note", values["note"], max_length=500, required=False)
    for name in ("start_date", "end_date"):
        if name in values:
            clean[name] = check_date(check, name, values[name])
    location_id, region_id = values.get("location_id"), values.get("region_id")
    if (
        location_id is not None
        and not Location.objects.filter(organization=actor.organization, pk=location_id).exists()
    ):
        check.fail("location_id", "not_found", _("No such location."))
    if (
        region_id is not None
        and not Region.objects.filter(organization=actor.organization, pk=region_id).exists()
    ):
        check.fail("region_id", "not_found", _("No such region."))
    for name in ("location_id", "region_id"):
        if name in values:
            clean[name] = values[name]
    return clean


def _check_span(check: Checker, event: dict[str, Any]) -> None:
    start, end = event.get("start_date"), event.get("end_date")
    if start is not None and end is not None:
        if end < start:
            check.fail("end_date", errors.DATES_ORDERED, _("The end is before the start."))
        elif (end - start).days >= MAX_EVENT_DAYS:
            check.fail("end_date", "too_long", _("An event lasts at most a year."))
    if event.get("location_id") is not None and event.get("region_id") is not None:
        check.fail(
            "region_id",
            errors.EVENT_SCOPE,
            _("An event is for one location, one region or everywhere, not several."),
        )


def _require_event_scope(actor: Actor, location_id: int | None) -> None:
    actor.require(Perm.PLANNING_MANAGE, location_id)


def create_event(actor: Actor, **values: Any) -> Event:
    """Put a promotion, local event or closure on the calendar of a location, region or all."""
    unknown = set(values) - EVENT_FIELDS
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), sorted(unknown)[0])
    _require_event_scope(actor, values.get("location_id"))
    values = {"note": "", "location_id": None, "region_id": None, **values}
    check = Checker()
    for required in ("kind", "name", "start_date"):
        values.setdefault(required, None)
    values.setdefault("end_date", values["start_date"])
    clean = _check_event(actor, values, check)
    _check_span(check, clean)
    check.raise_if_any()

    with transaction.atomic():
        event = Event.objects.create(organization=actor.organization, **clean)
        record_audit(actor, AuditEntry.Action.CREATE, event)
    return event


def update_event(actor: Actor, event: Event, **values: Any) -> Event:
    """Change an event's name, kind, dates or where it applies."""
    unknown = set(values) - EVENT_FIELDS
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), sorted(unknown)[0])
    _require_event_scope(actor, event.location_id)
    if values.get("location_id") is not None:
        _require_event_scope(actor, values["location_id"])
    check = Checker()
    clean = _check_event(actor, values, check)
    merged = {
        name: clean.get(name, getattr(event, name))
        for name in ("start_date", "end_date", "location_id", "region_id")
    }
    _check_span(check, merged)
    check.raise_if_any()

    with transaction.atomic():
        before = snapshot(event)
        for key, value in clean.items():
            setattr(event, key, value)
        event.save()
        record_audit(actor, AuditEntry.Action.UPDATE, event, before=before)
    return event


def delete_event(actor: Actor, event: Event) -> None:
    """Take an event off the calendar."""
    _require_event_scope(actor, event.location_id)
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, event, before=snapshot(event))
        event.delete()


@dataclass
class WeatherReport:
    rows: int = 0
    written: int = 0
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_weather(
    actor: Actor,
    rows: Iterable[Mapping[str, Any]],
    *,
    progress: Callable[[int], None] | None = None,
) -> WeatherReport:
    """Store daily weather (location or region code, date, temperature, rain_mm) from rows,
    all or nothing; a row for a place and date already there replaces it. Errors name
    rows[i].<column> (i from 0, the header not counted)."""
    actor.require(Perm.PLANNING_MANAGE)
    locations = {
        loc.code.lower(): loc.pk for loc in Location.objects.filter(organization=actor.organization)
    }
    regions = {r.code.lower(): r.pk for r in Region.objects.filter(organization=actor.organization)}
    report = WeatherReport()
    parsed: dict[tuple[int | None, int | None, dt.date], tuple[Decimal, Decimal]] = {}
    for i, row in enumerate(rows):
        report.rows += 1
        check = Checker()
        at = f"rows[{i}]"
        location_code = str(row.get("location") or "").strip().lower()
        region_code = str(row.get("region") or "").strip().lower()
        location_id = region_id = None
        if bool(location_code) == bool(region_code):
            check.fail(
                f"{at}.location",
                errors.WEATHER_ROW,
                _("Give either a location code or a region code."),
            )
        elif location_code:
            location_id = locations.get(location_code)
            if location_id is None:
                check.fail(f"{at}.location", "not_found", _("No such location."))
        else:
            region_id = regions.get(region_code)
            if region_id is None:
                check.fail(f"{at}.region", "not_found", _("No such region."))
        day = check_date(check, f"{at}.date", row.get("date"))
        temperature = check.decimal(f"{at}.temperature", row.get("temperature"), places=3)
        rain_text = row.get("rain_mm")
        rain = ZERO
        if rain_text not in (None, ""):
            rain = check.decimal(f"{at}.rain_mm", rain_text, places=3, minimum=ZERO)
        if not check.errors and not Decimal(-90) <= temperature <= Decimal(60):
            check.fail(
                f"{at}.temperature",
                "out_of_range",
                _("A temperature in °C between -90 and 60."),
            )
        report.errors += check.errors
        if not check.errors and day is not None:
            quantum = Decimal(1).scaleb(-WEATHER_PLACES)
            parsed[(location_id, region_id, day)] = (
                temperature.quantize(quantum),
                rain.quantize(quantum),
            )
        if progress is not None:
            progress(1)
    if report.errors or not parsed:
        return report

    with transaction.atomic():
        for (location_id, region_id, day), (temperature, rain) in parsed.items():
            WeatherDay.objects.update_or_create(
                organization=actor.organization,
                location_id=location_id,
                region_id=region_id,
                date=day,
                defaults={"temperature": temperature, "rain_mm": rain},
            )
        report.written = len(parsed)
        emit_event(
            "planning.weather_imported",
            {"rows": report.written},
            organization_id=actor.organization_id,
            actor=actor,
        )
    logger.info("imported %d weather days for %s", report.written, actor.organization.code)
    return report


PROFILE_FIELDS = {"store_format", "seats", "area_m2", "opened_on", "country"}


def set_location_profile(actor: Actor, location: Location, **values: Any) -> LocationProfile:
    """Record a store's format, seats, area, opening date and holiday calendar."""
    actor.require(Perm.PLANNING_MANAGE, location.pk)
    unknown = set(values) - PROFILE_FIELDS
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), sorted(unknown)[0])
    check = Checker()
    clean: dict[str, Any] = {}
    if "store_format" in values:
        clean["store_format"] = check.text(
            "store_format", values["store_format"], max_length=40, required=False
        )
    for name in ("seats", "area_m2"):
        if values.get(name) is not None:
            clean[name] = check.integer(name, values[name], minimum=0, maximum=100_000)
        elif name in values:
            clean[name] = None
    if values.get("opened_on") is not None:
        clean["opened_on"] = check_date(check, "opened_on", values["opened_on"])
    elif "opened_on" in values:
        clean["opened_on"] = None
    if "country" in values:
        country = check.text("country", values["country"], max_length=2, required=False).upper()
        if country and (len(country) != 2 or not country.isalpha()):
            check.fail("country", "invalid_country", _("Use a two-letter ISO 3166 code."))
        clean["country"] = country
    check.raise_if_any()

    with transaction.atomic():
        profile, created = LocationProfile.objects.get_or_create(
            location=location, defaults={"organization": actor.organization}
        )
        before = {} if created else snapshot(profile)
        for key, value in clean.items():
            setattr(profile, key, value)
        profile.save()
        record_audit(
            actor,
            AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            profile,
            before=before,
        )
    return profile


def mark_sold_out(
    actor: Actor, *, location_id: int, menu_item_id: int, date: Any, note: str = ""
) -> SoldOutDay:
    """Record that a dish sold out at a location on a day, so forecasts skip that day."""
    actor.require(Perm.STOCK_POST, location_id)
    check = Checker()
    if not Location.objects.filter(organization=actor.organization, pk=location_id).exists():
        check.fail("location_id", "not_found", _("No such location."))
    if not MenuItem.objects.filter(organization=actor.organization, pk=menu_item_id).exists():
        check.fail("menu_item_id", "not_found", _("No such menu item."))
    day = check_date(check, "date", date)
    note = check.text("note", note, max_length=200, required=False)
    check.raise_if_any()
    assert day is not None

    try:
        with transaction.atomic():
            row = SoldOutDay.objects.create(
                organization=actor.organization,
                location_id=location_id,
                menu_item_id=menu_item_id,
                date=day,
                note=note,
            )
            record_audit(actor, AuditEntry.Action.CREATE, row)
            emit_event(
                "planning.sold_out",
                {"location_id": location_id, "menu_item_id": menu_item_id, "date": day},
                organization_id=actor.organization_id,
                actor=actor,
            )
    except IntegrityError:
        raise conflict("duplicate", _("This dish is already marked sold out that day.")) from None
    return row


def unmark_sold_out(actor: Actor, row: SoldOutDay) -> None:
    """Take back a sold-out mark."""
    actor.require(Perm.STOCK_POST, row.location_id)
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, row, before=snapshot(row))
        row.delete()
