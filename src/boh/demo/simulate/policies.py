"""The two ways a store decides what to order: par levels set by hand, or BOH's replenishment.

par: the manager sets a par level per item from last month's average daily use: enough for
the days until the delivery after next arrives (the supplier's lead time plus the longest
gap between its deliveries) and one day more as a cushion, but never more than can be used
before the item's shelf life ends. On each order day the manager counts the shelf and
orders up to par, less what is already on order, in whole packs. Levels are set again
every four weeks.

system: BOH's planning chain. Each `forecast_every` nights the menu-item forecast
(boh.planning.forecast.pipeline: weekday baseline and global LightGBM, backtested, P50 and
P90) is made from the sales so far, with sold-out days as gaps; it is exploded through the
recipes into ingredient use per store and day as the planning module does (P50 x quantity
per portion, sigma from the P50-P90 spread); on each order day every line is sized by
boh.planning.replenish.size_line from the store's books (usable lots, open orders, lead
time, pack, minimum quantity, shelf-life cap, safety stock at the 95% service level).

expected_use plays the system with the ingredient demand docs/simulator.md proposes for
the planning module, everything else unchanged: each dish's expected portions (the mean of
a demand whose log1p is normal with the forecast's P50 and P90, where BOH takes the P50),
times the actual use per recipe use the store's counts have shown, with one store-day's
dish errors moving together (a busy day is busy for every dish) rather than independently.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from boh.core.numbers import round_qty
from boh.demo.loaders.suppliers import longest_gap
from boh.demo.simulate.twin import Lot, Twin
from boh.demo.simulate.world import Sourcing, from_milli, to_milli
from boh.menu.explosion import SoldLine, explode_detailed
from boh.planning import replenish
from boh.planning.forecast import pipeline
from boh.planning.forecast.panel import PAD, Panel
from boh.planning.forecast.quantiles import Z90, sigma_from_quantiles

PAR = "par"
SYSTEM = "system"
POLICIES = (PAR, SYSTEM)

REVIEW_DAYS = 28
CUSHION_DAYS = 1
SERVICE_LEVEL = Decimal("0.95")
# Warnings on a line that ask a person to look before the order goes out.
NEEDS_A_LOOK = frozenset({replenish.PACK_OUTLASTS_SHELF_LIFE, replenish.NO_SUPPLIER})


@dataclass
class History:
    """What a store sold and used, day by day, as its policy saw it."""

    served: dict[dt.date, dict[int, int]] = field(default_factory=dict)
    sold_out: dict[dt.date, set[int]] = field(default_factory=dict)
    used: dict[dt.date, dict[int, int]] = field(default_factory=dict)


def order_days(terms: replenish.DeliveryTerms, day: dt.date) -> dt.date | None:
    """The delivery an order placed today makes, when today is the last day to order for it."""
    today = replenish.delivery_window(terms, dt.datetime.combine(day, dt.time(9)))
    tomorrow = replenish.delivery_window(
        terms, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9))
    )
    return today.first if today.first != tomorrow.first else None


class ParPolicy:
    """Order up to par levels a manager sets from last month's average use."""

    name = PAR

    def __init__(self, twin: Twin) -> None:
        self.twin = twin
        self.levels: dict[tuple[int, int], int] = {}
        self.average: dict[tuple[int, int], int] = {}
        self.set_on: dt.date | None = None

    def par_for(self, source: Sourcing | None, shelf_life: int | None, daily: int) -> int:
        """A par level (thousandths) for an average daily use, in whole packs."""
        if source is None or daily <= 0:
            return 0
        days = source.terms.lead_time_days + longest_gap(source.terms.weekdays) + CUSHION_DAYS
        if shelf_life is not None:
            days = max(1, min(days, shelf_life))
        return math.ceil(daily * days / source.pack_milli) * source.pack_milli

    def review(self, day: dt.date, histories: dict[int, History]) -> None:
        """Set par levels again from the last four weeks' use, once every four weeks."""
        if self.set_on is not None and (day - self.set_on).days < REVIEW_DAYS:
            return
        self.set_on = day
        for store, history in histories.items():
            recent = [history.used[d] for d in sorted(history.used)[-REVIEW_DAYS:]]
            totals: dict[int, int] = {}
            for used in recent:
                for item_id, quantity in used.items():
                    totals[item_id] = totals.get(item_id, 0) + quantity
            for item_id, total in totals.items():
                daily = total // max(len(recent), 1)
                info = self.twin.world.items[item_id]
                self.average[(store, item_id)] = daily
                self.levels[(store, item_id)] = self.par_for(
                    self.twin.sourcing(store, item_id), info.shelf_life_days, daily
                )

    def nightly(self, day: dt.date, histories: dict[int, History]) -> None:
        self.review(day, histories)

    def forecast(self, store: int, day: dt.date) -> dict[int, int]:
        """What the manager expects a day to use: last month's average."""
        return {i: q for (s, i), q in self.average.items() if s == store}

    def order(
        self, store: int, item_ids: list[int], day: dt.date, window: replenish.DeliveryWindow
    ) -> dict[int, int]:
        """Packs of each item to bring the shelf and open orders up to par."""
        book = self.twin.books[store]
        result = {}
        for item_id in item_ids:
            source = self.twin.sourcing(store, item_id)
            par = self.levels.get((store, item_id), 0)
            if source is None or par <= 0:
                continue
            coming = sum(q for q, _due in self.twin.on_order(store, item_id))
            need = par - book.on_hand(item_id) - coming
            if need > 0:
                result[item_id] = math.ceil(need / source.pack_milli)
                book.order_lines += 1
        return result


class SystemPolicy:
    """BOH's forecast, recipe explosion and replenishment arithmetic."""

    name = SYSTEM

    def __init__(
        self,
        twin: Twin,
        *,
        menu_from: dt.date,
        forecast_every: int = 7,
        horizon: int = 21,
        settings: pipeline.Settings | None = None,
        expected_use: bool = False,
    ) -> None:
        self.twin = twin
        self.menu_from = menu_from
        self.forecast_every = forecast_every
        self.horizon = horizon
        self.settings = settings or pipeline.Settings()
        self.expected_use = expected_use
        self.last_run: dt.date | None = None
        # (store, item) -> day -> (P50, sigma) in base units
        self.demand: dict[tuple[int, int], dict[dt.date, tuple[Decimal, Decimal]]] = {}
        self.models: list[str] = []

    def nightly(self, day: dt.date, histories: dict[int, History]) -> None:
        """Forecast again when the last run is `forecast_every` days old."""
        if self.last_run is not None and (day - self.last_run).days < self.forecast_every:
            return
        self.last_run = day
        self._forecast(day, histories)

    def _forecast(self, day: dt.date, histories: dict[int, History]) -> None:
        first = min(min(h.served) for h in histories.values())
        n_days = (day - first).days
        labels: list[tuple[int, int]] = []
        rows: list[np.ndarray] = []
        for store, history in sorted(histories.items()):
            dishes = sorted({d for sold in history.served.values() for d in sold})
            block = np.full((len(dishes), n_days), np.nan)
            col = {dish: n for n, dish in enumerate(dishes)}
            for date, sold in history.served.items():
                c = (date - first).days
                if not 0 <= c < n_days:
                    continue
                block[:, c] = 0.0
                for dish, quantity in sold.items():
                    block[col[dish], c] = quantity
                for dish in history.sold_out.get(date, ()):
                    if dish in col:
                        block[col[dish], c] = np.nan
            labels += [(store, dish) for dish in dishes]
            rows.append(block)
        values = np.hstack([np.full((len(labels), PAD), np.nan), np.vstack(rows)])
        panel = Panel(
            np.array([f"{s}:{d}" for s, d in labels], dtype=object), pd.Timestamp(first), values
        )
        settings = pipeline.Settings(**{**self.settings.__dict__, "horizon": self.horizon})
        result = pipeline.forecast_groups(panel, np.array(["item"] * len(labels)), settings)
        self.models = sorted(set(result.chosen.values()))
        sigma = sigma_from_quantiles(result.p50, result.p90)
        p50 = result.p50
        if self.expected_use:
            # The mean of a demand whose log1p is normal with this P50 and P90.
            log_spread = (
                np.log1p(np.clip(result.p90, 0, None)) - np.log1p(np.clip(p50, 0, None))
            ) / Z90
            p50 = np.expm1(np.log1p(np.clip(p50, 0, None)) + log_spread**2 / 2)

        dishes = sorted({d for _s, d in labels})
        explosion = explode_detailed(
            self.twin.world.organization.pk,
            [SoldLine(menu_item_id=d, quantity=Decimal(1)) for d in dishes],
            max(day, self.menu_from),
            per_line=True,
        )
        assert explosion.lines is not None
        item_ids = sorted({i for vector in explosion.lines for i in vector})
        item_col = {i: n for n, i in enumerate(item_ids)}
        recipes = np.zeros((len(dishes), len(item_ids)))
        for n, vector in enumerate(explosion.lines):
            for item_id, per_portion in vector.items():
                recipes[n, item_col[item_id]] = float(per_portion)
        dish_row = {d: n for n, d in enumerate(dishes)}

        self.demand = {}
        dates = [day + dt.timedelta(days=h) for h in range(self.horizon)]
        for store in sorted(histories):
            rows_of = [k for k, (s, _d) in enumerate(labels) if s == store]
            per_dish = np.zeros((len(dishes), self.horizon))
            spread = np.zeros((len(dishes), self.horizon))
            for k in rows_of:
                per_dish[dish_row[labels[k][1]]] = p50[k]
                spread[dish_row[labels[k][1]]] = sigma[k]
            use = recipes.T @ per_dish  # items x days
            if self.expected_use:
                # A busy day is busy for every dish: errors of one store-day move together.
                variance = (recipes.T @ spread) ** 2
            else:
                variance = (recipes.T**2) @ (spread**2)
            book = self.twin.books[store]
            for item_id, n in item_col.items():
                if not use[n].any():
                    continue
                if self.expected_use:
                    ratio = book.actual_over_recipe(item_id)
                    use[n] *= ratio
                    variance[n] *= ratio**2
                self.demand[(store, item_id)] = {
                    date: (_decimal(use[n, h]), _decimal(math.sqrt(variance[n, h])))
                    for h, date in enumerate(dates)
                }

    def forecast(self, store: int, day: dt.date) -> dict[int, int]:
        """The newest forecast's use of each item on a day (thousandths)."""
        result = {}
        for (s, item_id), days in self.demand.items():
            if s == store and day in days:
                result[item_id] = to_milli(days[day][0])
        return result

    def order(
        self, store: int, item_ids: list[int], day: dt.date, window: replenish.DeliveryWindow
    ) -> dict[int, int]:
        """Packs of each item as replenish.size_line sizes them from the store's books."""
        twin = self.twin
        book = twin.books[store]
        results: list[replenish.LineResult] = []
        packs: dict[int, int] = {}
        minimum = Decimal(0)
        for item_id in item_ids:
            source = twin.sourcing(store, item_id)
            if source is None:
                continue
            minimum = source.min_order_value
            info = twin.world.items[item_id]
            days = self.demand.get((store, item_id), {})
            sized = replenish.size_line(
                replenish.LineInput(
                    today=day,
                    window=window,
                    demand=[
                        replenish.DayDemand(date, p50, sigma)
                        for date, (p50, sigma) in sorted(days.items())
                    ],
                    lots=_book_lots(book.lots.get(item_id, []), book.book.get(item_id, 0)),
                    incoming=[
                        replenish.Incoming(from_milli(q), due)
                        for q, due in twin.on_order(store, item_id)
                    ],
                    pack=replenish.PackTerms(source.pack_factor, source.moq, source.price),
                    shelf_life_days=info.shelf_life_days,
                    service_level=SERVICE_LEVEL,
                )
            )
            ordered = sized.packs or 0
            if replenish.PACK_OUTLASTS_SHELF_LIFE in sized.warnings:
                # The line asks a person to look: the manager orders what the need rounds
                # up to, accepting that some of the pack may expire.
                ordered = sized.explanation.packs_rounded or 0
            if ordered:
                results.append(sized)
                packs[item_id] = int(ordered)
                book.order_lines += 1
                if not NEEDS_A_LOOK & set(sized.warnings):
                    book.unchanged_lines += 1
        if results and replenish.check_minimum(results, minimum).below:
            # The order needs a person to merge or top it up: none of its lines went unchanged.
            book.unchanged_lines -= sum(1 for r in results if not NEEDS_A_LOOK & set(r.warnings))
        return packs


def _decimal(value: float) -> Decimal:
    return round_qty(Decimal(repr(round(max(float(value), 0.0), 3))))


def _book_lots(lots: list[Lot], total: int) -> list[replenish.LotStock]:
    """The lots the books hold: recipe depletion takes the first-expiring lots first, so what
    the books still show sits in the latest lots, up to what each brought."""
    result = []
    left = total
    for lot in reversed(lots):
        if left <= 0:
            break
        quantity = min(left, lot.received)
        result.append(replenish.LotStock(from_milli(quantity), lot.expiry))
        left -= quantity
    if left > 0 and result:
        last = result[-1]
        result[-1] = replenish.LotStock(last.quantity + from_milli(left), last.expiry)
    elif left > 0:
        result.append(replenish.LotStock(from_milli(left), None))
    return result
