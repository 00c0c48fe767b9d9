"""Pages of the planning module: forecasts with their accuracy, the events calendar, weather
import, suggested orders with their explanations, replenishment settings, prep lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from boh.catalog.models import Category
from boh.core.errors import BohError
from boh.menu.selectors import business_today
from boh.org import selectors as org_selectors
from boh.org.models import Location, Region
from boh.org.roles import Perm
from boh.planning import selectors
from boh.planning.models import Event, Measure, Suggestion
from boh.planning.services import calendar, decisions, nightly, replenishment
from boh.purchasing.models import Supplier
from boh.web.shell import page, page_actor, refused

PAGE_SIZE = 50


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _field_errors(exc: BohError) -> dict[str, str]:
    return {f.field: f.message for f in exc.fields}


@page
def forecasts(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    if request.method == "POST":
        try:
            job = nightly.start_forecast(
                actor,
                location_id=_int(request.POST.get("location_id")),
                horizon=_int(request.POST.get("horizon")) or 14,
            )
        except BohError as exc:
            return refused(request, exc, reverse("planning:forecasts"))
        messages.success(request, _("Planning job %(id)s is queued.") % {"id": job.pk})
        return redirect("planning:forecasts")

    stores = list(org_selectors.locations(actor, kind=Location.Kind.STORE, active=True))
    location_id = _int(request.GET.get("location_id"))
    latest = selectors.latest_run(actor)
    scored = selectors.scored_run(actor)
    by_store = selectors.accuracy(actor, run=scored, by_item=False)
    by_item = (
        selectors.accuracy(actor, run=scored, location_id=location_id, measure=Measure.ITEM)
        if location_id
        else []
    )
    grid: dict[str, dict[dt.date, tuple[float, float]]] = defaultdict(dict)
    days: list[dt.date] = []
    if latest is not None and location_id:
        values = selectors.forecast_values(actor, run=latest, location_id=location_id)
        for v in values:
            label = v.menu_item.name if v.menu_item else v.get_measure_display()
            grid[label][v.date] = (v.p50, v.p90)
        days = sorted({d for row in grid.values() for d in row})
    context = {
        "stores": stores,
        "location_id": location_id,
        "latest": latest,
        "latest_warnings": [selectors.warning_text(w) for w in latest.warnings] if latest else [],
        "scored": scored,
        "by_store": by_store,
        "by_item": by_item,
        "grid": [(label, [row.get(d) for d in days]) for label, row in sorted(grid.items())],
        "days": days,
        "runs": selectors.runs(actor)[:20],
        "can_plan": actor.can(Perm.PLANNING_MANAGE),
    }
    return render(request, "planning/forecasts.html", context)


def _event_values(post: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": post.get("kind", ""),
        "name": post.get("name", ""),
        "start_date": post.get("start_date", ""),
        "end_date": post.get("end_date") or post.get("start_date", ""),
        "note": post.get("note", ""),
        "location_id": _int(post.get("location_id")),
        "region_id": _int(post.get("region_id")),
    }
    return values


def _current(values: dict[str, Any] | Event | None) -> dict[str, Any]:
    """What the event form shows: posted values, an event's, or nothing."""
    names = ("kind", "name", "start_date", "end_date", "note", "location_id", "region_id")
    if values is None:
        return dict.fromkeys(names, "")
    if isinstance(values, Event):
        values = {name: getattr(values, name) for name in names}
    return {
        name: (v.isoformat() if isinstance(v, dt.date) else ("" if v is None else v))
        for name, v in ((n, values.get(n)) for n in names)
    }


def _event_choices(request: HttpRequest) -> dict[str, Any]:
    actor = page_actor(request)
    return {
        "kinds": Event.Kind.choices,
        "locations": org_selectors.locations(actor, active=True),
        "regions": Region.objects.filter(organization=actor.organization).order_by("path"),
    }


@page
def events(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = _event_values(request.POST)
        try:
            calendar.create_event(actor, **values)
        except BohError as exc:
            if exc.status in {403, 404}:
                raise
            errors = _field_errors(exc) or {"": str(exc.message)}
        else:
            messages.success(request, _("The event is on the calendar."))
            return redirect("planning:events")
    since = _date(request.GET.get("from")) or business_today(actor.organization) - dt.timedelta(
        days=30
    )
    page_obj = Paginator(selectors.events(actor, date_from=since), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page_obj,
        "since": since,
        "errors": errors,
        "current": _current(values or None),
        "can_manage": actor.can(Perm.PLANNING_MANAGE),
        **_event_choices(request),
    }
    return render(request, "planning/events.html", context)


@page
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = page_actor(request)
    event = selectors.event(actor, event_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                calendar.delete_event(actor, event)
                messages.success(request, _("The event was taken off the calendar."))
                return redirect("planning:events")
            calendar.update_event(actor, event, **_event_values(request.POST))
        except BohError as exc:
            if exc.status in {403, 404}:
                raise
            errors = _field_errors(exc) or {"": str(exc.message)}
        else:
            messages.success(request, _("The event was changed."))
            return redirect("planning:events")
    posted = _event_values(request.POST) if request.method == "POST" else None
    context = {
        "event": event,
        "errors": errors,
        "current": _current(posted or event),
        **_event_choices(request),
    }
    return render(request, "planning/event_edit.html", context)


@page
def weather(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV file."))
            return redirect("planning:weather")
        try:
            text = upload.read().decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(text)))
        except (UnicodeDecodeError, csv.Error):
            messages.error(request, _("The file is not a UTF-8 CSV file."))
            return redirect("planning:weather")
        try:
            report = calendar.import_weather(actor, rows)
        except BohError as exc:
            return refused(request, exc, reverse("planning:weather"))
        if report.ok:
            messages.success(
                request,
                ngettext(
                    "Imported %(count)d day of weather.",
                    "Imported %(count)d days of weather.",
                    report.written,
                )
                % {"count": report.written},
            )
            return redirect("planning:weather")
    page_obj = Paginator(selectors.weather(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "report": report,
        "columns": calendar.WEATHER_COLUMNS,
        "can_manage": actor.can(Perm.PLANNING_MANAGE),
    }
    return render(request, "planning/weather.html", context)


@page
def suggestions(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    status = request.GET.get("status", Suggestion.Status.OPEN)
    if status not in Suggestion.Status.values:
        status = Suggestion.Status.OPEN
    qs = selectors.suggestions(
        actor, status=status, location_id=_int(request.GET.get("location_id"))
    )
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for suggestion in page_obj:
        suggestion.warning_texts = [selectors.warning_text(w) for w in suggestion.warnings]  # type: ignore[attr-defined]
    since = business_today(actor.organization) - dt.timedelta(days=30)
    context = {
        "page_obj": page_obj,
        "status": status,
        "statuses": Suggestion.Status.choices,
        "locations": org_selectors.locations(actor, active=True),
        "location_id": _int(request.GET.get("location_id")),
        "transfers": selectors.transfers(actor, status="open")[:50],
        "decided_transfers": selectors.transfers(actor, decided_since=since)[:50],
        "can_move_stock": actor.can(Perm.STOCK_POST),
        "acceptance": selectors.acceptance(actor, since=since),
        "since": since,
    }
    return render(request, "planning/suggestions.html", context)


@page
def transfer_decision(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """Accept a suggested transfer (a requested transfer) or reject it with a reason."""
    actor = page_actor(request)
    suggestion = selectors.transfer(actor, transfer_id)
    fallback = reverse("planning:suggestions")
    if request.method != "POST":
        return redirect(fallback)
    try:
        if request.POST.get("action") == "reject":
            decisions.reject_transfer(actor, suggestion, reason=request.POST.get("reason", ""))
            messages.success(request, _("The suggested transfer was rejected."))
        else:
            transfer = decisions.accept_transfer(actor, suggestion)
            messages.success(
                request,
                _("Transfer TR-%(id)s requested from the suggestion.") % {"id": transfer.pk},
            )
    except BohError as exc:
        return refused(request, exc, fallback)
    return redirect(fallback)


EXPLANATION_KEYS = (
    "forecast_use",
    "on_hand",
    "expiring_unused",
    "usable_on_hand",
    "on_order",
    "short_before_delivery",
    "safety_stock",
    "need",
    "packs_exact",
    "packs_rounded",
    "shelf_life_cap_packs",
)


def _explanation_labels() -> dict[str, str]:
    return {
        "forecast_use": _("Forecast use until the delivery after this one"),
        "on_hand": _("On hand"),
        "expiring_unused": _("Expires before it is used"),
        "usable_on_hand": _("Usable on hand"),
        "on_order": _("On order, due in time"),
        "short_before_delivery": _("Short before the delivery (not ordered for)"),
        "safety_stock": _("Safety stock"),
        "need": _("Need"),
        "packs_exact": _("Packs, exact"),
        "packs_rounded": _("Packs, rounded up"),
        "shelf_life_cap_packs": _("Most packs usable before the shelf life ends"),
    }


@page
def suggestion_detail(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    actor = page_actor(request)
    suggestion = selectors.suggestion(actor, suggestion_id)
    lines = list(selectors.suggestion_lines(suggestion))
    errors: dict[str, str] = {}
    if request.method == "POST":
        fallback = reverse("planning:suggestion", args=[suggestion.pk])
        if request.POST.get("action") == "dismiss":
            try:
                decisions.dismiss_suggestion(actor, suggestion)
            except BohError as exc:
                return refused(request, exc, fallback)
            messages.success(request, _("The suggestion was dismissed."))
            return redirect("planning:suggestions")
        edits = []
        for line in lines:
            raw = request.POST.get(f"packs-{line.pk}")
            if raw is None or raw.strip() == "":
                continue
            try:
                packs = Decimal(raw.strip())
            except InvalidOperation:
                errors[str(line.pk)] = _("Enter a number.")
                continue
            edits.append({"line_id": line.pk, "packs": packs})
        if not errors:
            try:
                order = decisions.accept_suggestion(
                    actor, suggestion, lines=edits, note=request.POST.get("note", "")
                )
            except BohError as exc:
                if exc.status in {403, 404}:
                    raise
                for field in exc.fields:
                    index = (
                        _int(field.field.split("[")[-1].split("]")[0])
                        if "[" in field.field
                        else None
                    )
                    key = (
                        str(edits[index]["line_id"])
                        if index is not None and index < len(edits)
                        else ""
                    )
                    errors[key] = field.message
                errors.setdefault("", str(exc.message))
            else:
                messages.success(
                    request, _("Purchase order %(number)s drafted.") % {"number": order.number}
                )
                return redirect("purchasing:order", order.pk)
    labels = _explanation_labels()
    rows = []
    for line in lines:
        explanation = [
            (labels[key], line.explanation.get(key))
            for key in EXPLANATION_KEYS
            if line.explanation.get(key) not in (None, "", "0", "0.000")
        ]
        rows.append(
            {
                "line": line,
                "explanation": explanation,
                "warnings": [selectors.line_warning_text(c) for c in line.warnings],
                "error": errors.get(str(line.pk)),
            }
        )
    context = {
        "suggestion": suggestion,
        "rows": rows,
        "warnings": [selectors.warning_text(w) for w in suggestion.warnings],
        "error": errors.get(""),
        "can_decide": suggestion.status == Suggestion.Status.OPEN
        and actor.can(Perm.PURCHASING_MANAGE, suggestion.location_id),
    }
    return render(request, "planning/suggestion_detail.html", context)


@page
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                setting = selectors.setting(actor, _int(request.POST.get("setting_id")))
                replenishment.delete_setting(actor, setting)
                messages.success(request, _("The setting was removed."))
            else:
                replenishment.create_setting(
                    actor,
                    category_id=_int(request.POST.get("category_id")),
                    supplier_id=_int(request.POST.get("supplier_id")),
                    service_level=request.POST.get("service_level") or None,
                    auto_approve=request.POST.get("auto_approve") == "on",
                    max_order_value=request.POST.get("max_order_value") or None,
                    max_line_packs=request.POST.get("max_line_packs") or None,
                )
                messages.success(request, _("The setting was saved."))
        except BohError as exc:
            if exc.status in {403, 404}:
                raise
            errors = _field_errors(exc) or {"": str(exc.message)}
        else:
            return redirect("planning:settings")
    context = {
        "settings": selectors.settings(actor),
        "categories": Category.objects.filter(organization=actor.organization).order_by("path"),
        "suppliers": Supplier.objects.filter(organization=actor.organization, is_active=True),
        "errors": errors,
        "values": request.POST if request.method == "POST" else {},
        "can_manage": actor.can(Perm.PLANNING_MANAGE),
    }
    return render(request, "planning/settings.html", context)


@page
def prep_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    kitchens = list(org_selectors.locations(actor, kind=Location.Kind.CENTRAL_KITCHEN, active=True))
    location_id = _int(request.GET.get("location_id")) or (kitchens[0].pk if kitchens else None)
    today = business_today(actor.organization)
    start = _date(request.GET.get("from")) or today
    days: dict[dt.date, list[selectors.PrepRow]] = defaultdict(list)
    names = {loc.pk: loc.name for loc in org_selectors.locations(actor)}
    if location_id and any(k.pk == location_id for k in kitchens):
        for row in selectors.prep_list(actor, location_id=location_id, date_from=start, days=7):
            days[row.date].append(row)
    context = {
        "kitchens": kitchens,
        "location_id": location_id,
        "start": start,
        "days": [
            (
                day,
                [
                    (row, [(names.get(int(k), k), v) for k, v in row.for_locations.items()])
                    for row in rows
                ],
            )
            for day, rows in sorted(days.items())
        ],
    }
    return render(request, "planning/prep_list.html", context)
