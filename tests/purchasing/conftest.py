"""Purchasing test data, built through the catalog and purchasing services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from boh.catalog import services as catalog
from boh.catalog.models import Item
from boh.purchasing import services
from boh.purchasing.models import PurchaseOrder, Supplier, SupplierItem
from tests.conftest import World

SUPPLIER_TAX_ID = "91110000600037341L"
BUYER_TAX_ID = "911100001000080343"
OTHER_TAX_ID = "91350100M000100Y43"
PRICES_FROM = dt.date(2020, 1, 1)


class Buying:
    """Three items, one outside supplier selling them in packs, and a world to order in."""

    def __init__(self, world: World) -> None:
        self.world = world
        actor = world.actor
        self.beef: Item = catalog.create_item(
            actor,
            code="BEEF",
            name="肥牛卷",
            base_unit="g",
            storage="frozen",
            lot_tracked=True,
            shelf_life_days=180,
        )
        self.lettuce: Item = catalog.create_item(
            actor, code="LETTUCE", name="生菜", base_unit="g", storage="chilled"
        )
        self.oil: Item = catalog.create_item(actor, code="OIL", name="菜籽油", base_unit="ml")
        self.supplier: Supplier = services.create_supplier(
            actor,
            code="XD",
            name="北京鲜达食品有限公司",
            tax_id=SUPPLIER_TAX_ID,
            email="orders@xianda.example",
            payment_terms="month_end",
            payment_days=30,
        )
        # carton of 10 x 1 kg = 10,000 g at 850.00 a carton
        self.beef_si: SupplierItem = services.create_supplier_item(
            actor,
            self.supplier,
            item_id=self.beef.pk,
            supplier_code="XD-BEEF-10",
            pack_code="CTN",
            pack_count=10,
            pack_size=1,
            pack_unit="kg",
            price="850.00",
            valid_from=PRICES_FROM,
        )
        # crate of 5 kg at 30.00
        self.lettuce_si: SupplierItem = services.create_supplier_item(
            actor,
            self.supplier,
            item_id=self.lettuce.pk,
            supplier_code="XD-LET-5",
            pack_code="CRATE",
            pack_size=5,
            pack_unit="kg",
            price="30.00",
            valid_from=PRICES_FROM,
        )
        # case of 4 x 5 L = 20,000 ml at 260.00
        self.oil_si: SupplierItem = services.create_supplier_item(
            actor,
            self.supplier,
            item_id=self.oil.pk,
            supplier_code="XD-OIL-4x5",
            pack_code="CASE",
            pack_count=4,
            pack_size=5,
            pack_unit="l",
            price="260.00",
            valid_from=PRICES_FROM,
        )

    def order(
        self, *lines: tuple[SupplierItem, str], location_id: int | None = None, **kw: Any
    ) -> PurchaseOrder:
        """A draft order for store A with (supplier item, packs) lines."""
        return services.create_order(
            self.world.actor,
            supplier_id=self.supplier.pk,
            location_id=location_id or self.world.store_a.pk,
            lines=[{"supplier_item_id": si.pk, "quantity": Decimal(q)} for si, q in lines],
            **kw,
        )

    def sent_order(
        self, *lines: tuple[SupplierItem, str], location_id: int | None = None
    ) -> PurchaseOrder:
        """An order submitted, approved by the owner and emailed to the supplier."""
        order = self.order(*lines, location_id=location_id)
        actor = self.world.actor
        order = services.submit_order(actor, order)
        order = services.approve_order(actor, order)
        return services.send_order(actor, order)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages in English so asserts read plainly; one test checks the Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def buying(world: World) -> Buying:
    return Buying(world)
