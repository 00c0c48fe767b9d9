import datetime as dt
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from boh.catalog import services as catalog
from boh.purchasing import selectors, services
from tests.conftest import ApiClient, World
from tests.purchasing.conftest import BUYER_TAX_ID, SUPPLIER_TAX_ID, Buying
from tests.purchasing.test_internal import Kitchen

TODAY = timezone.localdate()


def _sent(world: World, buying: Buying, si: object, qty: str, expected: dt.date):  # type: ignore[no-untyped-def]
    order = buying.order((si, qty), expected_date=expected)  # type: ignore[arg-type]
    order = services.approve_order(world.actor, services.submit_order(world.actor, order))
    return services.send_order(world.actor, order)


def test_scorecard_counts_on_time_in_full_rejections_and_price_variance(
    world: World, buying: Buying
) -> None:
    on_time = _sent(world, buying, buying.oil_si, "1", TODAY + dt.timedelta(days=1))
    late_short = _sent(world, buying, buying.lettuce_si, "2", TODAY - dt.timedelta(days=1))
    services.receive_delivery(
        world.actor,
        location_id=world.store_a.pk,
        order_id=on_time.pk,
        lines=[
            {"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "1", "unit_price": "270"}
        ],
    )
    services.receive_delivery(
        world.actor,
        location_id=world.store_a.pk,
        order_id=late_short.pk,
        lines=[
            {
                "supplier_item_id": buying.lettuce_si.pk,
                "delivered_quantity": "2",
                "rejected_quantity": "1",
                "reject_reason": "quality",
                "temperature": "3",
            }
        ],
    )

    (row,) = selectors.supplier_scorecard(
        world.actor, TODAY - dt.timedelta(days=5), TODAY + dt.timedelta(days=5)
    )

    assert (row.rank, row.supplier_code, row.orders) == (1, "XD", 2)
    assert (row.on_time_pct, row.in_full_pct, row.otif_pct) == (
        Decimal("50.0"),
        Decimal("50.0"),
        Decimal("50.0"),
    )
    assert (row.delivered_value, row.rejected_value, row.rejection_pct) == (
        Decimal("330.00"),
        Decimal("30.00"),
        Decimal("9.1"),
    )
    assert (row.price_variance, row.price_variance_pct) == (Decimal("10.00"), Decimal("3.4"))
    assert row.invoice_accuracy_pct is None


def test_open_and_overdue_orders(world: World, buying: Buying) -> None:
    due = _sent(world, buying, buying.oil_si, "1", TODAY + dt.timedelta(days=2))
    late = _sent(world, buying, buying.oil_si, "1", TODAY - dt.timedelta(days=2))
    buying.order((buying.oil_si, "1"))  # a draft is not open

    open_ids = list(selectors.open_orders(world.actor).values_list("pk", flat=True))
    overdue_ids = list(
        selectors.open_orders(world.actor, overdue_only=True).values_list("pk", flat=True)
    )

    assert open_ids == [late.pk, due.pk]
    assert overdue_ids == [late.pk]


def test_spend_by_month_and_location(world: World, buying: Buying) -> None:
    services.receive_delivery(
        world.actor,
        location_id=world.store_b.pk,
        supplier_id=buying.supplier.pk,
        lines=[{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "2"}],
    )

    by_location = selectors.spend(world.actor, TODAY, TODAY, by="location")
    by_month = selectors.spend(world.actor, TODAY, TODAY, by="month")

    assert [(r.key, r.amount) for r in by_location] == [("B01", Decimal("520.00"))]
    assert [(r.key, r.amount) for r in by_month] == [(TODAY.strftime("%Y-%m"), Decimal("520.00"))]


def _received_month(world: World, buying: Buying) -> None:
    """Three deliveries this month and an invoice for goods that never came.

    Store A: oil 2 cases at the agreed 260.00 = 520.00; lettuce 3 crates at 32.00 against an
    agreed 30.00, one crate rejected, so 2 x 32.00 = 64.00. Store B: oil 1 case at 250.00.
    """
    fats = catalog.create_category(world.actor, code="FAT", name="油脂")
    veg = catalog.create_category(world.actor, code="VEG", name="蔬菜")
    catalog.update_item(world.actor, buying.oil, category_id=fats.pk)
    catalog.update_item(world.actor, buying.lettuce, category_id=veg.pk)
    services.receive_delivery(
        world.actor,
        location_id=world.store_a.pk,
        supplier_id=buying.supplier.pk,
        lines=[
            {"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "2"},
            {
                "supplier_item_id": buying.lettuce_si.pk,
                "delivered_quantity": "3",
                "rejected_quantity": "1",
                "reject_reason": "quality",
                "unit_price": "32",
                "temperature": "3",
            },
        ],
    )
    services.receive_delivery(
        world.actor,
        location_id=world.store_b.pk,
        supplier_id=buying.supplier.pk,
        lines=[
            {"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "1", "unit_price": "250"}
        ],
    )
    services.enter_invoice(
        world.actor,
        supplier_id=buying.supplier.pk,
        number="26442000000012345678",
        kind="special",
        invoice_date=TODAY,
        supplier_tax_id=SUPPLIER_TAX_ID,
        buyer_tax_id=BUYER_TAX_ID,
        net_total="300.00",
        tax_total="27.00",
        gross_total="327.00",
        lines=[
            {
                "supplier_item_id": buying.lettuce_si.pk,
                "quantity": "10",
                "unit_price": "30",
                "net_amount": "300.00",
                "tax_rate": "9",
            }
        ],
    )


def test_spend_comes_from_what_was_received_not_from_invoices_nor_own_kitchens(
    world: World, buying: Buying
) -> None:
    _received_month(world, buying)
    kitchen = Kitchen(world, buying)
    shipped = kitchen.shipped((kitchen.oil, "1"))
    services.receive_delivery(
        world.actor,
        location_id=world.store_a.pk,
        order_id=shipped.pk,
        lines=[{"supplier_item_id": kitchen.oil.pk, "delivered_quantity": "1"}],
    )

    def spend(by: str) -> list[tuple[str, Decimal]]:
        return [(r.key, r.amount) for r in selectors.spend(world.actor, TODAY, TODAY, by=by)]

    assert spend("supplier") == [("XD", Decimal("834.00"))]
    assert spend("category") == [("FAT", Decimal("770.00")), ("VEG", Decimal("64.00"))]
    assert spend("location") == [("A01", Decimal("584.00")), ("B01", Decimal("250.00"))]
    assert spend("month") == [(TODAY.strftime("%Y-%m"), Decimal("834.00"))]


def test_price_variance_by_item_and_supplier(world: World, buying: Buying) -> None:
    _received_month(world, buying)

    rows = selectors.price_variance(world.actor, TODAY, TODAY)

    # Lettuce: 2 crates x (32.00 - 30.00) = 4.00 over. Oil: 3 cases agreed at 260.00 = 780.00,
    # paid 520.00 + 250.00 = 770.00, so 10.00 under.
    assert [
        (r.item_code, r.quantity, r.agreed_value, r.actual_value, r.variance) for r in rows
    ] == [
        ("LETTUCE", Decimal("10000.000"), Decimal("60.00"), Decimal("64.00"), Decimal("4.00")),
        ("OIL", Decimal("60000.000"), Decimal("780.00"), Decimal("770.00"), Decimal("-10.00")),
    ]


def test_report_pages_and_endpoints_show_the_same_figures(
    world: World, buying: Buying, owner_api: ApiClient
) -> None:
    _received_month(world, buying)
    late = _sent(world, buying, buying.oil_si, "1", TODAY - dt.timedelta(days=3))
    due = _sent(world, buying, buying.oil_si, "2", TODAY + dt.timedelta(days=3))
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.owner)
    period = f"date_from={TODAY.isoformat()}&date_to={TODAY.isoformat()}"

    spend_api = owner_api.get(f"/purchasing/reports/spend?by=category&{period}").json()
    variance_api = owner_api.get(f"/purchasing/reports/price-variance?{period}").json()
    overdue_api = owner_api.get("/purchasing/reports/open-orders?overdue=true").json()
    spend_page = client.get(f"/purchasing/reports/spend/?by=location&{period}").content.decode()
    variance_page = client.get(f"/purchasing/reports/price-variance/?{period}").content.decode()
    open_page = client.get("/purchasing/reports/open-orders/").content.decode()
    overdue_page = client.get("/purchasing/reports/open-orders/?overdue=1").content.decode()

    assert [(r["key"], r["amount"]) for r in spend_api] == [("FAT", "770.00"), ("VEG", "64.00")]
    assert [(r["item_code"], r["variance"]) for r in variance_api] == [
        ("LETTUCE", "4.00"),
        ("OIL", "-10.00"),
    ]
    assert [o["id"] for o in overdue_api["items"]] == [late.pk]
    assert "¥584.00" in spend_page and "¥250.00" in spend_page and "¥834.00" in spend_page
    assert "-¥10.00" in variance_page and "-¥6.00" in variance_page
    assert late.number in open_page and due.number in open_page
    assert late.number in overdue_page and due.number not in overdue_page
    assert open_page.count('class="flag"') == 1
