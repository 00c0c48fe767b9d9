"""Demo step of the inventory: opening stock at every location, posted to the ledger.

One `post_moves` batch per location (kind "opening"), near each item's par level in whole
packs, with a lot and expiry date for lot-tracked items and the unit cost the suppliers
charge. A location that already has opening moves is left as it is.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import zoneinfo
from decimal import Decimal

from boh.catalog.models import Item, StockLevel
from boh.core.numbers import round_cost, round_qty
from boh.demo.chain import DemoChain
from boh.inventory.models import MoveKind, StockMove
from boh.inventory.services import LotSpec, MoveSpec, post_moves
from boh.org.models import Location

SOURCE_TYPE = "opening"
# Opening stock is counted at this hour of the opening day, before the first sale.
COUNT_HOUR = 9
# Loose produce is counted to a tenth of a kilogram (or litre, or one piece).
LOOSE_STEP = {"g": Decimal(100), "ml": Decimal(100), "each": Decimal(1)}


def source_id(location: Location) -> str:
    """The source id of a location's opening batch."""
    return f"demo-{location.code}"


def counting_step(chain: DemoChain, item: Item) -> Decimal:
    """The smallest whole quantity stock is counted in: the item's smallest pack, or loose."""
    sizes = [p.factor for (code, _p), p in chain.packs.items() if code == item.code]
    return min(sizes) if sizes else LOOSE_STEP[item.base_unit]


def supplier_costs(
    chain: DemoChain, location: Location, on: dt.date
) -> dict[int, tuple[Decimal, int]]:
    """(unit cost, supplier id) of each item at a location: its preferred supplier's price."""
    try:
        from boh.purchasing.selectors import agreed_prices, preferred_supplier_items
    except ImportError:
        return {}
    item_ids = [item.pk for item in chain.items.values()]
    chosen = preferred_supplier_items(chain.organization.pk, item_ids, location.pk)
    prices = agreed_prices([si.pk for si in chosen.values()], on)
    return {
        item_id: (round_cost(prices[si.pk] / si.pack_factor), si.supplier_id)
        for item_id, si in chosen.items()
        if si.pk in prices and si.pack_factor
    }


def opening_moves(chain: DemoChain, location: Location, at: dt.datetime) -> list[MoveSpec]:
    """Opening stock of one location: each stocked item at 60-110 % of par, in whole packs."""
    levels = StockLevel.objects.filter(organization=chain.organization, location=location)
    by_id = {item.pk: item for item in chain.items.values()}
    opening_day = at.date()
    costs = supplier_costs(chain, location, opening_day)
    moves: list[MoveSpec] = []
    for item_id, par in levels.order_by("count_order", "item_id").values_list("item_id", "par"):
        item = by_id.get(item_id)
        if item is None:
            continue
        rng = random.Random(f"{chain.seed}:{location.code}:{item.code}")
        step = counting_step(chain, item)
        wanted = par * Decimal(rng.randint(60, 110)) / 100
        quantity = round_qty(step * max(1, math.ceil(wanted / step)))
        cost, supplier_id = costs.get(item.pk, (chain.unit_costs[item.code], None))
        new_lot = None
        if item.lot_tracked:
            shelf = item.shelf_life_days or 30
            age = rng.randint(0, max(0, min(shelf // 3, 10)))
            received = opening_day - dt.timedelta(days=age)
            new_lot = LotSpec(
                code=f"OP{opening_day:%y%m%d}-{location.code}",
                expiry_date=received + dt.timedelta(days=shelf),
                received_date=received,
                supplier_id=supplier_id,
            )
        moves.append(
            MoveSpec(
                location_id=location.pk,
                item_id=item.pk,
                quantity=quantity,
                kind=MoveKind.OPENING,
                new_lot=new_lot,
                unit_cost=cost,
                happened_at=at,
                source_line=item.code,
            )
        )
    return moves


def load_opening_stock(chain: DemoChain) -> None:
    """Opening stock at every location through the ledger, so on-hand pages show stock."""
    done = set(
        StockMove.objects.filter(
            organization=chain.organization, kind=MoveKind.OPENING, source_type=SOURCE_TYPE
        ).values_list("location_id", flat=True)
    )
    zone = zoneinfo.ZoneInfo(chain.organization.time_zone)
    at = dt.datetime.combine(chain.opening_date, dt.time(COUNT_HOUR), tzinfo=zone)
    for location in chain.stocked_locations:
        if location.pk in done:
            continue
        moves = opening_moves(chain, location, at)
        if not moves:
            continue
        post_moves(chain.actor, moves, source_type=SOURCE_TYPE, source_id=source_id(location))
        chain.count("opening stock lines", len(moves))
        chain.note(location.code)
