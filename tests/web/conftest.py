"""Page-test helpers: browser-like clients signed in as a given user."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from boh.org.models import User

SignIn = Callable[[User], Client]


@pytest.fixture
def signed_in() -> SignIn:
    """A client with a session for user, in English so asserts read plainly."""

    def make(user: User) -> Client:
        client = Client(headers={"accept-language": "en"})
        client.force_login(user)
        return client

    return make
