"""Every refusal of the API has one shape, {code, message, fields}, in the caller's language."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from boh.org.models import Region
from tests.conftest import ApiClient, World, session_api


def _shape(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert isinstance(body["message"], str)
    assert body["message"]
    for field in body["fields"]:
        assert set(field) == {"field", "code", "message"}
    return dict(body)


def _post_raw(api: ApiClient, path: str, raw: str, **headers: str) -> Any:
    return api.client.post(
        f"/api/v1{path}",
        data=raw,
        content_type="application/json",
        headers={**api.headers, **headers},
    )


def test_given_malformed_json_then_400_invalid_json_on_the_body(owner_api: ApiClient) -> None:
    response = _post_raw(owner_api, "/org/regions", '{"code": "X", "name": ')

    assert response.status_code == 400
    body = _shape(response)
    assert body["code"] == "invalid_json"
    assert [(f["field"], f["code"]) for f in body["fields"]] == [("body", "invalid_json")]
    assert Region.objects.count() == 2


@pytest.mark.parametrize("raw", ["[]", '"text"', "42", "null"])
def test_given_json_that_is_not_an_object_then_400_on_the_body(
    owner_api: ApiClient, raw: str
) -> None:
    response = _post_raw(owner_api, "/org/regions", raw)

    assert response.status_code == 400
    assert [f["field"] for f in _shape(response)["fields"]] == ["body"]


def test_given_an_unknown_field_then_400_names_it(owner_api: ApiClient) -> None:
    response = owner_api.post("/org/regions", {"code": "X", "name": "x", "colour": "red"})

    assert response.status_code == 400
    body = _shape(response)
    assert body["code"] == "invalid"
    assert [(f["field"], f["code"]) for f in body["fields"]] == [("colour", "extra_forbidden")]
    assert not Region.objects.filter(code="X").exists()


def test_given_missing_and_wrongly_typed_fields_then_each_is_named(owner_api: ApiClient) -> None:
    response = owner_api.post("/org/locations", {"name": "x", "day_cutoff_hour": "soon"})

    assert response.status_code == 400
    assert [(f["field"], f["code"]) for f in _shape(response)["fields"]] == [
        ("code", "missing"),
        ("day_cutoff_hour", "int_parsing"),
    ]


def test_given_a_bad_query_parameter_then_400_names_it(owner_api: ApiClient) -> None:
    response = owner_api.get("/org/locations?page_size=100000")

    assert response.status_code == 400
    assert [(f["field"], f["code"]) for f in _shape(response)["fields"]] == [
        ("page_size", "less_than_equal")
    ]


@pytest.mark.parametrize("text", ["A\u0000B", "\ud800"])
def test_given_text_no_database_can_store_then_400_names_the_field(
    owner_api: ApiClient, text: str
) -> None:
    raw = json.dumps({"code": "X1", "name": text})

    response = _post_raw(owner_api, "/org/regions", raw)
    in_query = owner_api.get("/org/locations?q=a%00b")

    assert response.status_code == 400
    assert [(f["field"], f["code"]) for f in _shape(response)["fields"]] == [
        ("name", "invalid_text")
    ]
    assert in_query.status_code == 400
    assert [f["field"] for f in _shape(in_query)["fields"]] == ["q"]
    assert not Region.objects.filter(code="X1").exists()


def test_given_no_credentials_then_401_on_reads_and_writes(db: None) -> None:
    # Writes are checked with CSRF enforcement on, as a browser without a session would be.
    client = Client(enforce_csrf_checks=True)

    read = client.get("/api/v1/org/locations")
    write = client.post("/api/v1/org/regions", {"code": "X"}, content_type="application/json")

    for response in (read, write):
        assert response.status_code == 401
        assert _shape(response)["code"] == "not_authenticated"
        assert response.json()["fields"] == []


def test_given_a_session_without_csrf_token_when_writing_then_403_csrf_failed(
    world: World,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)

    response = client.post(
        "/api/v1/org/regions", {"code": "X", "name": "x"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert _shape(response)["code"] == "csrf_failed"
    assert not Region.objects.filter(code="X").exists()


def test_given_a_wrong_role_then_403(world: World) -> None:
    staff = session_api(world.user("store_staff", location_id=world.store_a.pk))

    response = staff.post("/org/regions", {"code": "X", "name": "x"})

    assert response.status_code == 403
    assert _shape(response)["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/org/regions/{region}", None),
        ("patch", "/org/regions/{region}", {"name": "改"}),
        ("delete", "/org/regions/{region}", None),
        ("get", "/org/locations/{location}", None),
        ("patch", "/org/locations/{location}", {"name": "改"}),
    ],
)
def test_given_an_object_of_another_organization_then_404_exactly_as_if_it_did_not_exist(
    world: World,
    other_world: World,
    owner_api: ApiClient,
    method: str,
    path: str,
    body: Any,
) -> None:
    def call(region: int, location: int) -> Any:
        url = path.format(region=region, location=location)
        return getattr(owner_api, method)(*((url, body) if body is not None else (url,)))

    theirs = call(other_world.south.pk, other_world.store_b.pk)
    nobodys = call(999_999_999, 999_999_999)

    assert theirs.status_code == 404
    assert theirs.content == nobodys.content
    assert _shape(theirs)["code"] == "not_found"
    assert theirs.json()["fields"] == []
    other_world.south.refresh_from_db()
    other_world.store_b.refresh_from_db()
    assert (other_world.south.name, other_world.store_b.name) == ("华南", "B店")


def test_given_accept_language_zh_hans_then_the_message_is_chinese(
    world: World,
) -> None:
    staff = session_api(world.user("store_staff", location_id=world.store_a.pk))

    english = staff.post("/org/regions", {"code": "X", "name": "x"}, **{"Accept-Language": "en"})
    chinese = staff.post(
        "/org/regions", {"code": "X", "name": "x"}, **{"Accept-Language": "zh-hans"}
    )
    missing = staff.post("/org/locations", {"name": "x"}, **{"Accept-Language": "zh-hans"})

    assert english.json()["message"] == "Your role does not allow this action."
    assert chinese.json()["code"] == "permission_denied"
    assert chinese.json()["message"] == "您的角色无权执行此操作。"
    assert chinese["Content-Language"] == "zh-hans"
    assert missing.json()["fields"][0]["message"] == "此项为必填项。"


def test_given_a_multipart_body_without_boundary_from_a_session_then_400_invalid_body(
    world: World,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    client.cookies[settings.CSRF_COOKIE_NAME] = "c" * 32

    response = client.post("/api/v1/org/regions", data=b"--x--", content_type="multipart/form-data")

    assert response.status_code == 400
    assert _shape(response)["code"] == "invalid_body"


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        ("2765-06-10T15:43:10-23:28", "datetime_offset"),
        ("0515-05-22T12:25:14+08:00", "datetime_year"),
        ("0001-01-01T00:00:00+01:00", "datetime_year"),
    ],
)
def test_given_a_time_no_clock_shows_then_400_names_the_field_in_chinese(
    owner_api: ApiClient, moment: str, code: str
) -> None:
    response = owner_api.get(
        f"/inventory/moves?from={moment.replace('+', '%2B')}", **{"Accept-Language": "zh-hans"}
    )

    assert response.status_code == 400
    body = _shape(response)
    assert [(f["field"], f["code"]) for f in body["fields"]] == [("from", code)]
    assert body["fields"][0]["message"] == "日期时间超出允许范围。"
