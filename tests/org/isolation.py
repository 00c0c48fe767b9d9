"""Org objects for the tenant-isolation walk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from boh.org import services
from boh.org.models import Membership
from tests.isolation import foreign

if TYPE_CHECKING:
    from tests.conftest import World


@foreign("region_id")
def _region(world: World) -> int:
    return world.north.pk


@foreign("location_id")
def _location(world: World) -> int:
    return world.store_a.pk


@foreign("user_id")
def _user(world: World) -> int:
    return world.user("store_staff", location_id=world.store_a.pk).pk


@foreign("grant_id")
def _grant(world: World) -> int:
    user = world.user("store_staff", location_id=world.store_b.pk)
    return Membership.objects.get(user=user).pk


@foreign("key_id")
def _key(world: World) -> int:
    key, _raw = services.create_api_key(world.actor, name="pos", role="integration")
    return key.pk
