"""Planning objects for the tenant-isolation walk."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from boh.menu import services as menu
from boh.planning.services import calendar, replenishment
from tests.isolation import foreign
from tests.planning.worlds import planned

if TYPE_CHECKING:
    from tests.conftest import World


@foreign("run_id")
def _run(world: World) -> int:
    return planned(world).run.pk


@foreign("suggestion_id")
def _suggestion(world: World) -> int:
    return planned(world).suggestions[0].pk


@foreign("transfer_id")
def _transfer(world: World) -> int:
    return planned(world).transfers[0].pk


@foreign("event_id")
def _event(world: World) -> int:
    return calendar.create_event(
        world.actor,
        kind="promotion",
        name="周年庆",
        start_date=dt.date(2026, 5, 1),
        end_date=dt.date(2026, 5, 3),
        location_id=world.store_a.pk,
    ).pk


@foreign("sold_out_id")
def _sold_out(world: World) -> int:
    dish = menu.create_menu_item(world.actor, code="SOLD1", name="酸菜鱼")
    return calendar.mark_sold_out(
        world.actor, location_id=world.store_a.pk, menu_item_id=dish.pk, date=dt.date(2026, 3, 1)
    ).pk


@foreign("setting_id")
def _setting(world: World) -> int:
    return replenishment.create_setting(world.actor, service_level="97.5").pk
