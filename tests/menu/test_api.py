"""The menu API: CRUD of the menu, recipes with versions, costing and explosion."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from boh.menu import services
from boh.menu.models import MenuCategory, RecipeVersion
from tests.conftest import ApiClient, World
from tests.menu.conftest import Kitchen
from tests.menu.test_costing import prices, standard_costs


def test_given_an_operations_key_then_categories_can_be_created_listed_changed_and_deleted(
    world: World, admin_api: ApiClient
) -> None:
    created = admin_api.post("/menu/categories", {"code": "HOT", "name": "热菜"})
    category_id = created.json()["id"]

    patched = admin_api.patch(f"/menu/categories/{category_id}", {"sort_order": 3})
    listed = admin_api.get("/menu/categories")
    deleted = admin_api.delete(f"/menu/categories/{category_id}")

    assert created.status_code == 201
    assert patched.json()["sort_order"] == 3
    assert [c["code"] for c in listed.json()["items"]] == ["HOT"]
    assert deleted.status_code == 204
    assert not MenuCategory.objects.filter(pk=category_id).exists()


def test_given_an_unknown_field_or_a_bad_code_then_the_api_answers_400_with_the_field(
    admin_api: ApiClient,
) -> None:
    unknown = admin_api.post("/menu/items", {"code": "M1", "name": "面", "colour": "red"})
    bad = admin_api.post("/menu/items", {"code": "M 1", "name": "面"})

    assert unknown.status_code == 400
    assert unknown.json()["fields"][0]["field"] == "colour"
    assert bad.status_code == 400
    assert [(f["field"], f["code"]) for f in bad.json()["fields"]] == [("code", "invalid_code")]


def test_given_an_integration_key_then_it_may_read_the_menu_but_not_change_it(
    kitchen: Kitchen,
) -> None:
    api = ApiClient(kitchen.world.api_key("integration"))

    listed = api.get("/menu/items")
    refused = api.post("/menu/items", {"code": "M9", "name": "面"})

    assert listed.status_code == 200
    assert [i["code"] for i in listed.json()["items"]] == ["M01"]
    assert refused.status_code == 403


def test_given_a_menu_built_through_the_api_then_items_options_and_codes_read_back(
    kitchen: Kitchen, admin_api: ApiClient
) -> None:
    group = admin_api.post(
        "/menu/modifier-groups", {"code": "EXTRA", "name": "加料", "max_choices": 3}
    ).json()
    option = admin_api.post(
        f"/menu/modifier-groups/{group['id']}/options",
        {
            "code": "BEEF",
            "name": "加牛肉",
            "price_delta": "8.00",
            "lines": [{"item_id": kitchen.beef.pk, "quantity": "80", "unit": "g"}],
        },
    )
    item = admin_api.post(
        "/menu/items",
        {"code": "M30", "name": "红烧牛肉面", "modifier_group_ids": [group["id"]]},
    )
    price = admin_api.post(
        f"/menu/items/{item.json()['id']}/prices",
        {"channel": "eleme", "price": "42.50", "effective_from": "2026-01-01"},
    )
    code = admin_api.post(
        "/menu/pos-codes", {"source": "eleme", "code": "SKU-30", "menu_item_id": item.json()["id"]}
    )
    option_code = admin_api.post(
        "/menu/pos-codes", {"source": "eleme", "code": "ADD-1", "option_id": option.json()["id"]}
    )

    assert [r.status_code for r in (option, item, price, code, option_code)] == [201] * 5
    assert option.json()["lines"][0]["base_quantity"] == "80.000"
    assert item.json()["modifier_group_ids"] == [group["id"]]
    assert price.json()["price"] == "42.50"
    assert admin_api.get("/menu/pos-codes?source=eleme").json()["count"] == 2


def test_given_a_recipe_through_the_api_then_versions_cost_and_allergens_read_back(
    kitchen: Kitchen, admin_api: ApiClient
) -> None:
    standard_costs(kitchen)
    prices(kitchen)
    recipe_id = RecipeVersion.objects.get(recipe__menu_item=kitchen.noodles).recipe_id

    version = admin_api.post(
        f"/menu/recipes/{recipe_id}/versions",
        {
            "effective_from": "2026-06-01",
            "lines": [
                {"item_id": kitchen.beef.pk, "quantity": "0.3", "unit": "斤", "yield_pct": "75"},
                {"item_id": kitchen.dough.pk, "quantity": "200", "unit": "g"},
                {"item_id": kitchen.broth.pk, "quantity": "0.5", "unit": "l"},
                {"item_id": kitchen.coriander.pk, "quantity": "5", "unit": "g"},
            ],
        },
    )
    versions = admin_api.get(f"/menu/recipes/{recipe_id}/versions")
    cost = admin_api.get(f"/menu/items/{kitchen.noodles.pk}/cost?on=2026-06-01")

    assert version.status_code == 201
    assert [v["effective_from"] for v in versions.json()["items"]] == ["2026-06-01", "2026-01-01"]
    body = cost.json()
    assert cost.status_code == 200
    assert (body["version_id"], body["cost"], body["complete"]) == (
        version.json()["id"],
        "30.9640",
        True,
    )
    assert [(line["item_code"], line["cost"]) for line in body["lines"]] == [
        ("BEEF", "24.0000"),
        ("DOUGH", "1.7640"),
        ("BROTH", "5.0000"),
        ("CORI", "0.2000"),
    ]
    assert [(p["channel"], p["food_cost_pct"]) for p in body["prices"]] == [
        ("dine_in", "53.39"),
        ("meituan", "45.54"),
    ]
    assert body["allergens"] == ["gluten", "eggs", "soybeans", "celery"]


def test_given_a_version_with_a_bad_line_then_the_api_names_the_line(
    kitchen: Kitchen, admin_api: ApiClient
) -> None:
    recipe_id = RecipeVersion.objects.get(recipe__menu_item=kitchen.noodles).recipe_id

    response = admin_api.post(
        f"/menu/recipes/{recipe_id}/versions",
        {
            "effective_from": "2026-06-01",
            "lines": [{"item_id": kitchen.egg.pk, "quantity": "1", "unit": "kg"}],
        },
    )

    assert response.status_code == 400
    assert [(f["field"], f["code"]) for f in response.json()["fields"]] == [
        ("lines[0].unit", "unit_dimension_mismatch")
    ]


def test_given_sold_lines_then_the_explode_endpoint_answers_base_quantities(
    kitchen: Kitchen, admin_api: ApiClient
) -> None:
    response = admin_api.post(
        "/menu/explode",
        {
            "business_date": "2026-02-01",
            "lines": [{"menu_item_id": kitchen.noodles.pk, "quantity": "2"}],
        },
    )

    items = {row["item_id"]: row["quantity"] for row in response.json()["items"]}
    assert response.status_code == 200
    assert items[kitchen.beef.pk] == "400.000"
    assert items[kitchen.egg.pk] == "1.600"


def test_given_cost_snapshots_then_the_cost_movers_endpoint_lists_the_dish(
    kitchen: Kitchen, admin_api: ApiClient
) -> None:
    import datetime as dt

    from boh.menu.selectors import business_today

    world = kitchen.world
    standard_costs(kitchen)
    today = business_today(world.org)
    services.snapshot_recipe_costs(world.actor, on=today - dt.timedelta(days=7))
    services.set_standard_cost(world.actor, item_id=kitchen.beef.pk, unit_cost=Decimal("0.15"))
    services.snapshot_recipe_costs(world.actor, on=today)

    response = admin_api.get("/menu/cost-movers?days=7&threshold=5")

    assert response.status_code == 200
    body: list[dict[str, Any]] = response.json()
    assert [(m["code"], m["change"], m["change_pct"], m["item_code"]) for m in body] == [
        ("M01", "6.0000", "19.38", "BEEF")
    ]


def test_given_another_organizations_ids_then_every_menu_path_answers_404(
    kitchen: Kitchen, other_world: World
) -> None:
    api = ApiClient(other_world.api_key("operations"))
    recipe = RecipeVersion.objects.get(recipe__menu_item=kitchen.noodles)

    answers = [
        api.get(f"/menu/items/{kitchen.noodles.pk}").status_code,
        api.get(f"/menu/items/{kitchen.noodles.pk}/cost").status_code,
        api.get(f"/menu/recipes/{recipe.recipe_id}/versions/{recipe.pk}").status_code,
        api.delete(f"/menu/items/{kitchen.noodles.pk}").status_code,
        api.post(
            "/menu/explode",
            {"business_date": "2026-02-01", "lines": [{"menu_item_id": kitchen.noodles.pk}]},
        ).status_code,
    ]

    assert answers == [404, 404, 404, 404, 400]


def test_given_settings_then_the_cost_basis_can_be_read_and_chosen(admin_api: ApiClient) -> None:
    before = admin_api.get("/menu/settings").json()
    changed = admin_api.patch("/menu/settings", {"cost_basis": "standard"}).json()
    refused = admin_api.patch("/menu/settings", {"cost_basis": "magic"})

    assert before == {"cost_basis": "average", "cost_bases": ["average", "standard"]}
    assert changed["cost_basis"] == "standard"
    assert refused.status_code == 400
