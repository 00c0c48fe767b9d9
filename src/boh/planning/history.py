"""What forecasts learn from, read from the daily sales facts and the planning calendars.

A location is open on a day when it sold anything; a day without sales is closed and
missing, never zero. On an open day a menu item that sold nothing sold zero, from the
first day it ever sold there. A day an item sold out is a gap: its sales understate demand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Sum

from boh.menu.models import MenuItem
from boh.org.models import Location
from boh.planning.forecast.panel import PAD, Panel
from boh.planning.models import Event, Measure, SoldOutDay, WeatherDay
from boh.sales.models import DailyItemSales, DailySales

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class SeriesKey:
    """What one forecast series counts: a dish, covers or net sales at a location."""

    location_id: int
    measure: str
    menu_item_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.location_id}:{self.measure}:{self.menu_item_id or ''}"


@dataclass
class History:
    """Long history (series, date, y, stockout) and what each series label stands for."""

    frame: pd.DataFrame
    keys: dict[str, SeriesKey]
    open_days: dict[int, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.frame.empty


def load_history(
    organization_id: int,
    location_ids: Iterable[int],
    *,
    start: dt.date,
    end: dt.date,
    recent_days: int = 90,
) -> History:
    """Daily history of menu items, covers and net sales of locations from start to end.

    A menu item is forecast at a location if it is active and sold there in the last
    recent_days days of the history.
    """
    locations = list(location_ids)
    days = (
        DailySales.objects.filter(
            organization_id=organization_id,
            location_id__in=locations,
            business_date__gte=start,
            business_date__lte=end,
        )
        .values("location_id", "business_date")
        .annotate(tickets=Sum("tickets"), covers=Sum("covers"), net=Sum("net_sales"))
        .order_by()
    )
    open_rows = [
        (d["location_id"], d["business_date"], int(d["covers"] or 0), float(d["net"] or 0))
        for d in days
        if (d["tickets"] or 0) > 0
    ]
    if not open_rows:
        return History(pd.DataFrame(columns=["series", "date", "y", "stockout"]), {})
    open_days = pd.DataFrame(open_rows, columns=["location_id", "date", "covers", "net_sales"])
    open_days["date"] = pd.to_datetime(open_days["date"])
    keys: dict[str, SeriesKey] = {}
    parts: list[pd.DataFrame] = []

    for measure, column in ((Measure.NET_SALES, "net_sales"), (Measure.COVERS, "covers")):
        for location_id, rows in open_days.groupby("location_id"):
            if measure == Measure.COVERS and rows["covers"].sum() <= 0:
                continue  # this POS does not send covers
            key = SeriesKey(int(location_id), str(measure))
            keys[key.label] = key
            parts.append(
                pd.DataFrame(
                    {"series": key.label, "date": rows["date"], "y": rows[column].astype(float)}
                )
            )

    sold = pd.DataFrame(
        list(
            DailyItemSales.objects.filter(
                organization_id=organization_id,
                location_id__in=locations,
                business_date__gte=start,
                business_date__lte=end,
            )
            .order_by()
            .values_list("location_id", "business_date", "menu_item_id", "quantity")
        ),
        columns=["location_id", "date", "menu_item_id", "quantity"],
    )
    if not sold.empty:
        sold["date"] = pd.to_datetime(sold["date"])
        sold["quantity"] = sold["quantity"].astype(float)
        active = set(
            MenuItem.objects.filter(
                organization_id=organization_id, is_active=True, pk__in=set(sold["menu_item_id"])
            ).values_list("pk", flat=True)
        )
        span = sold.groupby(["location_id", "menu_item_id"])["date"].agg(["min", "max"])
        recent = pd.Timestamp(end - dt.timedelta(days=recent_days))
        span = span[(span["max"] > recent) & span.index.get_level_values(1).isin(active)]
        span = span.reset_index()
        grid = open_days[["location_id", "date"]].merge(span, on="location_id")
        grid = grid[grid["date"] >= grid["min"]]
        grid = grid.merge(sold, on=["location_id", "menu_item_id", "date"], how="left")
        grid["y"] = grid["quantity"].fillna(0.0)
        grid["series"] = [
            f"{loc}:{Measure.ITEM}:{item}"
            for loc, item in zip(grid["location_id"], grid["menu_item_id"], strict=True)
        ]
        for loc, item in span[["location_id", "menu_item_id"]].itertuples(index=False):
            key = SeriesKey(int(loc), str(Measure.ITEM), int(item))
            keys[key.label] = key
        parts.append(grid[["series", "date", "y"]])

    frame = pd.concat(parts, ignore_index=True)
    frame["stockout"] = False
    sold_out = {
        (f"{loc}:{Measure.ITEM}:{item}", pd.Timestamp(day))
        for loc, item, day in SoldOutDay.objects.filter(
            organization_id=organization_id,
            location_id__in=locations,
            date__gte=start,
            date__lte=end,
        )
        .order_by()
        .values_list("location_id", "menu_item_id", "date")
    }
    if sold_out:
        frame["stockout"] = [
            (s, d) in sold_out for s, d in zip(frame["series"], frame["date"], strict=True)
        ]
    counts = open_days.groupby("location_id").size()
    return History(frame, keys, {int(k): int(v) for k, v in counts.items()})


def column_dates(panel: Panel, horizon: int) -> pd.DatetimeIndex:
    """The date of every panel column and of the horizon after it."""
    first = panel.start - pd.Timedelta(days=PAD)
    return pd.date_range(first, periods=panel.values.shape[1] + horizon, freq="D")


def _region_chain(location: Location) -> list[int]:
    """The region ids from the location's own region up to the top of the tree."""
    if location.region is None:
        return []
    return [int(x) for x in location.region.path.strip("/").split("/") if x][::-1]


def event_matrices(
    organization_id: int,
    locations: dict[int, Location],
    series_locations: np.ndarray,
    dates: pd.DatetimeIndex,
) -> dict[str, np.ndarray]:
    """Promotion and local-event flags per series and column, from the events calendar."""
    first, last = dates[0].date(), dates[-1].date()
    events = list(
        Event.objects.filter(
            organization_id=organization_id, start_date__lte=last, end_date__gte=first
        ).exclude(kind=Event.Kind.CLOSURE)
    )
    if not events:
        return {}
    result = {
        Event.Kind.PROMOTION.value: np.zeros((len(series_locations), len(dates))),
        Event.Kind.LOCAL_EVENT.value: np.zeros((len(series_locations), len(dates))),
    }
    chains = {pk: set(_region_chain(loc)) for pk, loc in locations.items()}
    index = {d.date(): i for i, d in enumerate(dates)}
    for event in events:
        lo = index.get(max(event.start_date, first), 0)
        hi = index.get(min(event.end_date, last), len(dates) - 1)
        for row, location_id in enumerate(series_locations):
            if (
                (event.location_id is None and event.region_id is None)
                or event.location_id == location_id
                or (event.region_id is not None and event.region_id in chains[location_id])
            ):
                result[event.kind][row, lo : hi + 1] = 1.0
    return result


def closures(
    organization_id: int, locations: dict[int, Location], first: dt.date, last: dt.date
) -> dict[int, set[dt.date]]:
    """The days each location is closed by the events calendar, between first and last."""
    chains = {pk: set(_region_chain(loc)) for pk, loc in locations.items()}
    result: dict[int, set[dt.date]] = defaultdict(set)
    for event in Event.objects.filter(
        organization_id=organization_id,
        kind=Event.Kind.CLOSURE,
        start_date__lte=last,
        end_date__gte=first,
    ):
        day = max(event.start_date, first)
        while day <= min(event.end_date, last):
            for location_id in locations:
                if (
                    (event.location_id is None and event.region_id is None)
                    or event.location_id == location_id
                    or (event.region_id is not None and event.region_id in chains[location_id])
                ):
                    result[location_id].add(day)
            day += DAY
    return result


def weather_matrices(
    organization_id: int,
    locations: dict[int, Location],
    series_locations: np.ndarray,
    dates: pd.DatetimeIndex,
) -> dict[str, np.ndarray]:
    """Temperature and rain per series and column: the location's own, else its nearest
    region's; NaN where nothing was imported."""
    first, last = dates[0].date(), dates[-1].date()
    rows = list(
        WeatherDay.objects.filter(organization_id=organization_id, date__gte=first, date__lte=last)
        .order_by()
        .values_list("location_id", "region_id", "date", "temperature", "rain_mm")
    )
    if not rows:
        return {}
    index = {d.date(): i for i, d in enumerate(dates)}
    by_place: dict[tuple[str, int], dict[int, tuple[float, float]]] = defaultdict(dict)
    for location_id, region_id, day, degrees, mm in rows:
        place = ("l", location_id) if location_id is not None else ("r", region_id)
        by_place[place][index[day]] = (float(degrees), float(mm))
    per_location: dict[int, np.ndarray] = {}
    for pk, location in locations.items():
        values = np.full((2, len(dates)), np.nan)
        for place in [("l", pk), *(("r", r) for r in _region_chain(location))]:
            for col, (heat, wet) in by_place.get(place, {}).items():
                if np.isnan(values[0, col]):
                    values[0, col] = heat
                    values[1, col] = wet
        per_location[pk] = values
    temperature = np.stack([per_location[int(pk)][0] for pk in series_locations])
    rain = np.stack([per_location[int(pk)][1] for pk in series_locations])
    return {"temperature": temperature, "rain_mm": rain}
