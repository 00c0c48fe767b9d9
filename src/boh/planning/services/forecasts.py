"""Forecast runs: read the daily sales facts, forecast every series, store P50 and P90.

A store without history of its own borrows the forecasts of similar stores (same kind, in
the same region if there are any, else in the same top region, else anywhere) and the run
says so; a store with nothing to borrow from gets no forecast and a warning, never zeros.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import validation_error
from boh.core.models import AuditEntry
from boh.core.services import emit_event, record_audit
from boh.core.validation import Checker
from boh.menu.selectors import business_today
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.planning import errors
from boh.planning.forecast import pipeline
from boh.planning.history import (
    SeriesKey,
    closures,
    column_dates,
    event_matrices,
    load_history,
    weather_matrices,
)
from boh.planning.models import ForecastRun, ForecastScore, ForecastValue, Measure
from boh.sales.models import DailyItemSales, DailySales
from boh.sales.services.rows import db_date, insert

logger = logging.getLogger(__name__)

MAX_HORIZON = 60
HISTORY_DAYS = 730
WRITE_BATCH = 5000
VALUES_TABLE = ForecastValue._meta.db_table
VALUE_COLUMNS = (
    "run_id",
    "organization_id",
    "location_id",
    "menu_item_id",
    "measure",
    "date",
    "p50",
    "p90",
    "borrowed",
)

Progress = Callable[[str], None]


def _warning(code: str, **params: Any) -> dict[str, Any]:
    return {"code": code, "params": params}


def stores_to_forecast(
    actor: Actor, location_id: int | None
) -> tuple[list[Location], list[Location]]:
    """The stores to forecast, and the stores whose history the forecast may learn from."""
    stores = list(
        Location.objects.filter(
            organization=actor.organization, kind=Location.Kind.STORE, is_active=True
        ).select_related("region", "planning_profile")
    )
    if location_id is None:
        return stores, stores
    wanted = [s for s in stores if s.pk == location_id]
    if not wanted:
        location = Location.objects.filter(organization=actor.organization, pk=location_id).first()
        if location is None:
            raise validation_error("not_found", _("No such location."), "location_id")
        raise validation_error(
            errors.NOT_A_STORE,
            _("Only active stores sell to guests; %(location)s has nothing to forecast.")
            % {"location": location.name},
            "location_id",
        )
    return wanted, [wanted[0], *similar_stores(wanted[0], stores)]


def _top_region(location: Location) -> str | None:
    if location.region is None:
        return None
    return location.region.path.strip("/").split("/")[0]


def similar_stores(location: Location, candidates: list[Location]) -> list[Location]:
    """Stores like this one: same kind in the same region, else the same top region, else
    anywhere in the organization."""
    others = [c for c in candidates if c.pk != location.pk and c.kind == location.kind]
    tiers = (
        [c for c in others if location.region_id and c.region_id == location.region_id],
        [c for c in others if _top_region(location) and _top_region(c) == _top_region(location)],
        others,
    )
    for tier in tiers:
        if tier:
            return tier
    return []


def _country(location: Location, default: str) -> str:
    profile = getattr(location, "planning_profile", None)
    return (profile.country if profile is not None and profile.country else default).upper()


def _static(keys: list[SeriesKey], stores: dict[int, Location]) -> pd.DataFrame:
    """Store attributes per series: measure, region, format, seats, area."""
    measure_code = {Measure.ITEM.value: 0, Measure.COVERS.value: 1, Measure.NET_SALES.value: 2}
    formats: dict[str, int] = {}
    rows = []
    for key in keys:
        store = stores[key.location_id]
        profile = getattr(store, "planning_profile", None)
        fmt = profile.store_format if profile is not None else ""
        rows.append(
            {
                "measure": measure_code[key.measure],
                "region": store.region_id or 0,
                "format": formats.setdefault(fmt, len(formats)),
                "seats": float(profile.seats) if profile and profile.seats else np.nan,
                "area": float(profile.area_m2) if profile and profile.area_m2 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def run_forecast(
    actor: Actor,
    *,
    location_id: int | None = None,
    horizon: int = 14,
    today: dt.date | None = None,
    trigger: str = ForecastRun.Trigger.ON_DEMAND,
    settings: pipeline.Settings | None = None,
    progress: Progress | None = None,
) -> ForecastRun:
    """Forecast menu items, covers and net sales of the stores (or one store) from today."""
    actor.require(Perm.PLANNING_MANAGE, location_id)
    check = Checker()
    check.integer("horizon", horizon, minimum=1, maximum=MAX_HORIZON)
    check.raise_if_any()
    step = progress or (lambda _stage: None)
    targets, learn_from = stores_to_forecast(actor, location_id)
    first_date = today or business_today(actor.organization)
    end = first_date - dt.timedelta(days=1)
    start = end - dt.timedelta(days=HISTORY_DAYS - 1)
    base = settings or pipeline.Settings()
    params = {
        "horizon": horizon,
        "history_days": HISTORY_DAYS,
        "models": list(base.models),
        "backtest_origins": base.backtest_origins,
        "n_origins": base.n_origins,
        "num_boost_round": base.num_boost_round,
        "quantile": base.quantile,
    }

    with transaction.atomic():
        run = ForecastRun.objects.create(
            organization=actor.organization,
            location_id=location_id,
            trigger=trigger,
            first_date=first_date,
            horizon=horizon,
            parameters=params,
            created_by=actor.user,
        )
    try:
        _forecast_into(actor, run, targets, learn_from, start, end, base, step)
    except Exception as exc:
        ForecastRun.objects.filter(pk=run.pk).update(
            status=ForecastRun.Status.FAILED,
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    run.refresh_from_db()
    return run


def _forecast_into(
    actor: Actor,
    run: ForecastRun,
    targets: list[Location],
    learn_from: list[Location],
    start: dt.date,
    end: dt.date,
    base: pipeline.Settings,
    step: Progress,
) -> None:
    horizon = run.horizon
    stores = {s.pk: s for s in learn_from}
    step("history")
    history = load_history(actor.organization_id, list(stores), start=start, end=end)
    with_history = {pk for pk, n in history.open_days.items() if n > 0}
    warnings: list[dict[str, Any]] = []
    backtest: dict[str, Any] = {}
    models: set[str] = set()
    # series label -> (p50, p90) arrays over the horizon
    forecasts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    dates = pd.date_range(pd.Timestamp(run.first_date), periods=horizon, freq="D")

    by_country: dict[str, list[str]] = defaultdict(list)
    for label, key in history.keys.items():
        by_country[_country(stores[key.location_id], actor.organization.country)].append(label)
    for country, labels in sorted(by_country.items()):
        panel = history.panel_of(labels)
        keys = [history.keys[str(label)] for label in panel.series]
        series_locations = np.array([k.location_id for k in keys])
        cols = column_dates(panel, horizon)
        exog = {
            **event_matrices(actor.organization_id, stores, series_locations, cols),
            **weather_matrices(actor.organization_id, stores, series_locations, cols),
        }
        settings = pipeline.Settings(**{**base.__dict__, "horizon": horizon, "country": country})
        groups = np.array([k.measure for k in keys])
        result = pipeline.forecast_groups(
            panel,
            groups,
            settings,
            static=_static(keys, stores),
            exog=exog or None,
            progress=step,
        )
        for i, label in enumerate(panel.series):
            forecasts[str(label)] = (result.p50[i], result.p90[i])
        report = result.backtest_report()
        backtest.update(
            report if len(by_country) == 1 else {f"{country}:{g}": v for g, v in report.items()}
        )
        models.update(result.chosen.values())
        for code, group in result.notes:
            warnings.append(_warning(code, group=group))

    step("fallback")
    borrowed: set[str] = set()
    for store in targets:
        if store.pk in with_history:
            continue
        donors = [s for s in similar_stores(store, learn_from) if s.pk in with_history]
        if not donors:
            warnings.append(_warning(errors.NO_HISTORY, location_id=store.pk, location=store.name))
            continue
        pooled: dict[tuple[str, int | None], list[tuple[np.ndarray, np.ndarray]]] = defaultdict(
            list
        )
        donor_ids = {d.pk for d in donors}
        for label, (p50, p90) in forecasts.items():
            key = history.keys[label]
            if key.location_id in donor_ids and label not in borrowed:
                pooled[(key.measure, key.menu_item_id)].append((p50, p90))
        for (measure, menu_item_id), pairs in pooled.items():
            label = SeriesKey(store.pk, measure, menu_item_id).label
            history.keys[label] = SeriesKey(store.pk, measure, menu_item_id)
            forecasts[label] = (
                np.mean([p[0] for p in pairs], axis=0),
                np.mean([p[1] for p in pairs], axis=0),
            )
            borrowed.add(label)
        warnings.append(
            _warning(
                "borrowed_history",
                location_id=store.pk,
                location=store.name,
                donors=[d.name for d in donors],
            )
        )

    step("write")
    target_ids = {s.pk for s in targets}
    closed = closures(actor.organization_id, stores, dates[0].date(), dates[-1].date())
    days = [(day.date(), db_date(day.date())) for day in dates]
    written = [label for label in forecasts if history.keys[label].location_id in target_ids]
    rows = []
    for label in written:
        key = history.keys[label]
        p50, p90 = forecasts[label]
        p50 = np.round(p50.astype(float), 4)
        p90 = np.maximum(np.round(p90.astype(float), 4), p50)
        shut = closed.get(key.location_id, set())
        series = (run.pk, actor.organization_id, key.location_id, key.menu_item_id, key.measure)
        lent = label in borrowed
        for (day, stored), low, high in zip(days, p50.tolist(), p90.tolist(), strict=True):
            rows.append((*series, stored, *((0.0, 0.0) if day in shut else (low, high)), lent))
    series_count = len(written)
    with transaction.atomic():
        for start_at in range(0, len(rows), WRITE_BATCH):
            insert(VALUES_TABLE, VALUE_COLUMNS, rows[start_at : start_at + WRITE_BATCH])
        run.status = ForecastRun.Status.DONE
        run.model = "+".join(sorted(models)) if models else ""
        run.history_start = history.first_day
        run.history_end = end
        run.series_count = series_count
        run.backtest = backtest
        run.warnings = warnings
        run.finished_at = timezone.now()
        run.save()
        record_audit(actor, AuditEntry.Action.CREATE, run, verb="forecast")
        emit_event(
            "planning.forecast_finished",
            {"run_id": run.pk, "first_date": run.first_date, "series": series_count},
            organization_id=actor.organization_id,
            actor=actor,
        )
    logger.info(
        "forecast run %s for %s: %d series, %d warnings",
        run.pk,
        actor.organization.code,
        series_count,
        len(warnings),
    )


def score_forecasts(actor: Actor, *, today: dt.date | None = None, lookback_days: int = 90) -> int:
    """Compare recent runs with the sales that happened since; returns the runs scored.

    Only open days count: a day the store sold nothing was closed, and a closed day has no
    demand to miss. The run's own WAPE and bias are those of its menu items.
    """
    actor.require(Perm.PLANNING_MANAGE)
    today = today or business_today(actor.organization)
    yesterday = today - dt.timedelta(days=1)
    scored = 0
    runs = ForecastRun.objects.filter(
        organization=actor.organization,
        status=ForecastRun.Status.DONE,
        first_date__lte=yesterday,
        first_date__gte=today - dt.timedelta(days=lookback_days),
    ).order_by("first_date", "pk")
    for run in runs:
        through = min(run.first_date + dt.timedelta(days=run.horizon - 1), yesterday)
        if run.scored_through is not None and run.scored_through >= through:
            continue
        _score_run(actor, run, through)
        scored += 1
    return scored


def _score_run(actor: Actor, run: ForecastRun, through: dt.date) -> None:
    values = list(
        ForecastValue.objects.filter(run=run, date__lte=through).values_list(
            "location_id", "menu_item_id", "measure", "date", "p50"
        )
    )
    locations = {v[0] for v in values}
    day_rows = (
        DailySales.objects.filter(
            location_id__in=locations, business_date__gte=run.first_date, business_date__lte=through
        )
        .values("location_id", "business_date")
        .annotate(tickets=Sum("tickets"), covers=Sum("covers"), net=Sum("net_sales"))
        .order_by()
    )
    days = {
        (d["location_id"], d["business_date"]): (float(d["covers"] or 0), float(d["net"] or 0))
        for d in day_rows
        if (d["tickets"] or 0) > 0
    }
    items = {
        (loc, day, item): float(qty)
        for loc, day, item, qty in DailyItemSales.objects.filter(
            location_id__in=locations, business_date__gte=run.first_date, business_date__lte=through
        ).values_list("location_id", "business_date", "menu_item_id", "quantity")
    }
    totals: dict[tuple[int, str, int | None], list[float]] = {}
    for location_id, menu_item_id, measure, day, p50 in values:
        if (location_id, day) not in days:
            continue
        if measure == Measure.ITEM:
            actual = items.get((location_id, day, menu_item_id), 0.0)
        elif measure == Measure.COVERS:
            actual = days[(location_id, day)][0]
        else:
            actual = days[(location_id, day)][1]
        acc = totals.setdefault((location_id, measure, menu_item_id), [0, 0.0, 0.0, 0.0])
        acc[0] += 1
        acc[1] += p50
        acc[2] += actual
        acc[3] += abs(p50 - actual)
    item_totals = [acc for (_l, measure, _m), acc in totals.items() if measure == Measure.ITEM]
    actual_sum = sum(acc[2] for acc in item_totals)

    with transaction.atomic():
        ForecastScore.objects.filter(run=run).delete()
        ForecastScore.objects.bulk_create(
            [
                ForecastScore(
                    run=run,
                    organization_id=run.organization_id,
                    location_id=location_id,
                    menu_item_id=menu_item_id,
                    measure=measure,
                    days=int(acc[0]),
                    forecast_total=acc[1],
                    actual_total=acc[2],
                    abs_error_total=acc[3],
                )
                for (location_id, measure, menu_item_id), acc in totals.items()
            ],
            batch_size=WRITE_BATCH,
        )
        run.scored_through = through
        run.wape = sum(acc[3] for acc in item_totals) / actual_sum if actual_sum else None
        run.bias = (
            (sum(acc[1] for acc in item_totals) - actual_sum) / actual_sum if actual_sum else None
        )
        run.save(update_fields=["scored_through", "wape", "bias"])
    logger.info("scored forecast run %s through %s: wape %s", run.pk, through, run.wape)
