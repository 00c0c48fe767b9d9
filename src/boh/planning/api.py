"""HTTP operations of the planning module: parse, call a service or selector, return."""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from boh.core.errors import collect
from boh.core.schemas import ERRORS, ObjId, Pages
from boh.org.access import request_actor as _actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.planning import selectors
from boh.planning.schemas import (
    PlanningAcceptanceOut,
    PlanningAcceptIn,
    PlanningAccuracyOut,
    PlanningEventIn,
    PlanningEventOut,
    PlanningEventPatch,
    PlanningForecastOut,
    PlanningJobOut,
    PlanningOrderOut,
    PlanningPrepOut,
    PlanningProfileIn,
    PlanningProfileOut,
    PlanningRunIn,
    PlanningRunOut,
    PlanningSettingIn,
    PlanningSettingOut,
    PlanningSettingPatch,
    PlanningSoldOutIn,
    PlanningSoldOutOut,
    PlanningSuggestionDetailOut,
    PlanningSuggestionOut,
    PlanningTransferOut,
    PlanningTransferRejectIn,
    PlanningWeatherImportOut,
    PlanningWeatherIn,
    PlanningWeatherOut,
)
from boh.planning.services import calendar, decisions, nightly, replenishment

router = Router(tags=["planning"])


def _set(payload: Schema) -> dict[str, Any]:
    return payload.model_dump(exclude_unset=True)


# Forecasts ------------------------------------------------------------------------------


class RunFilter(Schema):
    status: Literal["running", "done", "failed"] | None = None


@router.get("/runs", response={200: list[PlanningRunOut], **ERRORS})
@paginate(Pages)
def list_runs(request: HttpRequest, filters: Query[RunFilter]) -> Any:
    """Forecast runs, newest first, with their backtests, warnings and tracked accuracy."""
    qs = selectors.runs(_actor(request))
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


@router.post("/runs", response={202: PlanningJobOut, **ERRORS})
def start_run(request: HttpRequest, payload: PlanningRunIn) -> Any:
    """Queue the planning chain now: forecast, ingredients, prep lists, suggested orders."""
    job = nightly.start_forecast(
        _actor(request), location_id=payload.location_id, horizon=payload.horizon
    )
    return Status(202, {"job_id": job.pk, "kind": job.kind, "status": job.status})


@router.get("/runs/{run_id}", response={200: PlanningRunOut, **ERRORS})
def get_run(request: HttpRequest, run_id: ObjId) -> Any:
    """One forecast run."""
    return selectors.run(_actor(request), run_id)


class ForecastFilter(Schema):
    run_id: ObjId | None = None
    location_id: ObjId | None = None
    menu_item_id: ObjId | None = None
    measure: Literal["item", "covers", "net_sales"] | None = None
    date_from: date | None = None
    date_to: date | None = None


@router.get("/forecasts", response={200: list[PlanningForecastOut], **ERRORS})
@paginate(Pages)
def list_forecasts(request: HttpRequest, filters: Query[ForecastFilter]) -> Any:
    """P50 and P90 per location, series and day, from a run (by default the newest)."""
    actor = _actor(request)
    run = selectors.run(actor, filters.run_id) if filters.run_id is not None else None
    return selectors.forecast_values(
        actor,
        run=run,
        location_id=filters.location_id,
        menu_item_id=filters.menu_item_id,
        measure=filters.measure,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )


class AccuracyFilter(Schema):
    run_id: ObjId | None = None
    location_id: ObjId | None = None
    measure: Literal["item", "covers", "net_sales"] | None = None
    by: Literal["item", "store"] = "item"


@router.get("/accuracy", response={200: list[PlanningAccuracyOut], **ERRORS})
@paginate(Pages)
def list_accuracy(request: HttpRequest, filters: Query[AccuracyFilter]) -> Any:
    """WAPE and bias against actual sales per store and item (or per store) of a scored run."""
    actor = _actor(request)
    run = selectors.scored_run(actor, filters.run_id)
    return selectors.accuracy(
        actor,
        run=run,
        location_id=filters.location_id,
        measure=filters.measure,
        by_item=filters.by == "item",
    )


# Events, weather, store profiles, sold-out days ------------------------------------------


class EventFilter(Schema):
    location_id: ObjId | None = None
    kind: Literal["promotion", "local_event", "closure"] | None = None
    date_from: date | None = None
    date_to: date | None = None


@router.get("/events", response={200: list[PlanningEventOut], **ERRORS})
@paginate(Pages)
def list_events(request: HttpRequest, filters: Query[EventFilter]) -> Any:
    """Promotions, local events and closures on the calendar."""
    return selectors.events(
        _actor(request),
        location_id=filters.location_id,
        kind=filters.kind,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )


@router.post("/events", response={201: PlanningEventOut, **ERRORS})
def create_event(request: HttpRequest, payload: PlanningEventIn) -> Any:
    """Put an event on the calendar of a location, a region or the whole organization."""
    values = payload.model_dump()
    if values["end_date"] is None:
        values["end_date"] = values["start_date"]
    return Status(201, calendar.create_event(_actor(request), **values))


@router.get("/events/{event_id}", response={200: PlanningEventOut, **ERRORS})
def get_event(request: HttpRequest, event_id: ObjId) -> Any:
    """One calendar event."""
    return selectors.event(_actor(request), event_id)


@router.patch("/events/{event_id}", response={200: PlanningEventOut, **ERRORS})
def patch_event(request: HttpRequest, event_id: ObjId, payload: PlanningEventPatch) -> Any:
    """Change an event's name, kind, dates or scope."""
    actor = _actor(request)
    return calendar.update_event(actor, selectors.event(actor, event_id), **_set(payload))


@router.delete("/events/{event_id}", response={204: None, **ERRORS})
def delete_event(request: HttpRequest, event_id: ObjId) -> Any:
    """Take an event off the calendar."""
    actor = _actor(request)
    calendar.delete_event(actor, selectors.event(actor, event_id))
    return Status(204, None)


class WeatherFilter(Schema):
    date_from: date | None = None
    date_to: date | None = None


@router.get("/weather", response={200: list[PlanningWeatherOut], **ERRORS})
@paginate(Pages)
def list_weather(request: HttpRequest, filters: Query[WeatherFilter]) -> Any:
    """Imported daily weather, newest first."""
    return selectors.weather(_actor(request), date_from=filters.date_from, date_to=filters.date_to)


@router.post("/weather", response={200: PlanningWeatherImportOut, **ERRORS})
def import_weather(request: HttpRequest, payload: PlanningWeatherIn) -> Any:
    """Import daily weather by location or region code; all rows or none."""
    rows = [r.model_dump() for r in payload.rows]
    report = calendar.import_weather(_actor(request), rows)
    if not report.ok:
        raise collect(report.errors, _("Some weather rows are wrong; nothing was imported."))
    return {"rows": report.rows, "written": report.written}


@router.get("/locations/{location_id}/profile", response={200: PlanningProfileOut, **ERRORS})
def get_profile(request: HttpRequest, location_id: ObjId) -> Any:
    """A store's format, seats, area, opening date and holiday calendar."""
    actor = _actor(request)
    location = actor.get(Location.objects.all(), location_id, Perm.PLANNING_VIEW, "id")
    profile = selectors.profile(actor, location.pk)
    if profile is None:
        return {
            "location_id": location.pk,
            "store_format": "",
            "seats": None,
            "area_m2": None,
            "opened_on": None,
            "country": "",
        }
    return profile


@router.put("/locations/{location_id}/profile", response={200: PlanningProfileOut, **ERRORS})
def put_profile(request: HttpRequest, location_id: ObjId, payload: PlanningProfileIn) -> Any:
    """Set a store's attributes that forecasts learn from and find similar stores by."""
    actor = _actor(request)
    location = actor.get(Location.objects.all(), location_id, Perm.PLANNING_VIEW, "id")
    return calendar.set_location_profile(actor, location, **_set(payload))


class SoldOutFilter(Schema):
    location_id: ObjId | None = None


@router.get("/sold-out", response={200: list[PlanningSoldOutOut], **ERRORS})
@paginate(Pages)
def list_sold_out(request: HttpRequest, filters: Query[SoldOutFilter]) -> Any:
    """Days dishes sold out; forecasts treat them as gaps, not as low demand."""
    return selectors.sold_out_days(_actor(request), location_id=filters.location_id)


@router.post("/sold-out", response={201: PlanningSoldOutOut, **ERRORS})
def mark_sold_out(request: HttpRequest, payload: PlanningSoldOutIn) -> Any:
    """Mark a dish sold out at a location on a day."""
    return Status(201, calendar.mark_sold_out(_actor(request), **payload.model_dump()))


@router.delete("/sold-out/{sold_out_id}", response={204: None, **ERRORS})
def unmark_sold_out(request: HttpRequest, sold_out_id: ObjId) -> Any:
    """Take back a sold-out mark."""
    actor = _actor(request)
    calendar.unmark_sold_out(actor, selectors.sold_out_day(actor, sold_out_id))
    return Status(204, None)


# Replenishment --------------------------------------------------------------------------


@router.get("/settings", response={200: list[PlanningSettingOut], **ERRORS})
@paginate(Pages)
def list_settings(request: HttpRequest) -> Any:
    """Service levels and automatic ordering by item class, supplier, or for all."""
    return selectors.settings(_actor(request))


@router.post("/settings", response={201: PlanningSettingOut, **ERRORS})
def create_setting(request: HttpRequest, payload: PlanningSettingIn) -> Any:
    """Set a service level (below 100%) and automatic-ordering limits."""
    return Status(201, replenishment.create_setting(_actor(request), **payload.model_dump()))


@router.patch("/settings/{setting_id}", response={200: PlanningSettingOut, **ERRORS})
def patch_setting(request: HttpRequest, setting_id: ObjId, payload: PlanningSettingPatch) -> Any:
    """Change a setting's service level, automatic ordering or limits."""
    actor = _actor(request)
    return replenishment.update_setting(
        actor, selectors.setting(actor, setting_id), **_set(payload)
    )


@router.delete("/settings/{setting_id}", response={204: None, **ERRORS})
def delete_setting(request: HttpRequest, setting_id: ObjId) -> Any:
    """Remove a setting; the broader one applies."""
    actor = _actor(request)
    replenishment.delete_setting(actor, selectors.setting(actor, setting_id))
    return Status(204, None)


class SuggestionFilter(Schema):
    status: Literal["open", "accepted", "auto", "dismissed", "superseded"] | None = None
    location_id: ObjId | None = None
    supplier_id: ObjId | None = None


@router.get("/suggestions", response={200: list[PlanningSuggestionOut], **ERRORS})
@paginate(Pages)
def list_suggestions(request: HttpRequest, filters: Query[SuggestionFilter]) -> Any:
    """Suggested orders per supplier and location, newest first."""
    return selectors.suggestions(
        _actor(request),
        status=filters.status,
        location_id=filters.location_id,
        supplier_id=filters.supplier_id,
    )


class AcceptanceFilter(Schema):
    since: date | None = None


@router.get("/acceptance", response={200: PlanningAcceptanceOut, **ERRORS})
def get_acceptance(request: HttpRequest, filters: Query[AcceptanceFilter]) -> Any:
    """How suggestions were decided, and the share of lines accepted unchanged."""
    report = selectors.acceptance(_actor(request), since=filters.since)
    return {**report.__dict__, "unchanged_share": report.unchanged_share}


@router.get("/suggestions/{suggestion_id}", response={200: PlanningSuggestionDetailOut, **ERRORS})
def get_suggestion(request: HttpRequest, suggestion_id: ObjId) -> Any:
    """One suggested order with each line's explanation."""
    return selectors.suggestion(_actor(request), suggestion_id)


@router.post("/suggestions/{suggestion_id}/accept", response={201: PlanningOrderOut, **ERRORS})
def accept_suggestion(request: HttpRequest, suggestion_id: ObjId, payload: PlanningAcceptIn) -> Any:
    """Turn a suggestion into a draft purchase order, as suggested or with edited packs."""
    actor = _actor(request)
    order = decisions.accept_suggestion(
        actor,
        selectors.suggestion(actor, suggestion_id),
        lines=[line.model_dump() for line in payload.lines],
        note=payload.note,
    )
    return Status(
        201,
        {
            "order_id": order.pk,
            "number": order.number,
            "status": order.status,
            "total": order.total,
        },
    )


@router.post(
    "/suggestions/{suggestion_id}/dismiss", response={200: PlanningSuggestionOut, **ERRORS}
)
def dismiss_suggestion(request: HttpRequest, suggestion_id: ObjId) -> Any:
    """Decide not to order what a suggestion proposes."""
    actor = _actor(request)
    return decisions.dismiss_suggestion(actor, selectors.suggestion(actor, suggestion_id))


class TransferFilter(Schema):
    status: Literal["open", "accepted", "rejected", "superseded"] | None = None


@router.get("/transfers", response={200: list[PlanningTransferOut], **ERRORS})
@paginate(Pages)
def list_transfers(request: HttpRequest, filters: Query[TransferFilter]) -> Any:
    """Stock near expiry at one store suggested to a nearby store running short."""
    return selectors.transfers(_actor(request), status=filters.status)


@router.post("/transfers/{transfer_id}/accept", response={200: PlanningTransferOut, **ERRORS})
def accept_transfer(request: HttpRequest, transfer_id: ObjId) -> Any:
    """Request the suggested transfer; accepting it again returns the same transfer."""
    actor = _actor(request)
    suggestion = selectors.transfer(actor, transfer_id)
    decisions.accept_transfer(actor, suggestion)
    return suggestion


@router.post("/transfers/{transfer_id}/reject", response={200: PlanningTransferOut, **ERRORS})
def reject_transfer(
    request: HttpRequest, transfer_id: ObjId, payload: PlanningTransferRejectIn
) -> Any:
    """Decide not to make a suggested transfer, with the reason."""
    actor = _actor(request)
    return decisions.reject_transfer(
        actor, selectors.transfer(actor, transfer_id), reason=payload.reason
    )


class PrepFilter(Schema):
    location_id: ObjId
    date_from: date | None = None
    days: int = 7


@router.get("/prep-list", response={200: list[PlanningPrepOut], **ERRORS})
@paginate(Pages)
def list_prep(request: HttpRequest, filters: Query[PrepFilter]) -> Any:
    """A central kitchen's prep list per day, with the stores each quantity is for."""
    actor = _actor(request)
    location = actor.get(Location.objects.all(), filters.location_id, Perm.PLANNING_VIEW, "id")
    return selectors.prep_list(
        actor,
        location_id=location.pk,
        date_from=filters.date_from,
        days=max(1, min(filters.days, 60)),
    )
