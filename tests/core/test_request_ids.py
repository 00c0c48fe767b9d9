"""Every response carries a request id; a caller's own id is kept when it is safe."""

from __future__ import annotations

import logging

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("req-7f3a:retry/2", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("x\nFAKE LOG LINE", False),
        ("请求", False),
        ("", False),
    ],
)
def test_given_an_incoming_request_id_then_only_safe_ones_are_kept(sent: str, kept: bool) -> None:
    response = Client().get("/healthz", headers={"X-Request-ID": sent} if sent else {})

    rid = response["X-Request-ID"]
    assert (rid == sent) is kept
    if not kept:
        assert len(rid) == 32
        assert rid.isalnum()


def test_given_a_refused_request_then_its_log_line_carries_the_request_id(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        Client().get("/api/v1/org/me", headers={"X-Request-ID": "req-42"})

    refused = [r for r in caplog.records if r.name == "django.request"]
    assert [(r.getMessage(), r.status_code) for r in refused] == [  # type: ignore[attr-defined]
        ("Unauthorized: /api/v1/org/me", 401)
    ]
    assert refused[0].request_id == "req-42"  # type: ignore[attr-defined]
