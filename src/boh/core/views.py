"""Health endpoints for load balancers and orchestrators."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET
from huey.contrib import djhuey

logger = logging.getLogger(__name__)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving requests."""
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """The database and the job queue both answer; 503 naming the one that does not."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        logger.error("readiness: database unreachable: %s", exc.__class__.__name__)
        checks["database"] = "unreachable"
    try:
        # Looked up on each call, so the queue in use is the one configured now.
        djhuey.HUEY.pending_count()
        checks["queue"] = "ok"
    except Exception as exc:
        logger.error("readiness: job queue unreachable: %s", exc.__class__.__name__)
        checks["queue"] = "unreachable"
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503
    )
