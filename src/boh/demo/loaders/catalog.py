"""Demo steps of the catalog: category tree, items with packs and barcodes, storage areas.

Each step reads what exists (by code) and creates the rest through boh.catalog.services.
"""

from __future__ import annotations

from decimal import Decimal

from boh.catalog import services as catalog
from boh.catalog.models import Barcode, Category, Item, StorageArea
from boh.catalog.units import unit_factor
from boh.core.numbers import round_cost
from boh.demo.chain import DemoChain
from boh.demo.data import catalog as data
from boh.org.models import Location


def parse_amount(text: str) -> tuple[Decimal, str]:
    """ "68/kg" -> (68, "kg"); "15 kg" -> (15, "kg")."""
    number, unit = text.replace("/", " ", 1).split(" ", 1)
    return Decimal(number), unit.strip()


def root_of(code: str) -> str:
    """The top-level category of a category code."""
    parents = {row[0]: row[3] for row in data.CATEGORIES}
    while parents.get(code):
        code = str(parents[code])
    return code


def gtin_check_digit(body: str) -> str:
    """The check digit that completes a GTIN body of 7, 11, 12 or 13 digits."""
    total = sum(int(d) * (3 if n % 2 == 0 else 1) for n, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def load_categories(chain: DemoChain) -> None:
    """The item category tree (肉类 > 牛肉 ...)."""
    existing = {c.code: c for c in Category.objects.filter(organization=chain.organization)}
    for code, name, name_en, parent, alert_days in data.CATEGORIES:
        category = existing.get(code)
        if category is None:
            category = catalog.create_category(
                chain.actor,
                code=code,
                name=name,
                name_en=name_en,
                parent_id=chain.categories[parent].pk if parent else None,
                expiry_alert_days=alert_days,
            )
            chain.count("categories")
        chain.categories[code] = category


def _packs_of(chain: DemoChain, item: Item, row: data.ItemRow) -> None:
    existing = {p.code: p for p in item.packs.all()}
    for code, name, name_en, quantity, unit in row.packs:
        pack = existing.get(code)
        if pack is None:
            pack = catalog.create_pack(
                chain.actor,
                item,
                code=code,
                name=name,
                name_en=name_en,
                quantity=quantity,
                unit=unit,
            )
            existing[code] = pack
            chain.count("packs")
        chain.packs[(row.code, code)] = pack


def _barcodes_of(chain: DemoChain, item: Item, taken: set[str]) -> None:
    prefix = data.GTIN_PREFIXES.get(item.code)
    if prefix is None:
        return
    unit_code = prefix + gtin_check_digit(prefix)
    case_body = "1" + prefix
    case_code = case_body + gtin_check_digit(case_body)
    case = chain.packs.get((item.code, "case"))
    for code, pack in ((unit_code, None), (case_code, case)):
        if code in taken:
            continue
        catalog.add_barcode(chain.actor, item, code=code, pack_id=pack.pk if pack else None)
        taken.add(code)
        chain.count("barcodes")


def load_items(chain: DemoChain) -> None:
    """About 150 items with their packs, barcodes on drinks, and a reference cost per base unit."""
    existing = {i.code: i for i in Item.objects.filter(organization=chain.organization)}
    barcodes = set(
        Barcode.objects.filter(organization=chain.organization).values_list("code", flat=True)
    )
    rows = [row for row in data.ITEMS if chain.scope.has_item(row.code)]
    for n, row in enumerate(rows, start=1):
        item = existing.get(row.code)
        if item is None:
            root = root_of(row.category)
            kind = data.KIND_OF_ROOT.get(root, Item.Kind.INGREDIENT)
            if row.code in data.CONSUMABLES:
                kind = Item.Kind.CONSUMABLE
            item = catalog.create_item(
                chain.actor,
                code=row.code,
                name=row.name,
                name_en=row.name_en,
                kind=kind,
                category_id=chain.categories[row.category].pk,
                base_unit=row.base_unit,
                storage={"A": "ambient", "C": "chilled", "F": "frozen"}[row.storage],
                shelf_life_days=row.shelf_life_days,
                lot_tracked=root in data.LOT_TRACKED_ROOTS,
                allergens=row.allergens.split(),
            )
            chain.count("items")
        chain.items[row.code] = item
        _packs_of(chain, item, row)
        _barcodes_of(chain, item, barcodes)
        price, unit = parse_amount(row.price)
        packs = {p.code.lower(): p for (code, _c), p in chain.packs.items() if code == row.code}
        chain.unit_costs.setdefault(row.code, round_cost(price / unit_factor(item, unit, packs)))
        if n % 25 == 0:
            chain.note(f"{n}/{len(rows)}")


def areas_for(location: Location) -> tuple[tuple[str, str, str, str], ...]:
    if location.kind == Location.Kind.CENTRAL_KITCHEN:
        return data.KITCHEN_AREAS
    if location.kind == Location.Kind.WAREHOUSE:
        return data.WAREHOUSE_AREAS
    return data.STORE_AREAS


def load_storage_areas(chain: DemoChain) -> None:
    """Storage areas of every location in walking order: 冷库, 冻库, 干货仓, 吧台."""
    existing = {
        (a.location_id, a.code): a
        for a in StorageArea.objects.filter(organization=chain.organization)
    }
    for location in chain.locations.values():
        for order, (code, name, name_en, _kept) in enumerate(areas_for(location), start=1):
            area = existing.get((location.pk, code))
            if area is None:
                area = catalog.create_storage_area(
                    chain.actor,
                    location_id=location.pk,
                    code=code,
                    name=name,
                    name_en=name_en,
                    sort_order=order * 10,
                )
                chain.count("storage areas")
            chain.areas[(location.code, code)] = area


def stocked_at(location: Location, row: data.ItemRow) -> bool:
    """Whether the location keeps the item (its row's S, C or W)."""
    letters: dict[str, str] = {
        Location.Kind.STORE: "S",
        Location.Kind.CENTRAL_KITCHEN: "C",
        Location.Kind.WAREHOUSE: "W",
    }
    letter = letters.get(str(location.kind), "")
    return bool(letter) and letter in row.where


def area_code(location: Location, row: data.ItemRow) -> str:
    """The storage area an item is kept in at a location."""
    root = root_of(row.category)
    if location.kind == Location.Kind.STORE and root == data.BAR_ROOT:
        return "BAR"
    if location.kind == Location.Kind.CENTRAL_KITCHEN and root == data.FINISHED_ROOT:
        return "OUT"
    for code, _name, _name_en, kept in areas_for(location):
        if row.storage in kept:
            return code
    raise ValueError(f"no storage area for {row.code} at {location.code}")
