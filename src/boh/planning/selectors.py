"""Reads of the planning module, scoped to the actor's organization and reachable locations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boh.org.access import Actor
from boh.org.roles import Perm
from boh.planning import replenish
from boh.planning.models import (
    Event,
    ForecastRun,
    ForecastScore,
    ForecastValue,
    LocationProfile,
    PrepLine,
    ReplenishmentSetting,
    SoldOutDay,
    Suggestion,
    SuggestionLine,
    TransferSuggestion,
    WeatherDay,
)

VIEW = Perm.PLANNING_VIEW


def warning_text(warning: dict[str, Any]) -> str:
    """A run's or a suggestion's stored warning ({code, params}) as a sentence."""
    code = warning.get("code", "")
    p = warning.get("params") or {}
    if code == "borrowed_history":
        return _(
            "%(location)s has no sales history: its forecast is the average of similar stores "
            "(%(donors)s)."
        ) % {"location": p.get("location", ""), "donors": ", ".join(p.get("donors", []))}
    if code == "no_history":
        return _(
            "%(location)s has no sales history and no similar store has any: it has no forecast."
        ) % {"location": p.get("location", "")}
    if code == "not_backtested":
        return _(
            "%(group)s: too little history to compare models; the weekday baseline is used."
        ) % {"group": p.get("group", "")}
    if code == "p90_from_history":
        return _("%(group)s: P90 comes from the spread of recent days, not from backtests.") % {
            "group": p.get("group", "")
        }
    if code == "without_recipe":
        return _(
            "%(count)d menu items have no recipe in force: their sales make no ingredient demand."
        ) % {"count": len(p.get("menu_item_ids", []))}
    if code == "no_kitchen":
        return _(
            "%(count)d prepared items used in stores have no central kitchen to make them."
        ) % {"count": len(p.get("pairs", []))}
    if code == replenish.NO_SUPPLIER:
        return _("These items have no supplier: set a preferred supplier to order them.")
    if code == replenish.NO_DELIVERY_DAYS:
        return _(
            "The supplier has no delivery days for this location: delivery every day after the "
            "lead time was assumed."
        )
    if code == replenish.BELOW_MINIMUM:
        text = _(
            "The total %(total)s is below the supplier's minimum order of %(minimum)s "
            "(%(shortfall)s short)."
        ) % {
            "total": p.get("total"),
            "minimum": p.get("minimum"),
            "shortfall": p.get("shortfall"),
        }
        if p.get("can_wait"):
            return (
                text
                + " "
                + _("Nothing runs short before %(date)s: merge it with that order.")
                % {"date": p.get("next_delivery")}
            )
        return text + " " + _("Add items to reach the minimum, or order below it knowingly.")
    return str(code)


LINE_WARNINGS = {
    replenish.NO_SUPPLIER: gettext_lazy("No supplier: the need is shown in base units."),
    replenish.NO_DELIVERY_DAYS: gettext_lazy("No delivery days: daily delivery assumed."),
    replenish.NO_FORECAST: gettext_lazy("No forecast use: only stock and orders were counted."),
    replenish.SHELF_LIFE_CAP: gettext_lazy(
        "Capped at what can be used before the shelf life ends."
    ),
    replenish.PACK_OUTLASTS_SHELF_LIFE: gettext_lazy(
        "Not even one pack (or the MOQ) can be used before it expires: nothing ordered."
    ),
    replenish.SHORT_BEFORE_DELIVERY: gettext_lazy(
        "Runs short before the delivery: consider a transfer."
    ),
}


def line_warning_text(code: str) -> str:
    """A suggestion line's warning code as a sentence."""
    return str(LINE_WARNINGS.get(code, code))


def runs(actor: Actor) -> QuerySet[ForecastRun]:
    """Forecast runs of the organization (those for one store only if it is in reach)."""
    qs = actor.scope(ForecastRun.objects.select_related("location"), VIEW)
    reach = actor.reach(VIEW)
    if reach is not None:
        qs = qs.filter(Q(location__isnull=True) | Q(location_id__in=reach))
    return qs.order_by("-started_at", "-pk")


def run(actor: Actor, run_id: object) -> ForecastRun:
    """One forecast run, or 404."""
    return actor.get(runs(actor), run_id, VIEW)


def latest_run(actor: Actor) -> ForecastRun | None:
    """The newest finished run the actor may see."""
    return runs(actor).filter(status=ForecastRun.Status.DONE).order_by("-first_date", "-pk").first()


def forecast_values(
    actor: Actor,
    *,
    run: ForecastRun | None = None,
    location_id: int | None = None,
    menu_item_id: int | None = None,
    measure: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[ForecastValue]:
    """Forecast values of a run (by default the newest) at reachable locations."""
    chosen = run or latest_run(actor)
    qs = actor.scope(
        ForecastValue.objects.select_related("location", "menu_item"), VIEW, "location_id"
    )
    if chosen is None:
        return qs.none()
    qs = qs.filter(run=chosen)
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if menu_item_id is not None:
        qs = qs.filter(menu_item_id=menu_item_id)
    if measure:
        qs = qs.filter(measure=measure)
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("location__code", "measure", "menu_item__code", "date")


@dataclass(frozen=True)
class AccuracyRow:
    location_id: int
    location_name: str
    measure: str
    menu_item_id: int | None
    menu_item_name: str
    days: int
    forecast: float
    actual: float
    wape: float | None
    bias: float | None

    @property
    def accuracy(self) -> float | None:
        return None if self.wape is None else 1 - self.wape


def scored_run(actor: Actor, run_id: int | None = None) -> ForecastRun | None:
    """The run to show accuracy for: the one asked for, else the newest one scored."""
    if run_id is not None:
        return run(actor, run_id)
    return runs(actor).filter(scored_through__isnull=False).order_by("-first_date", "-pk").first()


def accuracy(
    actor: Actor,
    *,
    run: ForecastRun | None,
    location_id: int | None = None,
    measure: str | None = None,
    by_item: bool = True,
) -> list[AccuracyRow]:
    """WAPE and bias of a run against actual sales, per store and item (or per store)."""
    if run is None:
        return []
    qs = actor.scope(ForecastScore.objects.filter(run=run), VIEW, "location_id")
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if measure:
        qs = qs.filter(measure=measure)
    fields = ["location_id", "location__name", "measure"]
    if by_item:
        fields += ["menu_item_id", "menu_item__name"]
    rows = (
        qs.values(*fields)
        .annotate(
            f=Sum("forecast_total"), a=Sum("actual_total"), e=Sum("abs_error_total"), d=Sum("days")
        )
        .order_by("location__name", "measure", *(["menu_item__name"] if by_item else []))
    )
    result = []
    for r in rows:
        actual = r["a"] or 0.0
        result.append(
            AccuracyRow(
                location_id=r["location_id"],
                location_name=r["location__name"],
                measure=r["measure"],
                menu_item_id=r.get("menu_item_id"),
                menu_item_name=r.get("menu_item__name") or "",
                days=int(r["d"] or 0),
                forecast=float(r["f"] or 0.0),
                actual=float(actual),
                wape=(r["e"] / actual) if actual else None,
                bias=((r["f"] - actual) / actual) if actual else None,
            )
        )
    return result


def events(
    actor: Actor,
    *,
    location_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kind: str | None = None,
) -> QuerySet[Event]:
    """Calendar events for the whole organization, its regions and reachable locations."""
    qs = actor.scope(Event.objects.select_related("location", "region"), VIEW)
    reach = actor.reach(VIEW)
    if reach is not None:
        qs = qs.filter(Q(location__isnull=True) | Q(location_id__in=reach))
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if date_from is not None:
        qs = qs.filter(end_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(start_date__lte=date_to)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("start_date", "pk")


def event(actor: Actor, event_id: object) -> Event:
    """One event, or 404."""
    return actor.get(events(actor), event_id, VIEW)


def weather(
    actor: Actor, *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[WeatherDay]:
    """Imported weather of the organization's locations and regions."""
    qs = actor.scope(WeatherDay.objects.select_related("location", "region"), VIEW)
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("-date", "pk")


def profile(actor: Actor, location_id: int) -> LocationProfile | None:
    """A store's planning profile, if it has one."""
    return (
        actor.scope(LocationProfile.objects.all(), VIEW, "location_id")
        .filter(location_id=location_id)
        .first()
    )


def sold_out_days(actor: Actor, *, location_id: int | None = None) -> QuerySet[SoldOutDay]:
    """Days dishes sold out at reachable locations, newest first."""
    qs = actor.scope(
        SoldOutDay.objects.select_related("location", "menu_item"), VIEW, "location_id"
    )
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    return qs.order_by("-date", "pk")


def sold_out_day(actor: Actor, sold_out_id: object) -> SoldOutDay:
    """One sold-out mark, or 404."""
    return actor.get(sold_out_days(actor), sold_out_id, VIEW, "location_id")


def settings(actor: Actor) -> QuerySet[ReplenishmentSetting]:
    """The organization's replenishment settings."""
    return actor.scope(
        ReplenishmentSetting.objects.select_related("category", "supplier"), VIEW
    ).order_by("supplier__code", "category__path", "pk")


def setting(actor: Actor, setting_id: object) -> ReplenishmentSetting:
    """One replenishment setting, or 404."""
    return actor.get(settings(actor), setting_id, VIEW)


def suggestions(
    actor: Actor,
    *,
    status: str | None = None,
    location_id: int | None = None,
    supplier_id: int | None = None,
) -> QuerySet[Suggestion]:
    """Suggested orders at reachable locations, newest first."""
    qs = actor.scope(
        Suggestion.objects.select_related("location", "supplier", "purchase_order"),
        VIEW,
        "location_id",
    )
    if status:
        qs = qs.filter(status=status)
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if supplier_id is not None:
        qs = qs.filter(supplier_id=supplier_id)
    return qs.order_by("-order_date", "location__code", "supplier__code", "-pk")


def suggestion(actor: Actor, suggestion_id: object) -> Suggestion:
    """One suggested order, or 404."""
    return actor.get(suggestions(actor), suggestion_id, VIEW, "location_id")


def suggestion_lines(suggestion: Suggestion) -> QuerySet[SuggestionLine]:
    """A suggestion's lines with their items and supplier items."""
    return suggestion.lines.select_related("item", "supplier_item").order_by("item__code")


@dataclass(frozen=True)
class Acceptance:
    decided: int
    accepted: int
    automatic: int
    dismissed: int
    lines: int
    unchanged: int

    @property
    def unchanged_share(self) -> float | None:
        """Share of accepted lines ordered exactly as suggested."""
        return self.unchanged / self.lines if self.lines else None


def acceptance(actor: Actor, *, since: dt.date | None = None) -> Acceptance:
    """How suggestions were decided since a date, and how many lines were kept unchanged."""
    qs = suggestions(actor).exclude(
        status__in=[Suggestion.Status.OPEN, Suggestion.Status.SUPERSEDED]
    )
    if since is not None:
        qs = qs.filter(order_date__gte=since)
    counts = {s: qs.filter(status=s).count() for s in Suggestion.Status.values}
    lines = SuggestionLine.objects.filter(
        suggestion__in=qs.filter(
            status__in=[Suggestion.Status.ACCEPTED, Suggestion.Status.AUTO_APPROVED]
        )
    ).filter(Q(packs__gt=0) | Q(accepted_packs__gt=0))
    return Acceptance(
        decided=qs.count(),
        accepted=counts[Suggestion.Status.ACCEPTED],
        automatic=counts[Suggestion.Status.AUTO_APPROVED],
        dismissed=counts[Suggestion.Status.DISMISSED],
        lines=lines.count(),
        unchanged=lines.filter(edited=False).count(),
    )


def transfers(
    actor: Actor, *, status: str | None = None, decided_since: dt.date | None = None
) -> QuerySet[TransferSuggestion]:
    """Suggested transfers from or to reachable locations: by status, or those accepted or
    rejected since a day (newest decision first)."""
    qs = TransferSuggestion.objects.filter(organization=actor.organization).select_related(
        "from_location", "to_location", "item", "lot", "decided_by"
    )
    reach = actor.reach(VIEW)
    if reach is not None:
        qs = qs.filter(Q(from_location_id__in=reach) | Q(to_location_id__in=reach))
    if status:
        qs = qs.filter(status=status)
    if decided_since is not None:
        return qs.filter(
            status__in=[TransferSuggestion.Status.ACCEPTED, TransferSuggestion.Status.REJECTED],
            decided_at__date__gte=decided_since,
        ).order_by("-decided_at", "-pk")
    return qs.order_by("expiry_date", "pk")


def transfer(actor: Actor, transfer_id: object) -> TransferSuggestion:
    """One suggested transfer, or 404."""
    return actor.get(transfers(actor), transfer_id, VIEW)


@dataclass(frozen=True)
class PrepRow:
    item_id: int
    item_code: str
    item_name: str
    base_unit: str
    date: dt.date
    quantity: Decimal
    for_locations: dict[str, str]


def prep_list(
    actor: Actor, *, location_id: int, date_from: dt.date | None = None, days: int = 7
) -> list[PrepRow]:
    """What a central kitchen is to make each day, from the newest run that planned it."""
    actor.require(VIEW, location_id)
    latest = (
        PrepLine.objects.filter(organization=actor.organization, location_id=location_id)
        .order_by("-run__first_date", "-run_id")
        .values_list("run_id", flat=True)
        .first()
    )
    if latest is None:
        return []
    qs = PrepLine.objects.filter(run_id=latest, location_id=location_id).select_related("item")
    if date_from is not None:
        qs = qs.filter(date__gte=date_from, date__lt=date_from + dt.timedelta(days=days))
    return [
        PrepRow(
            item_id=line.item_id,
            item_code=line.item.code,
            item_name=line.item.name,
            base_unit=line.item.base_unit,
            date=line.date,
            quantity=line.quantity,
            for_locations=line.for_locations,
        )
        for line in qs.order_by("date", "item__code")
    ]
