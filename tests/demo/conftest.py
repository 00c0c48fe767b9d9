"""The small demo chain, loaded once for the simulator's tests and rolled back at the end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test.utils import override_settings

from boh.demo import services as demo
from boh.demo.chain import DemoChain


@pytest.fixture(scope="module")
def small_chain(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoChain]:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield demo.load_demo_chain(size="small", days=0)
        transaction.set_rollback(True)
