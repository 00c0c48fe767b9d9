import datetime as dt
from decimal import Decimal

import pytest

from boh.core.errors import BohError
from boh.purchasing import selectors, services
from boh.purchasing.models import Supplier, SupplierItem, SupplierPrice
from tests.conftest import World
from tests.purchasing.conftest import PRICES_FROM, SUPPLIER_TAX_ID, Buying


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("91110000600037341L", True),
        ("911100001000080343", True),
        ("91350100M000100Y43", True),
        ("91110000600037341A", False),  # wrong check character
        ("9111000060003734", False),  # too short
        ("91110000600037341I", False),  # I is not in the alphabet
    ],
)
def test_tax_id_check_character(code: str, valid: bool) -> None:
    assert services.is_valid_tax_id(code) is valid


def test_given_a_malformed_tax_id_when_creating_a_supplier_then_refused_naming_the_field(
    world: World,
) -> None:
    with pytest.raises(BohError) as exc:
        services.create_supplier(world.actor, code="BAD", name="坏", tax_id="91110000600037341A")

    assert exc.value.code == "invalid_tax_id"
    assert [f.field for f in exc.value.fields] == ["tax_id"]
    assert not Supplier.objects.filter(code="BAD").exists()


def test_given_a_carton_of_10_x_1_kg_when_adding_the_supplier_item_then_it_is_10000_g(
    buying: Buying,
) -> None:
    si = SupplierItem.objects.get(pk=buying.beef_si.pk)

    assert si.pack_factor == Decimal("10000")
    assert si.pack_code == "CTN"
    assert si.pack_label == "10 x 1 kg"
    assert [(p.price, p.valid_from, p.valid_to) for p in si.prices.all()] == [
        (Decimal("850.000000"), PRICES_FROM, None)
    ]


def test_given_a_catalog_pack_when_adding_a_supplier_item_then_its_factor_is_copied(
    world: World, buying: Buying
) -> None:
    from boh.catalog import services as catalog

    bottle = catalog.create_pack(
        world.actor, buying.oil, code="BTL", name="瓶 1.8 L", quantity="1.8", unit="l"
    )

    si = services.create_supplier_item(
        world.actor,
        buying.supplier,
        item_id=buying.oil.pk,
        supplier_code="XD-OIL-1.8",
        pack_id=bottle.pk,
    )

    assert (si.pack_code, si.pack_factor) == ("BTL", Decimal("1800"))


def test_given_a_price_per_jin_when_setting_the_price_then_it_is_stored_per_pack(
    world: World, buying: Buying
) -> None:
    # a 5 kg crate is 10 jin: 3.20 a jin is 32.00 a crate
    row = services.set_price(
        world.actor, buying.lettuce_si, price="3.20", unit="斤", valid_from=dt.date(2026, 3, 1)
    )

    assert row.price == Decimal("32.000000")
    history = list(
        selectors.price_history(buying.lettuce_si).values_list("price", "valid_from", "valid_to")
    )
    assert history == [
        (Decimal("32.000000"), dt.date(2026, 3, 1), None),
        (Decimal("30.000000"), PRICES_FROM, dt.date(2026, 2, 28)),
    ]
    assert selectors.agreed_prices([buying.lettuce_si.pk], dt.date(2026, 2, 28)) == {
        buying.lettuce_si.pk: Decimal("30.000000")
    }
    assert selectors.agreed_prices([buying.lettuce_si.pk], dt.date(2026, 3, 1)) == {
        buying.lettuce_si.pk: Decimal("32.000000")
    }


@pytest.mark.parametrize("unit", ["BTL", "ml", "banana"])
def test_given_a_unit_the_supplier_item_does_not_define_when_pricing_then_refused(
    world: World, buying: Buying, unit: str
) -> None:
    with pytest.raises(BohError) as exc:
        services.set_price(
            world.actor, buying.lettuce_si, price="3.20", unit=unit, valid_from=dt.date(2026, 3, 1)
        )

    assert exc.value.code == "unknown_unit"
    assert [f.field for f in exc.value.fields] == ["unit"]
    assert SupplierPrice.objects.filter(supplier_item=buying.lettuce_si).count() == 1


def test_given_terms_with_cutoff_when_ordering_after_it_then_delivery_moves_a_day(
    world: World, buying: Buying
) -> None:
    terms = services.set_delivery_terms(
        world.actor,
        buying.supplier,
        location_id=world.store_a.pk,
        delivery_weekdays=[0, 2, 4],
        cutoff_time="14:00",
        lead_time_days=1,
        min_order_value="500.00",
    )
    tz = dt.timezone(dt.timedelta(hours=8))

    # Monday 2026-03-02 10:00: lead 1 day -> Tuesday, next delivery day Wednesday
    before_cutoff = selectors.next_delivery_date(terms, dt.datetime(2026, 3, 2, 10, 0, tzinfo=tz))
    # Monday 15:00 counts as Tuesday: lead 1 day -> Wednesday
    after_cutoff = selectors.next_delivery_date(terms, dt.datetime(2026, 3, 2, 15, 0, tzinfo=tz))
    # Wednesday 15:00 counts as Thursday -> Friday
    wednesday = selectors.next_delivery_date(terms, dt.datetime(2026, 3, 4, 15, 0, tzinfo=tz))

    assert before_cutoff == dt.date(2026, 3, 4)
    assert after_cutoff == dt.date(2026, 3, 4)
    assert wednesday == dt.date(2026, 3, 6)


def test_given_preferred_suppliers_when_a_location_has_its_own_then_it_wins(
    world: World, buying: Buying
) -> None:
    other = services.create_supplier(
        world.actor, code="HM", name="河马鲜蔬", tax_id=SUPPLIER_TAX_ID
    )
    local = services.create_supplier_item(
        world.actor,
        other,
        item_id=buying.lettuce.pk,
        supplier_code="HM-1",
        pack_code="BAG",
        pack_size=1,
        pack_unit="kg",
    )
    services.set_preferred_supplier(world.actor, supplier_item_id=buying.lettuce_si.pk)
    services.set_preferred_supplier(
        world.actor, supplier_item_id=local.pk, location_id=world.store_b.pk
    )

    at_a = selectors.preferred_supplier_items(world.org.pk, [buying.lettuce.pk], world.store_a.pk)
    at_b = selectors.preferred_supplier_items(world.org.pk, [buying.lettuce.pk], world.store_b.pk)

    assert at_a[buying.lettuce.pk].pk == buying.lettuce_si.pk
    assert at_b[buying.lettuce.pk].pk == local.pk
