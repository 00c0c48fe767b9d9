"""Weekly stocktakes of the demo's sales history: each store counts its stock on Monday.

After the morning's deliveries and before the first guest (COUNT_AT), every store counts
each item on its count sheet. What is found falls a little short of what the ledger
expects, more for meat, seafood and produce (trimming, generous portions, spoilage), so
actual usage runs above theoretical as it does in a real kitchen and the AvT report has
something to show. Each count goes through the stocktake services: started as of the
count time, counted, approved, and posted as count adjustments.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from boh.demo.chain import DemoChain
from boh.demo.data import catalog as catalog_data
from boh.demo.loaders.catalog import root_of
from boh.inventory.documents import services as documents
from boh.inventory.documents.models import StocktakeExpected

COUNT_WEEKDAY = 0  # Monday
COUNT_AT = dt.time(10, 30)
# Most of the ledger's quantity a count may miss, by top-level category; others MISSING.
MISSING_BY_ROOT = {
    "MEAT": Decimal("0.05"),
    "SEAFOOD": Decimal("0.06"),
    "BALLS": Decimal("0.03"),
    "VEG": Decimal("0.07"),
    "MUSHROOM": Decimal("0.06"),
}
MISSING = Decimal("0.02")
# Counted to the gram or millilitre; pieces whole.
STEP = {"g": Decimal(1), "ml": Decimal(1), "each": Decimal(1)}


class WeeklyCounts:
    """Counts every store of the chain on the count weekday of the history."""

    def __init__(self, chain: DemoChain) -> None:
        self.chain = chain
        self.zone = zoneinfo.ZoneInfo(chain.organization.time_zone)
        self.items = {item.pk: item for item in chain.items.values()}
        self.missing = {
            chain.items[row.code].pk: MISSING_BY_ROOT.get(root_of(row.category), MISSING)
            for row in catalog_data.ITEMS
            if row.code in chain.items
        }

    def run(self, day: dt.date) -> None:
        """Count each store on `day` when it is the count weekday."""
        if day.weekday() != COUNT_WEEKDAY:
            return
        at = dt.datetime.combine(day, COUNT_AT, tzinfo=self.zone)
        for store in self.chain.stores:
            self.count(store.pk, store.code, day, at)

    def count(self, location_id: int, code: str, day: dt.date, at: dt.datetime) -> None:
        actor = self.chain.actor
        stocktake = documents.start_stocktake(
            actor, location_id=location_id, snapshot_at=at, note=_("Weekly count")
        )
        expected: dict[int, Decimal] = defaultdict(Decimal)
        for item_id, quantity in StocktakeExpected.objects.filter(stocktake=stocktake).values_list(
            "item_id", "quantity"
        ):
            expected[item_id] += quantity
        rng = random.Random(f"{self.chain.seed}:count:{code}:{day.isoformat()}")
        counts = []
        for line_id, item_id in stocktake.lines.order_by("sort_key", "pk").values_list(
            "pk", "item_id"
        ):
            item = self.items.get(item_id)
            unit = item.base_unit if item is not None else "each"
            share = Decimal(1) - self.missing.get(item_id, MISSING) * Decimal(rng.random())
            found = max(Decimal(0), expected.get(item_id, Decimal(0)) * share)
            step = STEP.get(unit, Decimal(1))
            found = (found / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
            counts.append({"line_id": line_id, "entries": [{"quantity": str(found), "unit": unit}]})
        if not counts:
            return
        documents.set_counts(actor, stocktake, counts=counts)
        documents.approve_stocktake(actor, stocktake)
        documents.post_stocktake(actor, stocktake)
        self.chain.count("stocktakes")
