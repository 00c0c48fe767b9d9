"""The catalog API: CRUD, nested packs and barcodes, conversion, filters, paging, query counts."""

from __future__ import annotations

from typing import Any

import pytest

from boh.catalog import services
from boh.catalog.models import Item, Pack, StockLevel
from tests.conftest import ApiClient, World


def _fields(response: Any) -> list[tuple[str, str]]:
    return [(f["field"], f["code"]) for f in response.json()["fields"]]


def test_given_an_item_body_when_posted_then_201_with_pinyin_and_it_reads_back(
    world: World, admin_api: ApiClient
) -> None:
    # given
    meat = services.create_category(world.actor, code="MEAT", name="肉类")

    # when
    created = admin_api.post(
        "/catalog/items",
        {
            "code": "BEEF01",
            "name": "肥牛卷",
            "name_en": "Sliced beef",
            "base_unit": "g",
            "category_id": meat.pk,
            "storage": "frozen",
            "shelf_life_days": 180,
            "allergens": ["milk"],
        },
    )

    # then
    assert created.status_code == 201
    body = created.json()
    item = Item.objects.get(code="BEEF01")
    assert body["id"] == item.pk
    assert {k: body[k] for k in ("pinyin", "base_unit", "storage", "allergens", "packs")} == {
        "pinyin": "fnj",
        "base_unit": "g",
        "storage": "frozen",
        "allergens": ["milk"],
        "packs": [],
    }
    assert body["category"] == {"id": meat.pk, "code": "MEAT", "name": "肉类"}
    assert admin_api.get(f"/catalog/items/{item.pk}").json() == body


def test_given_unknown_fields_or_bad_values_when_posting_an_item_then_400_naming_them(
    admin_api: ApiClient,
) -> None:
    unknown = admin_api.post(
        "/catalog/items", {"code": "A", "name": "甲", "base_unit": "g", "x": 1}
    )
    bad = admin_api.post("/catalog/items", {"code": "A", "name": "甲", "base_unit": "kg"})

    assert (unknown.status_code, _fields(unknown)) == (400, [("x", "extra_forbidden")])
    assert (bad.status_code, _fields(bad)) == (400, [("base_unit", "invalid_choice")])
    assert not Item.objects.exists()


def test_given_an_existing_code_when_posting_then_409(admin_api: ApiClient, wine: Item) -> None:
    response = admin_api.post("/catalog/items", {"code": "wine01", "name": "酒", "base_unit": "ml"})

    assert (response.status_code, response.json()["code"]) == (409, "duplicate_code")


def test_given_an_item_when_patched_and_deleted_then_changed_then_gone(
    world: World, admin_api: ApiClient
) -> None:
    item = services.create_item(world.actor, code="TOFU01", name="豆腐", base_unit="g")

    patched = admin_api.patch(f"/catalog/items/{item.pk}", {"name": "嫩豆腐", "is_active": False})
    deleted = admin_api.delete(f"/catalog/items/{item.pk}")

    assert patched.status_code == 200
    assert (patched.json()["name"], patched.json()["pinyin"]) == ("嫩豆腐", "ndf")
    assert patched.json()["is_active"] is False
    assert deleted.status_code == 204
    assert admin_api.get(f"/catalog/items/{item.pk}").status_code == 404


def test_given_another_organizations_item_when_read_then_404(
    other_world: World, admin_api: ApiClient
) -> None:
    rival = services.create_item(other_world.actor, code="R1", name="对手", base_unit="g")
    pack = services.create_pack(
        other_world.actor, rival, code="bag", name="袋", quantity=1, unit="kg"
    )

    assert admin_api.get(f"/catalog/items/{rival.pk}").status_code == 404
    assert admin_api.get(f"/catalog/items/{rival.pk}/packs/{pack.pk}").status_code == 404
    assert admin_api.patch(f"/catalog/items/{rival.pk}", {"name": "x"}).status_code == 404


def _catalog(world: World) -> None:
    meat = services.create_category(world.actor, code="MEAT", name="肉类")
    beef = services.create_category(world.actor, code="BEEF", name="牛肉", parent_id=meat.pk)
    veg = services.create_category(world.actor, code="VEG", name="蔬菜")
    rows = [
        ("B1", "肥牛卷", beef, "frozen", "ingredient", True),
        ("B2", "牛腩", beef, "chilled", "ingredient", True),
        ("M1", "五花肉", meat, "chilled", "ingredient", False),
        ("V1", "大白菜", veg, "chilled", "ingredient", True),
        ("P1", "打包盒", None, "ambient", "packaging", True),
    ]
    for code, name, category, storage, kind, active in rows:
        services.create_item(
            world.actor,
            code=code,
            name=name,
            base_unit="g",
            category_id=category.pk if category else None,
            storage=storage,
            kind=kind,
            is_active=active,
        )


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", ["B1", "B2", "M1", "P1", "V1"]),
        ("?q=fnj", ["B1"]),
        ("?q=白菜", ["V1"]),
        ("?q=b", ["B1", "B2", "P1", "V1"]),
        ("?kind=packaging", ["P1"]),
        ("?storage=chilled", ["B2", "M1", "V1"]),
        ("?active=false", ["M1"]),
        ("?active=true&storage=chilled", ["B2", "V1"]),
    ],
)
def test_given_a_catalog_when_filtering_items_then_only_matches_come_back(
    world: World, admin_api: ApiClient, query: str, codes: list[str]
) -> None:
    _catalog(world)

    response = admin_api.get(f"/catalog/items{query}")

    assert response.status_code == 200
    assert [i["code"] for i in response.json()["items"]] == codes


def test_given_a_category_tree_when_filtering_by_the_parent_then_its_subtree_comes_back(
    world: World, admin_api: ApiClient
) -> None:
    _catalog(world)
    meat = world.org.item_categories.get(code="MEAT")

    response = admin_api.get(f"/catalog/items?category_id={meat.pk}")

    assert [i["code"] for i in response.json()["items"]] == ["B1", "B2", "M1"]


def test_given_five_items_when_paged_by_two_then_counted_and_sliced(
    world: World, admin_api: ApiClient
) -> None:
    _catalog(world)

    response = admin_api.get("/catalog/items?page=3&page_size=2")

    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (5, 3, 2)
    assert [i["code"] for i in body["items"]] == ["V1"]


def _items_with_packs(world: World, count: int) -> None:
    for n in range(count):
        item = services.create_item(world.actor, code=f"I{n:03}", name=f"物料{n}", base_unit="ml")
        services.create_pack(world.actor, item, code="bottle", name="瓶", quantity=750, unit="ml")
        services.create_pack(world.actor, item, code="case", name="箱", quantity=12, unit="bottle")
        services.add_barcode(world.actor, item, code=f"X{n:05}")


def test_given_items_with_packs_and_barcodes_when_listed_then_queries_do_not_grow(
    world: World, admin_api: ApiClient, django_assert_max_num_queries: Any
) -> None:
    # given
    _items_with_packs(world, 3)
    admin_api.get("/catalog/items")
    with django_assert_max_num_queries(6) as few:
        small = admin_api.get("/catalog/items")
    _items_with_packs_more = 20
    for n in range(3, _items_with_packs_more):
        item = services.create_item(world.actor, code=f"I{n:03}", name=f"物料{n}", base_unit="ml")
        services.create_pack(world.actor, item, code="bottle", name="瓶", quantity=750, unit="ml")
        services.create_pack(world.actor, item, code="case", name="箱", quantity=12, unit="bottle")

    # when
    with django_assert_max_num_queries(6) as many:
        large = admin_api.get("/catalog/items")

    # then
    assert len(small.json()["items"]) == 3
    assert len(large.json()["items"]) == 20
    assert len(many.captured_queries) == len(few.captured_queries)
    case = large.json()["items"][0]["packs"][1]
    assert (case["code"], case["factor"], case["size"]) == (
        "case",
        "9000.000000",
        "12 x bottle = 9000 ml",
    )


def test_given_a_bottle_when_a_case_is_posted_as_12_bottles_then_nested_crud_works(
    world: World, admin_api: ApiClient
) -> None:
    item = services.create_item(world.actor, code="BEER01", name="啤酒", base_unit="ml")
    base = f"/catalog/items/{item.pk}/packs"
    bottle = admin_api.post(base, {"code": "bottle", "name": "瓶", "quantity": "750", "unit": "ml"})

    case = admin_api.post(base, {"code": "case", "name": "箱", "quantity": 12, "unit": "bottle"})
    resized = admin_api.patch(f"{base}/{bottle.json()['id']}", {"quantity": "500"})
    listed = admin_api.get(base)
    in_use = admin_api.delete(f"{base}/{bottle.json()['id']}")
    gone = admin_api.delete(f"{base}/{case.json()['id']}")

    assert (bottle.status_code, case.status_code) == (201, 201)
    assert case.json()["factor"] == "9000.000000"
    assert resized.json()["factor"] == "500.000000"
    assert [(p["code"], p["factor"]) for p in listed.json()["items"]] == [
        ("bottle", "500.000000"),
        ("case", "6000.000000"),
    ]
    assert (in_use.status_code, in_use.json()["code"]) == (409, "pack_in_use")
    assert gone.status_code == 204
    assert list(Pack.objects.filter(item=item).values_list("code", flat=True)) == ["bottle"]


def test_given_a_pack_of_another_item_when_read_through_this_item_then_404(
    world: World, admin_api: ApiClient, wine: Item, flour: Item
) -> None:
    bag = flour.packs.get(code="bag")

    response = admin_api.get(f"/catalog/items/{wine.pk}/packs/{bag.pk}")

    assert response.status_code == 404


def test_given_zero_size_or_unknown_unit_when_posting_a_pack_then_400_naming_the_field(
    admin_api: ApiClient, wine: Item
) -> None:
    base = f"/catalog/items/{wine.pk}/packs"
    zero = admin_api.post(base, {"code": "x", "name": "x", "quantity": 0, "unit": "ml"})
    unknown = admin_api.post(base, {"code": "x", "name": "x", "quantity": 1, "unit": "crate"})

    assert (zero.status_code, _fields(zero)) == (400, [("quantity", "not_positive")])
    assert (unknown.status_code, _fields(unknown)) == (400, [("unit", "unknown_unit")])


def test_given_barcodes_when_added_listed_and_removed_then_gtins_are_checked(
    admin_api: ApiClient, wine: Item, flour: Item
) -> None:
    base = f"/catalog/items/{wine.pk}/barcodes"
    added = admin_api.post(base, {"code": "4006381333931"})
    wrong = admin_api.post(base, {"code": "4006381333932"})
    taken = admin_api.post(f"/catalog/items/{flour.pk}/barcodes", {"code": "4006381333931"})
    listed = admin_api.get(base)
    removed = admin_api.delete(f"{base}/{added.json()['id']}")

    assert added.status_code == 201
    assert (wrong.status_code, _fields(wrong)) == (400, [("code", "invalid_gtin")])
    assert (taken.status_code, _fields(taken)) == (409, [("code", "barcode_in_use")])
    assert [b["code"] for b in listed.json()["items"]] == ["4006381333931"]
    assert removed.status_code == 204
    assert not wine.barcodes.exists()


def test_given_a_bottle_when_converting_125_ml_then_one_sixth_bottle(
    admin_api: ApiClient, wine: Item
) -> None:
    response = admin_api.get(
        f"/catalog/items/{wine.pk}/convert?quantity=125&from_unit=ml&to_unit=bottle"
    )

    assert response.status_code == 200
    assert response.json() == {
        "item_id": wine.pk,
        "quantity": "125",
        "from_unit": "ml",
        "to_unit": "bottle",
        "result": "0.167",
        "fraction": "1/6",
        "text": "0.167 bottle (1/6)",
        "base_quantity": "125.000",
        "base_unit": "ml",
    }


def test_given_wine_in_ml_when_converting_grams_then_400_naming_item_and_units(
    admin_api: ApiClient, wine: Item
) -> None:
    response = admin_api.get(
        f"/catalog/items/{wine.pk}/convert?quantity=1&from_unit=g&to_unit=bottle",
        **{"Accept-Language": "en"},
    )

    assert response.status_code == 400
    assert _fields(response) == [("from_unit", "unit_dimension_mismatch")]
    assert response.json()["message"] == (
        "红酒 is kept in ml; g cannot be converted without a pack that defines it."
    )


def test_given_an_item_when_listing_its_units_then_standard_units_then_packs(
    admin_api: ApiClient, wine: Item
) -> None:
    response = admin_api.get(f"/catalog/items/{wine.pk}/units")

    assert [(u["code"], u["factor"]) for u in response.json()["items"]] == [
        ("ml", "1"),
        ("l", "1000"),
        ("bottle", "750.000000"),
        ("case", "9000.000000"),
    ]


def test_given_categories_when_created_moved_and_deleted_through_the_api_then_the_tree_follows(
    admin_api: ApiClient,
) -> None:
    meat = admin_api.post("/catalog/categories", {"code": "MEAT", "name": "肉类"}).json()
    beef = admin_api.post(
        "/catalog/categories", {"code": "BEEF", "name": "牛肉", "parent_id": meat["id"]}
    ).json()

    cycle = admin_api.patch(f"/catalog/categories/{meat['id']}", {"parent_id": beef["id"]})
    moved = admin_api.patch(f"/catalog/categories/{beef['id']}", {"parent_id": None})
    in_use_free = admin_api.delete(f"/catalog/categories/{meat['id']}")
    listed = admin_api.get("/catalog/categories")

    assert (cycle.status_code, _fields(cycle)) == (400, [("parent_id", "category_cycle")])
    assert (moved.json()["parent_id"], moved.json()["path"]) == (None, f"/{beef['id']}/")
    assert in_use_free.status_code == 204
    assert [c["code"] for c in listed.json()["items"]] == ["BEEF"]


def test_given_storage_areas_and_levels_when_managed_through_the_api_then_per_location(
    world: World, admin_api: ApiClient, wine: Item
) -> None:
    # given
    loc = world.store_a.pk
    cool = admin_api.post(
        "/catalog/storage-areas", {"location_id": loc, "code": "COOL", "name": "冷库"}
    )
    dry = admin_api.post(
        "/catalog/storage-areas", {"location_id": loc, "code": "DRY", "name": "干货"}
    )
    admin_api.post(
        "/catalog/storage-areas", {"location_id": world.store_b.pk, "code": "X", "name": "x"}
    )

    # when
    ordered = admin_api.post(
        "/catalog/storage-areas/order",
        {"location_id": loc, "area_ids": [dry.json()["id"], cool.json()["id"]]},
    )
    areas = admin_api.get(f"/catalog/storage-areas?location_id={loc}")
    level = admin_api.post(
        "/catalog/stock-levels",
        {
            "location_id": loc,
            "item_id": wine.pk,
            "par": "2",
            "maximum": "3",
            "unit": "case",
            "storage_area_id": dry.json()["id"],
        },
    )
    bad = admin_api.patch(
        f"/catalog/stock-levels/{level.json()['id']}", {"minimum": "4", "unit": "case"}
    )
    patched = admin_api.patch(
        f"/catalog/stock-levels/{level.json()['id']}", {"minimum": "6", "unit": "bottle"}
    )
    levels = admin_api.get(f"/catalog/stock-levels?location_id={loc}")

    # then
    assert (cool.status_code, dry.status_code, ordered.status_code) == (201, 201, 200)
    assert [a["code"] for a in areas.json()["items"]] == ["DRY", "COOL"]
    assert level.status_code == 201
    assert {k: level.json()[k] for k in ("par", "minimum", "maximum", "base_unit")} == {
        "par": "18000.000",
        "minimum": "0.000",
        "maximum": "27000.000",
        "base_unit": "ml",
    }
    assert (bad.status_code, _fields(bad)) == (400, [("minimum", "levels_out_of_order")])
    assert patched.json()["minimum"] == "4500.000"
    assert [lv["id"] for lv in levels.json()["items"]] == [level.json()["id"]]
    assert admin_api.delete(f"/catalog/stock-levels/{level.json()['id']}").status_code == 204
    assert not StockLevel.objects.exists()


def test_given_a_store_key_when_listing_areas_and_levels_then_only_its_store_shows(
    world: World, wine: Item
) -> None:
    for location in (world.store_a, world.store_b):
        services.create_storage_area(world.actor, location_id=location.pk, code="COOL", name="冷库")
        services.create_stock_level(world.actor, location_id=location.pk, item_id=wine.pk, par=1)
    store_api = ApiClient(world.api_key("store_manager", location_id=world.store_a.pk))

    areas = store_api.get("/catalog/storage-areas")
    levels = store_api.get("/catalog/stock-levels")
    refused = store_api.post(
        "/catalog/storage-areas", {"location_id": world.store_a.pk, "code": "DRY", "name": "干货"}
    )

    assert [a["location_id"] for a in areas.json()["items"]] == [world.store_a.pk]
    assert [lv["location_id"] for lv in levels.json()["items"]] == [world.store_a.pk]
    assert refused.status_code == 403


def test_given_the_allergen_list_when_read_then_fourteen_and_other(admin_api: ApiClient) -> None:
    response = admin_api.get("/catalog/allergens", **{"Accept-Language": "zh-hans"})

    body = response.json()
    assert body["count"] == 15
    assert body["items"][-1]["code"] == "other"
