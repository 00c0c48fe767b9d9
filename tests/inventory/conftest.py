"""Stock ledger test data, built through the catalog's and the ledger's own services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from boh.catalog import services as catalog
from boh.catalog.models import Item
from boh.inventory.services import LotSpec, MoveSpec, PostResult, post_moves
from boh.org.access import Actor
from boh.org.models import Location
from tests.conftest import World


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


@dataclass
class Pantry:
    """Items of one organization: lot-tracked beef (g), oil (ml) and rice (g)."""

    world: World
    beef: Item
    oil: Item
    rice: Item

    @property
    def actor(self) -> Actor:
        return self.world.actor


def make_pantry(world: World) -> Pantry:
    meat = catalog.create_category(world.actor, code="MEAT", name="肉类", expiry_alert_days=2)
    beef = catalog.create_item(
        world.actor,
        code="BEEF",
        name="肥牛卷",
        base_unit="g",
        lot_tracked=True,
        category_id=meat.pk,
    )
    oil = catalog.create_item(world.actor, code="OIL", name="菜籽油", base_unit="ml")
    rice = catalog.create_item(world.actor, code="RICE", name="大米", base_unit="g")
    return Pantry(world, beef, oil, rice)


@pytest.fixture
def pantry(world: World) -> Pantry:
    return make_pantry(world)


def at(days_ago: float = 0, hour: int = 12) -> dt.datetime:
    """A business time `days_ago` days before now, at a fixed hour (UTC)."""
    base = timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0)
    if base > timezone.now():
        base -= dt.timedelta(days=1)
    return base - dt.timedelta(days=days_ago)


def receive(
    actor: Actor,
    location: Location,
    item: Item,
    quantity: str | int,
    unit_cost: str | int,
    *,
    lot: str | None = None,
    expiry: dt.date | None = None,
    when: dt.datetime | None = None,
    lot_id: int | None = None,
) -> PostResult:
    """Post one receipt; a lot code makes (or reuses) that lot."""
    spec = MoveSpec(
        location_id=location.pk,
        item_id=item.pk,
        quantity=Decimal(quantity),
        kind="receipt",
        unit_cost=Decimal(unit_cost),
        new_lot=LotSpec(code=lot, expiry_date=expiry) if lot else None,
        lot_id=lot_id,
        happened_at=when,
    )
    return post_moves(actor, [spec], source_type="po_receipt", source_id="R-test")


def issue(
    actor: Actor,
    location: Location,
    item: Item,
    quantity: str | int,
    *,
    kind: str = "sale_depletion",
    lot_id: int | None = None,
    when: dt.datetime | None = None,
) -> PostResult:
    """Post one issue of `quantity` (a positive number of base units)."""
    spec = MoveSpec(
        location_id=location.pk,
        item_id=item.pk,
        quantity=-Decimal(quantity),
        kind=kind,
        lot_id=lot_id,
        happened_at=when,
    )
    return post_moves(actor, [spec], source_type="pos_ticket", source_id="T-test")
