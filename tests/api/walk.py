"""Helpers to walk the OpenAPI schema: operations, minimal valid inputs, rows per organization."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, Q
from hypothesis import find
from hypothesis import strategies as st

from boh.api import api

_seq = itertools.count(1)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any] = field(compare=False, repr=False)

    @property
    def path_params(self) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p["in"] == "path"]

    @property
    def query_params(self) -> list[dict[str, Any]]:
        return [p for p in self.spec.get("parameters", []) if p["in"] == "query"]

    @property
    def body_schema(self) -> dict[str, Any] | None:
        content = self.spec.get("requestBody", {}).get("content", {})
        json_body = content.get("application/json")
        return json_body["schema"] if json_body else None

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def schema() -> dict[str, Any]:
    return dict(api.get_openapi_schema())


def operations() -> list[Operation]:
    """Every operation the API publishes, in schema order."""
    return [
        Operation(method, path, spec)
        for path, ops in schema()["paths"].items()
        for method, spec in ops.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


class Examples:
    """Minimal inputs that satisfy an operation's schema, with chosen values for id fields."""

    def __init__(self, ids: dict[str, int], *, fill_arrays: bool = True) -> None:
        self.components = schema().get("components", {}).get("schemas", {})
        self.ids = ids
        self.fill_arrays = fill_arrays

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.components[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def value(self, node: dict[str, Any], name: str = "", *, full: bool = False) -> Any:
        node = self.resolve(node)
        if "enum" in node:
            return node["enum"][0]
        if "const" in node:
            return node["const"]
        for key in ("anyOf", "oneOf"):
            if key in node:
                options = [o for o in node[key] if self.resolve(o).get("type") != "null"]
                return self.value(options[0], name, full=full)
        if "allOf" in node:
            return self.value(node["allOf"][0], name, full=full)
        kind = node.get("type")
        if name in self.ids and kind in {"integer", None}:
            return self.ids[name]
        if kind == "integer":
            return self._number(node, 1)
        if kind == "number":
            return self._number(node, 1)
        if kind == "boolean":
            return False
        if kind == "string":
            return self._string(node)
        if kind == "array":
            item = self.value(node.get("items", {}), name, full=full)
            count = max(node.get("minItems", 0), 1 if self.fill_arrays else 0)
            return [item] * count
        if kind == "object" or "properties" in node:
            return self.object(node, full=full)
        return None

    def concrete(self, node: dict[str, Any]) -> dict[str, Any]:
        """The schema a value must follow: references followed, the non-null option chosen."""
        node = self.resolve(node)
        for key in ("anyOf", "oneOf"):
            if key in node:
                options = [o for o in node[key] if self.resolve(o).get("type") != "null"]
                return self.concrete(options[0])
        if "allOf" in node:
            return self.concrete(node["allOf"][0])
        return node

    def with_value(self, node: dict[str, Any], current: Any, path: str, value: Any) -> Any:
        """current with the dotted path set to value; containers on the way get their
        required fields, arrays one item."""
        node = self.concrete(node)
        head, _, rest = path.partition(".")
        if head.isdigit():
            item_schema = node.get("items", {})
            items = list(current) if current else [self.value(item_schema)]
            items[0] = self.with_value(item_schema, items[0], rest, value) if rest else value
            return items
        result = dict(current) if isinstance(current, dict) else self.object(node)
        child = node.get("properties", {}).get(head, {})
        result[head] = self.with_value(child, result.get(head), rest, value) if rest else value
        return result

    def object(self, node: dict[str, Any], *, full: bool = False) -> dict[str, Any]:
        node = self.resolve(node)
        wanted = node.get("properties", {}) if full else node.get("required", [])
        return {
            key: self.value(node["properties"][key], key, full=full)
            for key in wanted
            if key in node.get("properties", {})
        }

    @staticmethod
    def _number(node: dict[str, Any], default: int) -> int:
        value = default
        if "minimum" in node:
            value = max(value, int(node["minimum"]))
        if "exclusiveMinimum" in node:
            value = max(value, int(node["exclusiveMinimum"]) + 1)
        if "maximum" in node:
            value = min(value, int(node["maximum"]))
        return value

    @staticmethod
    def _string(node: dict[str, Any]) -> str:
        fmt = node.get("format")
        fixed = {
            "date": "2026-03-02",
            "date-time": "2026-03-02T09:30:00+08:00",
            "time": "09:30:00",
            "email": "cook@example.com",
            "uuid": "6f1c2a6e-8d1b-4b7a-9a55-0c3f4e2d1b10",
            "uri": "https://example.com/",
        }
        if fmt in fixed:
            return fixed[fmt]
        low, high = node.get("minLength", 1), node.get("maxLength", 40)
        if "pattern" in node:
            return str(
                find(
                    st.from_regex(node["pattern"], fullmatch=True),
                    lambda s: low <= len(s) <= high,
                )
            )
        text = f"T{next(_seq)}"
        return (text * (low // len(text) + 1))[: max(low, min(len(text), high))]


def id_paths(
    node: dict[str, Any], names: set[str], ex: Examples, prefix: str = ""
) -> Iterator[str]:
    """Dotted paths (arrays as .0) of properties named like a registered id parameter."""
    node = ex.resolve(node)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            yield from id_paths(option, names, ex, prefix)
    if node.get("type") == "array":
        yield from id_paths(node.get("items", {}), names, ex, f"{prefix}0.")
    for key, child in node.get("properties", {}).items():
        if key in names:
            yield f"{prefix}{key}"
        else:
            yield from id_paths(child, names, ex, f"{prefix}{key}.")


def _org_lookups(model: type[Model], depth: int = 3) -> list[str]:
    """Lookups from model to an organization id, following foreign keys up to depth hops."""
    names = {f.name for f in model._meta.concrete_fields}
    if "organization" in names or "organization_id" in names:
        return ["organization_id"]
    if depth == 0:
        return []
    lookups: list[str] = []
    for f in model._meta.concrete_fields:
        target = getattr(f, "related_model", None)
        if target is not None and f.is_relation and target is not model:
            lookups += [f"{f.name}__{rest}" for rest in _org_lookups(target, depth - 1)]
    return lookups


def rows_of(organization_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of every BOH table that belongs to the organization, as plain values."""
    result: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("boh."):
            continue
        lookups = _org_lookups(model)
        if model._meta.label_lower == "org.user":
            query = Q(memberships__organization_id=organization_id)
        elif lookups:
            query = Q()
            for lookup in lookups:
                query |= Q(**{lookup: organization_id})
        else:
            continue
        rows = model._default_manager.filter(query).distinct().order_by("pk").values()
        result[model._meta.label_lower] = list(rows)
    return result


def _comparable(value: Any) -> bool:
    return isinstance(value, str | int | bool)


def matches(item: dict[str, Any], row: dict[str, Any]) -> bool:
    """The JSON object plausibly shows this row: same id and every shared plain field equal."""
    shared = [
        k for k in item if k != "id" and k in row and _comparable(item[k]) and _comparable(row[k])
    ]
    return bool(shared) and all(item[k] == row[k] for k in shared)


def objects_in(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object with an integer id, anywhere in a response."""
    if isinstance(data, dict):
        if isinstance(data.get("id"), int):
            yield data
        for value in data.values():
            yield from objects_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from objects_in(value)
