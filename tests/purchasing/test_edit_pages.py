"""The pages that change suppliers, supplier items and prices, requisitions and returns."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from boh.purchasing import services
from boh.purchasing.models import (
    CreditRequest,
    OrderSource,
    PurchaseOrder,
    Requisition,
    Supplier,
    SupplierLocation,
    SupplierPrice,
    SupplierReturn,
)
from tests.conftest import World
from tests.purchasing.conftest import PRICES_FROM, SUPPLIER_TAX_ID, Buying


@pytest.fixture
def owner(world: World) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.owner)
    return client


def _field_error(html: str, name: str) -> str:
    """The text of the error shown under one field."""
    marker = f'id="f-{name}-error">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("</p>", start)]


def test_given_a_bad_tax_id_when_adding_a_supplier_then_the_error_is_next_to_it(
    world: World, owner: Client
) -> None:
    form = {"code": "HM", "name": "河马冻品", "tax_id": "91110000600037341X", "currency": "CNY"}

    refused = owner.post("/purchasing/suppliers/new/", {**form, "payment_terms": "net"})
    added = owner.post(
        "/purchasing/suppliers/new/",
        {**form, "tax_id": SUPPLIER_TAX_ID, "payment_terms": "net", "payment_days": "45"},
    )

    assert refused.status_code == 200
    assert _field_error(refused.content.decode(), "tax_id") == (
        "Enter an 18-character unified social credit code (统一社会信用代码)."
    )
    supplier = Supplier.objects.get(organization=world.org)
    assert added.status_code == 302
    assert added["Location"] == f"/purchasing/suppliers/{supplier.pk}/"
    assert (supplier.code, supplier.tax_id, supplier.payment_days) == ("HM", SUPPLIER_TAX_ID, 45)


def test_given_a_chinese_page_when_the_tax_id_is_wrong_then_the_error_is_in_chinese(
    world: World, buying: Buying
) -> None:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(world.owner)

    refused = client.post(
        f"/purchasing/suppliers/{buying.supplier.pk}/edit/",
        {"code": "XD", "name": "鲜达", "tax_id": "123", "currency": "CNY", "payment_terms": "net"},
    )

    assert _field_error(refused.content.decode(), "tax_id") == "请输入18位统一社会信用代码。"
    buying.supplier.refresh_from_db()
    assert buying.supplier.tax_id == SUPPLIER_TAX_ID


def test_editing_a_supplier_changes_terms_and_currency_and_keeps_the_rest(
    world: World, buying: Buying, owner: Client
) -> None:
    url = f"/purchasing/suppliers/{buying.supplier.pk}/edit/"
    form = owner.get(url).content.decode()

    bad = owner.post(
        url,
        {"code": "XD", "name": "北京鲜达", "currency": "R1B", "payment_terms": "net"},
    )
    owner.post(
        url,
        {
            "code": "XD",
            "name": "北京鲜达",
            "tax_id": SUPPLIER_TAX_ID,
            "currency": "usd",
            "payment_terms": "net",
            "payment_days": "60",
            "email": "po@xianda.example",
            "is_active": "1",
        },
    )

    assert 'value="北京鲜达食品有限公司"' in form
    assert _field_error(bad.content.decode(), "currency") == "Use a three-letter ISO 4217 code."
    supplier = Supplier.objects.get(pk=buying.supplier.pk)
    assert (supplier.name, supplier.currency, supplier.payment_terms, supplier.payment_days) == (
        "北京鲜达",
        "USD",
        "net",
        60,
    )
    assert (supplier.email, supplier.is_active) == ("po@xianda.example", True)


def test_contacts_are_added_and_removed(world: World, buying: Buying, owner: Client) -> None:
    url = f"/purchasing/suppliers/{buying.supplier.pk}/contacts/"

    bad = owner.post(url, {"name": "", "email": "nobody"})
    owner.post(url, {"name": "王经理", "phone": "13800000000", "is_primary": "1"})
    contact = buying.supplier.contacts.get()
    detail = owner.get(f"/purchasing/suppliers/{buying.supplier.pk}/").content.decode()
    owner.post(url, {"remove": contact.pk})

    assert _field_error(bad.content.decode(), "name") == "This field is required."
    assert _field_error(bad.content.decode(), "email") == "Enter a valid email address."
    assert (contact.name, contact.is_primary) == ("王经理", True)
    assert "王经理" in detail
    assert not buying.supplier.contacts.exists()


def test_delivery_terms_are_set_per_location(world: World, buying: Buying, owner: Client) -> None:
    url = f"/purchasing/suppliers/{buying.supplier.pk}/delivery-terms/"
    terms = {
        "location_id": world.store_a.pk,
        "delivery_weekdays": ["0", "3"],
        "lead_time_days": "2",
        "min_order_value": "500",
    }

    bad = owner.post(url, {**terms, "cutoff_time": "25:00"})
    saved = owner.post(url, {**terms, "cutoff_time": "14:30"})
    again = owner.get(f"{url}?location_id={world.store_a.pk}").content.decode()

    assert _field_error(bad.content.decode(), "cutoff_time") == "Enter a time such as 14:00."
    assert saved.status_code == 302
    row = SupplierLocation.objects.get(supplier=buying.supplier)
    assert (row.location_id, row.delivery_weekdays, row.cutoff_time) == (
        world.store_a.pk,
        [0, 3],
        dt.time(14, 30),
    )
    assert (row.lead_time_days, row.min_order_value) == (2, Decimal("500.00"))
    assert 'value="14:30"' in again
    assert 'name="delivery_weekdays" value="3" checked' in again


def test_a_supplier_item_is_added_and_a_new_price_ends_the_old_one(
    world: World, buying: Buying, owner: Client
) -> None:
    new_item = f"/purchasing/suppliers/{buying.supplier.pk}/items/new/"
    item = {
        "item_id": buying.oil.pk,
        "supplier_code": "XD-OIL-5",
        "pack_code": "JUG",
        "pack_count": "1",
        "pack_size": "5",
        "price": "70",
        "valid_from": "2026-01-01",
    }

    bad_unit = owner.post(new_item, {**item, "pack_unit": "kg"})
    added = owner.post(new_item, {**item, "pack_unit": "l"})
    si = buying.supplier.items.get(supplier_code="XD-OIL-5")
    page = f"/purchasing/supplier-items/{si.pk}/"
    same_day = owner.post(page, {"price": "75", "valid_from": "2026-01-01"})
    owner.post(page, {"price": "15", "valid_from": "2026-03-01", "unit": "l", "note": "涨价"})
    history = owner.get(page).content.decode()

    assert "pack_unit" in bad_unit.content.decode()
    assert 'class="field-error"' in bad_unit.content.decode()
    assert added["Location"] == page
    assert (si.pack_label, si.pack_factor) == ("5 l", Decimal("5000.000000"))
    assert _field_error(same_day.content.decode(), "valid_from") == (
        "A price from this date already exists; choose another date."
    )
    assert list(
        SupplierPrice.objects.filter(supplier_item=si)
        .order_by("valid_from")
        .values_list("valid_from", "valid_to", "price")
    ) == [
        (dt.date(2026, 1, 1), dt.date(2026, 2, 28), Decimal("70.000000")),
        (dt.date(2026, 3, 1), None, Decimal("75.000000")),
    ]
    assert history.index("2026-03-01") < history.index("2026-01-01")
    assert "涨价" in history


def test_a_requisition_is_sent_and_head_office_orders_it(
    world: World, buying: Buying, owner: Client
) -> None:
    services.set_preferred_supplier(world.actor, supplier_item_id=buying.oil_si.pk)
    form = {
        "location_id": world.store_a.pk,
        "needed_by": "2026-05-01",
        "lines-0-item_id": buying.oil.pk,
        "lines-0-quantity": "30000",
    }

    bad = owner.post("/purchasing/requisitions/new/", {**form, "lines-2-quantity": "-1"})
    owner.post("/purchasing/requisitions/new/", form)
    requisition = Requisition.objects.get()
    listed = owner.get("/purchasing/requisitions/").content.decode()
    ordered = owner.post(
        "/purchasing/requisitions/",
        {"requisition_id": [requisition.pk], "expected_date": "2026-04-30"},
    )

    assert "No such item." in bad.content.decode()
    assert requisition.number in listed and "菜籽油 30000 ml" in listed
    order = PurchaseOrder.objects.get(source=OrderSource.REQUISITIONS)
    assert ordered["Location"] == f"/purchasing/orders/{order.pk}/"
    assert list(order.lines.values_list("location_id", "quantity")) == [
        (world.store_a.pk, Decimal("2.000"))
    ]
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.CONSOLIDATED


def test_a_return_from_a_receipt_is_posted_and_shows_its_credit(
    world: World, buying: Buying, owner: Client
) -> None:
    receipt = services.receive_delivery(
        world.actor,
        location_id=world.store_a.pk,
        supplier_id=buying.supplier.pk,
        lines=[{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "3"}],
    )
    form = {
        "receipt_id": receipt.pk,
        "location_id": world.store_a.pk,
        "reason": "quality",
        "lines-0-supplier_item_id": buying.oil_si.pk,
    }
    offered = owner.get(f"/purchasing/returns/new/?receipt_id={receipt.pk}")

    too_many = owner.post("/purchasing/returns/new/", {**form, "lines-0-quantity": "4"})
    posted = owner.post("/purchasing/returns/new/", {**form, "lines-0-quantity": "2"})
    ret = SupplierReturn.objects.get()
    detail = owner.get(posted["Location"]).content.decode()

    assert f'<option value="{buying.oil_si.pk}" selected>' in offered.content.decode()
    assert "At most 3 CASE of 菜籽油 can still be returned from this receipt." in (
        too_many.content.decode()
    )
    assert posted["Location"] == f"/purchasing/returns/{ret.pk}/"
    credit = CreditRequest.objects.get(supplier_return=ret)
    assert credit.amount == Decimal("520.00")
    assert "¥520.00" in detail or "520.00" in detail
    assert "Requested" in detail
    assert ret.number in owner.get("/purchasing/returns/").content.decode()


def test_every_new_page_answers_for_the_owner(world: World, buying: Buying, owner: Client) -> None:
    pages = {
        "/purchasing/suppliers/new/": "New supplier",
        f"/purchasing/suppliers/{buying.supplier.pk}/edit/": "Edit supplier",
        f"/purchasing/suppliers/{buying.supplier.pk}/contacts/": "Add a contact",
        f"/purchasing/suppliers/{buying.supplier.pk}/delivery-terms/": "Delivery weekdays",
        f"/purchasing/suppliers/{buying.supplier.pk}/items/new/": "New supplier item",
        f"/purchasing/supplier-items/{buying.oil_si.pk}/": PRICES_FROM.isoformat(),
        "/purchasing/requisitions/": "Requisitions",
        "/purchasing/requisitions/new/": "Send to head office",
        "/purchasing/returns/": "Returns to suppliers",
        f"/purchasing/returns/new/?supplier_id={buying.supplier.pk}": "at today's agreed price",
        "/purchasing/reports/spend/": "Spend",
        "/purchasing/reports/price-variance/": "Purchase price variance",
        "/purchasing/reports/open-orders/": "Open orders",
    }

    for url, text in pages.items():
        response = owner.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    detail = owner.get(f"/purchasing/suppliers/{buying.supplier.pk}/").content.decode()
    for link in ("/edit/", "/contacts/", "/delivery-terms/", "/items/new/", "/supplier-items/"):
        assert link in detail, link
