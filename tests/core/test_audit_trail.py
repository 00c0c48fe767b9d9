"""Audit entries are append-only, and say who changed what from where."""

from __future__ import annotations

import pytest
from django.db import transaction

from boh.core.models import AuditEntry
from boh.core.services import diff, record_audit, snapshot
from boh.org import services
from boh.org.access import actor_for_api_key
from boh.org.models import ApiKey
from tests.conftest import World


@pytest.fixture
def entry(world: World) -> AuditEntry:
    return AuditEntry.objects.filter(object_type="org.location").first()  # type: ignore[return-value]


def test_given_an_entry_when_saving_it_again_then_permission_error(entry: AuditEntry) -> None:
    entry.verb = "tampered"

    with pytest.raises(PermissionError):
        entry.save()

    assert AuditEntry.objects.get(pk=entry.pk).verb == ""


def test_given_an_entry_when_deleting_it_then_permission_error(entry: AuditEntry) -> None:
    with pytest.raises(PermissionError):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_given_entries_when_updating_or_deleting_in_bulk_then_permission_error(
    entry: AuditEntry,
) -> None:
    count = AuditEntry.objects.count()

    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(verb="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    entry.verb = "tampered"
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["verb"])

    assert AuditEntry.objects.count() == count
    assert not AuditEntry.objects.filter(verb="tampered").exists()


def test_given_an_api_key_actor_when_recording_then_the_entry_names_the_key_and_address(
    world: World,
) -> None:
    key, _raw = services.create_api_key(world.actor, name="erp", role="operations")
    actor = actor_for_api_key(ApiKey.objects.get(pk=key.pk), ip="10.9.8.7")

    recorded = record_audit(actor, AuditEntry.Action.ACTION, world.store_a, verb="synced", after={})

    assert (recorded.actor_user_id, recorded.actor_api_key_id) == (None, key.pk)
    assert recorded.actor_name == f"api-key:{key.prefix}"
    assert recorded.ip == "10.9.8.7"
    assert recorded.organization_id == world.org.pk
    assert (recorded.object_type, recorded.object_id) == ("org.location", str(world.store_a.pk))
    assert recorded.object_repr == "A01 A店"


def test_snapshots_leave_secrets_out_and_diffs_keep_only_changes(world: World) -> None:
    key, _raw = services.create_api_key(world.actor, name="erp", role="operations")

    values = snapshot(world.owner)
    key_values = snapshot(key)

    assert "password" not in values
    assert values["username"] == "acme-owner"
    assert "key_hash" not in key_values
    assert key_values["prefix"] == key.prefix
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}
