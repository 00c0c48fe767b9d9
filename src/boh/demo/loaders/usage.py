"""How much of each item the demo chain uses a day, to size par levels and deliveries by demand.

A standard store's use comes from two weeks of tickets drawn by the sales model and
exploded by the menu's recipes; the central kitchen's from the prepared items the stores
use, through the kitchen's sub-recipes.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from decimal import Decimal

from boh.catalog.units import unit_factor
from boh.demo.chain import DemoChain
from boh.demo.data import catalog as catalog_data
from boh.demo.data import menu as menu_data
from boh.demo.sales_model import TicketMaker

SAMPLE_DAYS = 14
MENU_CHANNELS = {"dine_in": "dine_in", "meituan": "meituan", "eleme": "eleme"}


def store_usage(chain: DemoChain) -> dict[str, Decimal]:
    """Base quantity of each item code a standard store uses on an average day; {} if no menu."""
    try:
        from boh.menu.explosion import SoldLine, explode
        from boh.menu.models import PosCode
    except ImportError:
        return {}
    codes = PosCode.objects.filter(organization=chain.organization, source=menu_data.POS_SOURCE)
    dishes = {c.code: c.menu_item_id for c in codes if c.menu_item_id}
    options = {c.code: c.option_id for c in codes if c.option_id}
    if not dishes:
        return {}

    maker = TicketMaker(
        seed=chain.seed,
        store_code="STANDARD",
        size=1.0,
        zone=zoneinfo.ZoneInfo(chain.organization.time_zone),
        source=menu_data.POS_SOURCE,
        channels=MENU_CHANNELS,
        dishes_sold=chain.scope.dishes,
    )
    sold: dict[tuple[int, tuple[int, ...]], Decimal] = defaultdict(Decimal)
    for n in range(SAMPLE_DAYS):
        day = chain.opening_date - dt.timedelta(days=SAMPLE_DAYS - n)
        for ticket in maker.tickets(day):
            for line in ticket["lines"]:
                if line.get("voided"):
                    continue
                chosen = tuple(sorted(options[m] for m in line.get("modifiers", ())))
                sold[(dishes[line["pos_code"]], chosen)] += Decimal(line["quantity"])
    lines = [SoldLine(menu_item_id=m, quantity=q, option_ids=o) for (m, o), q in sold.items()]
    totals = explode(chain.organization, lines, chain.opening_date)
    by_id = {item.pk: code for code, item in chain.items.items()}
    return {by_id[item_id]: q / SAMPLE_DAYS for item_id, q in totals.items() if item_id in by_id}


def batch_lines(chain: DemoChain, code: str) -> tuple[Decimal, dict[str, Decimal]]:
    """(base quantity one batch yields, base quantity of each item it uses) of a sub-recipe."""
    for output, batch, unit, lines in menu_data.SUB_RECIPES:
        if output != code:
            continue
        used: dict[str, Decimal] = {}
        for item_code, quantity, line_unit, *rest in lines:
            share = Decimal(100) / Decimal(rest[0]) if rest else Decimal(1)
            factor = unit_factor(chain.items[item_code], line_unit, {})
            used[item_code] = used.get(item_code, Decimal(0)) + Decimal(quantity) * factor * share
        return Decimal(batch) * unit_factor(chain.items[code], unit, {}), used
    return Decimal(0), {}


def made_from(chain: DemoChain, made: dict[str, Decimal]) -> dict[str, Decimal]:
    """Items used to make the given quantities of prepared items, sub-recipes included."""
    used: dict[str, Decimal] = defaultdict(Decimal)
    pending = dict(made)
    while pending:
        code, quantity = pending.popitem()
        batch, lines = batch_lines(chain, code)
        if not batch:
            continue
        for item_code, per_batch in lines.items():
            need = per_batch * quantity / batch
            used[item_code] += need
            if any(row[0] == item_code for row in menu_data.SUB_RECIPES):
                pending[item_code] = pending.get(item_code, Decimal(0)) + need
    return dict(used)


def kitchen_usage(chain: DemoChain, per_store: dict[str, Decimal]) -> dict[str, Decimal]:
    """What the central kitchen makes and uses a day to supply every store."""
    scale = sum(Decimal(catalog_data.LOCATION_SIZES.get(s.code, "1")) for s in chain.stores)
    prepared = {
        code: quantity * scale
        for code, quantity in per_store.items()
        if catalog_data.ITEMS_BY_CODE[code].category == catalog_data.FINISHED_ROOT
    }
    used = made_from(chain, prepared)
    for code, quantity in prepared.items():
        used[code] = used.get(code, Decimal(0)) + quantity
    return used
