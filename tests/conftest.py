"""Fixtures that build test data through the real services."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache
from django.test import Client
from huey.contrib.djhuey import HUEY

from boh.org import services as org
from boh.org.access import Actor, actor_for_user, system_actor
from boh.org.models import Location, Organization, Region, User

if TYPE_CHECKING:
    from playwright.sync_api import Browser

PASSWORD = "Kitchen-Pass-2026"
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _clean_cache_and_queue() -> Iterator[None]:
    cache.clear()
    HUEY.flush()
    yield
    HUEY.flush()


class World:
    """One organization with two regions, three locations and an owner, made by services."""

    def __init__(self, code: str) -> None:
        self.org: Organization = org.create_organization(code=code, name=f"{code} 餐饮集团")
        self.system: Actor = system_actor(self.org)
        self.owner: User = org.create_account(username=f"{code}-owner", password=PASSWORD)
        org.add_owner(self.org, self.owner)
        self.actor: Actor = actor_for_user(self.owner, self.org)
        self.north: Region = org.create_region(self.actor, code="N", name="华北")
        self.south: Region = org.create_region(self.actor, code="S", name="华南")
        self.store_a: Location = org.create_location(
            self.actor, code="A01", name="A店", region_id=self.north.pk
        )
        self.store_b: Location = org.create_location(
            self.actor, code="B01", name="B店", region_id=self.south.pk
        )
        self.kitchen: Location = org.create_location(
            self.actor, code="CK1", name="中央厨房", kind="central_kitchen"
        )

    def user(self, role: str, **scope: Any) -> User:
        n = next(_seq)
        user = org.create_user(
            self.actor,
            username=f"{self.org.code}-{role}-{n}",
            password=PASSWORD,
            role=role,
            **scope,
        )
        return user

    def actor_for(self, user: User) -> Actor:
        return actor_for_user(user, self.org)

    def api_key(self, role: str = "integration", **scope: Any) -> str:
        _, raw = org.create_api_key(self.actor, name=f"key {next(_seq)}", role=role, **scope)
        return raw


@pytest.fixture
def world(db: None) -> World:
    return World("acme")


@pytest.fixture
def other_world(db: None) -> World:
    return World("rival")


class ApiClient:
    """Calls /api/v1 with an API key as another system would, or with a signed-in client."""

    def __init__(self, key: str = "", *, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"X-API-Key": key} if key else {}

    def _call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        fn: Callable[..., Any] = getattr(self.client, method)
        kwargs: dict[str, Any] = {"headers": {**self.headers, **headers}}
        if body is not None:
            kwargs["data"] = body
            kwargs["content_type"] = "application/json"
        return fn(f"/api/v1{path}", **kwargs)

    def get(self, path: str, **headers: str) -> Any:
        return self._call("get", path, **headers)

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self._call("post", path, body if body is not None else {}, **headers)

    def patch(self, path: str, body: Any, **headers: str) -> Any:
        return self._call("patch", path, body, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self._call("delete", path, **headers)


@pytest.fixture
def admin_api(world: World) -> ApiClient:
    return ApiClient(world.api_key("operations"))


def session_api(user: User) -> ApiClient:
    """An ApiClient whose calls carry a signed-in browser session of user."""
    client = Client()
    client.force_login(user)
    return ApiClient(client=client)


@pytest.fixture
def owner_api(world: World) -> ApiClient:
    return session_api(world.owner)


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's headless chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # between browser steps are still plain synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu"],
            headless=True,
        )
        yield chromium
        chromium.close()
