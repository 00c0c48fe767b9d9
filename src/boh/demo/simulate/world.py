"""What the twin knows of the chain, read once from the organization's records.

Stores, items (shelf life, category, cost), the supplier each store orders each item from
with its pack, price and delivery terms, and the POS codes of the demo menu. A run may ask
for more stores than the organization has: the extra stores are copies of its stores in
turn (SH01-2, SH02-2, ...), each a tenth busier than the one before, ordering from the same
suppliers on the same terms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from boh.catalog.models import Category, Item
from boh.core.errors import BohError
from boh.core.numbers import round_cost
from boh.demo import errors
from boh.demo.data import catalog as catalog_data
from boh.demo.data import menu as menu_data
from boh.menu.models import MenuItem, PosCode
from boh.org.models import Location, Organization
from boh.planning import replenish
from boh.purchasing.models import SupplierItem, SupplierLocation, SupplierPrice
from boh.purchasing.selectors import agreed_prices, preferred_supplier_items

MILLI = 1000
# Each round of copied stores is this much busier than the stores it copies.
COPY_STEP = Decimal("0.1")


def to_milli(quantity: Decimal) -> int:
    """Base units as whole thousandths (the ledger's quantity precision), rounded half up."""
    scaled = (quantity * MILLI).to_integral_value(rounding="ROUND_HALF_UP")
    return int(scaled)


def from_milli(quantity: int) -> Decimal:
    """Whole thousandths back to base units, exactly."""
    return Decimal(quantity).scaleb(-3)


@dataclass(frozen=True)
class SimStore:
    """A store of the twin: its code, the real store it copies, and how busy it is."""

    index: int
    code: str
    location_id: int
    name: str
    size: Decimal
    region_id: int | None


@dataclass(frozen=True)
class ItemInfo:
    id: int
    code: str
    name: str
    root: str
    shelf_life_days: int | None
    # Cost of one base unit, in millionths of the currency (integers keep sums exact).
    micro_cost: int


@dataclass(frozen=True)
class Sourcing:
    """Who sells an item to a store, in which pack, at what price, and when they deliver."""

    supplier_id: int
    supplier_code: str
    pack_factor: Decimal
    pack_milli: int
    moq: Decimal
    price: Decimal
    terms: replenish.DeliveryTerms
    min_order_value: Decimal


@dataclass
class World:
    organization: Organization
    stores: list[SimStore]
    items: dict[int, ItemInfo]
    # (real location id, item id) -> how that store buys the item
    sourcing: dict[tuple[int, int], Sourcing]
    dishes: dict[str, int]  # POS code -> menu item id
    options: dict[str, int]  # POS code -> modifier option id
    dish_names: dict[int, str]


def sim_stores(organization: Organization, count: int | None) -> list[SimStore]:
    """The stores of the twin: the organization's stores that suppliers deliver, then copies
    of them in turn."""
    supplied = SupplierLocation.objects.filter(organization=organization).values("location_id")
    real = list(
        Location.objects.filter(
            organization=organization,
            kind=Location.Kind.STORE,
            is_active=True,
            pk__in=supplied,
        ).order_by("code")
    )
    if not real:
        raise BohError(
            code=errors.SIMULATION_NO_CHAIN,
            message=_("The organization has no stores to simulate."),
            field="stores",
        )
    wanted = count or len(real)
    result = []
    for n in range(wanted):
        store = real[n % len(real)]
        rounds = n // len(real)
        base = Decimal(catalog_data.LOCATION_SIZES.get(store.code, "1"))
        result.append(
            SimStore(
                index=n,
                code=store.code if rounds == 0 else f"{store.code}-{rounds + 1}",
                location_id=store.pk,
                name=store.name,
                size=base * (1 + COPY_STEP * rounds),
                region_id=store.region_id,
            )
        )
    return result


def _roots(organization: Organization) -> dict[int, str]:
    rows = list(
        Category.objects.filter(organization=organization).values_list("pk", "code", "path")
    )
    codes = {pk: code for pk, code, _path in rows}
    result = {}
    for pk, code, path in rows:
        ids = [int(x) for x in path.strip("/").split("/") if x]
        result[pk] = codes.get(ids[0], code) if ids else code
    return result


def load_world(organization: Organization, *, stores: int | None, on: dt.date) -> World:
    """The twin's chain: stores, items, sourcing and POS codes as the organization has them."""
    codes = PosCode.objects.filter(organization=organization, source=menu_data.POS_SOURCE)
    dishes = {c.code: c.menu_item_id for c in codes if c.menu_item_id}
    options = {c.code: c.option_id for c in codes if c.option_id}
    if not dishes:
        raise BohError(
            code=errors.SIMULATION_NO_CHAIN,
            message=_(
                "The organization has no demo menu to simulate; load the demo chain first "
                "(boh demo)."
            ),
        )
    chain_stores = sim_stores(organization, stores)
    roots = _roots(organization)
    items: dict[int, ItemInfo] = {}
    for item in Item.objects.filter(organization=organization):
        items[item.pk] = ItemInfo(
            item.pk,
            item.code,
            item.name,
            roots.get(item.category_id or 0, ""),
            item.shelf_life_days,
            0,
        )
    sourcing: dict[tuple[int, int], Sourcing] = {}
    costs: dict[int, list[Decimal]] = {}
    for location_id in sorted({s.location_id for s in chain_stores}):
        sourcing.update(_sourcing(organization, location_id, list(items), on, costs))
    for item_id, found in costs.items():
        info = items[item_id]
        micro = to_milli(round_cost(sum(found, Decimal(0)) / len(found)) * MILLI)
        items[item_id] = ItemInfo(
            info.id, info.code, info.name, info.root, info.shelf_life_days, micro
        )
    names = dict(MenuItem.objects.filter(organization=organization).values_list("pk", "name"))
    return World(organization, chain_stores, items, sourcing, dishes, options, names)


def _sourcing(
    organization: Organization,
    location_id: int,
    item_ids: list[int],
    on: dt.date,
    costs: dict[int, list[Decimal]],
) -> dict[tuple[int, int], Sourcing]:
    """How one store buys each item: its preferred supplier item, or the only one on offer."""
    chosen = preferred_supplier_items(organization.pk, item_ids, location_id)
    offered: dict[int, list[SupplierItem]] = {}
    for candidate in SupplierItem.objects.filter(
        organization=organization, is_active=True, supplier__is_active=True
    ).select_related("supplier"):
        offered.setdefault(candidate.item_id, []).append(candidate)
    for item_id, candidates in offered.items():
        if item_id not in chosen and len(candidates) == 1:
            chosen[item_id] = candidates[0]
    terms = {
        t.supplier_id: t
        for t in SupplierLocation.objects.filter(
            location_id=location_id, supplier_id__in={si.supplier_id for si in chosen.values()}
        )
    }
    agreed = agreed_prices([si.pk for si in chosen.values()], on)
    prices = dict(agreed)
    earliest: dict[int, Decimal] = {}
    # A run before the first agreed price takes the earliest one.
    for si_id, listed in (
        SupplierPrice.objects.filter(supplier_item_id__in=[si.pk for si in chosen.values()])
        .order_by("supplier_item_id", "-valid_from")
        .values_list("supplier_item_id", "price")
    ):
        if si_id not in agreed and listed is not None:
            earliest[si_id] = listed
    for si_id, first_price in earliest.items():
        prices.setdefault(si_id, first_price)
    result = {}
    for item_id, si in chosen.items():
        t = terms.get(si.supplier_id)
        price = prices.get(si.pk)
        if t is None or price is None or not si.pack_factor:
            continue
        result[(location_id, item_id)] = Sourcing(
            supplier_id=si.supplier_id,
            supplier_code=si.supplier.code,
            pack_factor=si.pack_factor,
            pack_milli=to_milli(si.pack_factor),
            moq=si.moq,
            price=price,
            terms=replenish.DeliveryTerms(
                tuple(t.delivery_weekdays or ()), t.cutoff_time, t.lead_time_days
            ),
            min_order_value=t.min_order_value,
        )
        costs.setdefault(item_id, []).append(price / si.pack_factor)
    return result
