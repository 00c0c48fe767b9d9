"""Agreed prices of many supplier items and dates in one call, as set_price one after another."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from boh.core.errors import BohError
from boh.core.models import AuditEntry
from boh.purchasing import selectors, services
from boh.purchasing.models import SupplierPrice
from tests.conftest import World
from tests.purchasing.conftest import PRICES_FROM, Buying


def test_given_a_price_history_when_agreed_at_once_then_each_price_runs_until_the_next(
    world: World, buying: Buying
) -> None:
    march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)

    rows = services.set_prices(
        world.actor,
        prices=[
            {"supplier_item_id": buying.lettuce_si.pk, "price": "34.00", "valid_from": april},
            {
                "supplier_item_id": buying.lettuce_si.pk,
                "price": "3.20",
                "unit": "斤",
                "valid_from": march,
            },
            {"supplier_item_id": buying.oil_si.pk, "price": "250.00", "valid_from": "2026-03-01"},
        ],
    )

    assert len(rows) == 3
    assert list(
        selectors.price_history(buying.lettuce_si).values_list("price", "valid_from", "valid_to")
    ) == [
        (Decimal("34.000000"), april, None),
        (Decimal("32.000000"), march, dt.date(2026, 3, 31)),
        (Decimal("30.000000"), PRICES_FROM, dt.date(2026, 2, 28)),
    ]
    assert selectors.agreed_prices([buying.oil_si.pk], march) == {
        buying.oil_si.pk: Decimal("250.000000")
    }
    created = AuditEntry.objects.filter(object_type="purchasing.supplierprice", action="create")
    assert created.count() == 3 + 3  # the three new ones and the three the fixture agreed


def test_given_one_bad_price_when_agreed_at_once_then_it_is_named_and_nothing_is_written(
    world: World, buying: Buying
) -> None:
    before = SupplierPrice.objects.count()

    with pytest.raises(BohError) as refused:
        services.set_prices(
            world.actor,
            prices=[
                {
                    "supplier_item_id": buying.oil_si.pk,
                    "price": "250.00",
                    "valid_from": "2026-03-01",
                },
                {
                    "supplier_item_id": buying.lettuce_si.pk,
                    "price": "-1",
                    "valid_from": "2026-03-01",
                },
                {"supplier_item_id": buying.beef_si.pk, "price": "900", "valid_from": PRICES_FROM},
                {"supplier_item_id": 0, "price": "1", "valid_from": "2026-03-01"},
            ],
        )

    assert [(f.field, f.code) for f in refused.value.fields] == [
        ("prices[1].price", "too_small"),
        ("prices[2].valid_from", "price_exists"),
        ("prices[3].supplier_item_id", "not_found"),
    ]
    assert SupplierPrice.objects.count() == before
