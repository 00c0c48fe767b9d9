"""What forecasts learn from, read from the daily sales facts and the planning calendars.

A location is open on a day when it sold anything; a day without sales is closed and
missing, never zero. On an open day a menu item that sold nothing sold zero, from the
first day it ever sold there. A day an item sold out is a gap: its sales understate demand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.db import connections
from django.db.models import FloatField, Func, IntegerField, Sum
from django.db.models.functions import Cast

from boh.menu.models import MenuItem
from boh.org.models import Location
from boh.planning.forecast.panel import PAD, Panel
from boh.planning.models import Event, Measure, SoldOutDay, WeatherDay
from boh.sales.models import DailyItemSales, DailySales

DAY = dt.timedelta(days=1)
# Fact rows fetched per round trip when reading history.
FETCH = 200_000


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
    """Daily history of every series as one panel (closed and sold-out days are gaps), what
    each row stands for, and how many days each location was open."""

    panel: Panel
    keys: dict[str, SeriesKey]
    open_days: dict[int, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return len(self.panel.series) == 0

    @property
    def first_day(self) -> dt.date | None:
        """The first day any location was open, or None without history."""
        return None if self.empty else self.panel.start.date()

    def panel_of(self, labels: Collection[str]) -> Panel:
        """The rows of some series, in panel order, from the first day any of them is known."""
        wanted = set(labels)
        rows = np.array([i for i, s in enumerate(self.panel.series) if s in wanted], dtype=int)
        values = (
            self.panel.values if len(rows) == len(self.panel.series) else self.panel.values[rows]
        )
        known = np.flatnonzero(~np.isnan(values[:, PAD:]).all(axis=0))
        skip = int(known[0]) if len(known) else 0
        if skip:
            values = np.concatenate([values[:, :PAD], values[:, PAD + skip :]], axis=1)
        start = self.panel.start + pd.Timedelta(days=skip)
        return Panel(self.panel.series[rows], start, values)


class _DayNumber(Func):
    """Days since 1970-01-01 of a date column, as an integer the driver returns as it is."""

    template = "(%(expressions)s - DATE '1970-01-01')"
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra,
        )


EPOCH = dt.date(1970, 1, 1)


def _sold(
    organization_id: int, locations: list[int], start: dt.date, end: dt.date
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(location id, day index from start, menu item id, quantity) of every daily item fact,
    read in chunks straight from the cursor as numbers."""
    queryset = (
        DailyItemSales.objects.filter(
            organization_id=organization_id,
            location_id__in=locations,
            business_date__gte=start,
            business_date__lte=end,
        )
        .annotate(day=_DayNumber("business_date"), amount=Cast("quantity", FloatField()))
        .order_by()
        .values_list("location_id", "day", "menu_item_id", "amount")
    )
    sql, params = queryset.query.sql_with_params()
    offset = (start - EPOCH).days
    parts: list[tuple[np.ndarray, ...]] = []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(FETCH):
            block = np.array(chunk, dtype=np.float64)
            parts.append(
                (
                    block[:, 0].astype(np.int64),
                    block[:, 1].astype(np.int64) - offset,
                    block[:, 2].astype(np.int64),
                    block[:, 3],
                )
            )
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, np.zeros(0)
    loc, day, item, qty = (np.concatenate(column) for column in zip(*parts, strict=True))
    return loc, day, item, qty


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
    recent_days days of the history. The facts are read in bulk into arrays; memory grows
    with series x days (8 bytes each), not with the number of fact rows.
    """
    locations = sorted(set(location_ids))
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
        return History(Panel(np.array([], dtype=object), pd.Timestamp(start), _blank(0, 0)), {})
    n_days = (end - start).days + 1
    slot = {pk: i for i, pk in enumerate(locations)}
    is_open = np.zeros((len(locations), n_days), dtype=bool)
    covers = np.zeros((len(locations), n_days))
    net = np.zeros((len(locations), n_days))
    for location_id, day, n_covers, amount in open_rows:
        at = slot[location_id], (day - start).days
        is_open[at] = True
        covers[at] = n_covers
        net[at] = amount

    keys: dict[str, SeriesKey] = {}
    # Covers and net sales of each location on its open days, by series label.
    whole: dict[str, np.ndarray] = {}
    for location_id in locations:
        i = slot[location_id]
        if not is_open[i].any():
            continue
        for measure, source in ((Measure.NET_SALES, net), (Measure.COVERS, covers)):
            if measure == Measure.COVERS and source[i].sum() <= 0:
                continue  # this POS does not send covers
            key = SeriesKey(location_id, str(measure))
            keys[key.label] = key
            whole[key.label] = np.where(is_open[i], source[i], np.nan)

    loc, day, item, qty = _sold(organization_id, locations, start, end)
    pairs: dict[str, tuple[int, int]] = {}
    pair_ids = np.zeros((0, 2), dtype=np.int64)
    pair_of_row = np.zeros(0, dtype=np.int64)
    if len(loc):
        active = set(
            MenuItem.objects.filter(
                organization_id=organization_id, is_active=True, pk__in=np.unique(item).tolist()
            ).values_list("pk", flat=True)
        )
        # One integer per (location, menu item) pair; factorize numbers the pairs.
        width = int(item.max()) + 1
        codes, uniques = pd.factorize(loc * width + item)
        pair_of_row = codes.astype(np.int64)
        pair_ids = np.stack([uniques // width, uniques % width], axis=1)
        first = np.full(len(pair_ids), n_days, dtype=np.int64)
        last = np.full(len(pair_ids), -1, dtype=np.int64)
        np.minimum.at(first, pair_of_row, day)
        np.maximum.at(last, pair_of_row, day)
        recent = (end - dt.timedelta(days=recent_days) - start).days
        for p, (location_id, menu_item_id) in enumerate(pair_ids.tolist()):
            if last[p] > recent and menu_item_id in active:
                key = SeriesKey(int(location_id), str(Measure.ITEM), int(menu_item_id))
                keys[key.label] = key
                pairs[key.label] = (p, int(first[p]))

    labels = sorted(keys)
    values = _blank(len(labels), n_days)
    row_of_pair = np.full(len(pair_ids), -1, dtype=np.int64)
    columns = np.arange(n_days)
    for r, label in enumerate(labels):
        if label in whole:
            values[r, PAD:] = whole[label]
            continue
        p, first_day = pairs[label]
        row_of_pair[p] = r
        i = slot[keys[label].location_id]
        values[r, PAD:] = np.where(is_open[i] & (columns >= first_day), 0.0, np.nan)
    if pairs:
        rows = row_of_pair[pair_of_row]
        keep = (rows >= 0) & is_open[np.searchsorted(locations, loc), day]
        values[rows[keep], PAD + day[keep]] = qty[keep]

    # A sold-out day understates demand: a gap.
    row_of_label = {label: r for r, label in enumerate(labels)}
    for location_id, menu_item_id, when in (
        SoldOutDay.objects.filter(
            organization_id=organization_id,
            location_id__in=locations,
            date__gte=start,
            date__lte=end,
        )
        .order_by()
        .values_list("location_id", "menu_item_id", "date")
    ):
        gap = row_of_label.get(SeriesKey(location_id, str(Measure.ITEM), menu_item_id).label)
        if gap is not None:
            values[gap, PAD + (when - start).days] = np.nan

    panel = Panel(np.array(labels, dtype=object), pd.Timestamp(start), values)
    history = History(panel, {label: keys[label] for label in labels})
    history.open_days = {
        pk: int(is_open[slot[pk]].sum()) for pk in locations if is_open[slot[pk]].any()
    }
    history.panel = history.panel_of(labels)
    return history


def _blank(rows: int, days: int) -> np.ndarray:
    return np.full((rows, PAD + days), np.nan)


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
