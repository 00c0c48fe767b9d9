"""Demo step of purchasing: suppliers, delivery terms, supplier items, price histories, preferences.

Everything goes through boh.purchasing.services; what exists (by code) is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from boh.catalog.units import unit_factor
from boh.core.numbers import round_cost
from boh.demo.chain import DemoChain
from boh.demo.data import catalog as catalog_data
from boh.demo.data import suppliers as data
from boh.demo.loaders.catalog import parse_amount, root_of, stocked_at
from boh.demo.loaders.menu import IN_FORCE_BEFORE_OPENING
from boh.org.models import Location

TAX_ID_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
TAX_ID_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LOCATION_LETTER: dict[str, str] = {
    Location.Kind.STORE: "S",
    Location.Kind.CENTRAL_KITCHEN: "C",
    Location.Kind.WAREHOUSE: "W",
}


def tax_id(body: str) -> str:
    """A unified social credit code: the 17 characters and their check character."""
    total = sum(TAX_ID_ALPHABET.index(ch) * w for ch, w in zip(body, TAX_ID_WEIGHTS, strict=True))
    return body + TAX_ID_ALPHABET[(31 - total % 31) % 31]


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month, `months` earlier (the 28th at most, so it always exists)."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def sells(row: tuple[Any, ...], item: catalog_data.ItemRow) -> bool:
    """Whether a supplier row sells an item: by one of its categories or by code."""
    categories, codes = row[15], row[16]
    node: str | None = item.category
    parents = {c[0]: c[3] for c in catalog_data.CATEGORIES}
    while node:
        if node in categories:
            return True
        node = parents.get(node)
    return item.code in codes


def serves(chain: DemoChain, row: tuple[Any, ...], location: Location) -> bool:
    """Whether a supplier row delivers to a location: its region, and its kinds of location."""
    region, kinds = row[13], row[14]
    if LOCATION_LETTER.get(str(location.kind), "") not in kinds:
        return False
    if not region:
        return True
    paths = {r.pk: r.path for r in chain.regions.values()}
    return paths.get(location.region_id or 0, "").startswith(chain.regions[region].path)


def supplier_row(
    chain: DemoChain, item: catalog_data.ItemRow, location: Location
) -> tuple[Any, ...] | None:
    """The supplier row an item is ordered from at a location: a regional supplier of the
    location's region first, then the one PREFERRED names, then the first listed."""
    sellers = [row for row in data.SUPPLIERS if sells(row, item) and serves(chain, row, location)]
    preferred = data.PREFERRED.get(item.code)
    sellers.sort(key=lambda row: (not row[13], row[0] != preferred))
    return sellers[0] if sellers else None


def delivery_weekdays(
    chain: DemoChain, item: catalog_data.ItemRow, location: Location
) -> tuple[int, ...]:
    """Weekdays an item arrives at a location: the kitchen's daily run for prepared items."""
    if root_of(item.category) == catalog_data.FINISHED_ROOT:
        return tuple(data.KITCHEN_DELIVERY[0])
    row = supplier_row(chain, item, location)
    return tuple(row[9]) if row else ()


def longest_gap(weekdays: tuple[int, ...]) -> int:
    """Most days between two deliveries on these weekdays (7 for once a week)."""
    days = sorted(set(weekdays))
    if not days:
        return 7
    return max((b - a) % 7 or 7 for a, b in zip(days, [*days[1:], days[0]], strict=True))


def order_pack(chain: DemoChain, item: catalog_data.ItemRow) -> dict[str, Any]:
    """How a supplier sells an item: its largest catalog pack, or loose by the price's unit."""
    packs = [p for (code, _c), p in chain.packs.items() if code == item.code]
    if packs:
        largest = max(packs, key=lambda p: p.factor)
        return {"pack_id": largest.pk}
    _price, unit = parse_amount(item.price)
    return {"pack_code": unit, "pack_count": 1, "pack_size": 1, "pack_unit": unit}


def pack_price(chain: DemoChain, item: catalog_data.ItemRow, factor: Decimal) -> Decimal:
    """The catalog price of one pack of `factor` base units."""
    price, unit = parse_amount(item.price)
    packs = {p.code.lower(): p for (code, _c), p in chain.packs.items() if code == item.code}
    return round_cost(price * factor / unit_factor(chain.items[item.code], unit, packs))


def price_history(
    chain: DemoChain, item: catalog_data.ItemRow, current: Decimal, since: dt.date
) -> list[tuple[dt.date, Decimal]]:
    """Agreed prices, oldest first, ending with today's price from `since`."""
    if root_of(item.category) in data.PRODUCE_ROOTS:
        rng = random.Random(f"{chain.seed}:price:{item.code}")
        swing = Decimal(data.PRODUCE_SWING)
        steps = []
        for months in range(data.PRODUCE_MONTHS, 0, -1):
            share = 1 + swing * Decimal(rng.randint(-100, 100)) / 100
            steps.append((months_before(since, months), round_cost(current * share)))
        return [*steps, (since, current)]
    earlier = [
        (months_before(since, months), round_cost(current * Decimal(share)))
        for months, share in data.PRICE_HISTORY
    ]
    return [*earlier, (since, current)]


def load_suppliers(chain: DemoChain) -> None:
    """About eight suppliers with delivery days, packs, price histories and preferred items."""
    try:
        from boh.purchasing import services as purchasing
        from boh.purchasing.models import (
            PreferredSupplier,
            Supplier,
            SupplierItem,
            SupplierLocation,
        )
    except ImportError as exc:
        chain.skip(_("Suppliers"), exc)
        return

    actor, org = chain.actor, chain.organization
    since = chain.opening_date - dt.timedelta(days=IN_FORCE_BEFORE_OPENING)
    existing = {s.code: s for s in Supplier.objects.filter(organization=org)}
    terms = set(
        SupplierLocation.objects.filter(organization=org).values_list("supplier_id", "location_id")
    )
    locations = chain.stocked_locations
    items = [item for item in catalog_data.ITEMS if item.code in chain.items]

    def deliver(supplier: Any, location: Location, when: tuple[Any, ...]) -> None:
        if (supplier.pk, location.pk) in terms:
            return
        weekdays, cutoff, lead, minimum = when
        purchasing.set_delivery_terms(
            actor,
            supplier,
            location_id=location.pk,
            delivery_weekdays=list(weekdays),
            cutoff_time=cutoff,
            lead_time_days=lead,
            min_order_value=Decimal(minimum),
        )
        terms.add((supplier.pk, location.pk))
        chain.count("delivery terms")

    for row in data.SUPPLIERS:
        code, name, name_en, tax_body, pay_terms, pay_days, phone, address, contact = row[:9]
        supplier = existing.get(code)
        if supplier is None:
            supplier = existing[code] = purchasing.create_supplier(
                actor,
                code=code,
                name=name,
                name_en=name_en,
                tax_id=tax_id(tax_body),
                payment_terms=pay_terms,
                payment_days=pay_days,
                phone=phone,
                email=contact[3],
                address=address,
            )
            chain.count("suppliers")
        if not supplier.contacts.exists():
            person, title, mobile, email = contact
            purchasing.add_contact(
                actor,
                supplier,
                name=person,
                title=title,
                phone=mobile,
                email=email,
                is_primary=True,
            )
            chain.count("supplier contacts")
        chain.suppliers[code] = supplier
        for location in locations:
            wanted = any(sells(row, item) and stocked_at(location, item) for item in items)
            if wanted and serves(chain, row, location):
                deliver(supplier, location, row[9:13])

    code, name, name_en, kitchen_code = data.KITCHEN_SUPPLIER
    kitchen = existing.get(code)
    if kitchen is None:
        kitchen = purchasing.create_supplier(
            actor,
            code=code,
            name=name,
            name_en=name_en,
            internal_location_id=chain.locations[kitchen_code].pk,
        )
        chain.count("suppliers")
    chain.suppliers[code] = kitchen
    for store in chain.stores:
        deliver(kitchen, store, data.KITCHEN_DELIVERY)

    # Supplier items: who sells each item, the preferred one first.
    sold_by: dict[str, list[tuple[Any, Decimal]]] = {}
    for item in items:
        if root_of(item.category) == catalog_data.FINISHED_ROOT:
            sold_by[item.code] = [(kitchen, Decimal(1))]
            continue
        sellers = [row for row in data.SUPPLIERS if sells(row, item)]
        preferred = data.PREFERRED.get(item.code)
        sellers.sort(key=lambda row: (row[0] != preferred, bool(row[13])))
        second = Decimal(data.SECOND_SOURCE_FACTOR)
        sold_by[item.code] = [
            (existing[row[0]], Decimal(row[17]) * (1 if n == 0 or row[13] else second))
            for n, row in enumerate(sellers)
        ]

    supplier_items = {
        (si.supplier_id, si.item_id): si for si in SupplierItem.objects.filter(organization=org)
    }
    preferences: set[tuple[int, int | None]] = set(
        PreferredSupplier.objects.filter(organization=org).values_list("item_id", "location_id")
    )
    regional = {row[0]: row[13] for row in data.SUPPLIERS if row[13]}
    # Price histories of the new supplier items, agreed in one call at the end.
    prices: list[dict[str, Any]] = []
    for n, item in enumerate(items, start=1):
        catalog_item = chain.items[item.code]
        for rank, (supplier, factor) in enumerate(sold_by[item.code]):
            supplier_item = supplier_items.get((supplier.pk, catalog_item.pk))
            if supplier_item is None:
                pack = order_pack(chain, item)
                supplier_item = purchasing.create_supplier_item(
                    actor,
                    supplier,
                    item_id=catalog_item.pk,
                    supplier_code=f"{supplier.code}-{item.code}",
                    moq=1,
                    **pack,
                )
                current = pack_price(chain, item, supplier_item.pack_factor) * factor
                history = price_history(chain, item, round_cost(current), since)
                prices += [
                    {"supplier_item_id": supplier_item.pk, "price": price, "valid_from": valid_from}
                    for valid_from, price in history
                ]
                chain.count("supplier items")
            supplier_items[(supplier.pk, catalog_item.pk)] = supplier_item
            region = regional.get(supplier.code)
            targets: list[int | None] = [None] if rank == 0 else []
            if region:
                targets = [x.pk for x in locations if serves(chain, _row(supplier.code), x)]
            for location_id in targets:
                if (catalog_item.pk, location_id) not in preferences:
                    purchasing.set_preferred_supplier(
                        actor, supplier_item_id=supplier_item.pk, location_id=location_id
                    )
                    preferences.add((catalog_item.pk, location_id))
                    chain.count("preferred suppliers")
        if n % 25 == 0:
            chain.note(f"{n}/{len(items)}")
    if prices:
        purchasing.set_prices(actor, prices=prices)
        chain.count("supplier prices", len(prices))


def _row(code: str) -> tuple[Any, ...]:
    return next(row for row in data.SUPPLIERS if row[0] == code)
