"""Request ids on every log line, and replay of API POSTs that carry an Idempotency-Key."""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.log import log_response
from django.utils.translation import gettext as _

from boh.core.logging import request_id_var
from boh.core.models import IdempotencyRecord

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = {"POST", "PUT", "PATCH"}
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:/+=-]{1,64}")
NOT_REPLAYED = {401, 403, 429}


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        # A caller's id is kept only when it cannot forge log lines or break a header.
        rid = incoming if REQUEST_ID_RE.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django logs refused requests after the middleware has returned; log them
                # here instead, while the request id is still set, so the line carries it.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = rid
        return response


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "fields": []}, status=status)


def request_identity(request: HttpRequest) -> str | None:
    """Who is calling, as far as idempotency is concerned: an API key, or a session."""
    key = request.headers.get("X-API-Key", "")
    auth = request.headers.get("Authorization", "")
    if not key and auth.lower().startswith("bearer "):
        key = auth[7:].strip()
    if key:
        return "key:" + hashlib.sha256(key.encode()).hexdigest()
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if session_key:
        return "session:" + hashlib.sha256(session_key.encode()).hexdigest()
    return None


def request_hash(request: HttpRequest) -> str:
    """What makes two requests the same: method, path with query, and the body's content."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        # Uploads may be larger than what Django keeps in memory: hash the parsed parts,
        # reading files in chunks, and rewind them for the view.
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(repr((name, upload.name, upload.size)).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


class IdempotencyMiddleware:
    """The first response to (caller, Idempotency-Key) is kept and returned for retries.

    The same key with a different body is refused with 409, so a client bug cannot
    silently apply two different requests under one key.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key", "")
        if (
            not key
            or request.method not in IDEMPOTENT_METHODS
            or not request.path.startswith("/api/")
        ):
            return self.get_response(request)
        if len(key) > 255:
            return _error(400, "idempotency_key_invalid", _("Idempotency-Key is too long."))
        if not key.isprintable():
            return _error(
                400, "idempotency_key_invalid", _("Idempotency-Key may hold printable text only.")
            )
        identity = request_identity(request)
        if identity is None:
            return self.get_response(request)

        try:
            body_hash = request_hash(request)
        except RequestDataTooBig:
            return _error(400, "body_too_large", _("The request body is too large."))
        expired = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
        IdempotencyRecord.objects.filter(
            identity=identity, key=key, created_at__lt=expired
        ).delete()
        existing = IdempotencyRecord.objects.filter(identity=identity, key=key).first()
        if existing is not None:
            return self._replay(existing, body_hash)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    identity=identity,
                    key=key,
                    method=request.method or "",
                    path=request.path[:500],
                    body_hash=body_hash,
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(identity=identity, key=key).first()
            if existing is None:
                return _error(
                    409, "idempotency_in_progress", _("A request with this key is in progress.")
                )
            return self._replay(existing, body_hash)

        response = self.get_response(request)
        if response.status_code >= 500 or response.status_code in NOT_REPLAYED:
            record.delete()
            return response
        record.status = response.status_code
        record.content_type = response.get("Content-Type", "application/json")[:100]
        record.body = bytes(getattr(response, "content", b""))
        record.save(update_fields=["status", "content_type", "body"])
        return response

    def _replay(self, record: IdempotencyRecord, body_hash: str) -> HttpResponse:
        if record.body_hash != body_hash:
            return _error(
                409,
                "idempotency_key_reused",
                _("This Idempotency-Key was used with a different request body."),
            )
        if record.status is None:
            return _error(
                409, "idempotency_in_progress", _("A request with this key is in progress.")
            )
        response = HttpResponse(
            bytes(record.body or b""), status=record.status, content_type=record.content_type
        )
        response["Idempotent-Replayed"] = "true"
        logger.info("replayed idempotent %s %s", record.method, record.path)
        return response
