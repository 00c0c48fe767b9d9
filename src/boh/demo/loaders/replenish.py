"""Mornings of the demo's sales history: waste, cooking, shipping and deliveries before opening.

Each business day, before the first guest: expired lots are thrown away (the waste log),
the central kitchen cooks what the stores lack of its prepared items beyond its own stock
(production moves, one lot a day) and ships it to them earliest expiry first (transfer
moves), and each supplier whose delivery
day it is brings what runs low back up to par (purchasing receipts).
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections import defaultdict
from decimal import Decimal
from typing import Any

from boh.catalog.models import Item, StockLevel
from boh.core.numbers import round_cost, round_qty
from boh.demo.chain import DemoChain
from boh.demo.data import catalog as catalog_data
from boh.demo.data import menu as menu_data
from boh.demo.loaders.levels import SAFETY_DAYS
from boh.demo.loaders.stock import counting_step
from boh.demo.loaders.suppliers import longest_gap
from boh.demo.loaders.usage import batch_lines
from boh.inventory.documents.common import MAX_LINES
from boh.inventory.documents.waste import log_waste_lines
from boh.inventory.models import Balance, ItemBalance, LotStatus, MoveKind
from boh.inventory.services import LotSpec, MoveSpec, post_moves
from boh.org.models import Location

WASTE_AT = dt.time(7, 30)
COOK_AT = (dt.time(5, 0), dt.time(6, 0))
SHIP_AT = dt.time(8, 0)
DELIVER_AT = dt.time(9, 30)
TRANSFER_SOURCE = "demo-transfer"
PRODUCTION_SOURCE = "demo-production"
# Arrival temperatures taken at the back door (°C).
TEMPERATURES = {Item.Storage.CHILLED: Decimal("3.5"), Item.Storage.FROZEN: Decimal("-18.5")}


def whole(quantity: Decimal, step: Decimal) -> Decimal:
    """quantity rounded up to whole steps (packs)."""
    return round_qty(step * math.ceil(quantity / step))


class Mornings:
    """Brings every location back to par before each business day of the history."""

    def __init__(self, chain: DemoChain) -> None:
        self.chain = chain
        org = chain.organization
        self.zone = zoneinfo.ZoneInfo(org.time_zone)
        self.items = {item.pk: item for item in chain.items.values()}
        self.par: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for location_id, item_id, par in StockLevel.objects.filter(organization=org).values_list(
            "location_id", "item_id", "par"
        ):
            self.par[location_id][item_id] = par
        self.kitchen = next(
            (x for x in chain.locations.values() if x.kind == Location.Kind.CENTRAL_KITCHEN), None
        )
        self.prepared = {
            chain.items[row.code].pk
            for row in catalog_data.ITEMS
            if row.category == catalog_data.FINISHED_ROOT and row.code in chain.items
        }
        self.receive: Any = None
        self.deliveries = self._deliveries()

    def _deliveries(self) -> dict[int, dict[int, list[tuple[Any, Any]]]]:
        """By location and supplier: the (supplier item, delivery weekdays) it orders there."""
        try:
            from boh.purchasing.models import SupplierLocation
            from boh.purchasing.selectors import preferred_supplier_items
            from boh.purchasing.services import receive_delivery
        except ImportError:
            return {}
        self.receive = receive_delivery
        org = self.chain.organization
        weekdays = {
            (t.supplier_id, t.location_id): tuple(t.delivery_weekdays or ())
            for t in SupplierLocation.objects.filter(organization=org)
        }
        result: dict[int, dict[int, list[tuple[Any, Any]]]] = {}
        for location in self.chain.stocked_locations:
            wanted = [i for i in self.par[location.pk] if i not in self.prepared]
            chosen = preferred_supplier_items(org.pk, wanted, location.pk)
            by_supplier: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
            for supplier_item in chosen.values():
                days = weekdays.get((supplier_item.supplier_id, location.pk))
                if days:
                    by_supplier[supplier_item.supplier_id].append((supplier_item, days))
            result[location.pk] = dict(by_supplier)
        return result

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.zone)

    def usable(self, location: Location, day: dt.date) -> dict[int, Decimal]:
        """On hand that may still be used on `day`: expired and held lots left out."""
        result: dict[int, Decimal] = defaultdict(Decimal)
        rows = Balance.objects.filter(
            organization=self.chain.organization, location=location
        ).values_list("item_id", "quantity", "lot__expiry_date", "lot__status", "lot_id")
        for item_id, quantity, expiry, status, lot_id in rows:
            if lot_id is None or (
                status == LotStatus.AVAILABLE and (expiry is None or expiry >= day)
            ):
                result[item_id] += quantity
        return result

    def throw_away_expired(self, location: Location, day: dt.date) -> None:
        """Waste every lot that expired before `day` and is still on hand."""
        rows = Balance.objects.filter(
            organization=self.chain.organization,
            location=location,
            quantity__gt=0,
            lot__expiry_date__lt=day,
        ).values_list("item_id", "lot_id", "quantity")
        lines = [
            {"item_id": item_id, "lot_id": lot_id, "quantity": quantity}
            for item_id, lot_id, quantity in rows
        ]
        # One waste document a morning, a line per lot, in the log's largest size.
        for start in range(0, len(lines), MAX_LINES):
            part = lines[start : start + MAX_LINES]
            log_waste_lines(
                self.chain.actor,
                location_id=location.pk,
                lines=part,
                reason="expired",
                happened_at=self.at(day, WASTE_AT),
            )
            self.chain.count("waste entries", len(part))

    def run(self, day: dt.date) -> None:
        """One morning: waste, cook and ship, deliveries."""
        locations = self.chain.stocked_locations
        for location in locations:
            self.throw_away_expired(location, day)
        if self.kitchen is not None:
            needs = self.store_needs(day)
            if needs:
                self.cook(day, needs)
                self.ship(day, needs)
        for location in locations:
            self.deliver(location, day)

    def store_needs(self, day: dt.date) -> dict[int, dict[int, Decimal]]:
        """Prepared items each store lacks to reach par, in whole bags."""
        needs: dict[int, dict[int, Decimal]] = {}
        for store in self.chain.stores:
            usable = self.usable(store, day)
            lacking = {}
            for item_id, par in self.par[store.pk].items():
                if item_id in self.prepared and usable.get(item_id, Decimal(0)) < par:
                    step = counting_step(self.chain, self.items[item_id])
                    lacking[item_id] = whole(par - usable.get(item_id, Decimal(0)), step)
            if lacking:
                needs[store.pk] = lacking
        return needs

    def cook(self, day: dt.date, needs: dict[int, dict[int, Decimal]]) -> None:
        """Make what the stores need beyond what the kitchen still has, bases first."""
        assert self.kitchen is not None
        codes = {item.pk: code for code, item in self.chain.items.items()}
        uses = {
            row[0]: batch_lines(self.chain, row[0])
            for row in menu_data.SUB_RECIPES
            if row[0] in self.chain.items
        }
        on_hand = self.usable(self.kitchen, day)
        wanted: dict[str, Decimal] = defaultdict(Decimal)
        for lacking in needs.values():
            for item_id, quantity in lacking.items():
                wanted[codes[item_id]] += quantity
        # Bases other prepared items are made from are cooked first, in a batch of their own.
        inner = {used for _batch, lines in uses.values() for used in lines if used in uses}
        cook: dict[str, Decimal] = {}
        for code in sorted(c for c in wanted if c not in inner and c in uses):
            cook[code] = wanted[code] - on_hand.get(self.chain.items[code].pk, Decimal(0))
            batch, lines = uses[code]
            for used, per_batch in lines.items():
                if used in inner and cook[code] > 0:
                    wanted[used] += per_batch * cook[code] / batch
        for code in inner:
            cook[code] = wanted[code] - on_hand.get(self.chain.items[code].pk, Decimal(0))

        for when, group in ((COOK_AT[0], inner), (COOK_AT[1], set(uses) - inner)):
            batch_of = {c: q for c, q in cook.items() if c in group and q > 0}
            if not batch_of:
                continue
            specs = self.production_specs(day, when, batch_of, uses)
            post_moves(
                self.chain.actor,
                specs,
                source_type=PRODUCTION_SOURCE,
                source_id=f"{self.kitchen.code}-{day.isoformat()}-{when:%H%M}",
            )
            self.chain.count("production moves", len(specs))

    def production_specs(
        self,
        day: dt.date,
        when: dt.time,
        wanted: dict[str, Decimal],
        uses: dict[str, tuple[Decimal, dict[str, Decimal]]],
    ) -> list[MoveSpec]:
        """Consumption of each recipe line and the output, with today's lot, at cost."""
        assert self.kitchen is not None
        costs = dict(
            ItemBalance.objects.filter(
                organization=self.chain.organization, location=self.kitchen
            ).values_list("item_id", "unit_cost")
        )
        at = self.at(day, when)
        specs: list[MoveSpec] = []
        for code, quantity in sorted(wanted.items()):
            batch, lines = uses[code]
            item = self.chain.items[code]
            quantity = round_qty(quantity)
            cost = Decimal(0)
            for used_code, per_batch in sorted(lines.items()):
                used = self.chain.items[used_code]
                amount = round_qty(per_batch * quantity / batch)
                cost += amount * (costs.get(used.pk) or self.chain.unit_costs[used_code])
                specs.append(
                    MoveSpec(
                        location_id=self.kitchen.pk,
                        item_id=used.pk,
                        quantity=-amount,
                        kind=MoveKind.PRODUCTION_CONSUMPTION,
                        happened_at=at,
                        source_line=code,
                    )
                )
            specs.append(
                MoveSpec(
                    location_id=self.kitchen.pk,
                    item_id=item.pk,
                    quantity=quantity,
                    kind=MoveKind.PRODUCTION_OUTPUT,
                    new_lot=LotSpec(
                        code=f"{self.kitchen.code}{day:%y%m%d}",
                        expiry_date=day + dt.timedelta(days=item.shelf_life_days or 3),
                        received_date=day,
                    ),
                    unit_cost=round_cost(cost / quantity),
                    happened_at=at,
                    source_line=code,
                )
            )
        return specs

    def ship(self, day: dt.date, needs: dict[int, dict[int, Decimal]]) -> None:
        """Send each store what it lacks from the kitchen's lots, earliest expiry first."""
        assert self.kitchen is not None
        org = self.chain.organization
        lots: dict[int, list[list[Any]]] = defaultdict(list)
        rows = (
            Balance.objects.filter(
                organization=org,
                location=self.kitchen,
                item_id__in=self.prepared,
                quantity__gt=0,
                lot__status=LotStatus.AVAILABLE,
                lot__expiry_date__gte=day,
            )
            .order_by("item_id", "lot__expiry_date", "lot_id")
            .values_list("item_id", "lot_id", "quantity")
        )
        for item_id, lot_id, quantity in rows:
            lots[item_id].append([lot_id, quantity])
        costs = dict(
            ItemBalance.objects.filter(organization=org, location=self.kitchen).values_list(
                "item_id", "unit_cost"
            )
        )
        at = self.at(day, SHIP_AT)
        specs: list[MoveSpec] = []
        for store_id, lacking in sorted(needs.items()):
            for item_id, quantity in sorted(lacking.items()):
                left = quantity
                for entry in lots[item_id]:
                    take = min(left, entry[1])
                    if take <= 0:
                        continue
                    entry[1] -= take
                    left -= take
                    lot_id = entry[0]
                    specs.append(
                        MoveSpec(
                            location_id=self.kitchen.pk,
                            item_id=item_id,
                            quantity=-take,
                            kind=MoveKind.TRANSFER_OUT,
                            lot_id=lot_id,
                            happened_at=at,
                        )
                    )
                    specs.append(
                        MoveSpec(
                            location_id=store_id,
                            item_id=item_id,
                            quantity=take,
                            kind=MoveKind.TRANSFER_IN,
                            lot_id=lot_id,
                            unit_cost=costs[item_id],
                            happened_at=at,
                        )
                    )
        if specs:
            post_moves(
                self.chain.actor,
                specs,
                source_type=TRANSFER_SOURCE,
                source_id=f"{self.kitchen.code}-{day.isoformat()}",
            )
            self.chain.count("transfer moves", len(specs))

    def deliver(self, location: Location, day: dt.date) -> None:
        """Every supplier due today tops the location's items up to par, in whole packs."""
        usable = self.usable(location, day)
        for n, (supplier_id, supplied) in enumerate(
            sorted(self.deliveries.get(location.pk, {}).items())
        ):
            lines = []
            for supplier_item, weekdays in supplied:
                if day.weekday() not in weekdays:
                    continue
                item = self.items[supplier_item.item_id]
                par = self.par[location.pk][item.pk]
                have = usable.get(item.pk, Decimal(0))
                # Par lasts the longest gap between deliveries and a day more: order once what
                # is left would not last until the next delivery.
                gap = longest_gap(weekdays)
                if have * (gap + SAFETY_DAYS) >= par * gap:
                    continue
                short = par - have
                line: dict[str, Any] = {
                    "supplier_item_id": supplier_item.pk,
                    "delivered_quantity": Decimal(math.ceil(short / supplier_item.pack_factor)),
                }
                if item.storage in TEMPERATURES:
                    line["temperature"] = TEMPERATURES[Item.Storage(item.storage)]
                if item.lot_tracked:
                    line["lot_code"] = f"{supplier_item.supplier.code}-{day:%y%m%d}"
                    line["expiry_date"] = day + dt.timedelta(days=item.shelf_life_days or 30)
                lines.append(line)
            if not lines:
                continue
            self.receive(
                self.chain.actor,
                location_id=location.pk,
                supplier_id=supplier_id,
                lines=lines,
                delivery_note=f"DN{day:%y%m%d}-{location.code}-{n + 1}",
                received_at=self.at(day, DELIVER_AT) + dt.timedelta(minutes=10 * n),
            )
            self.chain.count("receipts")
