"""Stock pages: on hand per location and an item's move history."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.inventory.conftest import Pantry, issue, receive


def test_given_stock_when_opening_on_hand_then_items_values_and_expiry_are_listed(
    pantry: Pantry, client: Client
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.oil, "1000", "0.02")
    receive(
        w.actor,
        w.store_a,
        pantry.beef,
        "500",
        "0.1",
        lot="B1",
        expiry=timezone.localdate() + dt.timedelta(days=1),
    )
    client.force_login(w.owner)

    response = client.get(
        reverse("inventory:on_hand") + f"?location={w.store_a.pk}", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "菜籽油" in html and "肥牛卷" in html
    assert "1,000 ml" in html
    assert "70.00" in html
    assert "B1" in html


def test_given_moves_when_opening_an_items_history_then_newest_first(
    pantry: Pantry, client: Client
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.oil, "1000", "0.02")
    issue(w.actor, w.store_a, pantry.oil, "250")
    client.force_login(w.owner)

    response = client.get(
        reverse("inventory:item_moves", args=[w.store_a.pk, pantry.oil.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("-250") < html.index("1,000")


def test_given_another_organizations_location_when_opening_history_then_not_found(
    pantry: Pantry, other_world: World, client: Client
) -> None:
    client.force_login(pantry.world.owner)

    response = client.get(
        reverse("inventory:item_moves", args=[other_world.store_a.pk, pantry.oil.pk])
    )

    assert response.status_code == 404
