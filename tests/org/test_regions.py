"""The region tree: create, move with its subtree, refuse cycles, refuse deleting what is used."""

from __future__ import annotations

import pytest

from boh.core.errors import BohError
from boh.core.models import AuditEntry
from boh.org import services
from boh.org.models import Region
from boh.org.roles import Perm
from tests.conftest import ApiClient, World


def test_given_a_parent_when_creating_a_region_then_path_and_depth_follow_the_parent(
    world: World,
) -> None:
    # given / when
    city = services.create_region(world.actor, code="BJ", name="北京", parent_id=world.north.pk)

    # then
    city.refresh_from_db()
    assert city.parent_id == world.north.pk
    assert city.path == f"/{world.north.pk}/{city.pk}/"
    assert city.depth == 1
    entry = AuditEntry.objects.get(object_type="org.region", object_id=str(city.pk))
    assert entry.action == "create"
    assert entry.actor_user_id == world.owner.pk
    assert entry.changes["code"] == [None, "BJ"]
    assert entry.changes["parent_id"] == [None, world.north.pk]


def test_given_a_subtree_when_moving_its_root_then_every_descendant_path_and_depth_follow(
    world: World,
) -> None:
    # given N > BJ > CY, and a store in CY
    city = services.create_region(world.actor, code="BJ", name="北京", parent_id=world.north.pk)
    district = services.create_region(world.actor, code="CY", name="朝阳", parent_id=city.pk)
    store = services.create_location(world.actor, code="CY1", name="朝阳店", region_id=district.pk)
    supervisor = world.user("area_supervisor", region_id=world.south.pk)
    assert world.actor_for(supervisor).reach(Perm.ORG_VIEW) == frozenset({world.store_b.pk})

    # when BJ moves under S
    services.update_region(world.actor, city, parent_id=world.south.pk)

    # then
    city.refresh_from_db()
    district.refresh_from_db()
    assert city.path == f"/{world.south.pk}/{city.pk}/"
    assert city.depth == 1
    assert district.path == f"/{world.south.pk}/{city.pk}/{district.pk}/"
    assert district.depth == 2
    reach = world.actor_for(supervisor).reach(Perm.ORG_VIEW)
    assert reach == frozenset({world.store_b.pk, store.pk})
    entry = AuditEntry.objects.filter(object_type="org.region", action="update").get()
    assert entry.object_id == str(city.pk)
    assert entry.changes["parent_id"] == [world.north.pk, world.south.pk]
    assert entry.changes["path"] == [
        f"/{world.north.pk}/{city.pk}/",
        f"/{world.south.pk}/{city.pk}/",
    ]


def test_given_a_sub_region_when_moving_to_the_top_then_it_becomes_a_root(world: World) -> None:
    city = services.create_region(world.actor, code="BJ", name="北京", parent_id=world.north.pk)

    services.update_region(world.actor, city, parent_id=None)

    city.refresh_from_db()
    assert (city.parent_id, city.path, city.depth) == (None, f"/{city.pk}/", 0)


@pytest.mark.parametrize("target", ["itself", "child", "grandchild"])
def test_given_a_region_when_moving_it_under_itself_or_a_descendant_then_it_is_refused(
    world: World, target: str
) -> None:
    # given N > BJ > CY
    city = services.create_region(world.actor, code="BJ", name="北京", parent_id=world.north.pk)
    district = services.create_region(world.actor, code="CY", name="朝阳", parent_id=city.pk)
    parent = {"itself": world.north, "child": city, "grandchild": district}[target]

    # when
    with pytest.raises(BohError) as refused:
        services.update_region(world.actor, world.north, parent_id=parent.pk)

    # then
    assert refused.value.status == 400
    assert refused.value.code == "region_cycle"
    assert [f.field for f in refused.value.fields] == ["parent_id"]
    world.north.refresh_from_db()
    assert (world.north.parent_id, world.north.path) == (None, f"/{world.north.pk}/")


def test_given_a_cycle_through_the_api_then_400_names_parent_id(
    world: World, owner_api: ApiClient
) -> None:
    city = services.create_region(world.actor, code="BJ", name="北京", parent_id=world.north.pk)

    response = owner_api.patch(f"/org/regions/{world.north.pk}", {"parent_id": city.pk})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "region_cycle"
    assert [(f["field"], f["code"]) for f in body["fields"]] == [("parent_id", "region_cycle")]


def test_given_the_depth_limit_when_nesting_deeper_then_it_is_refused(world: World) -> None:
    parent = world.north
    for depth in range(1, services.MAX_REGION_DEPTH):
        parent = services.create_region(
            world.actor, code=f"L{depth}", name="x", parent_id=parent.pk
        )
    assert parent.depth == services.MAX_REGION_DEPTH - 1

    with pytest.raises(BohError) as refused:
        services.create_region(world.actor, code="TOO", name="x", parent_id=parent.pk)

    assert refused.value.code == "region_too_deep"
    assert [f.field for f in refused.value.fields] == ["parent_id"]
    assert not Region.objects.filter(code="TOO").exists()


def test_given_a_deep_subtree_when_moving_it_lower_than_the_limit_then_it_is_refused(
    world: World,
) -> None:
    # given a chain of 10 under N and a chain of 11 under S
    north_leaf = world.north
    for depth in range(1, 11):
        north_leaf = services.create_region(
            world.actor, code=f"N{depth}", name="x", parent_id=north_leaf.pk
        )
    south_child = services.create_region(world.actor, code="S1", name="x", parent_id=world.south.pk)
    leaf = south_child
    for depth in range(2, 11):
        leaf = services.create_region(world.actor, code=f"S{depth}", name="x", parent_id=leaf.pk)

    # when S1 (height 9 below it) moves under the depth-10 leaf: its leaf would be at depth 20
    with pytest.raises(BohError) as refused:
        services.update_region(world.actor, south_child, parent_id=north_leaf.pk)

    # then
    assert refused.value.code == "region_too_deep"
    south_child.refresh_from_db()
    assert south_child.parent_id == world.south.pk


def test_given_a_taken_code_when_creating_a_region_then_409_names_code(world: World) -> None:
    with pytest.raises(BohError) as refused:
        services.create_region(world.actor, code="n", name="重复")

    assert (refused.value.status, refused.value.code) == (409, "duplicate_code")
    assert [f.field for f in refused.value.fields] == ["code"]
    assert Region.objects.filter(organization=world.org).count() == 2


@pytest.mark.parametrize("use", ["location", "sub_region", "role_grant", "api_key"])
def test_given_a_region_in_use_when_deleting_it_then_409_and_it_stays(
    world: World, use: str
) -> None:
    # given an otherwise empty region with one use
    region = services.create_region(world.actor, code="E", name="华东")
    if use == "location":
        services.create_location(world.actor, code="E01", name="E店", region_id=region.pk)
    elif use == "sub_region":
        services.create_region(world.actor, code="SH", name="上海", parent_id=region.pk)
    elif use == "role_grant":
        world.user("area_supervisor", region_id=region.pk)
    else:
        services.create_api_key(world.actor, name="pos", role="integration", region_id=region.pk)

    # when
    with pytest.raises(BohError) as refused:
        services.delete_region(world.actor, region)

    # then
    assert (refused.value.status, refused.value.code) == (409, "region_in_use")
    assert Region.objects.filter(pk=region.pk).exists()
    assert not AuditEntry.objects.filter(action="delete", object_type="org.region").exists()


def test_given_an_empty_region_when_deleting_it_through_the_api_then_204_and_audited(
    world: World, owner_api: ApiClient
) -> None:
    region = services.create_region(world.actor, code="E", name="华东")

    response = owner_api.delete(f"/org/regions/{region.pk}")

    assert response.status_code == 204
    assert not Region.objects.filter(pk=region.pk).exists()
    entry = AuditEntry.objects.get(action="delete", object_type="org.region")
    assert entry.object_id == str(region.pk)
    assert entry.changes["code"] == ["E", None]


def test_given_regions_when_listing_then_tree_order_and_filters_apply(
    world: World, owner_api: ApiClient
) -> None:
    city = services.create_region(world.actor, code="BJ", name="北京", parent_id=world.north.pk)

    everything = owner_api.get("/org/regions").json()
    children = owner_api.get(f"/org/regions?parent_id={world.north.pk}").json()
    by_word = owner_api.get("/org/regions?q=%E5%8C%97%E4%BA%AC").json()

    assert [r["code"] for r in everything["items"]] == ["N", "BJ", "S"]
    assert [r["depth"] for r in everything["items"]] == [0, 1, 0]
    assert [r["id"] for r in children["items"]] == [city.pk]
    assert [r["code"] for r in by_word["items"]] == ["BJ"]
