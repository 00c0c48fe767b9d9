"""Menu structure: categories, menu items, set meals, prices, POS codes and modifiers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from boh.core.errors import BohError
from boh.core.models import AuditEntry, DomainEvent
from boh.menu import selectors, services
from boh.menu.models import ComboComponent, MenuItem, MenuPrice, ModifierOptionLine, PosCode
from tests.conftest import World
from tests.menu.conftest import JAN1, Kitchen, line

D = Decimal


def test_given_categories_when_moving_one_under_its_child_then_the_cycle_is_refused(
    world: World,
) -> None:
    hot = services.create_menu_category(world.actor, code="HOT", name="热菜", sort_order=2)
    soup = services.create_menu_category(world.actor, code="SOUP", name="汤", parent_id=hot.pk)

    with pytest.raises(BohError) as err:
        services.update_menu_category(world.actor, hot, parent_id=soup.pk)

    assert (err.value.fields[0].field, err.value.code) == ("parent_id", "menu_category_cycle")
    hot.refresh_from_db()
    assert hot.parent_id is None


def test_given_a_category_with_items_when_deleting_then_it_is_refused(world: World) -> None:
    cold = services.create_menu_category(world.actor, code="COLD", name="凉菜")
    services.create_menu_item(world.actor, code="M1", name="拍黄瓜", menu_category_id=cold.pk)

    with pytest.raises(BohError) as err:
        services.delete_menu_category(world.actor, cold)

    assert (err.value.status, err.value.code) == (409, "menu_in_use")


def test_given_a_code_in_use_when_creating_a_menu_item_then_it_is_a_conflict(
    world: World,
) -> None:
    services.create_menu_item(world.actor, code="M1", name="拍黄瓜")

    with pytest.raises(BohError) as err:
        services.create_menu_item(world.actor, code="m1", name="另一个")

    assert (err.value.status, err.value.code, err.value.fields[0].field) == (
        409,
        "duplicate_code",
        "code",
    )
    assert MenuItem.objects.filter(organization=world.org).count() == 1


def test_given_bad_menu_item_values_then_each_field_is_named(world: World) -> None:
    with pytest.raises(BohError) as err:
        services.create_menu_item(
            world.actor,
            code="bad code",
            name="",
            kind="buffet",
            menu_category_id=999_999,
            modifier_group_ids=[999_999],
        )

    assert [(f.field, f.code) for f in err.value.fields] == [
        ("code", "invalid_code"),
        ("name", "required"),
        ("kind", "invalid_choice"),
        ("menu_category_id", "not_found"),
        ("modifier_group_ids[0]", "not_found"),
    ]


def test_given_set_meals_then_they_hold_dishes_only(kitchen: Kitchen) -> None:
    actor = kitchen.world.actor
    eggs, combo = kitchen.set_meal()

    with pytest.raises(BohError) as nested:
        services.create_menu_item(
            actor, code="C02", name="双人餐", kind="combo", components=[{"menu_item_id": combo.pk}]
        )
    with pytest.raises(BohError) as dish_parts:
        services.update_menu_item(actor, eggs, components=[{"menu_item_id": kitchen.noodles.pk}])
    with pytest.raises(BohError) as into_combo:
        services.update_menu_item(actor, eggs, kind="combo")

    assert [(f.field, f.code) for f in nested.value.fields] == [
        ("components[0].menu_item_id", "combo_in_combo")
    ]
    assert [(f.field, f.code) for f in dish_parts.value.fields] == [("components", "not_a_combo")]
    assert [(f.field, f.code) for f in into_combo.value.fields] == [("kind", "combo_in_combo")]
    assert list(
        ComboComponent.objects.filter(combo=combo).values_list("component__code", "quantity")
    ) == [("M01", D("1.000")), ("M02", D("2.000"))]


def test_given_a_dish_in_a_set_meal_when_deleting_it_then_it_is_refused(
    kitchen: Kitchen,
) -> None:
    eggs, _combo = kitchen.set_meal()

    with pytest.raises(BohError) as err:
        services.delete_menu_item(kitchen.world.actor, eggs)

    assert (err.value.status, err.value.code) == (409, "menu_in_use")
    assert MenuItem.objects.filter(pk=eggs.pk).exists()


def test_given_a_menu_item_when_deleted_then_its_recipe_prices_and_codes_go_with_it(
    kitchen: Kitchen,
) -> None:
    actor = kitchen.world.actor
    services.create_price(actor, kitchen.noodles, channel="dine_in", price=30, effective_from=JAN1)
    services.create_pos_code(actor, source="pos", code="1001", menu_item_id=kitchen.noodles.pk)

    services.delete_menu_item(actor, kitchen.noodles)

    assert not MenuPrice.objects.exists()
    assert not PosCode.objects.exists()
    assert AuditEntry.objects.filter(object_type="menu.menuitem", action="delete").count() == 1


def _price(world: World, menu_item: MenuItem, price: str, start: dt.date, **extra: Any) -> None:
    services.create_price(
        world.actor, menu_item, channel="dine_in", price=D(price), effective_from=start, **extra
    )


def test_given_default_and_store_prices_then_the_price_in_force_follows_location_and_date(
    world: World,
) -> None:
    dish = services.create_menu_item(world.actor, code="M1", name="牛肉面")
    _price(world, dish, "30", JAN1)
    _price(world, dish, "32", dt.date(2026, 6, 1))
    _price(world, dish, "35", JAN1, location_id=world.store_a.pk)
    _price(world, dish, "25", dt.date(2026, 7, 1), effective_to=dt.date(2026, 7, 7))

    def price(location_id: int | None, on: dt.date) -> Decimal | None:
        found = selectors.prices_in_force(world.org.pk, [dish.pk], location_id=location_id, on=on)
        row = found.get((dish.pk, "dine_in"))
        return row.price if row else None

    assert price(None, dt.date(2025, 12, 31)) is None
    assert price(None, dt.date(2026, 5, 31)) == D("30.00")
    assert price(None, dt.date(2026, 6, 1)) == D("32.00")
    assert price(None, dt.date(2026, 7, 3)) == D("25.00")
    assert price(None, dt.date(2026, 7, 8)) == D("32.00")
    assert price(world.store_b.pk, dt.date(2026, 6, 1)) == D("32.00")
    assert price(world.store_a.pk, dt.date(2026, 7, 3)) == D("35.00")


def test_given_bad_prices_then_fields_are_named_and_a_second_row_on_a_date_is_a_conflict(
    world: World, other_world: World
) -> None:
    dish = services.create_menu_item(world.actor, code="M1", name="牛肉面")
    _price(world, dish, "30", JAN1)

    with pytest.raises(BohError) as bad:
        services.create_price(
            world.actor,
            dish,
            channel="grabfood",
            price=D("1.005"),
            effective_from=dt.date(2026, 2, 1),
            effective_to=dt.date(2026, 1, 1),
            location_id=other_world.store_a.pk,
        )
    with pytest.raises(BohError) as twice:
        _price(world, dish, "31", JAN1)

    assert [(f.field, f.code) for f in bad.value.fields] == [
        ("channel", "invalid_choice"),
        ("price", "too_precise"),
        ("effective_to", "dates_reversed"),
        ("location_id", "not_found"),
    ]
    assert (twice.value.status, twice.value.code) == (409, "duplicate_price")
    assert MenuPrice.objects.count() == 1


def test_given_a_store_manager_when_setting_a_store_price_then_it_is_forbidden(
    world: World,
) -> None:
    dish = services.create_menu_item(world.actor, code="M1", name="牛肉面")
    manager = world.actor_for(world.user("store_manager", location_id=world.store_a.pk))

    with pytest.raises(BohError) as err:
        services.create_price(
            manager,
            dish,
            channel="dine_in",
            price=D(30),
            effective_from=JAN1,
            location_id=world.store_a.pk,
        )

    assert err.value.status == 403


def test_given_pos_codes_then_they_are_unique_per_organization_and_source(
    kitchen: Kitchen, other_world: World
) -> None:
    actor = kitchen.world.actor
    _size, _extras, options = kitchen.options()
    services.create_pos_code(actor, source="keruyun", code="1001", menu_item_id=kitchen.noodles.pk)
    services.create_pos_code(actor, source="meituan", code="1001", menu_item_id=kitchen.noodles.pk)
    services.create_pos_code(actor, source="keruyun", code="9001", option_id=options["large"].pk)
    other = services.create_menu_item(other_world.actor, code="M01", name="牛肉面")
    services.create_pos_code(
        other_world.actor, source="keruyun", code="1001", menu_item_id=other.pk
    )

    with pytest.raises(BohError) as err:
        services.create_pos_code(actor, source="KERUYUN", code="1001", option_id=options["beef"].pk)

    assert (err.value.status, err.value.code) == (409, "duplicate_pos_code")
    assert selectors.resolve_pos_codes(kitchen.world.org.pk, "keruyun", ["1001", "9001", "x"]) == {
        "1001": (kitchen.noodles.pk, None),
        "9001": (None, options["large"].pk),
    }
    event = DomainEvent.objects.filter(name="menu.pos_code_mapped").first()
    assert event is not None
    assert event.payload["code"] == "1001"


def test_given_a_pos_code_for_both_or_neither_then_it_is_refused(kitchen: Kitchen) -> None:
    with pytest.raises(BohError) as err:
        services.create_pos_code(kitchen.world.actor, source="pos", code="1")

    assert [(f.field, f.code) for f in err.value.fields] == [("menu_item_id", "one_target")]


def test_given_an_option_then_its_delta_lines_are_signed_and_in_any_unit(
    kitchen: Kitchen,
) -> None:
    actor = kitchen.world.actor
    group = services.create_modifier_group(actor, code="SPICE", name="辣度", max_choices=1)

    option = services.create_modifier_option(
        actor,
        group,
        code="EXTRA",
        name="加肉少香菜",
        lines=[line(kitchen.beef, "0.2", "斤"), line(kitchen.coriander, -2, "g")],
    )
    with pytest.raises(BohError) as err:
        services.update_modifier_option(actor, option, lines=[line(kitchen.beef, 1, "l")])

    assert list(
        ModifierOptionLine.objects.filter(option=option).values_list("item__code", "base_quantity")
    ) == [("BEEF", D("100.000")), ("CORI", D("-2.000"))]
    assert [(f.field, f.code) for f in err.value.fields] == [
        ("lines[0].unit", "unit_dimension_mismatch")
    ]


def test_given_min_above_max_choices_then_the_group_is_refused(world: World) -> None:
    with pytest.raises(BohError) as err:
        services.create_modifier_group(
            world.actor, code="G", name="组", min_choices=3, max_choices=2
        )

    assert [(f.field, f.code) for f in err.value.fields] == [("max_choices", "out_of_range")]
