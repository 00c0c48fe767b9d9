"""Sales test data: the menu's kitchen, POS codes for it, stock on hand, and ticket builders."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from boh.catalog.models import Item
from boh.inventory.services import MoveSpec, post_moves
from boh.menu import services as menu
from boh.menu.models import MenuItem, ModifierOption
from boh.org.models import Location
from tests.conftest import World
from tests.menu.conftest import JAN1, Kitchen, line

__all__ = ["JAN1", "Kitchen", "line"]

SOURCE = "pos1"
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


class Shop:
    """The kitchen's menu with POS codes of source "pos1", and stock at store A."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.kitchen = Kitchen(world)
        self.size, self.extras, self.options = self.kitchen.options()
        self.eggs, self.combo = self.kitchen.set_meal()
        actor = world.actor
        for code, menu_item in (
            ("NOODLE", self.kitchen.noodles),
            ("EGGS", self.eggs),
            ("SET1", self.combo),
        ):
            menu.create_pos_code(actor, source=SOURCE, code=code, menu_item_id=menu_item.pk)
        for code, option in (("LARGE", "large"), ("ADDBEEF", "beef"), ("NOCORI", "no_coriander")):
            menu.create_pos_code(actor, source=SOURCE, code=code, option_id=self.options[option].pk)

    @property
    def noodles(self) -> MenuItem:
        return self.kitchen.noodles

    def option(self, name: str) -> ModifierOption:
        return self.options[name]

    def stock(self, location: Location, when: dt.datetime, **quantities: Any) -> None:
        """Receive stock of kitchen items (by attribute name) at a unit cost of 0.01 each."""
        specs = [
            MoveSpec(
                location_id=location.pk,
                item_id=getattr(self.kitchen, name).pk,
                quantity=Decimal(str(quantity)),
                kind="receipt",
                unit_cost=Decimal("0.01"),
                happened_at=when,
            )
            for name, quantity in quantities.items()
        ]
        post_moves(self.world.actor, specs, source_type="test", source_id="stock")

    def item(self, name: str) -> Item:
        return getattr(self.kitchen, name)


@pytest.fixture
def shop(world: World) -> Shop:
    return Shop(world)


def days_ago(days: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment `days` days before today at a local (Asia/Shanghai) hour, as aware UTC."""
    zone = timezone.get_default_timezone()
    today = timezone.now().astimezone(zone).date()
    local = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(hour, minute), zone)
    return local.astimezone(dt.UTC)


def sale(
    pos_code: str = "NOODLE", quantity: Any = 1, price: Any = "28.00", **extra: Any
) -> dict[str, Any]:
    return {"pos_code": pos_code, "quantity": str(quantity), "unit_price": str(price), **extra}


def ticket(
    location: Location,
    *lines: dict[str, Any],
    external_id: str | None = None,
    closed_at: dt.datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A ticket of source pos1 at a location, closed yesterday at noon unless told."""
    return {
        "source": SOURCE,
        "external_id": external_id or f"T{next(_numbers)}",
        "location_id": location.pk,
        "closed_at": (closed_at or days_ago(1)).isoformat(),
        "channel": "dine_in",
        "covers": 2,
        "lines": list(lines) or [sale()],
        **extra,
    }
