"""Signing in with a password, throttled per account and per client address."""

from __future__ import annotations

import hashlib
import ipaddress
import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from boh.core.errors import BohError
from boh.org.models import User

logger = logging.getLogger(__name__)


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address; behind a proxy, the X-Forwarded-For hop that proxy appended."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and settings.SECURE_PROXY_SSL_HEADER:
        # Earlier hops are whatever the client chose to send; only the last one was added by
        # our own proxy, so only it can be trusted for throttling and the audit trail.
        address = _address(forwarded.split(",")[-1])
        if address:
            return address
    return _address(request.META.get("REMOTE_ADDR") or "")


def _keys(username: str, ip: str | None) -> list[str]:
    user_key = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    keys = [f"login-fail:user:{user_key}"]
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def _too_many(keys: list[str]) -> bool:
    limit = settings.LOGIN_MAX_FAILURES
    # An address may try several accounts (a shared kitchen tablet), so it gets more room.
    return any((cache.get(k) or 0) >= (limit * 4 if ":ip:" in k else limit) for k in keys)


def _count_failure(keys: list[str]) -> None:
    window = settings.LOGIN_FAILURE_WINDOW
    for k in keys:
        if cache.add(k, 1, window):
            continue
        try:
            cache.incr(k)
        except ValueError:
            cache.set(k, 1, window)


def sign_in(request: HttpRequest, username: str, password: str) -> User:
    """The user for these credentials, or an error; refuses with 429 after repeated failures."""
    ip = client_ip(request)
    keys = _keys(username, ip)
    if _too_many(keys):
        logger.warning("login throttled for an account from %s", ip)
        raise BohError(
            code="too_many_attempts",
            message=_("Too many failed sign-in attempts. Try again in a few minutes."),
            status=429,
        )
    user = authenticate(request, username=username, password=password)
    if user is None or not isinstance(user, User):
        _count_failure(keys)
        raise BohError(
            code="invalid_credentials",
            message=_("The username or password is wrong."),
            status=401,
        )
    for k in keys[:1]:
        cache.delete(k)
    return user
