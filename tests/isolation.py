"""Objects of another organization, by API path parameter, for the tenant-isolation walk.

Each module's tests/<module>/isolation.py registers a factory per path parameter its
operations take: given a World (built through services), make an object of that kind
in it and return its id. The walk in tests/api/test_tenant_isolation.py calls every
operation of the OpenAPI schema with the ids of organization B as a user of A, and fails
for any path parameter that has no factory here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.conftest import World

Factory = Callable[["World"], int]
FACTORIES: dict[str, Factory] = {}


def foreign(param: str) -> Callable[[Factory], Factory]:
    """Register how to make the object a path parameter names, inside a given world."""

    def register(factory: Factory) -> Factory:
        FACTORIES[param] = factory
        return factory

    return register


def load_all() -> dict[str, Factory]:
    """Import every tests/<module>/isolation.py so their factories are registered."""
    root = Path(__file__).parent
    for info in pkgutil.iter_modules([str(root)]):
        if info.ispkg and (root / info.name / "isolation.py").exists():
            importlib.import_module(f"tests.{info.name}.isolation")
    return FACTORIES
