"""`boh demo`: the organization's own records, repeated without change, and logins that work.

These load the bare chain; test_demo_chain.py loads the stocked one.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from boh.core.models import AuditEntry, DomainEvent
from boh.demo import services as demo
from boh.org import services as org_services
from boh.org.models import ApiKey, Location, Membership, Organization, Region, User
from boh.org.roles import Role
from tests.conftest import World


def counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "regions": Region.objects.count(),
        "locations": Location.objects.count(),
        "users": User.objects.count(),
        "grants": Membership.objects.count(),
        "api_keys": ApiKey.objects.count(),
        "audit": AuditEntry.objects.count(),
        "events": DomainEvent.objects.count(),
    }


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--size", "bare", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def printed_logins(output: str) -> list[list[str]]:
    lines = output.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("username")))
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


@pytest.mark.django_db
def test_given_an_empty_database_when_loading_the_demo_then_the_chain_is_built() -> None:
    chain = demo.load_demo_chain(size="bare")

    org = Organization.objects.get()
    assert (org.code, org.name, org.name_en) == (
        "shuxiang",
        "蜀香火锅集团",
        "Shuxiang Hot Pot Group",
    )
    assert chain.created == 29  # 1 organization, 5 regions, 14 locations, 8 people, 1 key
    tree = list(Region.objects.values_list("code", "parent__code", "depth"))
    assert tree == [
        ("EC", None, 0),
        ("SH", "EC", 1),
        ("HZ", "EC", 1),
        ("SC", None, 0),
        ("GZ", "SC", 1),
    ]
    kinds = dict(Location.objects.values_list("code", "kind"))
    assert kinds == {
        "CK01": "central_kitchen",
        "GZ01": "store",
        "GZ02": "store",
        "GZ03": "store",
        "GZ04": "store",
        "HZ01": "store",
        "HZ02": "store",
        "HZ03": "store",
        "SH01": "store",
        "SH02": "store",
        "SH03": "store",
        "SH04": "store",
        "SH05": "store",
        "WH01": "warehouse",
    }
    assert all(loc.name_en for loc in Location.objects.all())
    grants = set(
        Membership.objects.values_list("user__username", "role", "region__code", "location__code")
    )
    assert grants == {
        ("owner", "owner", None, None),
        ("finance", "finance", None, None),
        ("purchasing", "purchasing", None, None),
        ("operations", "operations", None, None),
        ("supervisor.east", "area_supervisor", "EC", None),
        ("manager.sh01", "store_manager", None, "SH01"),
        ("staff.sh01", "store_staff", None, "SH01"),
        ("auditor", "auditor", None, None),
    }
    key = ApiKey.objects.get()
    assert (key.role, key.region_id, key.location_id) == ("integration", None, None)
    assert org_services.authenticate_api_key(chain.api_key_raw) == key


@pytest.mark.django_db
def test_given_a_loaded_demo_when_loading_again_then_nothing_changes() -> None:
    demo.load_demo_chain(size="bare")
    before = counts()

    again = demo.load_demo_chain(size="bare")

    assert counts() == before
    assert before == {
        "organizations": 1,
        "regions": 5,
        "locations": 14,
        "users": 8,
        "grants": 8,
        "api_keys": 1,
        "audit": before["audit"],
        "events": 14,
    }
    assert again.created == 0
    assert again.existed is True
    assert again.api_key_raw == ""
    assert sorted(again.users) == sorted(p.username for p in demo.PEOPLE)


@pytest.mark.django_db
def test_given_the_demo_command_when_run_twice_then_the_second_run_creates_nothing() -> None:
    first = run_demo()
    before = counts()

    second = run_demo()

    assert counts() == before
    assert "29 records created now" in first
    assert "0 records created now" in second
    assert "shown only this once: boh_" in first
    assert "was made earlier" in second
    assert printed_logins(first) == printed_logins(second)


@pytest.mark.django_db
def test_given_the_printed_logins_when_signing_in_then_each_one_works() -> None:
    output = run_demo("--url", "http://127.0.0.1:9000/")

    rows = printed_logins(output)
    assert [row[0] for row in rows] == [
        "owner",
        "finance",
        "purchasing",
        "operations",
        "supervisor.east",
        "manager.sh01",
        "staff.sh01",
        "auditor",
    ]
    assert rows[4][2:] == ["Area supervisor", "华东"]
    assert rows[5][2:] == ["Store manager", "SH01 上海人民广场店"]
    assert rows[0][2:] == ["Owner / admin", "Whole organization"]
    labels = {str(label): value for value, label in Role.choices}
    for username, password, role_label, _scope in rows:
        client = Client()
        assert client.login(username=username, password=password), username
        grant = Membership.objects.get(user__username=username)
        assert grant.role == labels[role_label]
        assert grant.organization.code == "shuxiang"
    assert output.rstrip().endswith("Open http://127.0.0.1:9000/ and sign in as any of them.")


# Emptying the database must commit like the real command does: PostgreSQL refuses to
# truncate tables with deferred constraint checks pending inside a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_given_a_loaded_demo_when_reset_then_it_is_loaded_afresh_with_a_new_key() -> None:
    first_key = demo.load_demo_chain(size="bare").api_key_raw

    output = run_demo("--reset")

    assert Organization.objects.count() == 1
    assert ApiKey.objects.count() == 1
    assert org_services.authenticate_api_key(first_key) is None
    assert "29 records created now" in output
    assert "shown only this once: boh_" in output


def test_given_another_organization_when_resetting_then_it_refuses_and_keeps_everything(
    world: World,
) -> None:
    before = counts()

    with pytest.raises(CommandError) as raised:
        run_demo("--reset")

    assert str(raised.value).endswith("[demo_reset_refused]")
    assert counts() == before


@pytest.mark.django_db
def test_given_a_demo_username_taken_when_loading_then_it_fails_naming_the_field() -> None:
    org_services.create_account(username="auditor", password="Kitchen-Pass-2026")

    with pytest.raises(CommandError) as raised:
        run_demo()

    assert str(raised.value) == "username: This username is taken. [duplicate_username]"
