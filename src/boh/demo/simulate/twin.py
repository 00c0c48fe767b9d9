"""One policy's chain in memory: lots, deliveries, waste, weekly counts and lost sales.

Quantities are whole thousandths of a base unit (the ledger's precision) and money whole
fen or nano-yuan, so every sum is exact; reports turn them into Decimals. Each store's day:

1. lots past their expiry date are thrown away (waste, logged, so the books see it too);
2. deliveries due today arrive (a late one tomorrow; a short line brings fewer packs);
3. on Mondays the store counts, and its books take the counted stock;
4. for each supplier whose order cut-off for its next delivery is today, the policy
   decides what to order;
5. guests come in ticket order; a line is served when every item it needs is on the
   shelf (first-expiring lot first), and lost otherwise.

The store's books (what BOH's ledger would show) receive and waste what the shelf does but
are depleted by the recipes (theoretical use), not by what the kitchen really used, until
the next count puts them right.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from boh.demo.simulate.guests import StoreDay
from boh.demo.simulate.world import SimStore, Sourcing, World

COUNT_WEEKDAY = 0
ORDER_TIME = dt.time(9, 0)
# Delivery trouble, the same for every policy: seeded by store, supplier and due day.
LATE_RATE = 0.05
SHORT_RATE = 0.04
SHORT_SHARE = (50, 90)  # percent of the packs a short line brings


@dataclass
class Lot:
    quantity: int
    expiry: dt.date | None
    received: int


@dataclass
class Order:
    store: int
    supplier_id: int
    placed: dt.date
    due: dt.date
    lines: dict[int, int]  # item id -> packs
    # The day the supplier first meant to deliver; a late delivery moves `due` only.
    first_due: dt.date | None = None


@dataclass
class Flow:
    """Every change of one item's stock at one store, in thousandths of a base unit."""

    opening: int = 0
    received: int = 0
    used: int = 0
    wasted: int = 0
    ending: int = 0


@dataclass
class StoreBook:
    """One store's stock, books, open orders, history and running figures under a policy."""

    store: SimStore
    lots: dict[int, list[Lot]] = field(default_factory=dict)
    book: dict[int, int] = field(default_factory=dict)
    flows: dict[int, Flow] = field(default_factory=dict)
    # Served portions per dish and day, and dishes lost (sold out) per day.
    served: dict[dt.date, dict[int, int]] = field(default_factory=dict)
    sold_out: dict[dt.date, set[int]] = field(default_factory=dict)
    # Actual use per day by item (what the policy's manager sees happen).
    used: dict[dt.date, dict[int, int]] = field(default_factory=dict)
    # Running figures: money in fen, values in nano-yuan (thousandths x millionths).
    sales_fen: int = 0
    lost_fen: int = 0
    purchases_nano: int = 0
    waste_nano: int = 0
    used_nano: int = 0
    theoretical_nano: int = 0
    stock_nano_days: int = 0
    days: int = 0
    opening_nano: int = 0
    ending_nano: int = 0
    forecast_error_nano: int = 0
    forecast_actual_nano: int = 0
    forecast_bias_nano: int = 0
    order_lines: int = 0
    # What the books learn at counts: recipe use up to the last count, and the stock the
    # counts found missing against the books since the run began (the AvT variance).
    recipe_use: dict[int, int] = field(default_factory=dict)
    counted_use: dict[int, int] = field(default_factory=dict)
    shrink: dict[int, int] = field(default_factory=dict)
    unchanged_lines: int = 0

    def on_hand(self, item_id: int) -> int:
        return sum(lot.quantity for lot in self.lots.get(item_id, ()))

    def actual_over_recipe(self, item_id: int) -> float:
        """Actual use per unit of recipe use, as the counts so far show it (1 before any)."""
        recipe = self.counted_use.get(item_id, 0)
        if recipe <= 0:
            return 1.0
        return max(0.5, min(2.0, 1 + self.shrink.get(item_id, 0) / recipe))


class Twin:
    """A policy's copy of the chain, played day by day."""

    def __init__(self, world: World, seed: int) -> None:
        self.world = world
        self.seed = seed
        self.books = {s.index: StoreBook(s) for s in world.stores}
        self.orders: list[Order] = []

    # Set-up -----------------------------------------------------------------------------

    def stock_opening(self, store: int, item_id: int, quantity: int, day: dt.date) -> None:
        """Opening stock of an item, received the day before the run in one lot."""
        book = self.books[store]
        info = self.world.items[item_id]
        expiry = _expiry(day, info.shelf_life_days)
        book.lots[item_id] = [Lot(quantity, expiry, quantity)] if quantity > 0 else []
        book.book[item_id] = quantity
        book.flows[item_id] = Flow(opening=quantity)
        book.opening_nano += quantity * info.micro_cost

    def sourcing(self, store: int, item_id: int) -> Sourcing | None:
        return self.world.sourcing.get((self.books[store].store.location_id, item_id))

    # The day ------------------------------------------------------------------------------

    def morning(self, store: int, day: dt.date) -> None:
        """Throw away expired lots, take in today's deliveries, count on count day."""
        book = self.books[store]
        for item_id, lots in book.lots.items():
            keep = []
            for lot in lots:
                if lot.expiry is not None and lot.expiry < day and lot.quantity > 0:
                    self._waste(book, item_id, lot.quantity)
                elif lot.quantity > 0:
                    keep.append(lot)
            book.lots[item_id] = keep
        for order in [o for o in self.orders if o.store == store and o.due == day]:
            self._receive(book, order, day)
        if day.weekday() == COUNT_WEEKDAY:
            for item_id in book.lots:
                counted = book.on_hand(item_id)
                shrink = book.book.get(item_id, 0) - counted
                book.shrink[item_id] = book.shrink.get(item_id, 0) + shrink
                book.counted_use[item_id] = book.recipe_use.get(item_id, 0)
                book.book[item_id] = counted

    def _waste(self, book: StoreBook, item_id: int, quantity: int) -> None:
        book.flows[item_id].wasted += quantity
        book.book[item_id] = book.book.get(item_id, 0) - quantity
        book.waste_nano += quantity * self.world.items[item_id].micro_cost

    def _receive(self, book: StoreBook, order: Order, day: dt.date) -> None:
        rng = random.Random(f"{self.seed}:delivery:{book.store.code}:{order.supplier_id}:{day}")
        if order.due == order.first_due and rng.random() < LATE_RATE:
            order.due = day + dt.timedelta(days=1)
            return
        self.orders.remove(order)
        for item_id, packs in sorted(order.lines.items()):
            if rng.random() < SHORT_RATE:
                packs = packs * rng.randint(*SHORT_SHARE) // 100
            source = self.sourcing(book.store.index, item_id)
            if packs <= 0 or source is None:
                continue
            quantity = packs * source.pack_milli
            info = self.world.items[item_id]
            lots = book.lots.setdefault(item_id, [])
            lots.append(Lot(quantity, _expiry(day, info.shelf_life_days), quantity))
            lots.sort(key=lambda lot: lot.expiry or dt.date.max)
            book.book[item_id] = book.book.get(item_id, 0) + quantity
            book.flows.setdefault(item_id, Flow()).received += quantity
            book.purchases_nano += quantity * info.micro_cost

    def place(
        self, store: int, supplier_id: int, day: dt.date, due: dt.date, lines: dict[int, int]
    ) -> None:
        """Send an order of whole packs per item to a supplier, due on a delivery day."""
        lines = {item_id: packs for item_id, packs in lines.items() if packs > 0}
        if lines:
            self.orders.append(Order(store, supplier_id, day, due, lines, first_due=due))

    def on_order(self, store: int, item_id: int) -> list[tuple[int, dt.date]]:
        """Open order quantities of an item at a store (thousandths) and the day each is due."""
        source = self.sourcing(store, item_id)
        if source is None:
            return []
        return [
            (o.lines[item_id] * source.pack_milli, o.due)
            for o in self.orders
            if o.store == store and item_id in o.lines
        ]

    def serve(self, store: int, day: dt.date, guests: StoreDay) -> None:
        """Serve each line whose items are all on the shelf; lose the others."""
        book = self.books[store]
        served: dict[int, int] = defaultdict(int)
        used: dict[int, int] = defaultdict(int)
        lost: set[int] = set()
        items = self.world.items
        for sale in guests.sales:
            if all(book.on_hand(i) >= q for i, q in sale.actual):
                for item_id, quantity in sale.actual:
                    _take(book.lots[item_id], quantity)
                    used[item_id] += quantity
                for item_id, quantity in sale.theoretical:
                    book.book[item_id] = book.book.get(item_id, 0) - quantity
                    book.recipe_use[item_id] = book.recipe_use.get(item_id, 0) + quantity
                    book.theoretical_nano += quantity * items[item_id].micro_cost
                served[sale.dish] += sale.quantity
                book.sales_fen += sale.value
            else:
                lost.add(sale.dish)
                book.lost_fen += sale.value
        for item_id, quantity in used.items():
            book.flows[item_id].used += quantity
            book.used_nano += quantity * items[item_id].micro_cost
        book.served[day] = dict(served)
        book.sold_out[day] = lost
        book.used[day] = dict(used)

    def evening(self, store: int) -> None:
        """Value the shelf at the end of the day."""
        book = self.books[store]
        book.days += 1
        book.stock_nano_days += sum(
            book.on_hand(i) * self.world.items[i].micro_cost for i in book.lots
        )

    def close(self) -> None:
        """The stock left at the end of the run."""
        for book in self.books.values():
            for item_id, flow in book.flows.items():
                flow.ending = book.on_hand(item_id)
                book.ending_nano += flow.ending * self.world.items[item_id].micro_cost

    def score_forecast(self, store: int, forecast: dict[int, int], guests: StoreDay) -> None:
        """Add a day's forecast use against the use the guests asked for, valued."""
        book = self.books[store]
        items = self.world.items
        for item_id in set(forecast) | set(guests.demand_use):
            if item_id not in items:
                continue
            cost = items[item_id].micro_cost
            actual = guests.demand_use.get(item_id, 0)
            book.forecast_error_nano += abs(forecast.get(item_id, 0) - actual) * cost
            book.forecast_bias_nano += (forecast.get(item_id, 0) - actual) * cost
            book.forecast_actual_nano += actual * cost


def _take(lots: list[Lot], quantity: int) -> None:
    """Take a quantity from lots, first-expiring first (lots are kept in that order)."""
    for lot in lots:
        if quantity <= 0:
            return
        taken = min(lot.quantity, quantity)
        lot.quantity -= taken
        quantity -= taken
    lots[:] = [lot for lot in lots if lot.quantity > 0]


def _expiry(received: dt.date, shelf_life_days: int | None) -> dt.date | None:
    """The last day a lot received on a day may be used: the day itself counts."""
    if shelf_life_days is None:
        return None
    return received + dt.timedelta(days=max(shelf_life_days, 1) - 1)
