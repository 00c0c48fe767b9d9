"""The documents' HTTP API: transfers, waste and stocktakes end to end, errors and scope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boh.catalog import services as catalog
from boh.inventory.documents.models import Stocktake, StocktakeLine, Transfer, WasteEntry
from boh.inventory.models import StockMove
from tests.conftest import ApiClient, World
from tests.inventory.test_documents_support import (  # noqa: F401
    Kitchen,
    english_fixture,
    kitchen_fixture,
    row_counts,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _put(api: ApiClient, path: str, body: Any) -> Any:
    return api._call("put", path, body)


def test_given_an_api_key_when_moving_beef_through_every_step_then_the_responses_track_it(
    world: World, kitchen: Kitchen, admin_api: ApiClient
) -> None:
    created = admin_api.post(
        "/inventory/transfers",
        {
            "from_location_id": world.kitchen.pk,
            "to_location_id": world.store_a.pk,
            "lines": [{"item_id": kitchen.beef.pk, "quantity": "4", "unit": "kg"}],
        },
    )
    assert created.status_code == 201, created.content
    transfer_id = created.json()["id"]
    line_id = created.json()["lines"][0]["id"]
    assert created.json()["lines"][0]["requested_quantity"] == "4000.000"

    assert (
        admin_api.post(f"/inventory/transfers/{transfer_id}/approve").json()["status"] == "approved"
    )
    shipped = admin_api.post(f"/inventory/transfers/{transfer_id}/ship", {})
    assert shipped.status_code == 200, shipped.content
    shipments = shipped.json()["lines"][0]["shipments"]
    assert [(s["lot_id"], s["quantity"], s["value"]) for s in shipments] == [
        (kitchen.b1.pk, "3000.000", "277.5000"),
        (kitchen.b2.pk, "1000.000", "92.5000"),
    ]
    in_transit = admin_api.get(f"/inventory/in-transit?location_id={world.store_a.pk}").json()
    assert (in_transit["count"], in_transit["items"][0]["state"]) == (2, "shipped")

    received = admin_api.post(
        f"/inventory/transfers/{transfer_id}/receive",
        {"lines": [{"line_id": line_id, "received_quantity": "3900", "damaged_quantity": "0"}]},
    )
    assert received.status_code == 200, received.content
    body = received.json()
    assert (body["status"], body["discrepancy"], body["lines"][0]["short_quantity"]) == (
        "received",
        "open",
        "100.000",
    )
    resolved = admin_api.post(
        f"/inventory/transfers/{transfer_id}/resolve", {"resolution": "found", "note": "back shelf"}
    )
    assert resolved.json()["discrepancy"] == "resolved"
    listed = admin_api.get("/inventory/transfers?status=received").json()
    assert [t["id"] for t in listed["items"]] == [transfer_id]


def test_given_the_same_location_twice_when_posting_a_transfer_then_400_names_the_field(
    world: World, kitchen: Kitchen, admin_api: ApiClient
) -> None:
    before = row_counts()

    response = admin_api.post(
        "/inventory/transfers",
        {
            "from_location_id": world.store_a.pk,
            "to_location_id": world.store_a.pk,
            "lines": [{"item_id": kitchen.beer.pk, "quantity": "1"}],
        },
        **{"Accept-Language": "en"},
    )

    assert response.status_code == 400
    assert response.json()["fields"] == [
        {
            "field": "to_location_id",
            "code": "same_location",
            "message": "A transfer needs two different locations.",
        }
    ]
    assert row_counts() == before


def test_given_an_unknown_field_when_posting_waste_then_it_is_refused(
    world: World, kitchen: Kitchen, admin_api: ApiClient
) -> None:
    response = admin_api.post(
        "/inventory/waste",
        {
            "location_id": world.kitchen.pk,
            "item_id": kitchen.beer.pk,
            "quantity": "1",
            "reason": "dropped",
            "colour": "red",
        },
    )

    assert response.status_code == 400
    assert [(f["field"], f["code"]) for f in response.json()["fields"]] == [
        ("colour", "extra_forbidden")
    ]
    assert WasteEntry.objects.count() == 0


def test_given_waste_with_a_photo_when_posted_then_it_is_listed_with_its_photo(
    world: World, kitchen: Kitchen, admin_api: ApiClient, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    created = admin_api.post(
        "/inventory/waste",
        {
            "location_id": world.kitchen.pk,
            "item_id": kitchen.beer.pk,
            "quantity": "2",
            "unit": "bottle",
            "reason": "dropped",
        },
    )
    assert created.status_code == 201, created.content
    waste_id = created.json()["id"]
    assert (created.json()["quantity"], created.json()["value"]) == ("1000.000", "20.0000")

    photo = admin_api.client.post(
        f"/api/v1/inventory/waste/{waste_id}/photo",
        {"photo": SimpleUploadedFile("drop.png", PNG, content_type="image/png")},
        headers=admin_api.headers,
    )

    assert photo.status_code == 200, photo.content
    assert photo.json()["photo_url"].startswith("/media/waste/")
    listed = admin_api.get(f"/inventory/waste?location_id={world.kitchen.pk}").json()
    assert [(w["id"], w["reason"]) for w in listed["items"]] == [(waste_id, "dropped")]


def test_given_a_blind_stocktake_when_counted_over_the_api_then_it_posts_once(
    world: World, kitchen: Kitchen, admin_api: ApiClient
) -> None:
    area = kitchen.area(world.kitchen, "DRY", 1)
    catalog.create_stock_level(
        world.actor,
        location_id=world.kitchen.pk,
        item_id=kitchen.beer.pk,
        par=0,
        storage_area_id=area.pk,
    )
    created = admin_api.post(
        "/inventory/stocktakes",
        {"location_id": world.kitchen.pk, "scope": "areas", "area_ids": [area.pk], "blind": True},
    )
    assert created.status_code == 201, created.content
    stocktake_id = created.json()["id"]
    assert created.json()["area_ids"] == [area.pk]

    areas = admin_api.get(f"/inventory/stocktakes/{stocktake_id}/areas").json()
    assert [(a["area_id"], a["lines"]) for a in areas["items"]] == [(area.pk, 1)]
    sheet = admin_api.get(f"/inventory/stocktakes/{stocktake_id}/sheet?area_id={area.pk}").json()
    line = sheet["items"][0]
    assert (line["item_code"], line["expected_quantity"]) == ("BEER", None)
    body = {"entries": [{"quantity": "3", "unit": "case"}, {"quantity": "6", "unit": "bottle"}]}
    saved = _put(admin_api, f"/inventory/stocktakes/{stocktake_id}/lines/{line['id']}", body)
    assert saved.status_code == 200, saved.content
    assert saved.json()["counted_quantity"] == "21000.000"
    again = _put(admin_api, f"/inventory/stocktakes/{stocktake_id}/lines/{line['id']}", body)
    assert again.json() == saved.json()

    variances = admin_api.get(f"/inventory/stocktakes/{stocktake_id}/variances").json()
    assert [
        (v["item_code"], v["variance_quantity"], v["variance_value"]) for v in variances["items"]
    ] == [("BEER", "-3000.000", "-60.0000")]
    assert (
        admin_api.post(f"/inventory/stocktakes/{stocktake_id}/approve").json()["status"]
        == "approved"
    )
    posted = admin_api.post(f"/inventory/stocktakes/{stocktake_id}/post")
    assert (posted.json()["status"], posted.json()["adjustment_value"]) == ("posted", "-60.0000")
    moves = StockMove.objects.filter(source_type="stocktake").count()
    assert admin_api.post(f"/inventory/stocktakes/{stocktake_id}/post").status_code == 200
    assert StockMove.objects.filter(source_type="stocktake").count() == moves == 1


def test_given_an_item_outside_the_scope_when_counting_over_the_api_then_item_id_is_named(
    world: World, kitchen: Kitchen, admin_api: ApiClient
) -> None:
    area = kitchen.area(world.kitchen, "DRY", 1)
    created = admin_api.post(
        "/inventory/stocktakes",
        {"location_id": world.kitchen.pk, "scope": "areas", "area_ids": [area.pk]},
    ).json()

    response = admin_api.post(
        f"/inventory/stocktakes/{created['id']}/counts",
        {"item_id": kitchen.beef.pk, "area_id": area.pk, "entries": [{"quantity": "1"}]},
    )

    assert response.status_code == 400
    assert [(f["field"], f["code"]) for f in response.json()["fields"]] == [
        ("item_id", "not_in_stocktake")
    ]
    assert StocktakeLine.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/inventory/transfers/{transfer}",
        "/inventory/waste/{waste}",
        "/inventory/stocktakes/{stocktake}",
        "/inventory/stocktakes/{stocktake}/sheet",
    ],
)
def test_given_another_organization_when_reading_its_documents_then_404(
    world: World, other_world: World, path: str
) -> None:
    from tests.inventory.docs_isolation import _stocktake, _transfer, _waste

    ids = {
        "transfer": _transfer(other_world),
        "waste": _waste(other_world),
        "stocktake": _stocktake(other_world),
    }
    api = ApiClient(world.api_key("operations"))

    response = api.get(path.format(**ids))

    assert response.status_code == 404
    assert Transfer.objects.filter(organization=world.org).count() == 0
    assert Stocktake.objects.filter(organization=world.org).count() == 0
