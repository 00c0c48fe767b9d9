"""API keys: shown once, stored hashed, refused at once when revoked, use recorded."""

from __future__ import annotations

import hashlib

import pytest

from boh.core.errors import BohError
from boh.core.models import AuditEntry
from boh.org import services
from boh.org.models import ApiKey
from tests.conftest import ApiClient, World


def test_given_the_api_when_issuing_a_key_then_the_raw_key_is_returned_once_and_stored_hashed(
    world: World, owner_api: ApiClient
) -> None:
    # when
    created = owner_api.post(
        "/org/api-keys",
        {"name": "美团收银", "role": "integration", "location_id": world.store_a.pk},
    )
    listed = owner_api.get("/org/api-keys")

    # then
    assert created.status_code == 201
    raw = created.json()["key"]
    key = ApiKey.objects.get(pk=created.json()["id"])
    assert raw.startswith(f"boh_{key.prefix}_")
    assert len(raw) > 40
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {key.key_hash, key.prefix, key.name}
    assert (key.role, key.location_id, key.created_by_id) == (
        "integration",
        world.store_a.pk,
        world.owner.pk,
    )
    assert [item["id"] for item in listed.json()["items"]] == [key.pk]
    assert "key" not in listed.json()["items"][0]
    assert raw not in listed.content.decode()
    entry = AuditEntry.objects.get(object_type="org.apikey", object_id=str(key.pk))
    assert "key_hash" not in entry.changes
    assert raw not in str(entry.changes)


def test_given_a_new_key_when_it_is_used_then_last_used_at_is_recorded(world: World) -> None:
    raw = world.api_key("auditor")
    key = ApiKey.objects.get(key_hash=hashlib.sha256(raw.encode()).hexdigest())
    assert key.last_used_at is None

    response = ApiClient(raw).get("/org/me")

    assert response.status_code == 200
    assert response.json()["api_key_id"] == key.pk
    assert response.json()["user_id"] is None
    assert response.json()["roles"] == ["auditor"]
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_given_a_bearer_token_when_calling_then_it_authenticates_like_the_header(
    world: World,
) -> None:
    raw = world.api_key("auditor")

    response = ApiClient().get("/org/locations", Authorization=f"Bearer {raw}")

    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_given_a_revoked_key_when_calling_then_401_with_the_error_shape(
    world: World, owner_api: ApiClient
) -> None:
    # given
    raw = world.api_key("auditor")
    key = ApiKey.objects.get(key_hash=hashlib.sha256(raw.encode()).hexdigest())
    assert ApiClient(raw).get("/org/locations").status_code == 200

    # when
    revoked = owner_api.post(f"/org/api-keys/{key.pk}/revoke")
    by_header = ApiClient(raw).get("/org/locations")
    by_bearer = ApiClient().get("/org/locations", Authorization=f"Bearer {raw}")

    # then
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    for response in (by_header, by_bearer):
        assert response.status_code == 401
        assert response.json() == {
            "code": "not_authenticated",
            "message": response.json()["message"],
            "fields": [],
        }
        assert response.json()["message"]
    entry = AuditEntry.objects.get(object_type="org.apikey", action="update")
    assert entry.verb == "revoked"
    assert entry.changes["revoked_at"][0] is None


def test_given_the_owner_role_when_issuing_a_key_then_400_names_role(world: World) -> None:
    with pytest.raises(BohError) as refused:
        services.create_api_key(world.actor, name="too strong", role="owner")

    assert [(f.field, f.code) for f in refused.value.fields] == [("role", "role_not_for_keys")]
    assert not ApiKey.objects.exists()


def test_given_a_key_of_an_inactive_organization_then_it_is_refused(world: World) -> None:
    raw = world.api_key("auditor")
    world.org.is_active = False
    world.org.save(update_fields=["is_active"])

    response = ApiClient(raw).get("/org/me")

    assert response.status_code == 401


@pytest.mark.parametrize("raw", ["", "boh_", "not-a-boh-key", "boh_" + "x" * 300])
def test_given_a_malformed_key_when_authenticating_then_none(db: None, raw: str) -> None:
    assert services.authenticate_api_key(raw) is None
