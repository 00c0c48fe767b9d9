"""The page shell: signing in and out, password, language, organization and location."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from boh.org import services
from boh.org.models import Membership, User
from boh.web.nav import NavEntry, NavGroup, navigation
from tests.conftest import PASSWORD, World
from tests.web.conftest import SignIn


def _english() -> Client:
    return Client(headers={"accept-language": "en"})


def test_given_the_owner_when_signing_in_then_the_dashboard_opens(world: World) -> None:
    client = _english()

    response = client.post("/login/", {"username": "acme-owner", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "<h1>Dashboard</h1>" in home.content.decode()
    assert home.context["actor"].user == world.owner


def test_given_a_wrong_password_when_signing_in_then_401_and_no_session(world: World) -> None:
    client = _english()

    response = client.post("/login/", {"username": "acme-owner", "password": "nope"})

    assert response.status_code == 401
    assert "The username or password is wrong." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_given_five_failures_when_signing_in_again_then_429_even_with_the_right_password(
    world: World,
) -> None:
    client = _english()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert (
            client.post("/login/", {"username": "acme-owner", "password": "x"}).status_code == 401
        )

    response = client.post("/login/", {"username": "acme-owner", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many failed sign-in attempts." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_given_a_next_page_when_signing_in_then_it_opens_but_never_another_site(
    world: World,
) -> None:
    client = _english()

    inside = client.post(
        "/login/?next=/org/regions/", {"username": "acme-owner", "password": PASSWORD}
    )
    outside = _english().post(
        "/login/?next=https://evil.example/", {"username": "acme-owner", "password": PASSWORD}
    )

    assert inside["Location"] == "/org/regions/"
    assert outside["Location"] == "/"


def test_given_a_user_who_prefers_english_when_signing_in_then_the_language_follows(
    world: World,
) -> None:
    services.set_language(world.owner, "en")
    client = Client(headers={"accept-language": "zh-hans"})

    response = client.post("/login/", {"username": "acme-owner", "password": PASSWORD})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<h1>Dashboard</h1>" in client.get("/").content.decode()


def test_given_no_session_when_opening_a_page_then_the_login_page_is_shown(db: None) -> None:
    response = _english().get("/org/locations/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/org/locations/"


def test_given_a_session_when_signing_out_then_only_post_works(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_given_a_wrong_current_password_when_changing_then_the_error_is_next_to_it(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post(
        "/password/",
        {
            "old_password": "wrong",
            "new_password": "Another-Pass-2027",
            "new_password_again": "Another-Pass-2027",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"old_password": ["Your current password is wrong."]}
    world.owner.refresh_from_db()
    assert world.owner.check_password(PASSWORD)


def test_given_the_right_password_when_changing_then_the_session_stays_and_it_works(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password": "Another-Pass-2027",
            "new_password_again": "Another-Pass-2027",
        },
    )

    assert response.status_code == 302
    assert client.get("/").status_code == 200
    world.owner.refresh_from_db()
    assert world.owner.check_password("Another-Pass-2027")


def test_given_two_new_passwords_that_differ_when_changing_then_nothing_changes(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password": "Another-Pass-2027", "new_password_again": "x"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "new_password_again": ["The two new passwords differ."]
    }
    world.owner.refresh_from_db()
    assert world.owner.check_password(PASSWORD)


def test_given_a_signed_in_user_when_switching_language_then_cookie_and_account_change(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post("/language/", {"language": "zh-hans", "next": "/org/regions/"})

    assert response.status_code == 302
    assert response["Location"] == "/org/regions/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert User.objects.get(pk=world.owner.pk).language == "zh-hans"
    assert "<h1>区域</h1>" in client.get("/org/regions/").content.decode()


def test_given_the_login_page_when_switching_language_then_djangos_view_sets_the_cookie(
    db: None,
) -> None:
    client = _english()
    page = client.get("/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page

    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert "<h1>登录</h1>" in client.get("/login/").content.decode()


def test_given_roles_in_two_organizations_when_switching_then_pages_show_the_other(
    world: World, other_world: World, signed_in: SignIn
) -> None:
    services.grant_role(other_world.actor, world.owner, role="auditor")
    client = signed_in(world.owner)
    assert "switch-org" in client.get("/").content.decode()

    response = client.post("/switch/organization/", {"org_id": other_world.org.pk})

    assert response.status_code == 302
    assert client.session["org_id"] == other_world.org.pk
    home = client.get("/")
    assert home.context["actor"].organization == other_world.org
    assert home.context["actor"].roles == {"auditor"}


def test_given_no_role_in_an_organization_when_switching_to_it_then_404(
    world: World, other_world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    response = client.post("/switch/organization/", {"org_id": other_world.org.pk})
    garbage = client.post("/switch/organization/", {"org_id": "1 OR 1=1"})

    assert (response.status_code, garbage.status_code) == (404, 404)
    assert "org_id" not in client.session


def test_given_staff_of_one_store_when_switching_location_then_only_that_store_is_allowed(
    world: World, signed_in: SignIn
) -> None:
    staff = world.user("store_staff", location_id=world.store_a.pk)
    client = signed_in(staff)
    choices = client.get("/").context["shell"].locations
    assert [loc.code for loc in choices] == ["A01"]

    refused = client.post("/switch/location/", {"location_id": world.store_b.pk})
    allowed = client.post("/switch/location/", {"location_id": world.store_a.pk, "next": "/"})

    assert refused.status_code == 404
    assert allowed.status_code == 302
    assert client.session["location_id"] == world.store_a.pk
    assert client.get("/").context["location"] == world.store_a


def test_given_a_chosen_location_when_choosing_all_then_the_choice_is_cleared(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)
    client.post("/switch/location/", {"location_id": world.kitchen.pk})

    client.post("/switch/location/", {"location_id": ""})

    assert "location_id" not in client.session


def test_given_store_staff_when_rendering_the_menu_then_admin_links_are_missing(
    world: World, signed_in: SignIn
) -> None:
    staff = world.user("store_staff", location_id=world.store_a.pk)

    owner_links = [
        link.url for s in signed_in(world.owner).get("/").context["shell"].nav for link in s.links
    ]
    staff_links = [
        link.url for s in signed_in(staff).get("/").context["shell"].nav for link in s.links
    ]

    assert {"/org/users/", "/org/api-keys/", "/org/audit/"} <= set(owner_links)
    assert "/org/users/" not in staff_links
    assert "/org/api-keys/" not in staff_links
    assert "/org/audit/" not in staff_links
    assert "/org/locations/" in staff_links


def test_given_an_entry_whose_page_does_not_exist_when_building_the_menu_then_it_is_skipped(
    world: World,
) -> None:
    groups = (
        NavGroup(
            "Test",
            (
                NavEntry("Missing", ("nowhere:page",), "org.view"),
                NavEntry("Home", ("web:home",), "org.view", prefix="/"),
                NavEntry("Regions", ("nowhere:page", "web:regions"), "org.view", "/org/regions/"),
            ),
        ),
        NavGroup("Empty", (NavEntry("Missing", ("nowhere:page",), "org.view"),)),
    )

    sections = navigation(world.actor, "/org/regions/7/", groups)

    assert [section.label for section in sections] == ["Test"]
    assert [(link.label, link.url, link.current) for link in sections[0].links] == [
        ("Home", "/", False),
        ("Regions", "/org/regions/", True),
    ]


def test_given_any_page_when_rendered_then_htmx_is_local_and_sends_the_csrf_token(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.owner)

    page = client.get("/").content.decode()

    assert finders.find("vendor/htmx.min.js") is not None
    assert finders.find("web/boh.css") is not None
    assert '<script src="/static/vendor/htmx.min.js" defer></script>' in page
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert token
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_given_a_user_without_any_role_when_opening_a_page_then_403_and_signed_out(
    world: World,
) -> None:
    user = services.create_account(username="lonely", password=PASSWORD)
    client = _english()
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 403
    assert "Your account has no role in any organization." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not Membership.objects.filter(user=user).exists()
