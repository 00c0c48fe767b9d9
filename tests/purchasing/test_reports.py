import datetime as dt
from decimal import Decimal

from django.utils import timezone

from boh.purchasing import selectors, services
from tests.conftest import World
from tests.purchasing.conftest import Buying

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
