"""Idempotency-Key: a retried POST replays the first answer and writes nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone

from boh.core.middleware import request_hash
from boh.core.models import AuditEntry, IdempotencyRecord
from boh.org.models import ApiKey, Location, Region
from tests.conftest import ApiClient, World, session_api

NEW_STORE = {"code": "HP-02", "name": "火锅二店"}


def test_given_the_same_key_and_body_when_retrying_then_the_first_response_is_replayed(
    world: World, owner_api: ApiClient
) -> None:
    # when
    first = owner_api.post("/org/locations", NEW_STORE, **{"Idempotency-Key": "k-1"})
    retry = owner_api.post("/org/locations", NEW_STORE, **{"Idempotency-Key": "k-1"})

    # then
    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Location.objects.filter(code="HP-02").count() == 1
    assert AuditEntry.objects.filter(object_type="org.location", action="create").count() == 4


def test_given_a_reused_key_with_another_body_then_409_and_nothing_written(
    world: World, owner_api: ApiClient
) -> None:
    owner_api.post("/org/locations", NEW_STORE, **{"Idempotency-Key": "k-2"})

    other = owner_api.post(
        "/org/locations", {**NEW_STORE, "code": "HP-03"}, **{"Idempotency-Key": "k-2"}
    )
    other_path = owner_api.post(
        "/org/regions", {"code": "E", "name": "华东"}, **{"Idempotency-Key": "k-2"}
    )

    for response in (other, other_path):
        assert response.status_code == 409
        assert response.json()["code"] == "idempotency_key_reused"
        assert response.json()["fields"] == []
    assert not Location.objects.filter(code="HP-03").exists()
    assert not Region.objects.filter(code="E").exists()


def test_given_two_callers_with_the_same_key_then_each_gets_their_own_result(
    world: World,
) -> None:
    second_owner = session_api(world.user("owner"))
    first_owner = session_api(world.owner)

    mine = first_owner.post(
        "/org/regions", {"code": "E", "name": "华东"}, **{"Idempotency-Key": "same"}
    )
    theirs = second_owner.post(
        "/org/regions", {"code": "W", "name": "华西"}, **{"Idempotency-Key": "same"}
    )

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert set(Region.objects.filter(code__in=["E", "W"]).values_list("code", flat=True)) == {
        "E",
        "W",
    }


def test_given_two_api_keys_with_the_same_key_then_they_do_not_share_records(
    world: World,
) -> None:
    first = ApiClient(world.api_key("auditor"))
    second = ApiClient(world.api_key("auditor"))

    a = first.post("/org/regions", {"code": "E", "name": "x"}, **{"Idempotency-Key": "k"})
    b = second.post("/org/regions", {"code": "W", "name": "x"}, **{"Idempotency-Key": "k"})

    # both are refused (auditors cannot write) and refusals of the role are never kept
    assert (a.status_code, b.status_code) == (403, 403)
    assert IdempotencyRecord.objects.count() == 0


def test_given_a_validation_refusal_then_it_is_replayed_too(
    world: World, owner_api: ApiClient
) -> None:
    body = {"code": "bad code", "name": "x"}

    first = owner_api.post("/org/locations", body, **{"Idempotency-Key": "k-3"})
    retry = owner_api.post("/org/locations", body, **{"Idempotency-Key": "k-3"})

    assert first.status_code == retry.status_code == 400
    assert retry.content == first.content


def test_given_an_issued_api_key_when_retrying_then_the_same_key_is_not_issued_twice(
    world: World, owner_api: ApiClient
) -> None:
    body = {"name": "美团", "role": "integration"}

    first = owner_api.post("/org/api-keys", body, **{"Idempotency-Key": "issue-1"})
    retry = owner_api.post("/org/api-keys", body, **{"Idempotency-Key": "issue-1"})

    assert retry.json()["key"] == first.json()["key"]
    assert ApiKey.objects.count() == 1


def test_given_an_expired_record_when_the_key_is_used_again_then_the_request_runs_afresh(
    world: World, owner_api: ApiClient
) -> None:
    owner_api.post("/org/regions", {"code": "E", "name": "华东"}, **{"Idempotency-Key": "old"})
    Region.objects.filter(code="E").delete()
    IdempotencyRecord.objects.update(
        created_at=timezone.now() - dt.timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS, minutes=1)
    )

    again = owner_api.post(
        "/org/regions", {"code": "E", "name": "华东"}, **{"Idempotency-Key": "old"}
    )

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Region.objects.filter(code="E").count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_given_a_too_long_key_then_400(world: World, owner_api: ApiClient) -> None:
    response = owner_api.post(
        "/org/regions", {"code": "E", "name": "x"}, **{"Idempotency-Key": "k" * 256}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert not Region.objects.filter(code="E").exists()


def test_given_no_key_then_each_post_runs(world: World, owner_api: ApiClient) -> None:
    first = owner_api.post("/org/regions", {"code": "E", "name": "x"})
    second = owner_api.post("/org/regions", {"code": "E", "name": "x"})

    assert (first.status_code, second.status_code) == (201, 409)
    assert IdempotencyRecord.objects.count() == 0


def test_given_a_body_over_the_memory_limit_then_400_body_too_large_with_or_without_a_key(
    world: World, owner_api: ApiClient, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = {"code": "E", "name": "华" * 100}

    with_key = owner_api.post("/org/regions", body, **{"Idempotency-Key": "big"})
    without_key = owner_api.post("/org/regions", body)

    for response in (with_key, without_key):
        assert response.status_code == 400
        assert response.json()["code"] == "body_too_large"
    assert not Region.objects.filter(code="E").exists()


def _upload(content: bytes, query: str = "") -> HttpRequest:
    return RequestFactory().post(
        f"/api/v1/inventory/waste/1/photo{query}",
        {"note": "破损", "photo": SimpleUploadedFile("a.jpg", content, "image/jpeg")},
    )


def test_given_uploads_then_the_hash_covers_file_content_and_query_and_rewinds_the_file() -> None:
    first, same, other_file, other_query = (
        _upload(b"\xff\xd8" + b"x" * 70_000),
        _upload(b"\xff\xd8" + b"x" * 70_000),
        _upload(b"\xff\xd8" + b"y" * 70_000),
        _upload(b"\xff\xd8" + b"x" * 70_000, "?replace=1"),
    )

    hashes = [request_hash(r) for r in (first, same, other_file, other_query)]

    assert hashes[0] == hashes[1]
    assert len(set(hashes)) == 3
    assert first.FILES["photo"].read() == b"\xff\xd8" + b"x" * 70_000
