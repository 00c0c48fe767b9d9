"""House rules every API operation follows, checked on the published schema of all modules."""

from __future__ import annotations

import typing
from collections import defaultdict
from typing import Any

import pydantic
from ninja.params.models import BodyModel

from boh.api import api
from tests.api.walk import Examples, operations

OPERATIONS = operations()
ERROR_STATUSES = {"400", "401", "403", "404", "409", "422", "429"}


def test_every_operation_has_a_summary_and_the_error_shape() -> None:
    problems = []

    for op in OPERATIONS:
        if not (op.spec.get("description") or "").strip():
            problems.append(f"{op}: no docstring")
        if not {str(status) for status in op.spec.get("responses", {})} >= ERROR_STATUSES:
            problems.append(f"{op}: responses lack **ERRORS")

    assert problems == [], "\n".join(problems)


def test_every_path_parameter_is_named_thing_id() -> None:
    wrong = [
        f"{op}: {name}" for op in OPERATIONS for name in op.path_params if not name.endswith("_id")
    ]

    assert wrong == []


def _loose_objects(node: Any, ex: Examples, where: str, seen: set[str]) -> list[str]:
    """Input objects that would silently ignore unknown fields."""
    if isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return _loose_objects(ex.resolve(node), ex, name, seen)
    if not isinstance(node, dict):
        return []
    found = []
    if node.get("properties") and node.get("additionalProperties") is not False:
        found.append(where)
    for key in ("items", "anyOf", "oneOf", "allOf"):
        children = node.get(key)
        for child in children if isinstance(children, list) else [children]:
            found += _loose_objects(child, ex, where, seen)
    for child in node.get("properties", {}).values():
        found += _loose_objects(child, ex, where, seen)
    return found


def test_every_request_body_refuses_unknown_fields() -> None:
    ex = Examples({})

    loose = sorted(
        {
            f"{op}: {name}"
            for op in OPERATIONS
            if op.body_schema
            for name in _loose_objects(op.body_schema, ex, "body", set())
        }
    )

    assert loose == [], "input schemas must subclass boh.core.schemas.StrictSchema"


def _nested_models(annotation: Any) -> typing.Iterator[type[pydantic.BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _nested_models(field.annotation)
    for arg in typing.get_args(annotation):
        yield from _nested_models(arg)


def _models_of_all_operations() -> typing.Iterator[type[pydantic.BaseModel]]:
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                tops = [m for m in operation.models if issubclass(m, BodyModel)]
                tops += [
                    m
                    for m in operation.response_models.values()
                    if isinstance(m, type) and issubclass(m, pydantic.BaseModel)
                ]
                for top in tops:
                    for field in top.model_fields.values():
                        yield from _nested_models(field.annotation)


def test_schema_names_are_unique_across_modules() -> None:
    # The OpenAPI components are keyed by class name: two different classes with one name
    # make the schema describe one of them wrongly for the other's operations.
    by_name: dict[str, dict[str, Any]] = defaultdict(dict)
    for model in _models_of_all_operations():
        shape = (
            model.model_json_schema(mode="validation"),
            model.model_json_schema(mode="serialization"),
        )
        by_name[model.__name__][f"{model.__module__}.{model.__qualname__}"] = shape

    clashes = {
        name: sorted(classes)
        for name, classes in by_name.items()
        if len({repr(shape) for shape in classes.values()}) > 1
    }

    assert clashes == {}
