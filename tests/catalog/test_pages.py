"""Catalog pages: item list with search and scanning, item detail, create, categories, areas."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from boh.catalog import services
from boh.catalog.models import Category, Item, StorageArea
from boh.org.models import User
from tests.conftest import World


def _client(user: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_given_items_when_the_list_is_opened_then_each_shows_with_its_packs(
    world: World, wine: Item, flour: Item
) -> None:
    response = _client(world.owner).get("/catalog/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "WINE01" in page and "FLOUR01" in page
    assert 'hx-trigger="input delay:300ms"' in page
    assert [i.code for i in response.context["page_obj"]] == ["FLOUR01", "WINE01"]


def test_given_a_live_search_when_htmx_asks_for_the_table_then_only_matching_rows_come_back(
    world: World, wine: Item, flour: Item
) -> None:
    response = _client(world.owner).get(
        "/catalog/?q=hj", headers={"HX-Request": "true", "HX-Target": "item-table"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<div id="item-table"')
    assert "WINE01" in page
    assert "FLOUR01" not in page


def test_given_a_scanned_barcode_when_submitted_with_enter_then_its_item_opens(
    world: World, wine: Item
) -> None:
    services.add_barcode(world.actor, wine, code="4006381333931")

    response = _client(world.owner).get("/catalog/?q=4006381333931")

    assert response.status_code == 302
    assert response["Location"] == f"/catalog/items/{wine.pk}/"


def test_given_an_item_with_packs_barcodes_and_levels_when_detail_opens_then_all_show(
    world: World, wine: Item
) -> None:
    services.add_barcode(world.actor, wine, code="4006381333931")
    services.create_stock_level(
        world.actor, location_id=world.store_a.pk, item_id=wine.pk, par=Decimal("2.5"), unit="case"
    )

    response = _client(world.owner).get(f"/catalog/items/{wine.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "12 x bottle = 9000 ml" in page
    assert "4006381333931" in page
    assert "2 箱 + 6 瓶" in page
    assert 'id="item-stock-on-hand"' in page


def test_given_another_organizations_item_when_detail_opens_then_404(
    world: World, other_world: World
) -> None:
    rival = services.create_item(other_world.actor, code="R1", name="对手", base_unit="g")

    response = _client(world.owner).get(f"/catalog/items/{rival.pk}/")

    assert response.status_code == 404


def test_given_the_create_form_when_posted_then_the_item_exists_and_detail_opens(
    world: World,
) -> None:
    client = _client(world.owner)
    assert client.get("/catalog/items/new/").status_code == 200

    response = client.post(
        "/catalog/items/new/",
        {
            "code": "BEEF01",
            "name": "肥牛卷",
            "kind": "ingredient",
            "base_unit": "g",
            "storage": "frozen",
            "shelf_life_days": "180",
            "allergens": ["milk"],
            "lot_tracked": "on",
        },
    )

    item = Item.objects.get(code="BEEF01")
    assert response.status_code == 302
    assert response["Location"] == f"/catalog/items/{item.pk}/"
    assert (item.pinyin, item.storage, item.allergens, item.lot_tracked) == (
        "fnj",
        "frozen",
        ["milk"],
        True,
    )


def test_given_a_taken_code_when_the_create_form_is_posted_then_the_error_shows_at_the_field(
    world: World, wine: Item
) -> None:
    response = _client(world.owner).post(
        "/catalog/items/new/",
        {
            "code": "wine01",
            "name": "另一个",
            "kind": "ingredient",
            "base_unit": "ml",
            "storage": "ambient",
        },
    )

    assert response.status_code == 409
    assert response.context["form"].errors == {"code": ["This code is already in use."]}
    assert Item.objects.count() == 1


def test_given_store_staff_when_opening_the_create_form_then_403(world: World) -> None:
    staff = world.user("store_staff", location_id=world.store_a.pk)

    response = _client(staff).get("/catalog/items/new/")

    assert response.status_code == 403


def test_given_the_pack_form_when_a_case_of_bottles_is_added_then_it_holds_9000_ml(
    world: World,
) -> None:
    item = services.create_item(world.actor, code="BEER01", name="啤酒", base_unit="ml")
    services.create_pack(world.actor, item, code="bottle", name="瓶", quantity=750, unit="ml")

    response = _client(world.owner).post(
        f"/catalog/items/{item.pk}/packs/",
        {"code": "case", "name": "箱", "quantity": "12", "unit": "bottle"},
    )

    assert response.status_code == 302
    assert item.packs.get(code="case").factor == Decimal("9000")


def test_given_the_edit_form_when_posted_then_the_item_changes(world: World, wine: Item) -> None:
    response = _client(world.owner).post(
        f"/catalog/items/{wine.pk}/edit/",
        {
            "code": "WINE01",
            "name": "干红葡萄酒",
            "kind": "merchandise",
            "base_unit": "ml",
            "storage": "ambient",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    wine.refresh_from_db()
    assert (wine.name, wine.kind, wine.pinyin, wine.is_active) == (
        "干红葡萄酒",
        "merchandise",
        "ghptj",
        True,
    )


def test_given_the_categories_page_when_a_sub_category_is_posted_then_the_tree_grows(
    world: World,
) -> None:
    meat = services.create_category(world.actor, code="MEAT", name="肉类")
    client = _client(world.owner)

    response = client.post(
        "/catalog/categories/", {"code": "BEEF", "name": "牛肉", "parent_id": meat.pk}
    )

    assert response.status_code == 302
    assert Category.objects.get(code="BEEF").parent_id == meat.pk
    page = client.get("/catalog/categories/").content.decode()
    assert "牛肉" in page and "--depth: 1" in page


def test_given_two_areas_when_the_second_moves_up_then_it_is_walked_first(world: World) -> None:
    first = services.create_storage_area(
        world.actor, location_id=world.store_a.pk, code="COOL", name="冷库"
    )
    second = services.create_storage_area(
        world.actor, location_id=world.store_a.pk, code="DRY", name="干货区"
    )
    client = _client(world.owner)

    response = client.post(f"/catalog/storage-areas/{second.pk}/up/")

    assert response.status_code == 302
    assert list(
        StorageArea.objects.filter(location=world.store_a)
        .order_by("sort_order")
        .values_list("code", flat=True)
    ) == ["DRY", "COOL"]
    page = client.get(f"/catalog/storage-areas/?location={world.store_a.pk}").content.decode()
    assert page.index("干货区") < page.index(first.name)


def test_given_a_chinese_browser_when_the_list_opens_then_labels_are_chinese(
    world: World, wine: Item
) -> None:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(world.owner)

    page = client.get("/catalog/").content.decode()

    assert "物料" in page
    assert "新建物料" in page
