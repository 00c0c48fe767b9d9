"""Tenant isolation over the whole API: organization A can neither see nor touch B's objects.

The walk reads the published OpenAPI schema, so an operation added by any module is covered
as soon as it exists. For each path parameter it needs a factory registered with
`@foreign("<param>")` in tests/<module>/isolation.py; a missing one fails by name.

As A's owner (and as A's API key): every operation called with B's ids answers 404 (a key
may get 403 where its role lacks the permission); lists, also filtered by B's ids, show none
of B's objects; a body field naming B's object is refused (400 not_found on that field for a
collection POST); and none of B's rows changes, nor any of A's on a refusal.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client

from tests.api.walk import (
    Examples,
    Operation,
    id_paths,
    matches,
    objects_in,
    operations,
    rows_of,
)
from tests.conftest import ApiClient, World
from tests.isolation import load_all

OPERATIONS = operations()


def _call(
    client: Client,
    headers: dict[str, str],
    op: Operation,
    path_ids: dict[str, int],
    query: dict[str, Any],
    body: Any,
) -> Any:
    url = "/api/v1" + op.path.removeprefix("/api/v1").format(**path_ids)
    if query:
        url += "?" + urlencode(query)
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, op.method)(url, **kwargs)


def _required_query(op: Operation, ex: Examples) -> dict[str, Any]:
    return {
        p["name"]: ex.value(p.get("schema", {}), p["name"])
        for p in op.query_params
        if p.get("required")
    }


def _leaks(
    response: Any, theirs: dict[str, list[dict[str, Any]]], ours: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """Objects in a response that show one of B's rows and none of A's."""
    try:
        data = response.json()
    except ValueError:
        return []
    leaked = []
    for item in objects_in(data):
        theirs_hit = [
            label
            for label, rows in theirs.items()
            if any(r["id"] == item["id"] and matches(item, r) for r in rows if "id" in r)
        ]
        ours_hit = any(
            r["id"] == item["id"] and matches(item, r)
            for rows in ours.values()
            for r in rows
            if "id" in r
        )
        if theirs_hit and not ours_hit:
            leaked.append(f"{theirs_hit[0]}#{item['id']}")
    return leaked


def test_every_path_parameter_has_an_isolation_factory() -> None:
    factories = load_all()
    missing = sorted({n for op in OPERATIONS for n in op.path_params if n not in factories})

    if missing:
        users = {name: [str(op) for op in OPERATIONS if name in op.path_params] for name in missing}
        pytest.fail(
            "No tenant-isolation factory for path parameter(s) "
            + "; ".join(f"{name} (used by {', '.join(ops)})" for name, ops in users.items())
            + '. Register one with @foreign("<name>") in tests/<module>/isolation.py.',
            pytrace=False,
        )


@pytest.fixture
def worlds(world: World, other_world: World) -> tuple[World, World, dict[str, int], dict[str, int]]:
    """A and B, with one object of every registered kind in each, by path parameter name."""
    factories = load_all()
    made: dict[str, dict[str, int]] = {"A": {}, "B": {}}
    broken = []
    for label, target in (("A", world), ("B", other_world)):
        for name, factory in sorted(factories.items()):
            try:
                with transaction.atomic():
                    made[label][name] = factory(target)
            except Exception as exc:
                broken.append(f"{name} ({factory.__module__}): {exc.__class__.__name__}: {exc}")
    if broken:
        pytest.fail(
            "Tenant-isolation factories must each work in a world where every other factory "
            "has run too; these failed:\n" + "\n".join(dict.fromkeys(broken)),
            pytrace=False,
        )
    return world, other_world, made["A"], made["B"]


def _walk(client: Client, headers: dict[str, str], worlds: Any, allowed: set[int]) -> list[str]:
    a, b, ours, theirs = worlds
    problems: list[str] = []
    before = rows_of(b.org.pk)
    a_rows = rows_of(a.org.pk)
    ex = Examples(ours)

    # Operations whose path parameters lack a factory are reported by the test above.
    for op in [op for op in OPERATIONS if all(n in theirs for n in op.path_params)]:
        query = _required_query(op, ex)
        body = ex.object(op.body_schema) if op.body_schema else None
        if op.path_params:
            ids = {name: theirs[name] for name in op.path_params}
            response = _call(client, headers, op, ids, query, body)
            if response.status_code not in allowed:
                problems.append(
                    f"{op} with B's {ids}: expected {sorted(allowed)}, got "
                    f"{response.status_code} {response.content[:300]!r} (body sent: {body})"
                )
            elif response.status_code == 404 and response.json().get("fields"):
                problems.append(f"{op}: the 404 carries details {response.json()}")
        elif op.method == "get":
            response = _call(client, headers, op, {}, query, None)
            leaked = _leaks(response, before, a_rows)
            if leaked:
                problems.append(f"{op} shows B's objects: {leaked}")
            for param in op.query_params:
                if param["name"] in theirs:
                    filtered = _call(
                        client,
                        headers,
                        op,
                        {},
                        {**query, param["name"]: theirs[param["name"]]},
                        None,
                    )
                    leaked = _leaks(filtered, before, a_rows)
                    if leaked:
                        problems.append(f"{op}?{param['name']}=B's id shows B's objects: {leaked}")

    after = rows_of(b.org.pk)
    for label in sorted(set(before) | set(after)):
        if before.get(label) != after.get(label):
            problems.append(f"B's {label} rows changed during the walk")
    return problems


def test_given_an_owner_of_a_when_calling_every_operation_with_b_ids_then_404_and_b_unchanged(
    worlds: Any,
) -> None:
    a = worlds[0]
    client = Client()
    client.force_login(a.owner)

    problems = _walk(client, {}, worlds, allowed={404})

    assert problems == [], "\n".join(problems)


def test_given_an_api_key_of_a_when_calling_every_operation_with_b_ids_then_refused_and_b_unchanged(
    worlds: Any,
) -> None:
    a = worlds[0]
    key = ApiClient(a.api_key("operations"))

    problems = _walk(key.client, key.headers, worlds, allowed={403, 404})

    assert problems == [], "\n".join(problems)


def _field_name(name: str) -> str:
    # Modules name list members either "lines.0.item_id" or "lines[0].item_id"; both are read.
    return name.replace("[", ".").replace("]", "")


def test_given_a_body_field_naming_an_object_of_b_when_a_writes_then_it_is_refused(
    worlds: Any,
) -> None:
    # given A's own objects everywhere in each body, and B's object in one id field at a time
    a, b, ours, theirs = worlds
    client = Client()
    client.force_login(a.owner)
    ex = Examples(ours)
    cases = [
        (op, path)
        for op in OPERATIONS
        if op.body_schema
        and op.method in {"post", "put", "patch"}
        and all(n in ours for n in op.path_params)
        for path in sorted(set(id_paths(op.body_schema, set(theirs), ex)))
    ]
    assert cases, "the schema has no body field naming another object"
    b_before = rows_of(b.org.pk)
    problems = []

    for op, field in cases:
        a_before = {k: len(v) for k, v in rows_of(a.org.pk).items()}
        param = field.rsplit(".", 1)[-1]
        schema = op.body_schema or {}
        body = ex.with_value(schema, ex.object(schema), field, theirs[param])

        # when
        response = _call(
            client, {}, op, {n: ours[n] for n in op.path_params}, _required_query(op, ex), body
        )

        # then: a collection POST names the field; a change of an existing object of A's
        # may instead answer 404 for the object it cannot find, as long as it writes nothing
        fields = (
            {(_field_name(f["field"]), f["code"]) for f in response.json().get("fields", [])}
            if response.status_code == 400
            else set()
        )
        collection_post = op.method == "post" and not op.path_params
        if collection_post and (field, "not_found") not in fields:
            problems.append(
                f"{op} with B's {param} in {field}: expected 400 not_found on {field}, got "
                f"{response.status_code} {response.content[:300]!r} (body sent: {body})"
            )
        elif not collection_post and response.status_code not in {400, 404}:
            problems.append(
                f"{op} with B's {param} in {field}: expected 400 or 404, got "
                f"{response.status_code} {response.content[:300]!r} (body sent: {body})"
            )
        a_after = {k: len(v) for k, v in rows_of(a.org.pk).items()}
        if a_after != a_before:
            changed = sorted(k for k in a_after if a_after[k] != a_before.get(k))
            problems.append(f"{op} with B's {param} in {field} wrote A's {changed}")

    assert rows_of(b.org.pk) == b_before
    assert problems == [], "\n".join(problems)


def test_the_leak_detector_recognises_b_objects_in_a_real_list(
    world: World, other_world: World
) -> None:
    # given B's own owner listing B's locations: exactly what A must never see
    client = Client()
    client.force_login(other_world.owner)

    response = client.get("/api/v1/org/locations")

    assert sorted(_leaks(response, rows_of(other_world.org.pk), rows_of(world.org.pk))) == sorted(
        f"org.location#{loc.pk}"
        for loc in (other_world.store_a, other_world.store_b, other_world.kitchen)
    )
