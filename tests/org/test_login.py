"""Signing in: repeated failures lock an account and an address for a while, even if right."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings

from boh.core.errors import BohError
from boh.org.auth import client_ip, sign_in
from tests.conftest import PASSWORD, World


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> int:
    response = client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    return int(response.status_code)


def test_given_the_right_password_when_signing_in_then_redirected_with_a_session(
    world: World,
) -> None:
    client = Client()

    status = _login(client, world.owner.username, PASSWORD)

    assert status == 302
    assert client.get("/api/v1/org/me").json()["user_id"] == world.owner.pk


def test_given_n_failures_for_an_account_when_the_right_password_follows_then_429(
    world: World,
) -> None:
    client = Client()
    limit = settings.LOGIN_MAX_FAILURES

    failures = [_login(client, world.owner.username, "wrong") for _ in range(limit)]
    right = _login(client, world.owner.username, PASSWORD)
    from_elsewhere = _login(Client(), world.owner.username, PASSWORD, ip="10.9.9.9")

    assert failures == [401] * limit
    assert right == 429
    assert from_elsewhere == 429
    assert client.get("/api/v1/org/me").status_code == 401


def test_given_a_locked_account_then_other_accounts_from_the_same_address_still_sign_in(
    world: World,
) -> None:
    other = world.user("store_manager", location_id=world.store_a.pk)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(Client(), world.owner.username, "wrong")

    assert _login(Client(), other.username, PASSWORD) == 302


def test_given_many_failures_from_one_address_across_accounts_then_that_address_gets_429(
    world: World,
) -> None:
    # given failures spread over accounts, none of them reaching the per-account limit
    per_account = settings.LOGIN_MAX_FAILURES - 1
    names = [f"guess-{i}" for i in range(settings.LOGIN_MAX_FAILURES * 4 // per_account + 1)]
    statuses = [
        _login(Client(), name, "wrong", ip="10.6.6.6") for name in names for _ in range(per_account)
    ]

    # when
    same_address = _login(Client(), world.owner.username, PASSWORD, ip="10.6.6.6")
    other_address = _login(Client(), world.owner.username, PASSWORD, ip="10.7.7.7")

    # then
    assert statuses[: settings.LOGIN_MAX_FAILURES * 4] == [401] * (settings.LOGIN_MAX_FAILURES * 4)
    assert set(statuses[settings.LOGIN_MAX_FAILURES * 4 :]) == {429}
    assert same_address == 429
    assert other_address == 302


def test_given_failures_below_the_limit_when_signing_in_then_the_account_count_restarts(
    world: World,
) -> None:
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.2")
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        with pytest.raises(BohError):
            sign_in(request, world.owner.username, "wrong")

    user = sign_in(request, world.owner.username, PASSWORD)
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        with pytest.raises(BohError) as refused:
            sign_in(request, world.owner.username, "wrong")

    assert user.pk == world.owner.pk
    assert (refused.value.status, refused.value.code) == (401, "invalid_credentials")


def test_given_a_locked_account_when_signing_in_directly_then_too_many_attempts(
    world: World,
) -> None:
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.3")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        with pytest.raises(BohError):
            sign_in(request, world.owner.username.upper(), "wrong")

    with pytest.raises(BohError) as refused:
        sign_in(request, world.owner.username, PASSWORD)

    assert (refused.value.status, refused.value.code) == (429, "too_many_attempts")


def test_given_an_inactive_user_when_signing_in_then_refused_like_a_wrong_password(
    world: World,
) -> None:
    world.owner.is_active = False
    world.owner.save(update_fields=["is_active"])

    assert _login(Client(), world.owner.username, PASSWORD) == 401


def test_given_a_proxy_when_reading_the_client_address_then_only_its_own_hop_is_trusted() -> None:
    factory = RequestFactory()
    spoofed = factory.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.7", REMOTE_ADDR="10.0.0.1")
    garbage = factory.get("/", HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="10.0.0.1")

    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        behind_proxy = (client_ip(spoofed), client_ip(garbage))
    with override_settings(SECURE_PROXY_SSL_HEADER=None):
        direct = client_ip(spoofed)

    assert behind_proxy == ("10.0.0.7", "10.0.0.1")
    assert direct == "10.0.0.1"
