import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from boh.purchasing import services
from boh.purchasing.models import OrderStatus, Receipt
from tests.conftest import World
from tests.purchasing.conftest import BUYER_TAX_ID, SUPPLIER_TAX_ID, Buying
from tests.purchasing.test_receiving import GOOD_UNTIL


@pytest.fixture
def owner(world: World) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.owner)
    return client


def test_every_page_answers_for_the_owner(world: World, buying: Buying, owner: Client) -> None:
    order = buying.sent_order((buying.oil_si, "1"))
    receipt = services.start_receipt(world.actor, location_id=world.store_a.pk, order_id=order.pk)
    invoice = services.enter_invoice(
        world.actor,
        supplier_id=buying.supplier.pk,
        number="26442000000012345678",
        kind="special",
        invoice_date=dt.date(2026, 3, 1),
        supplier_tax_id=SUPPLIER_TAX_ID,
        buyer_tax_id=BUYER_TAX_ID,
        net_total="30.00",
        tax_total="2.70",
        gross_total="32.70",
        lines=[
            {
                "supplier_item_id": buying.lettuce_si.pk,
                "quantity": "1",
                "unit_price": "30",
                "net_amount": "30.00",
                "tax_rate": "9",
            }
        ],
    )
    guide = (
        f"/purchasing/orders/new/?supplier_id={buying.supplier.pk}&location_id={world.store_a.pk}"
    )
    pages = {
        "/purchasing/": order.number,
        "/purchasing/suppliers/": "北京鲜达食品有限公司",
        f"/purchasing/suppliers/{buying.supplier.pk}/": "10 x 1 kg",
        guide: "Create draft order",
        f"/purchasing/orders/{order.pk}/": "Sent",
        "/purchasing/receive/": order.number,
        f"/purchasing/receipts/{receipt.pk}/": "Still missing from the order",
        "/purchasing/invoices/": invoice.number,
        f"/purchasing/invoices/new/?supplier_id={buying.supplier.pk}": "Enter and match",
        f"/purchasing/invoices/{invoice.pk}/": "Item never ordered",
        "/purchasing/exceptions/": "Item never ordered",
        "/purchasing/scorecard/": "Supplier scorecard",
    }

    for url, text in pages.items():
        response = owner.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    pdf = owner.get(f"/purchasing/orders/{order.pk}/pdf/")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")


def test_order_buttons_walk_the_lifecycle_and_show_refusals(
    world: World, buying: Buying, owner: Client
) -> None:
    order = buying.order((buying.oil_si, "1"))

    owner.post(f"/purchasing/orders/{order.pk}/submit/")
    refused = owner.post(f"/purchasing/orders/{order.pk}/submit/", follow=True)
    owner.post(f"/purchasing/orders/{order.pk}/approve/")
    owner.post(f"/purchasing/orders/{order.pk}/send/")

    order.refresh_from_db()
    assert order.status == OrderStatus.SENT
    assert f"Order {order.number} is Awaiting approval; it cannot be submitted for approval." in (
        refused.content.decode()
    )


def test_receiving_screen_scan_enter_and_post(world: World, buying: Buying, owner: Client) -> None:
    order = buying.sent_order((buying.beef_si, "2"))
    receipt = services.start_receipt(world.actor, location_id=world.store_a.pk, order_id=order.pk)

    found = owner.get(f"/purchasing/receipts/{receipt.pk}/?q=XD-BEEF-10")
    missing_lot = owner.post(
        f"/purchasing/receipts/{receipt.pk}/",
        {"supplier_item_id": buying.beef_si.pk, "delivered_quantity": "2", "temperature": "-20"},
    )
    owner.post(
        f"/purchasing/receipts/{receipt.pk}/",
        {
            "supplier_item_id": buying.beef_si.pk,
            "delivered_quantity": "1",
            "temperature": "-20",
            "lot_code": "B9",
            "expiry_date": GOOD_UNTIL.isoformat(),
        },
    )
    owner.post(f"/purchasing/receipts/{receipt.pk}/", {"post": "1"})

    assert 'name="delivered_quantity"' in found.content.decode()
    assert "enter the lot code on the package" in missing_lot.content.decode()
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.POSTED
    assert order.lines.get().received_quantity == Decimal("1.000")
