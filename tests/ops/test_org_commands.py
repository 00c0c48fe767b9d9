"""`boh createorg` and `boh createuser`: services behind them, clear refusals, no partial writes."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boh.org import services
from boh.org.models import Membership, Organization, User
from tests.conftest import PASSWORD, World


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_given_a_user_when_creating_an_org_with_owner_then_both_are_linked() -> None:
    run("createuser", "--username", "alice", "--password", PASSWORD)

    output = run(
        "createorg",
        "--code",
        "shu",
        "--name",
        "蜀味集团",
        "--name-en",
        "Shu Taste Group",
        "--time-zone",
        "Asia/Chongqing",
        "--owner",
        "alice",
    )

    org = Organization.objects.get()
    assert (org.code, org.name, org.name_en, org.currency, org.time_zone) == (
        "shu",
        "蜀味集团",
        "Shu Taste Group",
        "CNY",
        "Asia/Chongqing",
    )
    grants = list(Membership.objects.values_list("user__username", "role", "region", "location"))
    assert grants == [("alice", "owner", None, None)]
    assert User.objects.get(username="alice").default_organization == org
    assert output == "Created organization shu (蜀味集团).\nalice is its owner.\n"


@pytest.mark.django_db
def test_given_a_taken_code_when_creating_an_org_then_it_fails_naming_the_option() -> None:
    services.create_organization(code="shu", name="蜀味集团")

    with pytest.raises(CommandError) as raised:
        run("createorg", "--code", "SHU", "--name", "另一个")

    assert str(raised.value) == "--code: This code is already in use. [duplicate_code]"
    assert raised.value.returncode == 1
    assert Organization.objects.count() == 1


@pytest.mark.django_db
def test_given_bad_values_when_creating_an_org_then_every_field_is_reported() -> None:
    with pytest.raises(CommandError) as raised:
        run("createorg", "--code", "bad code", "--name", "x", "--time-zone", "Mars/Base")

    assert str(raised.value).splitlines() == [
        "--code: Use letters, digits, '.', '_' and '-' only, starting with a letter or digit."
        " [invalid_code]",
        "--time-zone: Unknown time zone. [invalid_time_zone]",
    ]
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_given_an_unknown_owner_when_creating_an_org_then_nothing_is_created() -> None:
    with pytest.raises(CommandError) as raised:
        run("createorg", "--code", "shu", "--name", "蜀味集团", "--owner", "nobody")

    assert "--owner: no user named nobody" in str(raised.value)
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_given_no_org_when_creating_a_user_then_the_account_has_no_role() -> None:
    output = run("createuser", "--username", "bob", "--password", PASSWORD, "--email", "b@x.cn")

    user = User.objects.get(username="bob")
    assert user.check_password(PASSWORD)
    assert user.email == "b@x.cn"
    assert not Membership.objects.filter(user=user).exists()
    assert output == "Created user bob.\n"


def test_given_an_org_when_creating_a_store_user_then_the_role_is_scoped_to_the_store(
    world: World,
) -> None:
    output = run(
        "createuser",
        "--username",
        "li.na",
        "--password",
        PASSWORD,
        "--org",
        "acme",
        "--role",
        "store_manager",
        "--location",
        "a01",
    )

    grants = list(
        Membership.objects.filter(user__username="li.na").values_list(
            "organization__code", "role", "region", "location"
        )
    )
    assert grants == [("acme", "store_manager", None, world.store_a.pk)]
    assert output == "Created user li.na with role store_manager in acme.\n"


def test_given_a_region_when_creating_a_supervisor_then_the_role_covers_that_region(
    world: World,
) -> None:
    run(
        "createuser",
        "--username",
        "sun.hao",
        "--password",
        PASSWORD,
        "--org",
        "acme",
        "--role",
        "area_supervisor",
        "--region",
        "S",
    )

    grant = Membership.objects.get(user__username="sun.hao")
    assert (grant.role, grant.region_id, grant.location_id) == (
        "area_supervisor",
        world.south.pk,
        None,
    )


@pytest.mark.django_db
def test_given_boh_password_when_no_option_then_the_environment_password_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOH_PASSWORD", PASSWORD)

    run("createuser", "--username", "carol")

    assert User.objects.get(username="carol").check_password(PASSWORD)


@pytest.mark.django_db
def test_given_no_password_and_no_terminal_when_creating_a_user_then_it_refuses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BOH_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    with pytest.raises(CommandError) as raised:
        run("createuser", "--username", "dave")

    assert str(raised.value).startswith("--password: give one, set BOH_PASSWORD")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_given_a_weak_password_when_creating_a_user_then_no_account_is_made() -> None:
    with pytest.raises(CommandError) as raised:
        run("createuser", "--username", "erin", "--password", "12345678")

    assert str(raised.value).startswith("--password: ")
    assert str(raised.value).endswith("[weak_password]")
    assert not User.objects.exists()


def test_given_an_unknown_role_when_creating_a_user_then_no_account_is_made(world: World) -> None:
    before = User.objects.count()

    with pytest.raises(CommandError) as raised:
        run(
            "createuser",
            "--username",
            "f",
            "--password",
            PASSWORD,
            "--org",
            "acme",
            "--role",
            "chef",
        )

    assert str(raised.value) == "--role: 'chef' is not one of the allowed values. [invalid_choice]"
    assert User.objects.count() == before


@pytest.mark.django_db
def test_given_a_role_without_org_when_creating_a_user_then_it_refuses() -> None:
    with pytest.raises(CommandError) as raised:
        run("createuser", "--username", "g", "--password", PASSWORD, "--role", "owner")

    assert str(raised.value) == "--role, --region and --location need --org."
    assert not User.objects.exists()


def test_given_an_unknown_location_when_creating_a_user_then_it_names_the_option(
    world: World,
) -> None:
    with pytest.raises(CommandError) as raised:
        run(
            "createuser",
            "--username",
            "h",
            "--password",
            PASSWORD,
            "--org",
            "acme",
            "--role",
            "store_staff",
            "--location",
            "ZZ9",
        )

    assert str(raised.value) == "--location: no location with code ZZ9."
    assert not User.objects.filter(username="h").exists()


def test_given_an_existing_user_when_run_with_an_org_then_only_the_role_is_granted(
    world: World,
) -> None:
    user = world.user("store_staff", location_id=world.store_a.pk)

    output = run("createuser", "--username", user.username, "--org", "acme", "--role", "auditor")

    roles = sorted(Membership.objects.filter(user=user).values_list("role", flat=True))
    assert roles == ["auditor", "store_staff"]
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    assert output == f"{user.username} already exists; granted role auditor in acme.\n"


def test_given_an_existing_user_when_a_password_is_given_then_nothing_changes(
    world: World,
) -> None:
    with pytest.raises(CommandError) as raised:
        run(
            "createuser",
            "--username",
            "acme-owner",
            "--password",
            "Another-Pass-2026",
            "--org",
            "acme",
            "--role",
            "finance",
        )

    assert str(raised.value) == (
        "--password: acme-owner already exists; this command does not change passwords."
    )
    assert list(Membership.objects.filter(user=world.owner).values_list("role", flat=True)) == [
        "owner"
    ]
