"""Catalog test data, built through the catalog's services."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from boh.catalog import services
from boh.catalog.models import Item
from tests.conftest import World


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English; the Chinese catalog is tested on its own."""
    with translation.override("en"):
        yield


@pytest.fixture
def wine(world: World) -> Item:
    """House red kept in ml: bottle = 750 ml, case = 12 bottle."""
    item = services.create_item(world.actor, code="WINE01", name="红酒", base_unit="ml")
    services.create_pack(world.actor, item, code="bottle", name="瓶", quantity=750, unit="ml")
    services.create_pack(world.actor, item, code="case", name="箱", quantity=12, unit="bottle")
    return item


@pytest.fixture
def flour(world: World) -> Item:
    """Flour kept in g: bag = 25 kg."""
    item = services.create_item(world.actor, code="FLOUR01", name="面粉", base_unit="g")
    services.create_pack(world.actor, item, code="bag", name="袋", quantity=25, unit="kg")
    return item
