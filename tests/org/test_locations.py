"""Locations: validation names the field at fault, duplicates conflict, nothing half-written."""

from __future__ import annotations

from typing import Any

import pytest

from boh.core.errors import BohError
from boh.core.models import AuditEntry, DomainEvent
from boh.org import services
from boh.org.models import Location
from tests.conftest import ApiClient, World


def _fields(response: Any) -> list[tuple[str, str]]:
    return [(f["field"], f["code"]) for f in response.json()["fields"]]


def test_given_valid_values_when_opening_a_location_then_it_is_stored_audited_and_announced(
    world: World, owner_api: ApiClient
) -> None:
    # when
    response = owner_api.post(
        "/org/locations",
        {
            "code": "HP-01",
            "name": "火锅一店",
            "kind": "store",
            "region_id": world.south.pk,
            "time_zone": "Asia/Chongqing",
            "day_cutoff_hour": 2,
        },
    )

    # then
    assert response.status_code == 201
    body = response.json()
    location = Location.objects.get(pk=body["id"])
    assert body == {
        "id": location.pk,
        "code": "HP-01",
        "name": "火锅一店",
        "name_en": "",
        "kind": "store",
        "region_id": world.south.pk,
        "address": "",
        "time_zone": "Asia/Chongqing",
        "currency": "CNY",
        "day_cutoff_hour": 2,
        "is_active": True,
    }
    entry = AuditEntry.objects.get(object_type="org.location", object_id=str(location.pk))
    assert entry.action == "create"
    assert entry.actor_user_id == world.owner.pk
    assert entry.ip == "127.0.0.1"
    assert entry.changes["day_cutoff_hour"] == [None, 2]
    event = DomainEvent.objects.get(name="org.location_created", payload__location_id=location.pk)
    assert event.payload == {"location_id": location.pk, "kind": "store"}
    assert event.organization_id == world.org.pk


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"code": "A 01"}, "code", "invalid_code"),
        ({"code": "-A01"}, "code", "invalid_code"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "invalid_time_zone"),
        ({"day_cutoff_hour": 13}, "day_cutoff_hour", "less_than_equal"),
        ({"day_cutoff_hour": -1}, "day_cutoff_hour", "greater_than_equal"),
        ({"kind": "food_truck"}, "kind", "invalid_choice"),
        ({"currency": "C1Y"}, "currency", "invalid_currency"),
        ({"name": "   "}, "name", "required"),
    ],
)
def test_given_one_bad_value_when_opening_a_location_then_400_names_that_field(
    world: World, owner_api: ApiClient, change: dict[str, Any], field: str, code: str
) -> None:
    locations_before, audit_before = Location.objects.count(), AuditEntry.objects.count()

    response = owner_api.post("/org/locations", {"code": "N01", "name": "新店", **change})

    assert response.status_code == 400
    assert _fields(response) == [(field, code)]
    assert Location.objects.count() == locations_before
    assert AuditEntry.objects.count() == audit_before


def test_given_several_bad_values_when_calling_the_service_then_every_field_is_named(
    world: World,
) -> None:
    with pytest.raises(BohError) as refused:
        services.create_location(
            world.actor, code="bad code", name="x", time_zone="Nowhere/City", day_cutoff_hour=13
        )

    assert refused.value.status == 400
    assert refused.value.code == "invalid"
    assert [(f.field, f.code) for f in refused.value.fields] == [
        ("code", "invalid_code"),
        ("time_zone", "invalid_time_zone"),
        ("day_cutoff_hour", "out_of_range"),
    ]


def test_given_a_taken_code_in_any_case_when_opening_a_location_then_409_names_code(
    world: World, owner_api: ApiClient
) -> None:
    response = owner_api.post("/org/locations", {"code": "a01", "name": "重复"})

    assert response.status_code == 409
    assert response.json() == {
        "code": "duplicate_code",
        "message": response.json()["message"],
        "fields": [
            {"field": "code", "code": "duplicate_code", "message": response.json()["message"]}
        ],
    }
    assert Location.objects.filter(organization=world.org).count() == 3


def test_given_a_code_taken_in_another_organization_then_it_is_free_here(
    world: World, other_world: World
) -> None:
    location = services.create_location(other_world.actor, code="HP-01", name="对手店")
    mine = services.create_location(world.actor, code="HP-01", name="我的店")

    assert (location.organization_id, mine.organization_id) == (
        other_world.org.pk,
        world.org.pk,
    )


def test_given_another_location_code_when_renaming_to_it_then_409(
    world: World, owner_api: ApiClient
) -> None:
    response = owner_api.patch(f"/org/locations/{world.store_a.pk}", {"code": "B01"})

    assert response.status_code == 409
    assert _fields(response) == [("code", "duplicate_code")]
    world.store_a.refresh_from_db()
    assert world.store_a.code == "A01"


def test_given_a_patch_when_changing_a_location_then_only_sent_fields_change_and_are_audited(
    world: World, owner_api: ApiClient
) -> None:
    response = owner_api.patch(
        f"/org/locations/{world.store_a.pk}", {"name": "A店（新）", "is_active": False}
    )

    assert response.status_code == 200
    world.store_a.refresh_from_db()
    assert (world.store_a.name, world.store_a.is_active, world.store_a.code) == (
        "A店（新）",
        False,
        "A01",
    )
    entry = AuditEntry.objects.get(object_type="org.location", action="update")
    assert entry.changes == {"is_active": [True, False], "name": ["A店", "A店（新）"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"is_active": None}, "is_active"),
        ({"name": None}, "name"),
        ({"time_zone": None}, "time_zone"),
        ({"day_cutoff_hour": None}, "day_cutoff_hour"),
    ],
)
def test_given_null_for_a_required_value_when_patching_then_400_and_nothing_changes(
    world: World, owner_api: ApiClient, change: dict[str, Any], field: str
) -> None:
    response = owner_api.patch(f"/org/locations/{world.store_a.pk}", change)

    assert response.status_code == 400
    assert [f for f, _code in _fields(response)] == [field]
    world.store_a.refresh_from_db()
    assert world.store_a.is_active is True
    assert world.store_a.name == "A店"


def test_given_a_region_of_another_organization_when_opening_a_location_then_400_not_found(
    world: World, other_world: World, owner_api: ApiClient
) -> None:
    response = owner_api.post(
        "/org/locations", {"code": "X01", "name": "x", "region_id": other_world.north.pk}
    )

    assert response.status_code == 400
    assert _fields(response) == [("region_id", "not_found")]
    assert not Location.objects.filter(code="X01").exists()


def test_given_kind_and_active_filters_when_listing_then_only_matching_locations(
    world: World, owner_api: ApiClient
) -> None:
    services.update_location(world.actor, world.store_b, is_active=False)

    kitchens = owner_api.get("/org/locations?kind=central_kitchen").json()
    active = owner_api.get("/org/locations?active=true").json()
    north = owner_api.get(f"/org/locations?region_id={world.north.pk}").json()

    assert [loc["code"] for loc in kitchens["items"]] == ["CK1"]
    assert [loc["code"] for loc in active["items"]] == ["A01", "CK1"]
    assert [loc["code"] for loc in north["items"]] == ["A01"]
