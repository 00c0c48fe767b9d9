"""The guests of each store and day, the same for every policy, and what their dishes use.

Tickets come from the demo demand model (boh.demo.sales_model), seeded by the run's seed,
the store and the day, so every policy meets the same guests. Each line is mapped through
the organization's POS codes to a menu item and its options, and exploded by the recipes in
force that day (boh.menu.explosion, the explosion ticket ingestion uses). What a store
really uses differs from the recipe by store-specific amounts: over-portioning of meat and
seafood, trimming of produce, spillage of sauces and oils, drinks that disappear.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from boh.demo.data import menu as menu_data
from boh.demo.sales_model import TicketMaker
from boh.demo.simulate.world import SimStore, World, to_milli
from boh.menu.explosion import SoldLine, explode_detailed

# (least, most) extra use over the recipe, in thousandths, by item category root.
ACTUAL_OVER_THEORETICAL: dict[str, tuple[int, int]] = {
    "MEAT": (20, 60),  # over-portioning
    "SEAFOOD": (20, 50),
    "BALLS": (10, 30),
    "VEG": (30, 80),  # trimming and prep waste
    "MUSHROOM": (30, 70),
    "SOY": (10, 40),  # breakage
    "SEASONING": (20, 60),  # spillage
    "DRINKS": (0, 30),  # drinks that leave unpaid
    "PREPARED": (10, 40),
    "STAPLE": (10, 30),
    "DAIRY": (10, 30),
    "PACKAGING": (0, 20),
}
CHANNELS = {"dine_in": "dine_in", "meituan": "meituan", "eleme": "eleme"}

Vector = tuple[tuple[int, int], ...]  # ((item id, thousandths of a base unit), ...)


@dataclass(frozen=True)
class Sale:
    """One ticket line: what it asks of stock (actual use) and what it brings (in fen)."""

    dish: int
    quantity: int
    value: int
    theoretical: Vector
    actual: Vector


@dataclass
class StoreDay:
    """A store's guests on one day, in the order their tickets closed."""

    sales: list[Sale] = field(default_factory=list)
    # Actual use the guests asked for, served or not, by item (thousandths).
    demand_use: dict[int, int] = field(default_factory=dict)


class Guests:
    """Draws each store's tickets for a day and explodes them once for every policy."""

    def __init__(self, world: World, seed: int, *, menu_from: dt.date) -> None:
        self.world = world
        # Days before the run (the warm-up) are served from the menu of its first day.
        self.menu_from = menu_from
        zone = zoneinfo.ZoneInfo(world.organization.time_zone)
        self.makers = {
            store.index: TicketMaker(
                seed=seed,
                store_code=store.code,
                size=float(store.size),
                zone=zone,
                source=menu_data.POS_SOURCE,
                channels=CHANNELS,
                dishes_sold=None,
            )
            for store in world.stores
        }
        self.factors = {store.index: store_factors(seed, store) for store in world.stores}
        self._actual: dict[tuple[int, Vector], Vector] = {}

    def day(self, day: dt.date) -> dict[int, StoreDay]:
        """Every store's guests on a day."""
        drafts: dict[int, list[tuple[tuple[int, tuple[int, ...]], int, int]]] = {}
        keys: set[tuple[int, tuple[int, ...]]] = set()
        for store in self.world.stores:
            rows = []
            for ticket in self.makers[store.index].tickets(day):
                for line in ticket["lines"]:
                    if line.get("voided"):
                        continue
                    dish = self.world.dishes.get(line["pos_code"])
                    if dish is None:
                        continue
                    chosen = tuple(sorted(self.world.options[m] for m in line.get("modifiers", ())))
                    quantity = int(line["quantity"])
                    gross = Decimal(line["unit_price"]) * quantity
                    value = int((gross - Decimal(line.get("discount", "0"))) * 100)
                    rows.append(((dish, chosen), quantity, value))
                    keys.add((dish, chosen))
            drafts[store.index] = rows
        vectors = self._explode(sorted(keys), max(day, self.menu_from))

        result = {}
        for store in self.world.stores:
            today = StoreDay()
            for key, quantity, value in drafts[store.index]:
                per_unit = vectors[key]
                theoretical = tuple((i, q * quantity) for i, q in per_unit)
                actual = self.actual(store.index, theoretical)
                today.sales.append(Sale(key[0], quantity, value, theoretical, actual))
                for item_id, q in actual:
                    today.demand_use[item_id] = today.demand_use.get(item_id, 0) + q
            result[store.index] = today
        return result

    def actual(self, store: int, theoretical: Vector) -> Vector:
        """What the store really uses for a line the recipe says uses `theoretical`."""
        cached = self._actual.get((store, theoretical))
        if cached is not None:
            return cached
        factors = self.factors[store]
        items = self.world.items
        result = tuple(
            (i, q * (1000 + factors.get(items[i].root, 0)) // 1000 if i in items else q)
            for i, q in theoretical
        )
        self._actual[(store, theoretical)] = result
        return result

    def _explode(
        self, keys: list[tuple[int, tuple[int, ...]]], day: dt.date
    ) -> dict[tuple[int, tuple[int, ...]], Vector]:
        lines = [SoldLine(menu_item_id=m, quantity=Decimal(1), option_ids=o) for m, o in keys]
        explosion = explode_detailed(self.world.organization.pk, lines, day, per_line=True)
        assert explosion.lines is not None
        return {
            key: tuple(
                sorted((item_id, to_milli(q)) for item_id, q in vector.items() if to_milli(q) > 0)
            )
            for key, vector in zip(keys, explosion.lines, strict=True)
        }


def store_factors(seed: int, store: SimStore) -> dict[str, int]:
    """Extra use over the recipe of each category root at a store, in thousandths."""
    rng = random.Random(f"{seed}:avt:{store.code}")
    return {
        root: rng.randint(least, most)
        for root, (least, most) in sorted(ACTUAL_OVER_THEORETICAL.items())
    }
