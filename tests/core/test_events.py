"""Domain events reach subscribers only once the announcing transaction has committed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from boh.core import events
from boh.core.models import DomainEvent
from boh.core.services import emit_event

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heard() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    received: list[tuple[str, dict[str, Any]]] = []

    def listener(name: str, payload: dict[str, Any]) -> None:
        received.append((name, payload))

    events.subscribe("test.fact", listener)
    yield received
    events._handlers["test.fact"].remove(listener)


def test_given_a_committed_event_then_subscribers_hear_it_once(
    heard: list[tuple[str, dict[str, Any]]],
) -> None:
    with transaction.atomic():
        event = emit_event("test.fact", {"qty": 1}, organization_id=None, actor=None)
        assert heard == []

    assert heard == [("test.fact", {"qty": 1, "event_id": event.pk})]


def test_given_a_rolled_back_event_then_nobody_hears_it_and_no_row_stays(
    heard: list[tuple[str, dict[str, Any]]],
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        emit_event("test.fact", {"qty": 1}, organization_id=None, actor=None)
        raise RuntimeError("the write failed")

    assert heard == []
    assert DomainEvent.objects.count() == 0


def test_given_a_failing_subscriber_then_the_others_still_hear_the_event(
    heard: list[tuple[str, dict[str, Any]]],
) -> None:
    def broken(name: str, payload: dict[str, Any]) -> None:
        raise ValueError("subscriber bug")

    events.subscribe("test.fact", broken)
    try:
        with transaction.atomic():
            emit_event("test.fact", {}, organization_id=None, actor=None)
    finally:
        events._handlers["test.fact"].remove(broken)

    assert len(heard) == 1
