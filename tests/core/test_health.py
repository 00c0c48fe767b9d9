"""Health endpoints: liveness always, readiness only when the database and the queue answer."""

from __future__ import annotations

import pytest
from django.test import Client
from huey import RedisHuey
from huey.contrib import djhuey


def test_healthz_answers_ok_without_touching_anything() -> None:
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_given_database_and_queue_up_then_readyz_is_200(db: None) -> None:
    response = Client().get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok"}


def test_given_an_unreachable_queue_then_readyz_is_503_naming_the_queue(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(djhuey, "HUEY", RedisHuey("boh-ready", url="redis://127.0.0.1:1/0"))

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "queue": "unreachable"}


def test_health_endpoints_refuse_writes() -> None:
    assert Client().post("/healthz").status_code == 405
