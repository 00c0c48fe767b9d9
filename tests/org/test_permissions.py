"""Who may do what: roles refuse with 403, scopes hide locations out of reach."""

from __future__ import annotations

from typing import Any

import pytest

from boh.org.models import ApiKey, Region
from tests.conftest import PASSWORD, ApiClient, World, session_api


def test_given_store_staff_when_managing_users_then_403_and_nothing_is_written(
    world: World,
) -> None:
    staff = session_api(world.user("store_staff", location_id=world.store_a.pk))

    listed = staff.get("/org/users")
    created = staff.post(
        "/org/users", {"username": "sneaky", "password": PASSWORD, "role": "owner"}
    )
    granted = staff.post("/org/role-grants", {"user_id": world.owner.pk, "role": "finance"})

    for response in (listed, created, granted):
        assert response.status_code == 403
        assert response.json() == {
            "code": "permission_denied",
            "message": response.json()["message"],
            "fields": [],
        }
    assert not world.org.memberships.filter(role="finance").exists()


def test_given_a_region_scoped_supervisor_when_listing_locations_then_only_that_region(
    world: World,
) -> None:
    supervisor = session_api(world.user("area_supervisor", region_id=world.north.pk))

    response = supervisor.get("/org/locations")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [loc["code"] for loc in response.json()["items"]] == ["A01"]


def test_given_a_region_scoped_key_when_reading_a_location_outside_then_404(
    world: World,
) -> None:
    key = ApiClient(world.api_key("area_supervisor", region_id=world.north.pk))

    inside = key.get(f"/org/locations/{world.store_a.pk}")
    outside = key.get(f"/org/locations/{world.store_b.pk}")

    assert inside.status_code == 200
    assert outside.status_code == 404
    assert outside.json()["fields"] == []


def test_given_a_location_scoped_manager_when_changing_a_location_then_403(
    world: World,
) -> None:
    manager = session_api(world.user("store_manager", location_id=world.store_a.pk))

    response = manager.patch(f"/org/locations/{world.store_a.pk}", {"name": "改名"})

    assert response.status_code == 403
    world.store_a.refresh_from_db()
    assert world.store_a.name == "A店"


OWNER_ONLY: list[tuple[str, str, Any]] = [
    ("post", "/org/regions", {"code": "X", "name": "x"}),
    ("patch", "/org/organization", {"name": "改"}),
    ("post", "/org/api-keys", {"name": "k", "role": "auditor"}),
    ("get", "/org/api-keys", None),
    ("get", "/org/users", None),
]


@pytest.mark.parametrize(
    "role",
    [
        "finance",
        "purchasing",
        "operations",
        "area_supervisor",
        "store_manager",
        "store_staff",
        "auditor",
        "integration",
    ],
)
def test_given_any_role_but_owner_when_managing_the_organization_then_403(
    world: World, role: str
) -> None:
    key = ApiClient(world.api_key(role))
    regions_before = Region.objects.count()
    keys_before = ApiKey.objects.count()

    statuses = [
        getattr(key, method)(path, body).status_code
        if body is not None
        else getattr(key, method)(path).status_code
        for method, path, body in OWNER_ONLY
    ]

    assert statuses == [403] * len(OWNER_ONLY)
    assert (Region.objects.count(), ApiKey.objects.count()) == (regions_before, keys_before)
    world.org.refresh_from_db()
    assert world.org.name == "acme 餐饮集团"


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("auditor", 200), ("finance", 200), ("store_manager", 403)],
)
def test_given_a_role_when_reading_the_audit_trail_then_only_audit_roles_may(
    world: World, role: str, status: int
) -> None:
    scope = {"location_id": world.store_a.pk} if role == "store_manager" else {}
    caller = session_api(world.user(role, **scope))

    response = caller.get("/org/audit")

    assert response.status_code == status


def test_given_a_read_role_when_reading_a_role_grant_target_then_403_not_404(
    world: World,
) -> None:
    grant = world.org.memberships.get(user=world.owner)
    auditor = ApiClient(world.api_key("auditor"))

    response = auditor.delete(f"/org/role-grants/{grant.pk}")

    assert response.status_code == 403
    assert world.org.memberships.filter(pk=grant.pk).exists()
