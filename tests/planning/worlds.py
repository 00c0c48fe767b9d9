"""A small planned world built through the services: one dish sold for two weeks at store A,
a new store next to it with stock about to expire, weekly deliveries, and the planning chain
run once. Used by the isolation factories and the transfer test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from boh.catalog import services as catalog
from boh.catalog.models import Item
from boh.inventory.services import LotSpec, MoveSpec, post_moves
from boh.menu import services as menu
from boh.menu.selectors import business_today
from boh.org import services as org
from boh.org.models import Location
from boh.planning.forecast.pipeline import Settings
from boh.planning.models import ForecastRun, Suggestion, TransferSuggestion
from boh.planning.services.nightly import plan_organization
from boh.purchasing import services as purchasing
from boh.sales.services import ingest_tickets

if TYPE_CHECKING:
    from tests.conftest import World

QUICK = Settings(models=("weighted_mean",), backtest_origins=1)


@dataclass
class Planned:
    run: ForecastRun
    item: Item
    second_store: Location
    suggestions: list[Suggestion]
    transfers: list[TransferSuggestion]


def planned(world: World) -> Planned:
    """Build (once per world) and return the planned world."""
    cached = getattr(world, "_planned", None)
    if cached is not None:
        return cached
    actor = world.actor
    today = business_today(world.org)
    org.update_organization(actor, negative_stock="allow")
    tofu = catalog.create_item(actor, code="TOFU", name="豆腐", base_unit="g")
    dish = menu.create_menu_item(actor, code="MPDF", name="麻婆豆腐")
    menu.define_recipe(
        actor,
        menu_item_id=dish.pk,
        effective_from=today - dt.timedelta(days=60),
        lines=[{"item_id": tofu.pk, "quantity": Decimal(100), "unit": "g"}],
    )
    menu.create_pos_code(actor, source="pos1", code="MPDF", menu_item_id=dish.pk)
    zone = timezone.get_default_timezone()
    ingest_tickets(
        actor,
        [
            {
                "source": "pos1",
                "external_id": f"P{n}",
                "location_id": world.store_a.pk,
                "closed_at": dt.datetime.combine(today - dt.timedelta(days=n), dt.time(12), zone)
                .astimezone(dt.UTC)
                .isoformat(),
                "lines": [{"pos_code": "MPDF", "quantity": "5", "unit_price": "18.00"}],
            }
            for n in range(1, 15)
        ],
    )
    second = org.create_location(actor, code="A03", name="A三店", region_id=world.north.pk)
    supplier = purchasing.create_supplier(
        actor, code="DF", name="豆制品厂", email="orders@doufu.example"
    )
    supplier_item = purchasing.create_supplier_item(
        actor,
        supplier,
        item_id=tofu.pk,
        supplier_code="DF-5",
        pack_code="BOX",
        pack_size=5,
        pack_unit="kg",
        price="40.00",
        valid_from=dt.date(2020, 1, 1),
    )
    purchasing.set_preferred_supplier(actor, supplier_item_id=supplier_item.pk)
    delivery_day = (today + dt.timedelta(days=3)).weekday()
    for store in (world.store_a, second):
        purchasing.set_delivery_terms(
            actor,
            supplier,
            location_id=store.pk,
            delivery_weekdays=[delivery_day],
            cutoff_time="16:00",
        )
    # The new store holds 3 kg that expire in two days: it will use about 1.5 kg of them.
    post_moves(
        actor,
        [
            MoveSpec(
                second.pk,
                tofu.pk,
                Decimal(3000),
                "receipt",
                new_lot=LotSpec(code="DF-1", expiry_date=today + dt.timedelta(days=2)),
                unit_cost=Decimal("0.008"),
            )
        ],
        source_type="test",
        source_id="opening",
    )
    now = dt.datetime.combine(today, dt.time(9), zone)
    result = plan_organization(actor, horizon=14, today=today, now=now, settings=QUICK)
    built = Planned(result.run, tofu, second, result.suggestions, result.transfers)
    world._planned = built  # type: ignore[attr-defined]
    return built
