"""Demo step of the catalog: par, minimum and maximum of each item where it is stocked.

A store's par covers its demand (boh.demo.loaders.usage) until the next delivery and a
day more, at a busy weekend's pace, but never more than it can use before the item
expires; the central kitchen's covers what it makes for the stores. The catalog data's
par, scaled by the location's size, guides the warehouse and items no dish uses.
"""

from __future__ import annotations

import math
from decimal import Decimal

from boh.catalog import services as catalog
from boh.catalog.models import StockLevel
from boh.catalog.units import unit_factor
from boh.demo.chain import DemoChain
from boh.demo.data import catalog as data
from boh.demo.loaders.catalog import area_code, areas_for, parse_amount, stocked_at
from boh.demo.loaders.suppliers import delivery_weekdays, longest_gap
from boh.demo.loaders.usage import kitchen_usage, store_usage
from boh.org.models import Location

# Demand on the busiest days against the average day.
PEAK = Decimal("1.3")
SAFETY_DAYS = 1


def _rounded(quantity: Decimal, whole: bool) -> Decimal:
    # Packs are ordered whole; weights and volumes to a tenth of their unit, never below it.
    if whole:
        return Decimal(max(1, math.ceil(quantity)))
    return max(Decimal("0.1"), Decimal(math.ceil(quantity * 10)) / 10)


def level_for(
    chain: DemoChain, location: Location, row: data.ItemRow, daily: Decimal
) -> tuple[Decimal, Decimal, Decimal, str]:
    """(par, minimum, maximum, unit) of an item at a location that uses `daily` base units."""
    par, unit = parse_amount(row.par)
    size = Decimal(data.LOCATION_SIZES.get(location.code, "1"))
    whole = unit in {p[0] for p in row.packs} or unit == "each"
    wanted = par * size
    if daily and location.kind != Location.Kind.WAREHOUSE:
        days = Decimal(longest_gap(delivery_weekdays(chain, row, location)) + SAFETY_DAYS) * PEAK
        if row.shelf_life_days:
            # Never more than can be used before it expires.
            days = max(Decimal(1), min(days, Decimal(row.shelf_life_days)))
        packs = {p.code.lower(): p for (code, _c), p in chain.packs.items() if code == row.code}
        wanted = daily * days / unit_factor(chain.items[row.code], unit, packs)
    rounded = _rounded(wanted, whole)
    return (
        rounded,
        _rounded(rounded * Decimal(data.MIN_SHARE), whole),
        _rounded(rounded * Decimal(data.MAX_SHARE), whole),
        unit,
    )


def daily_use(chain: DemoChain) -> dict[str, dict[str, Decimal]]:
    """Base units of each item code each location uses on an average day."""
    standard = store_usage(chain)
    result: dict[str, dict[str, Decimal]] = {}
    for location in chain.locations.values():
        size = Decimal(data.LOCATION_SIZES.get(location.code, "1"))
        if location.kind == Location.Kind.STORE:
            result[location.code] = {code: q * size for code, q in standard.items()}
        elif location.kind == Location.Kind.CENTRAL_KITCHEN:
            result[location.code] = kitchen_usage(chain, standard)
    return result


def load_stock_levels(chain: DemoChain) -> None:
    """Par, minimum and maximum of each item where it is stocked, in count-sheet order."""
    existing = set(
        StockLevel.objects.filter(organization=chain.organization).values_list(
            "location_id", "item_id"
        )
    )
    wanted = [
        (location, row)
        for location in chain.stocked_locations
        for row in data.ITEMS
        if row.code in chain.items
        and stocked_at(location, row)
        and (location.pk, chain.items[row.code].pk) not in existing
    ]
    if not wanted:
        return
    use = daily_use(chain)
    orders = {
        location.code: {code: n for n, (code, *_rest) in enumerate(areas_for(location))}
        for location in chain.locations.values()
    }
    wanted.sort(key=lambda pair: (pair[0].code, orders[pair[0].code][area_code(*pair)]))
    by_location: dict[int, list[dict[str, object]]] = {}
    for n, (location, row) in enumerate(wanted, start=1):
        daily = use.get(location.code, {}).get(row.code, Decimal(0))
        par, minimum, maximum, unit = level_for(chain, location, row, daily)
        by_location.setdefault(location.pk, []).append(
            {
                "item_id": chain.items[row.code].pk,
                "par": par,
                "minimum": minimum,
                "maximum": maximum,
                "unit": unit,
                "storage_area_id": chain.areas[(location.code, area_code(location, row))].pk,
                "count_order": n * 10,
            }
        )
    # One call a location: the catalog checks every level as create_stock_level does.
    for location_id, levels in by_location.items():
        catalog.create_stock_levels(chain.actor, location_id=location_id, levels=levels)
        chain.count("stock levels", len(levels))
        chain.note(f"{chain.made['stock levels']}/{len(wanted)}")
