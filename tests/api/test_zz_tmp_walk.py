from typing import Any
import pytest
from django.db import transaction
from django.test import Client
from tests.api import test_tenant_isolation as iso
from tests.conftest import ApiClient, World
from tests.isolation import load_all


@pytest.fixture
def worlds(world: World, other_world: World):
    f = load_all()
    made = {"A": {}, "B": {}}
    for label, target in (("A", world), ("B", other_world)):
        for name, factory in sorted(f.items()):
            try:
                with transaction.atomic():
                    made[label][name] = factory(target)
            except Exception as exc:
                print("BROKEN", name, exc)
    return world, other_world, made["A"], made["B"]


def test_owner(worlds: Any) -> None:
    client = Client()
    client.force_login(worlds[0].owner)
    problems = iso._walk(client, {}, worlds, allowed={404})
    assert problems == [], "\n".join(problems)


def test_key(worlds: Any) -> None:
    key = ApiClient(worlds[0].api_key("operations"))
    problems = iso._walk(key.client, key.headers, worlds, allowed={403, 404})
    assert problems == [], "\n".join(problems)


test_body = iso.test_given_a_body_field_naming_an_object_of_b_when_a_writes_then_400_not_found_on_it
