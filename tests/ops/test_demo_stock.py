"""The small demo chain's catalog and opening stock: exact packs, stock equal to its moves.

One load serves every test here (inside a transaction rolled back when the module ends);
each test reads it and changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test.utils import override_settings

from boh.catalog.models import Item, Pack, StockLevel
from boh.catalog.units import convert_quantity, is_standard_unit_name, standard_unit
from boh.demo import services as demo
from boh.demo.chain import DemoChain
from boh.demo.data import catalog as catalog_data
from boh.demo.loaders.stock import counting_step
from boh.demo.scope import SMALL_DISHES, SMALL_STORES, items_for
from boh.inventory.models import Balance, ItemBalance, Lot, MoveKind, StockMove
from boh.org.models import Location
from boh.purchasing.models import SupplierItem, SupplierPrice


@pytest.fixture(scope="module")
def small_chain(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoChain]:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield demo.load_demo_chain(size="small", days=0)
        transaction.set_rollback(True)


def small_items() -> list[catalog_data.ItemRow]:
    codes = items_for(SMALL_DISHES)
    return [row for row in catalog_data.ITEMS if row.code in codes]


@pytest.mark.django_db
def test_given_a_small_chain_when_loaded_then_packs_convert_exactly(small_chain: DemoChain) -> None:
    packs = {(p.item.code, p.code): p for p in Pack.objects.select_related("item")}
    for row in small_items():
        sizes: dict[str, Fraction] = {}
        for code, _name, _en, quantity, unit in row.packs:
            std = standard_unit(unit)
            inner = Fraction(std.factor) if std else sizes[unit]
            sizes[code] = Fraction(quantity) * inner
            pack = packs[(row.code, code)]
            assert not is_standard_unit_name(pack.code)
            item = pack.item
            to_base = convert_quantity(item, Decimal(1), pack.code, item.base_unit)
            assert to_base.exact == sizes[code], (row.code, code)
            back = convert_quantity(item, pack.factor, item.base_unit, pack.code)
            assert back.exact == 1
    coke = packs[("SD01", "case")]
    assert (coke.factor, coke.inner_pack.code if coke.inner_pack else None) == (
        Decimal("7920.000000"),
        "can",
    )
    assert coke.inner_count == Decimal("24.000000")


@pytest.mark.django_db
def test_given_a_small_chain_when_loaded_then_opening_stock_equals_the_posted_moves(
    small_chain: DemoChain,
) -> None:
    moves: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    values: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for move in StockMove.objects.all():
        assert move.kind == MoveKind.OPENING
        moves[(move.location_id, move.item_id)] += move.quantity
        values[(move.location_id, move.item_id)] += move.value
    balances = {
        (b.location_id, b.item_id): (b.quantity, b.value) for b in ItemBalance.objects.all()
    }
    assert balances == {key: (moves[key], values[key]) for key in moves}
    levels = set(StockLevel.objects.values_list("location_id", "item_id"))
    assert set(moves) == levels
    stocked = set(
        Location.objects.filter(pk__in={k[0] for k in moves}).values_list("code", flat=True)
    )
    assert stocked == {*SMALL_STORES, "CK01", "WH01"}
    for (_location, item_id), quantity in moves.items():
        item = Item.objects.get(pk=item_id)
        step = counting_step(small_chain, item)
        assert quantity > 0 and quantity % step == 0, item.code
    lot_balances = Balance.objects.filter(item__lot_tracked=True)
    assert lot_balances.exists()
    assert not lot_balances.filter(lot__isnull=True).exists()
    assert not Lot.objects.filter(expiry_date__isnull=True).exists()


@pytest.mark.django_db
def test_given_supplier_prices_when_opening_stock_is_posted_then_it_is_valued_at_them(
    small_chain: DemoChain,
) -> None:
    sh01 = Location.objects.get(code="SH01")
    beef = Item.objects.get(code="BF01")
    move = StockMove.objects.get(location=sh01, item=beef, kind=MoveKind.OPENING)
    supplier_item = SupplierItem.objects.get(supplier__code="MEAT01", item=beef)
    price = SupplierPrice.objects.filter(supplier_item=supplier_item).order_by("-valid_from")[0]
    assert supplier_item.pack_factor == Decimal("10000.000000")
    assert price.price == Decimal("680.000000")
    assert move.unit_cost == Decimal("0.068000")
    assert move.lot is not None and move.lot.supplier_id == supplier_item.supplier_id
    history = list(
        SupplierPrice.objects.filter(supplier_item=supplier_item)
        .order_by("valid_from")
        .values_list("price", flat=True)
    )
    assert history == [Decimal("639.200000"), Decimal("659.600000"), Decimal("680.000000")]
    totals = StockMove.objects.aggregate(q=Sum("quantity"))
    assert totals["q"] == ItemBalance.objects.aggregate(q=Sum("quantity"))["q"]
