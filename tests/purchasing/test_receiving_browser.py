"""The back-door receiving screen on a phone: scan, enter what came, see what is missing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect

from boh.inventory.documents.models import Transfer
from boh.purchasing import services
from boh.purchasing.models import OrderStatus, Receipt
from tests.conftest import World
from tests.purchasing.conftest import Buying
from tests.purchasing.test_internal import Kitchen

PHONE = {"width": 375, "height": 812}


@pytest.mark.browser
def test_given_a_phone_when_receiving_a_scanned_item_then_missing_updates_and_posts(
    live_server: object, transactional_db: None, world: World, settings: object, browser: Browser
) -> None:
    buying = Buying(world)
    order = buying.sent_order((buying.oil_si, "3"), (buying.lettuce_si, "1"))
    receipt = services.start_receipt(world.actor, location_id=world.store_a.pk, order_id=order.pk)
    kitchen = Kitchen(world, buying)
    internal = kitchen.shipped((kitchen.oil, "2"))
    receiver = world.user("store_staff", location_id=world.store_a.pk)
    session = Client()
    session.force_login(receiver)
    base = str(live_server)

    context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
    context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base}]
    )
    page = context.new_page()
    page.goto(f"{base}/purchasing/receipts/{receipt.pk}/")
    missing = page.locator("#missing li[data-item='XD-OIL-4x5'] strong")
    expect(missing).to_have_text("3")

    page.fill("#scan", "XD-OIL-4x5")
    page.press("#scan", "Enter")
    expect(page.locator("#delivered")).to_be_focused()
    page.keyboard.type("2")
    page.get_by_role("button", name="Save line").click()

    expect(missing).to_have_text("1")
    expect(page.locator("#lines")).to_contain_text("2 CASE")
    page.fill("#scan", "生菜")
    page.press("#scan", "Enter")
    page.fill("#delivered", "1")
    page.fill("#temperature", "9")
    page.get_by_role("button", name="Save line").click()
    expect(page.locator("#lines .flag")).to_have_text("out of range")
    page.get_by_role("button", name="Post receipt to stock").click()
    expect(page.locator("#flash")).to_contain_text("Receipt posted to stock.")
    page_width = page.evaluate("document.documentElement.scrollWidth")

    # The kitchen's shipped order arrives at the same back door, one case short.
    page.goto(f"{base}/purchasing/receive/?location_id={world.store_a.pk}")
    shipped = page.locator("form.entry", has_text=internal.number)
    expect(shipped).to_contain_text("as transfer TR-")
    shipped.get_by_role("button", name="Start receiving").click()
    kitchen_missing = page.locator("#missing li[data-item='CK-OIL'] strong")
    expect(kitchen_missing).to_have_text("2")
    page.fill("#scan", "CK-OIL")
    page.press("#scan", "Enter")
    expect(page.locator("#delivered")).to_be_focused()
    expect(page.locator("input[name='unit_price']")).to_have_count(0)
    page.keyboard.type("1")
    page.get_by_role("button", name="Save line").click()
    expect(kitchen_missing).to_have_text("1")
    page.get_by_role("button", name="Post receipt to stock").click()
    expect(page.locator("#flash")).to_contain_text("Receipt posted to stock.")

    assert page_width <= PHONE["width"]
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.POSTED
    assert list(order.lines.order_by("line_no").values_list("received_quantity", flat=True)) == [
        Decimal("2.000"),
        Decimal("1.000"),
    ]
    transfer = Transfer.objects.get(pk=internal.transfer_ids[0])
    assert (transfer.status, transfer.discrepancy) == ("received", "open")
    assert transfer.lines.get().short_quantity == Decimal("20000.000")
    internal.refresh_from_db()
    assert internal.status == OrderStatus.RECEIVED
    assert internal.lines.get().received_quantity == Decimal("1.000")
