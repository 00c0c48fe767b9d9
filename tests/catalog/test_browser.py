"""The item list in a real browser on a phone screen: live filtering and scanning a barcode."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from boh.catalog import services
from tests.conftest import PASSWORD, World

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _signed_in_phone(browser: Browser, base: str) -> Page:
    page = browser.new_page(viewport=PHONE, locale="en-US")
    page.goto(f"{base}/login/")
    page.fill("#id_username", "acme-owner")
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_given_items_when_typing_in_the_search_box_then_the_table_filters_in_place(
    world: World, live_server: Any, browser: Browser
) -> None:
    from playwright.sync_api import expect

    services.create_item(world.actor, code="BEEF01", name="肥牛卷", base_unit="g")
    services.create_item(world.actor, code="TOFU01", name="豆腐", base_unit="g")
    page = _signed_in_phone(browser, live_server.url)
    page.goto(f"{live_server.url}/catalog/")

    page.locator("#id_q").press_sequentially("fnj")

    expect(page.locator("#item-table tbody tr")).to_have_count(1)
    expect(page.locator("#item-table")).to_contain_text("BEEF01")
    assert page.url.endswith("q=fnj&kind=&category=&storage=&status=active")
    page.close()


def test_given_a_barcode_when_a_scanner_types_it_and_presses_enter_then_the_item_opens(
    world: World, live_server: Any, browser: Browser
) -> None:
    from playwright.sync_api import expect

    wine = services.create_item(world.actor, code="WINE01", name="红酒", base_unit="ml")
    services.create_pack(world.actor, wine, code="bottle", name="瓶", quantity=750, unit="ml")
    services.add_barcode(world.actor, wine, code="4006381333931")
    page = _signed_in_phone(browser, live_server.url)
    page.goto(f"{live_server.url}/catalog/")

    page.locator("#id_q").press_sequentially("4006381333931", delay=5)
    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/catalog/items/{wine.pk}/")
    expect(page.locator("main h1")).to_contain_text("红酒")
    expect(page.locator("#packs + section")).to_contain_text("750 ml")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    page.close()
