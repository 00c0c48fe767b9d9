"""Menu pages: the list, a dish with its recipe and cost, the recipe editor, cost movers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.test import Client

from boh.menu import services
from boh.menu.models import RecipeLine, RecipeVersion
from boh.menu.selectors import business_today
from tests.conftest import World
from tests.menu.conftest import Kitchen
from tests.menu.test_costing import prices, standard_costs

PO = Path(__file__).parents[2] / "src/boh/menu/locale/zh_Hans/LC_MESSAGES/django.po"


def client_for(world: World, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(world.owner)
    return client


def test_given_menu_items_when_listing_then_each_links_to_its_page(kitchen: Kitchen) -> None:
    html = client_for(kitchen.world).get("/menu/?q=noodles").content.decode()

    assert f'href="/menu/items/{kitchen.noodles.pk}/"' in html
    assert "牛肉面" in html


def test_given_a_dish_when_opening_it_then_recipe_cost_food_cost_and_allergens_show(
    kitchen: Kitchen,
) -> None:
    standard_costs(kitchen)
    prices(kitchen)

    response = client_for(kitchen.world).get(
        f"/menu/items/{kitchen.noodles.pk}/?location_id=&on=2026-02-01"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "0.5 l" in html and "500 ml" in html
    assert "150 g" in html and "75" in html and "200 g" in html
    assert re.search(r'id="portion-cost"><strong>Cost per portion: ¥30\.96', html)
    assert "53.39%" in html and "45.54%" in html
    for allergen in ("Cereals containing gluten", "Eggs", "Soybeans", "Celery"):
        assert allergen in html


def test_given_chinese_when_opening_a_dish_then_the_page_is_in_chinese(kitchen: Kitchen) -> None:
    html = client_for(kitchen.world, "zh-hans").get(f"/menu/items/{kitchen.noodles.pk}/").content
    text = html.decode()

    assert "配方" in text
    assert "过敏原" in text


def test_given_the_editor_when_a_line_is_removed_and_one_added_then_a_new_version_starts(
    kitchen: Kitchen,
) -> None:
    client = client_for(kitchen.world)
    page = client.get(f"/menu/items/{kitchen.noodles.pk}/recipe/")
    start = business_today(kitchen.world.org) + dt.timedelta(days=1)
    form = {
        "effective_from": start.isoformat(),
        "note": "less beef",
        "line-0-item": str(kitchen.beef.pk),
        "line-0-quantity": "0.25",
        "line-0-unit": "斤",
        "line-0-yield": "75",
        "line-1-item": str(kitchen.coriander.pk),
        "line-1-quantity": "5",
        "line-1-unit": "g",
        "line-1-yield": "100",
        "line-1-remove": "1",
        "line-2-item": str(kitchen.soy.pk),
        "line-2-quantity": "10",
        "line-2-unit": "ml",
        "line-2-yield": "100",
        "line-3-item": "",
        "line-3-quantity": "",
        "line-3-unit": "",
        "line-3-yield": "100",
    }

    response = client.post(f"/menu/items/{kitchen.noodles.pk}/recipe/", form)

    assert page.status_code == 200
    assert page.content.decode().count('class="recipe-row') == 6
    assert response.status_code == 302
    version = RecipeVersion.objects.get(recipe__menu_item=kitchen.noodles, effective_from=start)
    assert list(version.lines.values_list("item__code", "unit", "base_quantity")) == [
        ("BEEF", "斤", 125),
        ("SOY", "ml", 10),
    ]


def test_given_a_bad_line_in_the_editor_then_the_row_shows_the_error_and_nothing_is_saved(
    kitchen: Kitchen,
) -> None:
    client = client_for(kitchen.world)
    lines_before = RecipeLine.objects.count()

    response = client.post(
        f"/menu/items/{kitchen.noodles.pk}/recipe/",
        {
            "effective_from": "2026-12-31",
            "line-0-item": str(kitchen.egg.pk),
            "line-0-quantity": "2",
            "line-0-unit": "kg",
            "line-0-yield": "100",
        },
    )

    assert response.status_code == 400
    assert "cannot be converted" in response.content.decode()
    assert RecipeLine.objects.count() == lines_before


def test_given_the_editor_when_adding_a_line_then_htmx_gets_a_blank_row(kitchen: Kitchen) -> None:
    html = client_for(kitchen.world).get("/menu/recipe-line/?index=7").content.decode()

    assert 'name="line-7-item"' in html
    assert 'name="line-7-unit"' in html


def test_given_a_store_manager_when_opening_the_editor_then_it_is_refused(
    kitchen: Kitchen,
) -> None:
    world = kitchen.world
    manager = world.user("store_manager", location_id=world.store_a.pk)
    client = Client(headers={"accept-language": "en"})
    client.force_login(manager)

    response = client.get(f"/menu/items/{kitchen.noodles.pk}/recipe/")

    assert response.status_code == 403


def test_given_a_cost_move_when_opening_cost_movers_then_the_dish_and_beef_show(
    kitchen: Kitchen,
) -> None:
    world = kitchen.world
    standard_costs(kitchen)
    today = business_today(world.org)
    services.snapshot_recipe_costs(world.actor, on=today - dt.timedelta(days=7))
    services.set_standard_cost(world.actor, item_id=kitchen.beef.pk, unit_cost=150, unit="kg")
    services.snapshot_recipe_costs(world.actor, on=today)

    html = client_for(world).get("/menu/cost-movers/?location_id=&days=7&threshold=5").content
    text = html.decode()

    assert "牛肉面" in text
    assert "(19.38%)" in text
    assert "牛腱肉: ¥24.00 → ¥30.00" in text


def test_given_the_menu_catalog_then_every_entry_is_translated() -> None:
    po = PO.read_text("utf-8")
    entries = [e for e in po.split("\n\n") if "msgid" in e and not e.lstrip().startswith("#~")]

    untranslated = [
        e for e in entries[1:] if re.search(r'^msgstr(\[0\])? ""\n?(?!")', e + "\n", re.M)
    ]

    assert len(entries) > 100
    assert untranslated == []
    assert "#, fuzzy" not in po
