"""Template context shared by every page: the actor, organizations and navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    return {"actor": getattr(request, "actor", None)}
