"""Items, categories and barcodes: bad fields named, duplicates conflict, nothing half-done."""

from __future__ import annotations

import pytest

from boh.catalog import selectors, services
from boh.catalog.models import Barcode, Category, Item
from boh.core.errors import BohError
from boh.core.models import AuditEntry, DomainEvent
from tests.conftest import World


def _fields(error: BohError) -> list[tuple[str, str]]:
    return [(f.field, f.code) for f in error.fields]


def test_given_a_chinese_name_when_an_item_is_created_then_pinyin_initials_are_kept_and_audited(
    world: World,
) -> None:
    # when
    item = services.create_item(
        world.actor,
        code="BEEF01",
        name="肥牛卷",
        name_en="Sliced beef roll",
        base_unit="g",
        storage="frozen",
        shelf_life_days=180,
        shelf_life_open_days=2,
        lot_tracked=True,
        allergens=["milk", "gluten", "milk"],
    )

    # then
    item.refresh_from_db()
    assert item.pinyin == "fnj"
    assert item.allergens == ["gluten", "milk"]
    assert (item.storage, item.shelf_life_days, item.shelf_life_open_days) == ("frozen", 180, 2)
    entry = AuditEntry.objects.get(object_type="catalog.item", object_id=str(item.pk))
    assert entry.action == "create"
    assert entry.changes["pinyin"] == [None, "fnj"]
    event = DomainEvent.objects.get(name="catalog.item_created")
    assert event.payload == {"item_id": item.pk, "code": "BEEF01", "base_unit": "g"}


def test_given_items_when_searching_by_pinyin_code_english_name_or_barcode_then_each_finds_it(
    world: World,
) -> None:
    # given
    beef = services.create_item(
        world.actor, code="BEEF01", name="肥牛卷", name_en="Beef roll", base_unit="g"
    )
    services.create_item(world.actor, code="TOFU01", name="豆腐", base_unit="g")
    services.add_barcode(world.actor, beef, code="6901234567892")

    # when / then
    for query in ("fnj", "FN", "beef01", "roll", "肥牛", "6901234567892"):
        found = list(selectors.items(world.actor, q=query).values_list("code", flat=True))
        assert found == ["BEEF01"], query
    assert list(selectors.items(world.actor, q="69012345").values_list("code", flat=True)) == []


def test_given_bad_values_when_creating_an_item_then_every_field_is_named_and_nothing_written(
    world: World,
) -> None:
    # when
    with pytest.raises(BohError) as refused:
        services.create_item(
            world.actor,
            code="bad code",
            name=" ",
            base_unit="kg",
            kind="food",
            storage="warm",
            shelf_life_days=-1,
            allergens=["milk", "garlic"],
            category_id=999_999,
        )

    # then
    assert refused.value.status == 400
    assert _fields(refused.value) == [
        ("code", "invalid_code"),
        ("name", "required"),
        ("kind", "invalid_choice"),
        ("base_unit", "invalid_choice"),
        ("storage", "invalid_choice"),
        ("shelf_life_days", "out_of_range"),
        ("allergens", "unknown_allergen"),
        ("category_id", "not_found"),
    ]
    assert not Item.objects.exists()
    assert not AuditEntry.objects.filter(object_type="catalog.item").exists()


def test_given_an_item_when_another_takes_its_code_in_any_case_then_409(world: World) -> None:
    # given
    services.create_item(world.actor, code="BEEF01", name="肥牛卷", base_unit="g")
    other = services.create_item(world.actor, code="BEEF02", name="牛腩", base_unit="g")

    # when / then
    with pytest.raises(BohError) as on_create:
        services.create_item(world.actor, code="beef01", name="另一个", base_unit="g")
    with pytest.raises(BohError) as on_update:
        services.update_item(world.actor, other, code="Beef01")

    assert (on_create.value.status, on_create.value.code) == (409, "duplicate_code")
    assert (on_update.value.status, _fields(on_update.value)) == (409, [("code", "duplicate_code")])
    assert Item.objects.filter(organization=world.org).count() == 2
    other.refresh_from_db()
    assert other.code == "BEEF02"


def test_given_the_same_code_in_another_organization_when_creating_then_allowed(
    world: World, other_world: World
) -> None:
    services.create_item(world.actor, code="BEEF01", name="肥牛卷", base_unit="g")

    rival = services.create_item(other_world.actor, code="BEEF01", name="肥牛卷", base_unit="g")

    assert rival.organization_id == other_world.org.pk


def test_given_a_new_name_when_an_item_is_renamed_then_pinyin_follows_and_event_lists_changes(
    world: World,
) -> None:
    item = services.create_item(world.actor, code="BEEF01", name="肥牛卷", base_unit="g")

    services.update_item(world.actor, item, name="雪花牛肉", is_active=False)

    item.refresh_from_db()
    assert (item.name, item.pinyin, item.is_active) == ("雪花牛肉", "xhnr", False)
    event = DomainEvent.objects.get(name="catalog.item_updated")
    assert event.payload == {"item_id": item.pk, "changed": ["is_active", "name", "pinyin"]}


def test_given_an_item_with_packs_when_its_base_unit_changes_then_refused(
    wine: Item, world: World
) -> None:
    with pytest.raises(BohError) as refused:
        services.update_item(world.actor, wine, base_unit="g")

    assert _fields(refused.value) == [("base_unit", "base_unit_locked")]
    wine.refresh_from_db()
    assert wine.base_unit == "ml"


def test_given_an_item_without_packs_when_its_base_unit_changes_then_allowed(world: World) -> None:
    item = services.create_item(world.actor, code="SAUCE01", name="酱油", base_unit="g")

    services.update_item(world.actor, item, base_unit="ml")

    item.refresh_from_db()
    assert item.base_unit == "ml"


def test_given_packs_built_on_each_other_when_the_item_is_deleted_then_all_go(
    wine: Item, world: World
) -> None:
    services.add_barcode(world.actor, wine, code="4006381333931")

    services.delete_item(world.actor, wine)

    assert not Item.objects.filter(pk=wine.pk).exists()
    assert not Barcode.objects.exists()
    assert DomainEvent.objects.filter(name="catalog.item_deleted").count() == 1


def test_given_an_item_with_stock_levels_when_deleted_then_409_and_it_stays(
    wine: Item, world: World
) -> None:
    services.create_stock_level(
        world.actor, location_id=world.store_a.pk, item_id=wine.pk, par=2, unit="case"
    )

    with pytest.raises(BohError) as refused:
        services.delete_item(world.actor, wine)

    assert (refused.value.status, refused.value.code) == (409, "item_in_use")
    assert Item.objects.filter(pk=wine.pk).exists()


def test_given_store_staff_when_creating_an_item_then_403(world: World) -> None:
    staff = world.actor_for(world.user("store_staff", location_id=world.store_a.pk))

    with pytest.raises(BohError) as refused:
        services.create_item(staff, code="X1", name="X", base_unit="g")

    assert refused.value.status == 403
    assert not Item.objects.exists()


# Categories


def test_given_a_tree_when_filtering_items_by_a_category_then_its_subtree_is_included(
    world: World,
) -> None:
    # given
    meat = services.create_category(world.actor, code="MEAT", name="肉类")
    beef = services.create_category(world.actor, code="BEEF", name="牛肉", parent_id=meat.pk)
    veg = services.create_category(world.actor, code="VEG", name="蔬菜")
    services.create_item(world.actor, code="B1", name="肥牛", base_unit="g", category_id=beef.pk)
    services.create_item(world.actor, code="M1", name="猪肉", base_unit="g", category_id=meat.pk)
    services.create_item(world.actor, code="V1", name="白菜", base_unit="g", category_id=veg.pk)

    # when
    under_meat = selectors.items(world.actor, category_id=meat.pk)
    under_beef = selectors.items(world.actor, category_id=beef.pk)

    # then
    assert [i.code for i in under_meat] == ["B1", "M1"]
    assert [i.code for i in under_beef] == ["B1"]
    assert beef.path == f"/{meat.pk}/{beef.pk}/"


def test_given_a_category_when_moved_under_its_own_child_then_refused_as_a_cycle(
    world: World,
) -> None:
    meat = services.create_category(world.actor, code="MEAT", name="肉类")
    beef = services.create_category(world.actor, code="BEEF", name="牛肉", parent_id=meat.pk)

    with pytest.raises(BohError) as refused:
        services.update_category(world.actor, meat, parent_id=beef.pk)
    with pytest.raises(BohError) as itself:
        services.update_category(world.actor, meat, parent_id=meat.pk)

    assert _fields(refused.value) == [("parent_id", "category_cycle")]
    assert _fields(itself.value) == [("parent_id", "category_cycle")]
    meat.refresh_from_db()
    assert (meat.parent_id, meat.path) == (None, f"/{meat.pk}/")


def test_given_a_subtree_when_moved_then_descendant_paths_follow(world: World) -> None:
    meat = services.create_category(world.actor, code="MEAT", name="肉类")
    beef = services.create_category(world.actor, code="BEEF", name="牛肉", parent_id=meat.pk)
    sliced = services.create_category(world.actor, code="SLICED", name="肉卷", parent_id=beef.pk)
    frozen = services.create_category(world.actor, code="FROZEN", name="冻品")

    services.update_category(world.actor, beef, parent_id=frozen.pk)

    sliced.refresh_from_db()
    assert sliced.path == f"/{frozen.pk}/{beef.pk}/{sliced.pk}/"


def test_given_a_category_with_items_when_deleted_then_409(world: World) -> None:
    meat = services.create_category(world.actor, code="MEAT", name="肉类")
    services.create_item(world.actor, code="M1", name="猪肉", base_unit="g", category_id=meat.pk)

    with pytest.raises(BohError) as refused:
        services.delete_category(world.actor, meat)

    assert (refused.value.status, refused.value.code) == (409, "category_in_use")
    assert Category.objects.filter(pk=meat.pk).exists()


def test_given_a_duplicate_category_code_when_created_then_409(world: World) -> None:
    services.create_category(world.actor, code="MEAT", name="肉类")

    with pytest.raises(BohError) as refused:
        services.create_category(world.actor, code="meat", name="肉")

    assert (refused.value.status, _fields(refused.value)) == (409, [("code", "duplicate_code")])


# Barcodes


@pytest.mark.parametrize(
    "code", ["96385074", "036000291452", "4006381333931", "6901234567892", "10012345678902"]
)
def test_given_a_gtin_with_a_correct_check_digit_when_checked_then_valid(code: str) -> None:
    assert services.is_valid_gtin(code)


@pytest.mark.parametrize("code", ["96385075", "036000291453", "4006381333932", "10012345678903"])
def test_given_a_gtin_with_a_wrong_check_digit_when_added_then_refused(
    code: str, wine: Item, world: World
) -> None:
    with pytest.raises(BohError) as refused:
        services.add_barcode(world.actor, wine, code=code)

    assert _fields(refused.value) == [("code", "invalid_gtin")]
    assert not Barcode.objects.exists()


def test_given_in_house_codes_when_added_then_accepted_without_a_check_digit(
    wine: Item, world: World
) -> None:
    services.add_barcode(world.actor, wine, code="WINE-HOUSE-1")
    services.add_barcode(world.actor, wine, code="12345")

    assert sorted(wine.barcodes.values_list("code", flat=True)) == ["12345", "WINE-HOUSE-1"]


def test_given_a_barcode_on_one_item_when_added_to_another_then_409_naming_the_owner(
    wine: Item, flour: Item, world: World
) -> None:
    services.add_barcode(world.actor, wine, code="4006381333931")

    with pytest.raises(BohError) as refused:
        services.add_barcode(world.actor, flour, code="4006381333931")

    assert refused.value.status == 409
    assert _fields(refused.value) == [("code", "barcode_in_use")]
    assert str(refused.value.message) == "This barcode already belongs to WINE01 红酒."
    assert list(flour.barcodes.all()) == []


def test_given_a_case_gtin_when_added_to_the_case_pack_then_scanning_finds_the_item(
    wine: Item, world: World
) -> None:
    case = wine.packs.get(code="case")

    barcode = services.add_barcode(world.actor, wine, code="10012345678902", pack_id=case.pk)

    assert barcode.pack_id == case.pk
    assert selectors.item_by_barcode(world.actor, "10012345678902") == wine
