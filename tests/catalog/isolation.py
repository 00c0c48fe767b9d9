"""Catalog objects for the tenant-isolation walk."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from boh.catalog import services
from boh.catalog.models import Item
from tests.isolation import foreign

if TYPE_CHECKING:
    from tests.conftest import World

_seq = itertools.count(1)


def _item(world: World) -> Item:
    n = next(_seq)
    return services.create_item(world.actor, code=f"ISO-{n}", name=f"隔离物料{n}", base_unit="ml")


@foreign("category_id")
def _category(world: World) -> int:
    return services.create_category(world.actor, code=f"ISO-C{next(_seq)}", name="隔离类别").pk


@foreign("item_id")
def _item_id(world: World) -> int:
    return _item(world).pk


@foreign("pack_id")
def _pack(world: World) -> int:
    item = _item(world)
    return services.create_pack(
        world.actor, item, code="bottle", name="瓶", quantity=750, unit="ml"
    ).pk


@foreign("barcode_id")
def _barcode(world: World) -> int:
    return services.add_barcode(world.actor, _item(world), code=f"ISO{next(_seq)}").pk


@foreign("area_id")
def _area(world: World) -> int:
    return services.create_storage_area(
        world.actor, location_id=world.store_a.pk, code=f"ISO{next(_seq)}", name="冷库"
    ).pk


@foreign("level_id")
def _level(world: World) -> int:
    return services.create_stock_level(
        world.actor, location_id=world.store_a.pk, item_id=_item(world).pk, par=1000
    ).pk
