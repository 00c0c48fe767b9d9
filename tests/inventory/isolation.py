"""Stock ledger objects for the tenant-isolation walk."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from boh.catalog import services as catalog
from boh.inventory.services import LotSpec, MoveSpec, post_moves
from tests.isolation import foreign

if TYPE_CHECKING:
    from tests.conftest import World

_seq = itertools.count(1)


def _received(world: World) -> tuple[int, int]:
    n = next(_seq)
    item = catalog.create_item(
        world.actor, code=f"ISO-LOT-{n}", name="隔离批次", base_unit="g", lot_tracked=True
    )
    result = post_moves(
        world.actor,
        [
            MoveSpec(
                world.store_a.pk,
                item.pk,
                Decimal(10),
                "receipt",
                unit_cost=Decimal(1),
                new_lot=LotSpec(f"ISO-{n}", timezone.localdate() + dt.timedelta(days=5)),
            )
        ],
        source_type="test",
        source_id="isolation",
    )
    move = result.moves[0]
    assert move.lot_id is not None
    return move.pk, move.lot_id


@foreign("move_id")
def _move(world: World) -> int:
    return _received(world)[0]


@foreign("lot_id")
def _lot(world: World) -> int:
    return _received(world)[1]


from tests.inventory.docs_isolation import *  # noqa: E402,F403
