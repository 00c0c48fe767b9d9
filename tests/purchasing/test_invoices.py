import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from boh.core.errors import BohError
from boh.purchasing import services
from boh.purchasing.models import (
    CreditRequest,
    Invoice,
    MatchException,
    Payable,
    PurchaseOrder,
    SupplierPrice,
)
from tests.conftest import World
from tests.purchasing.conftest import BUYER_TAX_ID, SUPPLIER_TAX_ID, Buying
from tests.purchasing.test_receiving import GOOD_UNTIL

INVOICE_DATE = dt.date(2026, 3, 15)
DIGITAL = "26442000000012345678"


@pytest.fixture
def received(world: World, buying: Buying) -> PurchaseOrder:
    """2 cases of oil and 1 carton of beef ordered and received in full."""
    order = buying.sent_order((buying.oil_si, "2"), (buying.beef_si, "1"))
    services.receive_delivery(
        world.actor,
        location_id=world.store_a.pk,
        order_id=order.pk,
        lines=[
            {"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "2"},
            {
                "supplier_item_id": buying.beef_si.pk,
                "delivered_quantity": "1",
                "temperature": "-19",
                "lot_code": "B1",
                "expiry_date": GOOD_UNTIL,
            },
        ],
    )
    return order


def line(
    si: Any, qty: str, price: str, net: str, rate: str, tax: str | None = None
) -> dict[str, Any]:
    row = {
        "supplier_item_id": si.pk,
        "quantity": qty,
        "unit_price": price,
        "net_amount": net,
        "tax_rate": rate,
    }
    if tax is not None:
        row["tax_amount"] = tax
    return row


def enter(world: World, buying: Buying, lines: list[dict[str, Any]], **kw: Any) -> Invoice:
    values: dict[str, Any] = {
        "supplier_id": buying.supplier.pk,
        "number": DIGITAL,
        "kind": "special",
        "invoice_date": INVOICE_DATE,
        "supplier_tax_id": SUPPLIER_TAX_ID,
        "buyer_tax_id": BUYER_TAX_ID,
        "lines": lines,
    }
    values.update(kw)
    return services.enter_invoice(world.actor, **values)


def full_lines(buying: Buying) -> list[dict[str, Any]]:
    return [
        line(buying.oil_si, "2", "260", "520.00", "13", "67.60"),
        line(buying.beef_si, "1", "850", "850.00", "9", "76.50"),
    ]


def test_given_an_invoice_matching_order_and_receipt_then_payable_at_month_end_plus_30(
    world: World, buying: Buying, received: PurchaseOrder
) -> None:
    invoice = enter(
        world,
        buying,
        full_lines(buying),
        net_total="1370.00",
        tax_total="144.10",
        gross_total="1514.10",
    )

    assert invoice.status == "matched"
    assert MatchException.objects.count() == 0
    payable = Payable.objects.get(invoice=invoice)
    assert (payable.amount, payable.due_date) == (Decimal("1514.10"), dt.date(2026, 4, 30))
    assert list(invoice.lines.values_list("order_line__order_id", flat=True)) == [received.pk] * 2


def test_given_net_days_terms_then_due_date_counts_from_the_invoice_date(
    world: World, buying: Buying
) -> None:
    services.update_supplier(world.actor, buying.supplier, payment_terms="net", payment_days=45)
    buying.supplier.refresh_from_db()

    assert services.due_date(buying.supplier, INVOICE_DATE) == dt.date(2026, 4, 29)


def test_given_totals_that_do_not_add_up_then_each_total_named_and_nothing_written(
    world: World, buying: Buying, received: PurchaseOrder
) -> None:
    with pytest.raises(BohError) as exc:
        enter(
            world,
            buying,
            full_lines(buying),
            net_total="1370.01",
            tax_total="144.10",
            gross_total="1514.10",
        )

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("net_total", "totals_do_not_add_up"),
        ("gross_total", "totals_do_not_add_up"),
    ]
    assert Invoice.objects.count() == 0


def test_given_a_line_tax_off_by_a_fen_then_refused_naming_the_line(
    world: World, buying: Buying, received: PurchaseOrder
) -> None:
    lines = [line(buying.oil_si, "2", "260", "520.00", "13", "67.61")]

    with pytest.raises(BohError) as exc:
        enter(world, buying, lines, net_total="520.00", tax_total="67.61", gross_total="587.61")

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("lines[0].tax_amount", "tax_does_not_match_rate")
    ]


def test_per_line_tax_is_rounded_half_up_to_the_fen(
    world: World, buying: Buying, received: PurchaseOrder
) -> None:
    # 3% of 0.50 is 0.015, which rounds up to 0.02
    lines = [line(buying.oil_si, "0.005", "100", "0.50", "3")]

    invoice = enter(world, buying, lines, net_total="0.50", tax_total="0.02", gross_total="0.52")

    assert invoice.lines.get().tax_amount == Decimal("0.02")


@pytest.mark.parametrize(
    ("number", "code", "field"),
    [
        ("12345", "", "number"),
        ("1234567890123456789", "", "number"),
        ("12345678", "", "invoice_code"),
        ("INV 2026", "", "number"),
    ],
)
def test_given_a_malformed_invoice_number_then_refused(
    world: World, buying: Buying, number: str, code: str, field: str
) -> None:
    with pytest.raises(BohError) as exc:
        enter(
            world,
            buying,
            full_lines(buying),
            number=number,
            invoice_code=code,
            net_total="1370.00",
            tax_total="144.10",
            gross_total="1514.10",
        )

    assert [(f.field, f.code) for f in exc.value.fields] == [(field, "invalid_invoice_number")]


def test_given_the_same_number_twice_then_409_and_one_invoice(
    world: World, buying: Buying, received: PurchaseOrder
) -> None:
    totals = {"net_total": "1370.00", "tax_total": "144.10", "gross_total": "1514.10"}
    enter(world, buying, full_lines(buying), **totals)

    with pytest.raises(BohError) as exc:
        enter(world, buying, full_lines(buying), **totals)

    assert (exc.value.code, exc.value.status) == ("duplicate_invoice", 409)
    assert Invoice.objects.count() == 1


def test_given_a_price_above_the_order_then_exception_resolved_by_price_change(
    world: World, buying: Buying, received: PurchaseOrder
) -> None:
    lines = [line(buying.oil_si, "2", "270", "540.00", "13", "70.20")]
    invoice = enter(
        world, buying, lines, net_total="540.00", tax_total="70.20", gross_total="610.20"
    )
    exc = MatchException.objects.get(invoice=invoice)

    services.resolve_exception(world.actor, exc, resolution="price_change", note="油价上调")

    assert (exc.reason, exc.expected, exc.actual, exc.amount) == (
        "price_above_order",
        Decimal("260.000000"),
        Decimal("270.000000"),
        Decimal("20.00"),
    )
    invoice.refresh_from_db()
    assert invoice.status == "matched"
    assert Payable.objects.get(invoice=invoice).amount == Decimal("610.20")
    newest = SupplierPrice.objects.filter(supplier_item=buying.oil_si).order_by("-valid_from")[0]
    assert (newest.price, newest.valid_from, newest.source) == (
        Decimal("270.000000"),
        INVOICE_DATE,
        "invoice",
    )


def test_given_more_billed_than_received_then_exception_resolved_by_credit_note(
    world: World, buying: Buying, received: PurchaseOrder
) -> None:
    lines = [line(buying.oil_si, "3", "260", "780.00", "13", "101.40")]
    invoice = enter(
        world, buying, lines, net_total="780.00", tax_total="101.40", gross_total="881.40"
    )
    exc = MatchException.objects.get(invoice=invoice)

    services.resolve_exception(
        world.actor, exc, resolution="credit_note", credit_note_number="HZ-0001"
    )

    assert (exc.reason, exc.expected, exc.actual, exc.amount) == (
        "billed_more_than_received",
        Decimal("2.000000"),
        Decimal("3.000000"),
        Decimal("260.00"),
    )
    credit = CreditRequest.objects.get(match_exception=exc)
    assert (credit.amount, credit.reference, credit.status) == (
        Decimal("293.80"),
        "HZ-0001",
        "credited",
    )
    assert Payable.objects.get(invoice=invoice).amount == Decimal("587.60")


def test_given_an_item_never_ordered_then_rejecting_rejects_the_invoice(
    world: World, buying: Buying, received: PurchaseOrder
) -> None:
    lines = [line(buying.lettuce_si, "1", "30", "30.00", "9", "2.70")]
    invoice = enter(world, buying, lines, net_total="30.00", tax_total="2.70", gross_total="32.70")
    exc = MatchException.objects.get(invoice=invoice)

    services.resolve_exception(world.actor, exc, resolution="rejected", note="未订货")

    assert (exc.reason, exc.amount) == ("item_never_ordered", Decimal("30.00"))
    invoice.refresh_from_db()
    assert invoice.status == "rejected"
    assert not Payable.objects.filter(invoice=invoice).exists()


def test_given_a_resolved_exception_when_resolving_again_then_409(
    world: World, buying: Buying, received: PurchaseOrder
) -> None:
    lines = [line(buying.lettuce_si, "1", "30", "30.00", "9", "2.70")]
    invoice = enter(world, buying, lines, net_total="30.00", tax_total="2.70", gross_total="32.70")
    exc = MatchException.objects.get(invoice=invoice)
    services.resolve_exception(world.actor, exc, resolution="rejected")

    with pytest.raises(BohError) as error:
        services.resolve_exception(world.actor, exc, resolution="credit_note")

    assert (error.value.code, error.value.status) == ("exception_already_resolved", 409)


def test_a_price_change_cannot_settle_a_quantity_exception(
    world: World, buying: Buying, received: PurchaseOrder
) -> None:
    lines = [line(buying.oil_si, "3", "260", "780.00", "13", "101.40")]
    invoice = enter(
        world, buying, lines, net_total="780.00", tax_total="101.40", gross_total="881.40"
    )

    with pytest.raises(BohError) as exc:
        services.resolve_exception(world.actor, invoice.exceptions.get(), resolution="price_change")

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("resolution", "resolution_not_allowed")
    ]


def test_given_price_within_tolerance_the_total_check_still_catches_the_difference(
    world: World, buying: Buying, received: PurchaseOrder
) -> None:
    services.update_settings(world.actor, match_price_tolerance_pct="5")
    lines = [line(buying.oil_si, "2", "265", "530.00", "13", "68.90")]

    invoice = enter(
        world, buying, lines, net_total="530.00", tax_total="68.90", gross_total="598.90"
    )
    services.update_settings(world.actor, match_amount_tolerance="10.00")
    second = enter(
        world,
        buying,
        lines,
        number="26442000000012345679",
        net_total="530.00",
        tax_total="68.90",
        gross_total="598.90",
    )

    assert list(invoice.exceptions.values_list("reason", "expected", "actual", "amount")) == [
        ("total_above_expected", Decimal("520.000000"), Decimal("530.000000"), Decimal("10.00"))
    ]
    # the second invoice bills the same 2 cases again: nothing is left to bill
    assert list(second.exceptions.values_list("reason", flat=True)) == ["billed_more_than_received"]
