"""Organization management pages: regions, locations, users, API keys, audit trail."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from boh.core.models import AuditEntry
from boh.org import services
from boh.org.models import ApiKey, Location, Membership, Region, User
from tests.conftest import World
from tests.web.conftest import SignIn

HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/org/regions/",
        "/org/regions/new/",
        "/org/locations/",
        "/org/locations/new/",
        "/org/users/",
        "/org/users/new/",
        "/org/api-keys/",
        "/org/api-keys/new/",
        "/org/audit/",
        "/password/",
    ],
)
def test_given_the_owner_when_opening_each_page_then_it_renders(
    world: World, signed_in: SignIn, path: str
) -> None:
    response = signed_in(world.owner).get(path)

    assert response.status_code == 200
    assert (response.templates[0].name or "").startswith("web/")


def test_given_the_owner_when_opening_the_edit_pages_then_they_render(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    for path in (
        f"/org/regions/{world.north.pk}/",
        f"/org/locations/{world.store_a.pk}/",
        f"/org/users/{world.owner.pk}/",
    ):
        assert client.get(path).status_code == 200, path


# Regions


def test_given_the_region_form_when_creating_a_sub_region_then_the_tree_has_it(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post(
        "/org/regions/new/",
        {"code": "BJ", "name": "北京", "name_en": "Beijing", "parent_id": world.north.pk},
    )

    assert response.status_code == 302
    region = Region.objects.get(organization=world.org, code="BJ")
    assert (region.name, region.parent_id, region.depth) == ("北京", world.north.pk, 1)
    assert region.path == f"/{world.north.pk}/{region.pk}/"
    assert "北京" in client.get("/org/regions/").content.decode()


def test_given_a_taken_code_when_creating_a_region_then_the_error_is_next_to_code(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post("/org/regions/new/", {"code": "N", "name": "又一个华北"})

    assert response.status_code == 409
    assert response.context["form"].errors == {"code": ["This code is already in use."]}
    assert Region.objects.filter(organization=world.org).count() == 2


def test_given_a_code_with_spaces_when_creating_a_region_then_the_service_error_shows(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post("/org/regions/new/", {"code": "bad code", "name": "x"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "code": ["Use letters, digits, '.', '_' and '-' only, starting with a letter or digit."]
    }
    html = response.content.decode()
    code_field = html[html.index('for="id_code"') : html.index('for="id_name"')]
    assert "Use letters, digits" in code_field


def test_given_a_region_when_moving_it_under_another_then_its_path_follows(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post(
        f"/org/regions/{world.south.pk}/",
        {"code": "S", "name": "华南", "name_en": "", "parent_id": world.north.pk},
    )

    assert response.status_code == 302
    world.south.refresh_from_db()
    assert world.south.parent_id == world.north.pk
    assert world.south.path == f"/{world.north.pk}/{world.south.pk}/"


def test_given_a_region_when_offering_parents_then_itself_and_its_subtree_are_left_out(
    world: World, signed_in: SignIn
) -> None:
    child = services.create_region(world.actor, code="BJ", name="北京", parent_id=world.north.pk)

    form = signed_in(world.owner).get(f"/org/regions/{world.north.pk}/").context["form"]

    offered = [value for value, _label in form.fields["parent_id"].choices]
    assert offered == ["", str(world.south.pk)]
    assert str(child.pk) not in offered


def test_given_an_empty_region_when_deleting_then_it_is_gone(
    world: World, signed_in: SignIn
) -> None:
    empty = services.create_region(world.actor, code="W", name="华西")

    response = signed_in(world.owner).post(f"/org/regions/{empty.pk}/delete/")

    assert response.status_code == 302
    assert not Region.objects.filter(pk=empty.pk).exists()


def test_given_a_region_with_locations_when_deleting_then_a_message_explains(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post(f"/org/regions/{world.north.pk}/delete/", follow=True)

    assert response.redirect_chain == [(f"/org/regions/{world.north.pk}/", 302)]
    assert "This region still has sub-regions, locations or role grants." in (
        response.content.decode()
    )
    assert Region.objects.filter(pk=world.north.pk).exists()


# Locations


def test_given_filters_when_listing_locations_then_only_matches_show(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    def codes(query: str) -> list[str]:
        page = client.get(f"/org/locations/?{query}").context["page_obj"]
        return [loc.code for loc in page]

    assert codes("") == ["A01", "B01", "CK1"]
    assert codes("kind=central_kitchen") == ["CK1"]
    assert codes(f"region={world.north.pk}") == ["A01"]
    assert codes("q=b0") == ["B01"]
    assert codes("status=inactive") == []


def test_given_htmx_filtering_when_listing_locations_then_only_the_table_comes_back(
    world: World, signed_in: SignIn
) -> None:
    response = signed_in(world.owner).get(
        "/org/locations/?q=CK", headers={**HTMX, "HX-Target": "location-table"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="location-table"')
    assert "CK1" in html
    assert "A01" not in html


def test_given_the_location_form_when_creating_then_the_service_stores_it(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post(
        "/org/locations/new/",
        {
            "code": "C01",
            "name": "C店",
            "name_en": "Store C",
            "kind": "store",
            "region_id": world.south.pk,
            "address": "深圳市南山区",
            "time_zone": "Asia/Shanghai",
            "currency": "cny",
            "day_cutoff_hour": "3",
        },
    )

    assert response.status_code == 302
    location = Location.objects.get(organization=world.org, code="C01")
    assert (location.region_id, location.currency, location.day_cutoff_hour) == (
        world.south.pk,
        "CNY",
        3,
    )
    assert (
        AuditEntry.objects.filter(object_type="org.location", object_id=str(location.pk)).count()
        == 1
    )


def test_given_a_bad_currency_when_creating_a_location_then_the_error_is_next_to_it(
    world: World, signed_in: SignIn
) -> None:
    response = signed_in(world.owner).post(
        "/org/locations/new/",
        {
            "code": "C01",
            "name": "C店",
            "kind": "store",
            "time_zone": "Asia/Shanghai",
            "currency": "1$",
            "day_cutoff_hour": "4",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"currency": ["Use a three-letter ISO 4217 code."]}
    assert not Location.objects.filter(code="C01").exists()


def test_given_a_location_when_editing_and_deactivating_then_both_are_saved(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)
    form = client.get(f"/org/locations/{world.store_a.pk}/").context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}

    edited = client.post(f"/org/locations/{world.store_a.pk}/", {**data, "name": "A店(旗舰)"})
    deactivated = client.post(f"/org/locations/{world.store_a.pk}/deactivate/")

    assert edited.status_code == 302
    assert deactivated.status_code == 302
    world.store_a.refresh_from_db()
    assert (world.store_a.name, world.store_a.is_active, world.store_a.code) == (
        "A店(旗舰)",
        False,
        "A01",
    )


# Users and role grants


def test_given_the_user_form_when_creating_then_the_account_has_its_first_role(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post(
        "/org/users/new/",
        {
            "username": "wang.li",
            "display_name": "王丽",
            "email": "wang@example.com",
            "language": "zh-hans",
            "password": "Store-Manager-2026",
            "role": "store_manager",
            "region_id": "",
            "location_id": world.store_a.pk,
        },
    )

    user = User.objects.get(username="wang.li")
    assert response.status_code == 302
    assert response["Location"] == f"/org/users/{user.pk}/"
    assert (user.display_name, user.language) == ("王丽", "zh-hans")
    assert list(Membership.objects.filter(user=user).values_list("role", "location_id")) == [
        ("store_manager", world.store_a.pk)
    ]


def test_given_a_region_and_a_location_when_creating_a_user_then_the_scope_error_shows(
    world: World, signed_in: SignIn
) -> None:
    response = signed_in(world.owner).post(
        "/org/users/new/",
        {
            "username": "wang.li",
            "password": "Store-Manager-2026",
            "role": "store_manager",
            "region_id": world.north.pk,
            "location_id": world.store_a.pk,
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "location_id": ["Grant a role for a region or for a location, not both."]
    }
    assert not User.objects.filter(username="wang.li").exists()


def test_given_a_member_when_editing_details_then_they_are_saved(
    world: World, signed_in: SignIn
) -> None:
    member = world.user("store_staff", location_id=world.store_a.pk)

    response = signed_in(world.owner).post(
        f"/org/users/{member.pk}/",
        {"display_name": "小张", "email": "", "language": "en", "is_active": "on"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.language, member.is_active) == ("小张", "en", True)


def test_given_a_member_when_granting_and_revoking_a_role_with_htmx_then_the_row_goes(
    world: World, signed_in: SignIn
) -> None:
    member = world.user("store_staff", location_id=world.store_a.pk)
    client = signed_in(world.owner)

    granted = client.post(
        f"/org/users/{member.pk}/grants/", {"role": "area_supervisor", "region_id": world.south.pk}
    )
    grant = Membership.objects.get(user=member, role="area_supervisor")
    revoked = client.post(
        f"/org/users/{member.pk}/grants/{grant.pk}/revoke/",
        headers={**HTMX, "HX-Target": f"grant-{grant.pk}"},
    )

    assert granted.status_code == 302
    assert grant.region_id == world.south.pk
    assert revoked.status_code == 200
    assert revoked.content == b""
    assert list(Membership.objects.filter(user=member).values_list("role", flat=True)) == [
        "store_staff"
    ]


def test_given_the_last_owner_when_revoking_with_htmx_then_the_refusal_goes_to_the_flash(
    world: World, signed_in: SignIn
) -> None:
    grant = Membership.objects.get(user=world.owner)

    response = signed_in(world.owner).post(
        f"/org/users/{world.owner.pk}/grants/{grant.pk}/revoke/",
        headers={**HTMX, "HX-Target": f"grant-{grant.pk}"},
    )

    assert response.status_code == 409
    assert response["HX-Retarget"] == "#flash"
    assert "The organization must keep at least one owner." in response.content.decode()
    assert Membership.objects.filter(pk=grant.pk).exists()


# API keys


def test_given_the_key_form_when_creating_then_the_raw_key_is_shown_once(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post(
        "/org/api-keys/new/", {"name": "POS 收银", "role": "integration", "location_id": ""}
    )

    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    raw = response.context["raw"]
    key = ApiKey.objects.get(organization=world.org, name="POS 收银")
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw in response.content.decode()
    assert raw not in client.get("/org/api-keys/").content.decode()


def test_given_an_owner_role_when_creating_a_key_then_the_choice_is_refused(
    world: World, signed_in: SignIn
) -> None:
    response = signed_in(world.owner).post("/org/api-keys/new/", {"name": "x", "role": "owner"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["role"]
    assert not ApiKey.objects.filter(name="x").exists()


def test_given_a_key_when_revoking_with_htmx_then_its_row_says_revoked(
    world: World, signed_in: SignIn
) -> None:
    key, _raw = services.create_api_key(world.actor, name="BI", role="auditor")

    response = signed_in(world.owner).post(
        f"/org/api-keys/{key.pk}/revoke/", headers={**HTMX, "HX-Target": f"api-key-{key.pk}"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="api-key-{key.pk}">')
    assert "Revoked" in html
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_given_a_key_when_revoking_with_a_plain_form_then_back_to_the_list(
    world: World, signed_in: SignIn
) -> None:
    key, _raw = services.create_api_key(world.actor, name="BI", role="auditor")

    response = signed_in(world.owner).post(f"/org/api-keys/{key.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == "/org/api-keys/"
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None


# Audit trail


def test_given_a_renamed_location_when_reading_its_history_then_old_and_new_show(
    world: World, signed_in: SignIn
) -> None:
    services.update_location(world.actor, world.store_a, name="A店新址")

    response = signed_in(world.owner).get(
        f"/org/audit/?object_type=org.location&object_id={world.store_a.pk}"
    )

    rows = response.context["rows"]
    assert [row.entry.action for row in rows] == ["update", "create"]
    assert [(c.field, c.old, c.new) for c in rows[0].changes] == [("name", "A店", "A店新址")]
    html = response.content.decode()
    assert '<span class="old">A店</span>' in html
    assert '<span class="new">A店新址</span>' in html


def test_given_an_auditor_when_reading_changes_by_a_user_then_only_theirs_show(
    world: World, signed_in: SignIn
) -> None:
    auditor = world.user("auditor")
    manager = world.user("store_manager", location_id=world.store_a.pk)

    response = signed_in(auditor).get(f"/org/audit/?user={world.owner.pk}")

    rows = response.context["rows"]
    assert response.status_code == 200
    assert {row.entry.actor_user_id for row in rows} == {world.owner.pk}
    assert str(manager.pk) in {
        row.entry.object_id for row in rows if row.entry.object_type == "org.user"
    }


# Permissions and isolation


@pytest.mark.parametrize(
    "path",
    [
        "/org/users/",
        "/org/users/new/",
        "/org/api-keys/",
        "/org/api-keys/new/",
        "/org/audit/",
        "/org/regions/new/",
        "/org/locations/new/",
    ],
)
def test_given_store_staff_when_opening_admin_pages_then_403(
    world: World, signed_in: SignIn, path: str
) -> None:
    staff = world.user("store_staff", location_id=world.store_a.pk)

    response = signed_in(staff).get(path)

    assert response.status_code == 403
    assert "Your role does not allow this action." in response.content.decode()


def test_given_store_staff_when_posting_admin_forms_then_403_and_nothing_written(
    world: World, signed_in: SignIn
) -> None:
    staff = world.user("store_staff", location_id=world.store_a.pk)
    client = signed_in(staff)

    region = client.post("/org/regions/new/", {"code": "X", "name": "X"})
    location = client.post(f"/org/locations/{world.store_a.pk}/deactivate/")
    edit = client.get(f"/org/locations/{world.store_a.pk}/")

    assert (region.status_code, location.status_code, edit.status_code) == (403, 403, 403)
    assert not Region.objects.filter(code="X").exists()
    assert Location.objects.get(pk=world.store_a.pk).is_active


def test_given_another_organizations_ids_when_opening_or_posting_then_404(
    world: World, other_world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)
    foreign_user = other_world.user("store_staff", location_id=other_world.store_a.pk)
    foreign_grant = Membership.objects.get(user=foreign_user)
    foreign_key, _raw = services.create_api_key(other_world.actor, name="pos", role="integration")

    gets = [
        f"/org/regions/{other_world.north.pk}/",
        f"/org/locations/{other_world.store_a.pk}/",
        f"/org/users/{foreign_user.pk}/",
    ]
    posts = [
        f"/org/regions/{other_world.south.pk}/delete/",
        f"/org/locations/{other_world.store_a.pk}/deactivate/",
        f"/org/users/{foreign_user.pk}/grants/",
        f"/org/users/{world.owner.pk}/grants/{foreign_grant.pk}/revoke/",
        f"/org/api-keys/{foreign_key.pk}/revoke/",
    ]

    assert [client.get(p).status_code for p in gets] == [404] * len(gets)
    assert [client.post(p).status_code for p in posts] == [404] * len(posts)
    assert Region.objects.filter(pk=other_world.south.pk).exists()
    assert Location.objects.get(pk=other_world.store_a.pk).is_active
    assert Membership.objects.filter(pk=foreign_grant.pk).exists()
    assert ApiKey.objects.get(pk=foreign_key.pk).revoked_at is None


def test_given_a_signed_in_owner_when_posting_without_csrf_then_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)

    response = client.post("/org/regions/new/", {"code": "X", "name": "X"})

    assert response.status_code == 403
    assert not Region.objects.filter(code="X").exists()
