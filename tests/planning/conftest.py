"""Planning test data: a kitchen with POS codes, sales history ingested as POS tickets,
suppliers with delivery terms, all built through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from boh.catalog import services as catalog
from boh.catalog.models import Category, Item
from boh.inventory.models import ItemBalance
from boh.inventory.services import LotSpec, MoveSpec, post_moves
from boh.menu import services as menu
from boh.menu.models import MenuItem
from boh.menu.selectors import business_today
from boh.org import services as org
from boh.org.models import Location
from boh.planning.forecast.pipeline import Settings
from boh.purchasing import services as purchasing
from boh.purchasing.models import Supplier, SupplierItem
from boh.sales.services import ingest_tickets
from tests.conftest import World
from tests.menu.conftest import JAN1, Kitchen, line

__all__ = ["FAST", "JAN1", "Plan", "line"]

SOURCE = "pos1"
PRICES_FROM = dt.date(2020, 1, 1)
# Small models so that a forecast in a test takes seconds.
FAST = Settings(n_origins=4, num_boost_round=40, backtest_origins=2)
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def noon(day: dt.date) -> dt.datetime:
    """Noon of a business date in the organization's time zone, as aware UTC."""
    zone = timezone.get_default_timezone()
    return dt.datetime.combine(day, dt.time(12, 0), zone).astimezone(dt.UTC)


class Plan:
    """The noodle kitchen with POS codes, stock allowed below zero, and a supplier."""

    def __init__(self, world: World) -> None:
        self.world = world
        actor = world.actor
        org.update_organization(actor, negative_stock="allow")
        self.kitchen = Kitchen(world)
        self.eggs, self.combo = self.kitchen.set_meal()
        self.today = business_today(world.org)
        for code, menu_item in (("NOODLE", self.noodles), ("EGGS", self.eggs)):
            menu.create_pos_code(actor, source=SOURCE, code=code, menu_item_id=menu_item.pk)
        self.fresh: Category = catalog.create_category(actor, code="FRESH", name="生鲜")
        self.supplier: Supplier = purchasing.create_supplier(
            actor, code="XD", name="北京鲜达食品有限公司", email="orders@xianda.example"
        )

    @property
    def noodles(self) -> MenuItem:
        return self.kitchen.noodles

    def item(self, name: str) -> Item:
        return getattr(self.kitchen, name)

    def sell(
        self, location: Location, days: dict[dt.date, dict[str, int]], covers: int = 2
    ) -> None:
        """One ticket per day at a location with {pos code: quantity} lines."""
        tickets = [
            {
                "source": SOURCE,
                "external_id": f"T{next(_numbers)}",
                "location_id": location.pk,
                "closed_at": noon(day).isoformat(),
                "channel": "dine_in",
                "covers": covers,
                "lines": [
                    {"pos_code": code, "quantity": str(qty), "unit_price": "20.00"}
                    for code, qty in lines.items()
                    if qty
                ],
            }
            for day, lines in days.items()
        ]
        for start in range(0, len(tickets), 400):
            result = ingest_tickets(self.world.actor, tickets[start : start + 400])
            refused = [o for o in result.outcomes if o.errors]
            assert not refused, refused[0].errors

    def weekly_history(
        self, location: Location, weeks: int, weekday: int = 10, weekend: int = 16
    ) -> None:
        """Noodles every day of the last `weeks` weeks: `weekday` a day, `weekend` on Sat/Sun;
        eggs half as many."""
        days = {}
        for n in range(1, weeks * 7 + 1):
            day = self.today - dt.timedelta(days=n)
            qty = weekend if day.weekday() >= 5 else weekday
            days[day] = {"NOODLE": qty, "EGGS": qty // 2}
        self.sell(location, days)

    def flat_history(
        self, location: Location, *, days: int, noodles: int, eggs: int, skip: int = 0
    ) -> None:
        """The same sales every day for `days` days, ending `skip` days before yesterday."""
        self.sell(
            location,
            {
                self.today - dt.timedelta(days=n): {"NOODLE": noodles, "EGGS": eggs}
                for n in range(1 + skip, days + skip + 1)
            },
        )

    def stock(self, location: Location, item: Item, quantity: Any, **lot: Any) -> None:
        """Bring an item's stock at a location to `quantity` (sales may have taken it below
        zero), in a lot when expiry is given."""
        held = (
            ItemBalance.objects.filter(location=location, item=item)
            .values_list("quantity", flat=True)
            .first()
        ) or Decimal(0)
        new_lot = None
        if "expiry" in lot:
            new_lot = LotSpec(code=lot.get("code", "L1"), expiry_date=lot["expiry"])
        specs = []
        if held < 0 and new_lot is not None:
            specs.append(
                MoveSpec(location.pk, item.pk, -held, "receipt", unit_cost=Decimal("0.01"))
            )
            held = Decimal(0)
        specs.append(
            MoveSpec(
                location.pk,
                item.pk,
                Decimal(str(quantity)) - held,
                "receipt",
                new_lot=new_lot,
                unit_cost=Decimal("0.01"),
            )
        )
        post_moves(self.world.actor, specs, source_type="test", source_id="stock")

    def supplier_item(
        self, item: Item, *, code: str, size: Any, unit: str, price: str, moq: Any = 0
    ) -> SupplierItem:
        si = purchasing.create_supplier_item(
            self.world.actor,
            self.supplier,
            item_id=item.pk,
            supplier_code=code,
            pack_code="CTN",
            pack_size=size,
            pack_unit=unit,
            price=price,
            moq=Decimal(str(moq)),
            valid_from=PRICES_FROM,
        )
        purchasing.set_preferred_supplier(self.world.actor, supplier_item_id=si.pk)
        return si

    def deliveries(
        self,
        location: Location,
        weekdays: list[int],
        *,
        cutoff: str = "14:00",
        lead: int = 1,
        minimum: Any = 0,
    ) -> None:
        purchasing.set_delivery_terms(
            self.world.actor,
            self.supplier,
            location_id=location.pk,
            delivery_weekdays=weekdays,
            cutoff_time=cutoff,
            lead_time_days=lead,
            min_order_value=minimum,
        )

    def morning(self, hour: int = 9) -> dt.datetime:
        """Today at a local hour, aware."""
        zone = timezone.get_default_timezone()
        return dt.datetime.combine(self.today, dt.time(hour, 0), zone)


@pytest.fixture
def plan(world: World) -> Plan:
    return Plan(world)
