"""Test data for inventory documents, built through the catalog and ledger services.

Holds no tests: the document test modules import `Kitchen`, and the `kitchen` and
autouse `english` fixtures (as kitchen_fixture and english_fixture).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db.models import Model
from django.utils import timezone, translation

from boh.catalog import services as catalog
from boh.catalog.models import Category, Item, StorageArea
from boh.core.models import AuditEntry
from boh.inventory.documents.models import (
    Stocktake,
    StocktakeLine,
    Transfer,
    TransferLine,
    TransferShipment,
    WasteEntry,
)
from boh.inventory.models import Balance, Lot, MoveKind, StockMove
from boh.inventory.services import LotSpec, MoveSpec, post_moves
from boh.org.models import Location
from tests.conftest import World

D = Decimal


class Kitchen:
    """Beer (ml, bottle = 500 ml, case = 12 bottle) and lot-tracked beef (g) in a world.

    The central kitchen holds 24,000 ml of beer at 0.02 a ml and two lots of beef:
    B1 (3,000 g at 0.08, expiring in 3 days) and B2 (5,000 g at 0.10, in 10 days), so
    beef's moving-average cost there is 740 / 8,000 = 0.0925 a gram.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        actor = world.actor
        self.drinks: Category = catalog.create_category(actor, code="DRINK", name="酒水")
        self.meat: Category = catalog.create_category(actor, code="MEAT", name="肉类")
        self.beer: Item = catalog.create_item(
            actor, code="BEER", name="啤酒", base_unit="ml", category_id=self.drinks.pk
        )
        catalog.create_pack(actor, self.beer, code="bottle", name="瓶", quantity=500, unit="ml")
        catalog.create_pack(actor, self.beer, code="case", name="箱", quantity=12, unit="bottle")
        catalog.add_barcode(actor, self.beer, code="6901234567892")
        self.beef: Item = catalog.create_item(
            actor,
            code="BEEF",
            name="牛肉",
            base_unit="g",
            category_id=self.meat.pk,
            lot_tracked=True,
        )
        today = timezone.localdate()
        self.today = today
        receipt = post_moves(
            actor,
            [
                self.receipt(world.kitchen, self.beer, "24000", "0.02"),
                self.receipt(
                    world.kitchen, self.beef, "3000", "0.08", LotSpec("B1", today + dt.timedelta(3))
                ),
                self.receipt(
                    world.kitchen,
                    self.beef,
                    "5000",
                    "0.10",
                    LotSpec("B2", today + dt.timedelta(10)),
                ),
            ],
            source_type="test",
            source_id="opening",
        )
        self.b1: Lot = Lot.objects.get(pk=receipt.moves[1].lot_id)
        self.b2: Lot = Lot.objects.get(pk=receipt.moves[2].lot_id)

    @staticmethod
    def receipt(
        location: Location, item: Item, qty: str, cost: str, lot: LotSpec | None = None
    ) -> MoveSpec:
        return MoveSpec(
            location_id=location.pk,
            item_id=item.pk,
            quantity=D(qty),
            kind=MoveKind.RECEIPT,
            unit_cost=D(cost),
            new_lot=lot,
        )

    def area(self, location: Location, code: str, sort_order: int) -> StorageArea:
        return catalog.create_storage_area(
            self.world.actor, location_id=location.pk, code=code, name=code, sort_order=sort_order
        )


def on_hand(location: Location, item: Item, lot: Lot | None = None) -> Decimal:
    """Quantity in the balance row of (location, item, lot)."""
    row = Balance.objects.filter(location=location, item=item, lot_key=lot.pk if lot else 0).first()
    return row.quantity if row else D(0)


def moves_of(source_type: str, source_id: object) -> list[tuple[str, int, int | None, str, str]]:
    """(kind, location, lot, quantity, value) of a document's moves, in posting order."""
    return [
        (m.kind, m.location_id, m.lot_id, str(m.quantity), str(m.value))
        for m in StockMove.objects.filter(source_type=source_type, source_id=str(source_id))
        .exclude(kind=MoveKind.REVALUATION)
        .order_by("id")
    ]


TABLES: tuple[type[Model], ...] = (
    Transfer,
    TransferLine,
    TransferShipment,
    WasteEntry,
    Stocktake,
    StocktakeLine,
    StockMove,
    Balance,
    AuditEntry,
)


def row_counts() -> dict[str, int]:
    """Rows in every table a document writes, to prove a refusal wrote nothing."""
    counts = {model.__name__: model.objects.count() for model in TABLES}
    counts["counted"] = StocktakeLine.objects.filter(counted_quantity__isnull=False).count()
    return counts


@pytest.fixture(name="kitchen")
def kitchen_fixture(world: World) -> Kitchen:
    return Kitchen(world)


@pytest.fixture(name="english", autouse=True)
def english_fixture() -> Iterator[None]:
    with translation.override("en"):
        yield
