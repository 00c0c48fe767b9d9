import datetime as dt
from typing import Any

import pytest
from django.core import mail

from boh.purchasing.models import Invoice, PurchaseOrder
from tests.conftest import ApiClient, World
from tests.isolation import load_all
from tests.purchasing.conftest import BUYER_TAX_ID, SUPPLIER_TAX_ID, Buying
from tests.purchasing.test_receiving import GOOD_UNTIL


@pytest.fixture
def api(world: World) -> ApiClient:
    return ApiClient(world.api_key("purchasing"))


def test_given_a_supplier_with_a_bad_tax_id_then_400_naming_it(api: ApiClient) -> None:
    response = api.post(
        "/purchasing/suppliers", {"code": "X", "name": "某供应商", "tax_id": "91110000600037341A"}
    )

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "tax_id"
    assert response.json()["code"] == "invalid_tax_id"


def test_given_an_unknown_field_then_400(api: ApiClient) -> None:
    response = api.post("/purchasing/suppliers", {"code": "X", "name": "x", "colour": "red"})

    assert response.status_code == 400
    assert response.json()["fields"][0]["code"] == "extra_forbidden"


def test_supplier_and_item_through_the_api(world: World, api: ApiClient) -> None:
    from boh.catalog import services as catalog

    beef = catalog.create_item(world.actor, code="BEEF", name="肥牛卷", base_unit="g")
    created = api.post(
        "/purchasing/suppliers",
        {"code": "XD", "name": "鲜达", "tax_id": SUPPLIER_TAX_ID, "payment_terms": "month_end"},
    ).json()

    item = api.post(
        f"/purchasing/suppliers/{created['id']}/items",
        {
            "item_id": beef.pk,
            "supplier_code": "XD-1",
            "pack_code": "CTN",
            "pack_count": "10",
            "pack_size": "1",
            "pack_unit": "kg",
            "price": "85",
            "price_unit": "kg",
            "valid_from": "2026-01-01",
        },
    )
    prices = api.get(f"/purchasing/supplier-items/{item.json()['id']}/prices").json()

    assert item.status_code == 201
    assert item.json()["pack_factor"] == "10000"
    assert [(p["price"], p["valid_from"]) for p in prices["items"]] == [
        ("850.000000", "2026-01-01")
    ]


def test_order_lifecycle_through_the_api(world: World, buying: Buying) -> None:
    from boh.purchasing import services

    services.create_approval_rule(world.actor, role="purchasing", max_amount="5000")
    api = ApiClient(world.api_key("purchasing"))
    created = api.post(
        "/purchasing/orders",
        {
            "supplier_id": buying.supplier.pk,
            "location_id": world.store_a.pk,
            "lines": [{"supplier_item_id": buying.oil_si.pk, "quantity": "2"}],
        },
    )
    order_id = created.json()["id"]

    submitted = api.post(f"/purchasing/orders/{order_id}/submit")
    twice = api.post(f"/purchasing/orders/{order_id}/submit")
    approved = api.post(f"/purchasing/orders/{order_id}/approve")
    sent = api.post(f"/purchasing/orders/{order_id}/send", {})
    pdf = api.get(f"/purchasing/orders/{order_id}/pdf")
    received = api.post(
        "/purchasing/receipts",
        {
            "location_id": world.store_a.pk,
            "order_id": order_id,
            "delivery_note": "DN1",
            "lines": [{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "2"}],
        },
    )

    assert created.status_code == 201
    assert created.json()["total"] == "520.00"
    assert created.json()["actions"] == ["submit", "cancel"]
    assert submitted.json()["status"] == "awaiting_approval"
    assert twice.status_code == 409
    assert twice.json()["code"] == "illegal_transition"
    assert approved.json()["status"] == "approved"
    assert sent.json()["status"] == "sent"
    assert len(mail.outbox) == 1
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert received.status_code == 201
    assert received.json()["status"] == "posted"
    assert received.json()["missing"][0]["missing"] == "0.000"
    assert PurchaseOrder.objects.get(pk=order_id).status == "received"


def test_phone_receiving_through_the_api_shows_what_is_missing(
    world: World, buying: Buying
) -> None:
    api = ApiClient(world.api_key("store_staff", location_id=world.store_a.pk))
    order = buying.sent_order((buying.oil_si, "3"), (buying.beef_si, "1"))

    opened = api.post(
        "/purchasing/receipts/open", {"location_id": world.store_a.pk, "order_id": order.pk}
    ).json()
    line = api.post(
        f"/purchasing/receipts/{opened['id']}/lines",
        {"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "2"},
    )
    detail = api.get(f"/purchasing/receipts/{opened['id']}").json()
    posted = api.post(f"/purchasing/receipts/{opened['id']}/post")

    assert line.status_code == 201
    assert [(m["supplier_code"], m["missing"]) for m in detail["missing"]] == [
        ("XD-OIL-4x5", "1.000"),
        ("XD-BEEF-10", "1.000"),
    ]
    assert posted.status_code == 200
    assert posted.json()["status"] == "posted"


def _invoice_body(buying: Buying, number: str = "26442000000012345678") -> dict[str, Any]:
    return {
        "supplier_id": buying.supplier.pk,
        "number": number,
        "kind": "special",
        "invoice_date": "2026-03-15",
        "supplier_tax_id": SUPPLIER_TAX_ID,
        "buyer_tax_id": BUYER_TAX_ID,
        "net_total": "30.00",
        "tax_total": "2.70",
        "gross_total": "32.70",
        "lines": [
            {
                "supplier_item_id": buying.lettuce_si.pk,
                "quantity": "1",
                "unit_price": "30",
                "net_amount": "30.00",
                "tax_rate": "9",
            }
        ],
    }


def test_invoice_entered_twice_is_409_and_exception_resolved_through_the_api(
    world: World, buying: Buying
) -> None:
    api = ApiClient(world.api_key("finance"))

    first = api.post("/purchasing/invoices", _invoice_body(buying))
    again = api.post("/purchasing/invoices", _invoice_body(buying))
    queue = api.get("/purchasing/exceptions").json()
    resolved = api.post(
        f"/purchasing/exceptions/{queue['items'][0]['id']}/resolve", {"resolution": "rejected"}
    )
    after = api.get("/purchasing/exceptions").json()

    assert first.status_code == 201
    assert first.json()["status"] == "exception"
    assert [e["reason"] for e in first.json()["exceptions"]] == ["item_never_ordered"]
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_invoice"
    assert again.json()["fields"][0]["field"] == "number"
    assert Invoice.objects.count() == 1
    assert resolved.status_code == 200
    assert resolved.json()["resolution"] == "rejected"
    assert after["count"] == 0


def test_invoice_totals_off_by_a_fen_is_400_naming_gross_total(
    world: World, buying: Buying
) -> None:
    api = ApiClient(world.api_key("finance"))
    body = {**_invoice_body(buying), "gross_total": "32.71"}

    response = api.post("/purchasing/invoices", body)

    assert response.status_code == 400
    assert [(f["field"], f["code"]) for f in response.json()["fields"]] == [
        ("gross_total", "totals_do_not_add_up")
    ]


def test_reports_answer_through_the_api(world: World, buying: Buying) -> None:
    api = ApiClient(world.api_key("auditor"))
    order = buying.sent_order((buying.beef_si, "1"))
    from boh.purchasing import services

    services.receive_delivery(
        world.actor,
        location_id=world.store_a.pk,
        order_id=order.pk,
        lines=[
            {
                "supplier_item_id": buying.beef_si.pk,
                "delivered_quantity": "1",
                "unit_price": "860",
                "temperature": "-20",
                "lot_code": "L1",
                "expiry_date": GOOD_UNTIL.isoformat(),
            }
        ],
    )
    today = dt.date.today().isoformat()

    variance = api.get(f"/purchasing/reports/price-variance?date_to={today}").json()
    spend = api.get(f"/purchasing/reports/spend?by=supplier&date_to={today}").json()
    bad = api.get("/purchasing/reports/spend?by=colour")

    assert [(v["item_code"], v["variance"]) for v in variance] == [("BEEF", "10.00")]
    assert [(s["key"], s["amount"]) for s in spend] == [("XD", "860.00")]
    assert bad.status_code == 400


def test_every_purchasing_path_parameter_has_an_isolation_factory() -> None:
    from boh.api import api

    factories = load_all()
    params = set()
    for path in api.get_openapi_schema()["paths"]:
        if path.startswith("/api/v1/purchasing/"):
            params |= {p.strip("{}") for p in path.split("/") if p.startswith("{")}

    assert params - set(factories) == set()


@pytest.mark.parametrize(
    "path",
    [
        "/purchasing/suppliers/{supplier_id}",
        "/purchasing/supplier-items/{supplier_item_id}",
        "/purchasing/orders/{order_id}",
        "/purchasing/receipts/{receipt_id}",
        "/purchasing/invoices/{invoice_id}",
    ],
)
def test_objects_of_another_organization_answer_404(
    world: World, other_world: World, path: str
) -> None:
    factories = load_all()
    param = path.split("{")[1].rstrip("}")
    foreign_id = factories[param](other_world)
    api = ApiClient(world.api_key("purchasing"))

    response = api.get(path.replace("{" + param + "}", str(foreign_id)))

    assert response.status_code == 404
