"""The audit trail: who changed what, when and from where; readable per record and per user."""

from __future__ import annotations

import pytest

from boh.api import api
from boh.core.models import AuditEntry
from boh.org import services
from tests.conftest import PASSWORD, ApiClient, World, session_api


def test_given_a_change_through_the_api_then_the_entry_names_who_where_and_old_new_values(
    world: World,
) -> None:
    owner = session_api(world.owner)

    # when
    owner.client.defaults["REMOTE_ADDR"] = "10.1.2.3"
    owner.patch(f"/org/locations/{world.store_a.pk}", {"day_cutoff_hour": 3})

    # then
    entry = AuditEntry.objects.get(object_type="org.location", action="update")
    assert entry.object_id == str(world.store_a.pk)
    assert entry.organization_id == world.org.pk
    assert entry.actor_user_id == world.owner.pk
    assert entry.actor_api_key_id is None
    assert entry.actor_name == world.owner.username
    assert entry.ip == "10.1.2.3"
    assert len(entry.request_id) == 32
    assert entry.at is not None
    assert entry.changes == {"day_cutoff_hour": [4, 3]}


@pytest.mark.parametrize(
    ("do", "object_type", "action"),
    [
        ("create_region", "org.region", "create"),
        ("update_region", "org.region", "update"),
        ("delete_region", "org.region", "delete"),
        ("create_location", "org.location", "create"),
        ("update_location", "org.location", "update"),
        ("create_user", "org.user", "create"),
        ("update_user", "org.user", "update"),
        ("grant_role", "org.membership", "create"),
        ("revoke_role", "org.membership", "delete"),
        ("create_api_key", "org.apikey", "create"),
        ("revoke_api_key", "org.apikey", "update"),
        ("update_organization", "org.organization", "update"),
    ],
)
def test_given_each_org_service_when_it_writes_then_one_entry_records_it(
    world: World, do: str, object_type: str, action: str
) -> None:
    # given
    a = world.actor
    staff = world.user("store_staff", location_id=world.store_a.pk)
    spare = services.create_region(a, code="E", name="华东")
    key, _raw = services.create_api_key(a, name="k", role="auditor")
    grant = services.grant_role(a, staff, role="store_staff", location_id=world.store_b.pk)
    before = set(AuditEntry.objects.values_list("pk", flat=True))

    # when
    {
        "create_region": lambda: services.create_region(a, code="W", name="华西"),
        "update_region": lambda: services.update_region(a, spare, name="华东区"),
        "delete_region": lambda: services.delete_region(a, spare),
        "create_location": lambda: services.create_location(a, code="L9", name="九店"),
        "update_location": lambda: services.update_location(a, world.store_b, address="路 1 号"),
        "create_user": lambda: services.create_user(
            a, username="new.one", password=PASSWORD, role="finance"
        ),
        "update_user": lambda: services.update_user(a, staff, display_name="小李"),
        "grant_role": lambda: services.grant_role(a, staff, role="auditor"),
        "revoke_role": lambda: services.revoke_role(a, grant),
        "create_api_key": lambda: services.create_api_key(a, name="k2", role="auditor"),
        "revoke_api_key": lambda: services.revoke_api_key(a, key),
        "update_organization": lambda: services.update_organization(a, valuation="fifo"),
    }[do]()

    # then
    new = AuditEntry.objects.exclude(pk__in=before).filter(object_type=object_type)
    assert new.filter(action=action).count() == 1
    entry = new.get(action=action)
    assert (entry.actor_user_id, entry.organization_id) == (world.owner.pk, world.org.pk)
    assert entry.changes != {}


def test_given_entries_when_filtering_the_trail_per_record_and_per_user_then_only_those(
    world: World,
) -> None:
    # given two people changing two records
    second_owner = world.user("owner")
    services.update_location(world.actor, world.store_a, name="A1")
    services.update_location(world.actor_for(second_owner), world.store_a, name="A2")
    services.update_location(world.actor_for(second_owner), world.store_b, name="B2")
    auditor = ApiClient(world.api_key("auditor"))

    # when
    per_record = auditor.get(
        f"/org/audit?object_type=org.location&object_id={world.store_a.pk}"
    ).json()
    per_user = auditor.get(f"/org/audit?user_id={second_owner.pk}").json()

    # then newest first
    assert [(e["actor_user_id"], e["action"]) for e in per_record["items"]] == [
        (second_owner.pk, "update"),
        (world.owner.pk, "update"),
        (world.owner.pk, "create"),
    ]
    assert [e["changes"] for e in per_record["items"][:2]] == [
        {"name": ["A1", "A2"]},
        {"name": ["A店", "A1"]},
    ]
    assert per_record["items"][2]["changes"]["code"] == [None, "A01"]
    assert [(e["object_type"], e["object_id"], e["action"]) for e in per_user["items"]] == [
        ("org.location", str(world.store_b.pk), "update"),
        ("org.location", str(world.store_a.pk), "update"),
    ]


def test_given_another_organization_when_reading_the_trail_then_none_of_its_entries(
    world: World, other_world: World
) -> None:
    services.update_location(other_world.actor, other_world.store_a, name="对手")
    auditor = ApiClient(world.api_key("auditor"))

    response = auditor.get(
        f"/org/audit?object_type=org.location&object_id={other_world.store_a.pk}"
    )

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_given_the_api_schema_then_no_operation_can_change_the_audit_trail() -> None:
    schema = api.get_openapi_schema()

    methods = {
        (path, method)
        for path, operations in schema["paths"].items()
        if "audit" in path
        for method in operations
    }

    assert methods == {("/api/v1/org/audit", "get")}


def test_given_the_audit_page_when_posting_to_it_then_nothing_changes(
    world: World,
) -> None:
    owner = session_api(world.owner)
    before = list(AuditEntry.objects.order_by("pk").values())

    owner.client.post("/org/audit/", {"changes": "{}", "action": "delete"})

    assert list(AuditEntry.objects.order_by("pk").values()) == before
