"""Phone pages of the documents: waste entry, transfer steps, count sheets and review."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from boh.catalog import services as catalog
from boh.inventory.documents import stocktakes, transfers
from boh.inventory.documents.models import Stocktake, StocktakeLine, Transfer, WasteEntry
from boh.org.models import User
from tests.conftest import World
from tests.inventory.test_documents_support import (  # noqa: F401
    Kitchen,
    english_fixture,
    kitchen_fixture,
    on_hand,
    row_counts,
)

D = Decimal


def _client(user: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_given_a_scanned_barcode_when_looking_up_then_the_item_and_its_units_are_offered(
    world: World, kitchen: Kitchen
) -> None:
    client = _client(world.owner)

    response = client.get(
        reverse("inventory_docs:item_lookup"),
        {"q": "6901234567892", "location_id": world.kitchen.pk},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="item_id" value="{kitchen.beer.pk}"' in html
    assert '<option value="case"' in html and '<option value="bottle"' in html


def test_given_the_waste_form_when_submitted_then_waste_is_logged_and_the_form_is_ready_again(
    world: World, kitchen: Kitchen
) -> None:
    client = _client(world.owner)
    assert client.get(reverse("inventory_docs:waste_new")).status_code == 200

    response = client.post(
        reverse("inventory_docs:waste_new"),
        {
            "location_id": world.kitchen.pk,
            "item_id": kitchen.beer.pk,
            "quantity": "2",
            "unit": "bottle",
            "reason": "dropped",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("inventory_docs:waste_new")
    entry = WasteEntry.objects.get()
    assert (entry.quantity, entry.reason) == (D("1000"), "dropped")
    listed = client.get(reverse("inventory_docs:waste_list")).content.decode()
    assert "啤酒" in listed


def test_given_a_bad_waste_form_then_the_field_error_is_shown_and_nothing_is_written(
    world: World, kitchen: Kitchen
) -> None:
    client = _client(world.owner)
    before = row_counts()

    response = client.post(
        reverse("inventory_docs:waste_new"),
        {
            "location_id": world.kitchen.pk,
            "item_id": kitchen.beer.pk,
            "quantity": "0",
            "reason": "dropped",
        },
    )

    assert response.status_code == 400
    assert "Enter a number greater than zero." in response.content.decode()
    assert row_counts() == before


def test_given_a_transfer_when_shipped_and_received_on_the_pages_then_stock_moves(
    world: World, kitchen: Kitchen
) -> None:
    client = _client(world.owner)
    created = client.post(
        reverse("inventory_docs:transfer_new"),
        {
            "rows": "1",
            "from_location_id": world.kitchen.pk,
            "to_location_id": world.store_b.pk,
            "l0-item_id": kitchen.beer.pk,
            "l0-quantity": "2",
            "l0-unit": "case",
        },
    )
    transfer = Transfer.objects.get()
    assert created["Location"] == reverse("inventory_docs:transfer_detail", args=[transfer.pk])
    line = transfer.lines.get()
    client.post(reverse("inventory_docs:transfer_action", args=[transfer.pk, "approve"]))

    ship_page = client.get(reverse("inventory_docs:transfer_ship", args=[transfer.pk]))
    assert f'name="quantity-{line.pk}"' in ship_page.content.decode()
    client.post(
        reverse("inventory_docs:transfer_ship", args=[transfer.pk]),
        {f"quantity-{line.pk}": "12000"},
    )
    client.post(
        reverse("inventory_docs:transfer_receive", args=[transfer.pk]),
        {f"received_quantity-{line.pk}": "11000", f"damaged_quantity-{line.pk}": "500"},
    )

    transfer.refresh_from_db()
    assert (transfer.status, transfer.discrepancy) == ("received", "open")
    assert on_hand(world.store_b, kitchen.beer) == D("11000")
    detail = client.get(
        reverse("inventory_docs:transfer_detail", args=[transfer.pk])
    ).content.decode()
    assert "Resolve the discrepancy" in detail
    listing = client.get(reverse("inventory_docs:transfers")).content.decode()
    assert f"TR-{transfer.pk}" in listing


def test_given_a_count_sheet_when_a_line_autosaves_then_the_saved_total_comes_back(
    world: World, kitchen: Kitchen
) -> None:
    area = kitchen.area(world.kitchen, "DRY", 1)
    catalog.create_stock_level(
        world.actor,
        location_id=world.kitchen.pk,
        item_id=kitchen.beer.pk,
        par=0,
        storage_area_id=area.pk,
    )
    client = _client(world.owner)
    started = client.post(
        reverse("inventory_docs:stocktakes"), {"location_id": world.kitchen.pk, "scope": "full"}
    )
    count = Stocktake.objects.get()
    assert started["Location"] == reverse("inventory_docs:stocktake_sheet", args=[count.pk])
    line = StocktakeLine.objects.get(stocktake=count, item=kitchen.beer)
    sheet = client.get(started["Location"] + f"?area={area.pk}").content.decode()
    assert f'id="line-{line.pk}"' in sheet and "Expected 24000 ml" in sheet

    saved = client.post(
        reverse("inventory_docs:stocktake_count", args=[count.pk, line.pk]),
        {"u:case": "3", "u:bottle": "6", "u:ml": ""},
        headers={"HX-Request": "true"},
    )

    assert "Saved: 21000 ml" in saved.content.decode()
    line.refresh_from_db()
    assert line.counted_quantity == D("21000")
    review = client.get(
        reverse("inventory_docs:stocktake_review", args=[count.pk])
    ).content.decode()
    assert "-3000" in review and "-¥60.00" in review
    client.post(reverse("inventory_docs:stocktake_action", args=[count.pk, "approve"]))
    client.post(reverse("inventory_docs:stocktake_action", args=[count.pk, "post"]))
    assert Stocktake.objects.get().status == Stocktake.Status.POSTED
    assert on_hand(world.kitchen, kitchen.beer) == D("21000")


def test_given_a_blind_count_then_the_sheet_shows_no_expected_quantity(
    world: World, kitchen: Kitchen
) -> None:
    count = stocktakes.start_stocktake(world.actor, location_id=world.kitchen.pk, blind=True)
    staff = world.user("store_staff", location_id=world.kitchen.pk)

    sheet = _client(staff).get(reverse("inventory_docs:stocktake_sheet", args=[count.pk]))

    html = sheet.content.decode()
    assert sheet.status_code == 200
    assert "啤酒" in html and "Expected" not in html
    review = _client(staff).get(reverse("inventory_docs:stocktake_review", args=[count.pk]))
    assert review.status_code == 403


def test_given_a_scanned_item_not_on_the_sheet_when_added_then_it_gets_a_line_in_that_area(
    world: World, kitchen: Kitchen
) -> None:
    area = kitchen.area(world.kitchen, "DRY", 1)
    count = stocktakes.start_stocktake(world.actor, location_id=world.kitchen.pk)
    client = _client(world.owner)

    response = client.post(
        reverse("inventory_docs:stocktake_add", args=[count.pk]), {"q": "BEER", "area_id": area.pk}
    )

    line = StocktakeLine.objects.get(stocktake=count, item=kitchen.beer, area=area)
    assert response["Location"].endswith(f"?area={area.pk}#line-{line.pk}")
    assert line.counted_quantity is None


def test_given_a_transfer_of_another_store_when_a_store_user_opens_it_then_404(
    world: World, kitchen: Kitchen
) -> None:
    transfer = transfers.create_transfer(
        world.actor,
        from_location_id=world.kitchen.pk,
        to_location_id=world.store_a.pk,
        lines=[{"item_id": kitchen.beer.pk, "quantity": "1"}],
    )
    outsider = world.user("store_manager", location_id=world.store_b.pk)

    response = _client(outsider).get(reverse("inventory_docs:transfer_detail", args=[transfer.pk]))

    assert response.status_code == 404


def test_given_a_bad_transfer_line_then_the_form_keeps_the_item_and_shows_the_error_by_it(
    world: World, kitchen: Kitchen
) -> None:
    client = _client(world.owner)
    before = row_counts()

    response = client.post(
        reverse("inventory_docs:transfer_new"),
        {
            "rows": "2",
            "from_location_id": world.kitchen.pk,
            "to_location_id": world.store_b.pk,
            "l1-item_id": kitchen.beer.pk,
            "l1-quantity": "0",
            "l1-unit": "case",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert f'name="l1-item_id" value="{kitchen.beer.pk}"' in html
    assert '<option value="case" selected>' in html
    assert '<p class="field-error" role="alert">Enter a number greater than zero.</p>' in html
    assert row_counts() == before


def test_given_a_chinese_phone_when_opening_the_sheet_then_it_speaks_chinese(
    world: World, kitchen: Kitchen
) -> None:
    count = stocktakes.start_stocktake(world.actor, location_id=world.kitchen.pk)
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(world.owner)

    html = client.get(reverse("inventory_docs:stocktake_sheet", args=[count.pk])).content.decode()

    assert "扫码或输入物料，然后按回车" in html
    assert "账面 24000 ml" in html
