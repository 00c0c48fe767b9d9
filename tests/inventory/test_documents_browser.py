"""The count sheet on a phone: scan, type a count in mixed units, see it saved by itself."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect

from boh.catalog import services as catalog
from boh.inventory.documents import stocktakes
from boh.inventory.documents.models import StocktakeLine
from tests.conftest import World
from tests.inventory.test_documents_support import Kitchen

PHONE = {"width": 375, "height": 812}


@pytest.mark.browser
def test_given_a_phone_when_counting_a_scanned_item_then_the_count_autosaves(
    live_server: object, transactional_db: None, world: World, browser: Browser
) -> None:
    kitchen = Kitchen(world)
    area = kitchen.area(world.kitchen, "DRY", 1)
    catalog.create_stock_level(
        world.actor,
        location_id=world.kitchen.pk,
        item_id=kitchen.beer.pk,
        par=0,
        storage_area_id=area.pk,
    )
    count = stocktakes.start_stocktake(world.actor, location_id=world.kitchen.pk, blind=True)
    line = StocktakeLine.objects.get(stocktake=count, item=kitchen.beer)
    counter = world.user("store_staff", location_id=world.kitchen.pk)
    session = Client()
    session.force_login(counter)
    base = str(live_server)

    context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
    context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base}]
    )
    page = context.new_page()
    page.goto(f"{base}/inventory/stocktakes/{count.pk}/?area={area.pk}")

    page.fill("#scan", "6901234567892")
    page.press("#scan", "Enter")
    found = page.locator(f"#line-{line.pk}")
    expect(found).to_have_class("count-line found")
    expect(found.locator("input[name='u:case']")).to_be_focused()
    page.keyboard.type("3")
    found.locator("input[name='u:bottle']").fill("6")

    expect(found.locator(".state.saved")).to_have_text("✓ Saved: 21000 ml", timeout=10_000)
    assert found.get_by_text("Expected").count() == 0
    page_width = page.evaluate("document.documentElement.scrollWidth")

    assert page_width <= PHONE["width"]
    line.refresh_from_db()
    assert line.counted_quantity == Decimal("21000")
    assert line.entries == [{"quantity": "3", "unit": "case"}, {"quantity": "6", "unit": "bottle"}]
