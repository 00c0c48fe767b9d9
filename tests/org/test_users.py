"""People and role grants: scopes reach the right locations, and the organization keeps an owner."""

from __future__ import annotations

import pytest

from boh.core.errors import BohError
from boh.core.models import AuditEntry
from boh.org import services
from boh.org.models import Membership, User
from boh.org.roles import Perm
from tests.conftest import PASSWORD, ApiClient, World


def test_given_a_region_grant_then_it_reaches_exactly_the_locations_of_that_region(
    world: World,
) -> None:
    # given a second store in N, and one in a sub-region of N
    north_2 = services.create_location(
        world.actor, code="A02", name="A二店", region_id=world.north.pk
    )
    city = services.create_region(world.actor, code="BJ", name="北京", parent_id=world.north.pk)
    beijing = services.create_location(world.actor, code="BJ1", name="北京店", region_id=city.pk)

    # when
    supervisor = world.actor_for(world.user("area_supervisor", region_id=world.north.pk))

    # then
    assert supervisor.reach(Perm.ORG_VIEW) == frozenset({world.store_a.pk, north_2.pk, beijing.pk})
    assert supervisor.can(Perm.STOCK_POST, world.store_a.pk) is True
    assert supervisor.can(Perm.STOCK_POST, world.store_b.pk) is False
    assert supervisor.can(Perm.STOCK_POST, world.kitchen.pk) is False
    assert supervisor.can(Perm.ORG_VIEW) is True
    assert supervisor.can(Perm.STOCK_POST) is False
    assert supervisor.reach(Perm.USERS_MANAGE) == frozenset()


def test_given_a_location_grant_then_it_reaches_that_location_only(world: World) -> None:
    staff = world.actor_for(world.user("store_staff", location_id=world.store_b.pk))

    assert staff.reach(Perm.STOCK_COUNT) == frozenset({world.store_b.pk})
    assert staff.can(Perm.STOCK_COUNT, world.store_b.pk) is True
    assert staff.can(Perm.STOCK_COUNT, world.store_a.pk) is False
    assert staff.can(Perm.STOCK_APPROVE, world.store_b.pk) is False


def test_given_two_grants_then_reach_is_their_union(world: World) -> None:
    user = world.user("store_manager", location_id=world.store_a.pk)
    services.grant_role(world.actor, user, role="store_manager", location_id=world.kitchen.pk)

    manager = world.actor_for(user)

    assert manager.reach(Perm.STOCK_APPROVE) == frozenset({world.store_a.pk, world.kitchen.pk})


def test_given_an_org_wide_grant_then_reach_is_every_location(world: World) -> None:
    finance = world.actor_for(world.user("finance"))

    assert finance.reach(Perm.AUDIT_VIEW) is None
    assert finance.can(Perm.AUDIT_VIEW) is True
    assert finance.can(Perm.STOCK_POST, world.store_a.pk) is False


def test_given_the_integration_role_when_creating_a_user_then_400_and_no_account(
    world: World,
) -> None:
    with pytest.raises(BohError) as refused:
        services.create_user(world.actor, username="pos-bot", password=PASSWORD, role="integration")

    assert refused.value.status == 400
    assert [(f.field, f.code) for f in refused.value.fields] == [("role", "api_only_role")]
    assert not User.objects.filter(username="pos-bot").exists()


def test_given_the_integration_role_when_granting_it_to_a_user_then_400_and_no_grant(
    world: World,
) -> None:
    user = world.user("store_staff", location_id=world.store_a.pk)

    with pytest.raises(BohError) as refused:
        services.grant_role(world.actor, user, role="integration")

    assert [(f.field, f.code) for f in refused.value.fields] == [("role", "api_only_role")]
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [
        "store_staff"
    ]


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"username": "has space"}, "username", "invalid_username"),
        ({"username": ""}, "username", "required"),
        ({"password": "123456"}, "password", "weak_password"),
        ({"email": "not-an-address"}, "email", "invalid_email"),
        ({"role": "chef"}, "role", "invalid_choice"),
        ({"language": "fr"}, "language", "invalid_choice"),
    ],
)
def test_given_a_bad_value_when_creating_a_user_then_400_names_the_field(
    world: World, values: dict[str, str], field: str, code: str
) -> None:
    users_before = User.objects.count()
    kwargs = {"username": "li.lei", "password": PASSWORD, "role": "store_staff", **values}

    with pytest.raises(BohError) as refused:
        services.create_user(world.actor, **kwargs)

    assert [(f.field, f.code) for f in refused.value.fields] == [(field, code)]
    assert User.objects.count() == users_before


def test_given_both_a_region_and_a_location_when_granting_then_400_invalid_scope(
    world: World,
) -> None:
    with pytest.raises(BohError) as refused:
        services.create_user(
            world.actor,
            username="li.lei",
            password=PASSWORD,
            role="store_manager",
            region_id=world.north.pk,
            location_id=world.store_a.pk,
        )

    assert [(f.field, f.code) for f in refused.value.fields] == [("location_id", "invalid_scope")]


def test_given_a_taken_username_in_another_case_when_creating_then_409(world: World) -> None:
    with pytest.raises(BohError) as refused:
        services.create_user(world.actor, username="ACME-OWNER", password=PASSWORD, role="finance")

    assert (refused.value.status, refused.value.code) == (409, "duplicate_username")
    assert [f.field for f in refused.value.fields] == ["username"]


def test_given_the_only_owner_when_revoking_their_grant_then_409_and_it_stays(
    world: World, owner_api: ApiClient
) -> None:
    grant = Membership.objects.get(user=world.owner, organization=world.org)

    response = owner_api.delete(f"/org/role-grants/{grant.pk}")

    assert response.status_code == 409
    assert response.json()["code"] == "last_owner"
    assert Membership.objects.filter(pk=grant.pk).exists()


def test_given_a_second_owner_when_revoking_the_first_then_it_goes_and_is_audited(
    world: World,
) -> None:
    second = world.user("owner")
    first_grant = Membership.objects.get(user=world.owner, organization=world.org)

    services.revoke_role(world.actor_for(second), first_grant)

    assert not Membership.objects.filter(pk=first_grant.pk).exists()
    entry = AuditEntry.objects.get(object_type="org.membership", action="delete")
    assert entry.actor_user_id == second.pk
    assert entry.changes["role"] == ["owner", None]
    assert entry.changes["user_id"] == [world.owner.pk, None]
    with pytest.raises(BohError) as refused:
        services.revoke_role(
            world.actor_for(second), Membership.objects.get(user=second, organization=world.org)
        )
    assert refused.value.code == "last_owner"


def test_given_a_region_scoped_owner_grant_when_revoking_the_org_wide_owner_then_409(
    world: World,
) -> None:
    regional = world.user("owner", region_id=world.north.pk)
    assert Membership.objects.filter(user=regional, role="owner").count() == 1

    with pytest.raises(BohError) as refused:
        services.revoke_role(
            world.actor, Membership.objects.get(user=world.owner, organization=world.org)
        )

    assert refused.value.code == "last_owner"


def test_given_the_api_when_creating_a_user_and_granting_a_role_then_both_exist(
    world: World, owner_api: ApiClient
) -> None:
    # when
    created = owner_api.post(
        "/org/users",
        {
            "username": "wang.fang",
            "password": PASSWORD,
            "display_name": "王芳",
            "role": "store_manager",
            "location_id": world.store_a.pk,
        },
    )
    user_id = created.json()["id"]
    granted = owner_api.post(
        "/org/role-grants",
        {"user_id": user_id, "role": "store_staff", "location_id": world.store_b.pk},
    )
    listed = owner_api.get(f"/org/role-grants?user_id={user_id}")

    # then
    assert created.status_code == 201
    assert created.json()["display_name"] == "王芳"
    assert "password" not in created.json()
    assert granted.status_code == 201
    assert [(g["role"], g["location_id"]) for g in listed.json()["items"]] == [
        ("store_manager", world.store_a.pk),
        ("store_staff", world.store_b.pk),
    ]
    user = User.objects.get(pk=user_id)
    assert user.check_password(PASSWORD) is True
    assert user.default_organization_id == world.org.pk
    entry = AuditEntry.objects.get(object_type="org.user", object_id=str(user_id))
    assert "password" not in entry.changes


def test_given_a_member_when_patching_then_fields_change_and_self_deactivation_is_refused(
    world: World, owner_api: ApiClient
) -> None:
    staff = world.user("store_staff", location_id=world.store_a.pk)

    changed = owner_api.patch(f"/org/users/{staff.pk}", {"email": "s@example.com"})
    null_flag = owner_api.patch(f"/org/users/{staff.pk}", {"is_active": None})
    myself = owner_api.patch(f"/org/users/{world.owner.pk}", {"is_active": False})

    assert changed.status_code == 200
    assert changed.json()["email"] == "s@example.com"
    assert null_flag.status_code == 400
    assert [f["field"] for f in null_flag.json()["fields"]] == ["is_active"]
    assert myself.status_code == 400
    assert [f["code"] for f in myself.json()["fields"]] == ["self_deactivate"]
    staff.refresh_from_db()
    world.owner.refresh_from_db()
    assert (staff.is_active, world.owner.is_active) == (True, True)


def test_given_a_user_when_changing_their_password_then_it_is_audited_as_them(
    world: World,
) -> None:
    services.change_password(
        world.owner, old_password=PASSWORD, new_password="Another-Kitchen-Pass-7"
    )

    world.owner.refresh_from_db()
    assert world.owner.check_password("Another-Kitchen-Pass-7") is True
    entry = AuditEntry.objects.get(verb="password_changed")
    assert (entry.actor_user_id, entry.actor_name) == (world.owner.pk, world.owner.username)
    assert entry.organization_id == world.org.pk
    assert entry.changes == {}
