"""The sales pages in a real browser on a phone screen: daily sales, a ticket, mapping a code."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from boh.inventory.models import StockMove
from boh.sales.models import Ticket, UnmappedSale
from boh.sales.services import ingest_tickets
from tests.conftest import PASSWORD, World
from tests.sales.conftest import Shop, sale, ticket

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


def test_given_tickets_when_browsing_sales_and_mapping_a_code_then_the_waiting_sale_depletes(
    world: World, shop: Shop, live_server: Any, browser: Browser
) -> None:
    from playwright.sync_api import expect

    # given yesterday's ticket paid by WeChat, and one selling a dish the POS codes NEWEGG
    ingest_tickets(
        world.actor,
        [
            ticket(
                world.store_a,
                sale(quantity=2),
                external_id="BR-1",
                payments=[{"tender": "wechat", "amount": "56.00"}],
            ),
            ticket(world.store_a, sale("NEWEGG", price="12.00"), external_id="BR-2"),
        ],
    )
    page = _signed_in_phone(browser, live_server.url)

    # when the daily sales page opens, then it shows the week's sales and tenders
    page.goto(f"{live_server.url}/sales/")
    expect(page.locator("#sales-total")).to_contain_text("¥68.00")
    expect(page.locator("#sales-tenders")).to_contain_text("wechat")

    # when a ticket is opened from the list, then its lines and payments show
    page.goto(f"{live_server.url}/sales/tickets/")
    page.get_by_role("link", name="BR-1").click()
    expect(page.locator("h1")).to_contain_text("BR-1")
    expect(page.locator("#ticket-payments")).to_contain_text("¥56.00")
    expect(page.locator("#payment-warning")).to_have_count(0)

    # when the waiting code is mapped to the egg dish on the unmapped queue
    row = UnmappedSale.objects.get(code="NEWEGG")
    page.goto(f"{live_server.url}/sales/unmapped/")
    expect(page.locator("#unmapped-summary")).to_contain_text("1 codes to map")
    page.select_option(f"#map-{row.pk}", str(shop.eggs.pk))
    page.locator(f"#map-{row.pk} + button").click()

    # then the page confirms it, the queue is empty and the sale depleted two eggs
    expect(page.locator(".alert-success")).to_contain_text("NEWEGG is mapped")
    expect(page.locator(".empty")).to_contain_text("Every POS code sold is mapped.")
    waiting = Ticket.objects.get(external_id="BR-2")
    assert waiting.waiting_lines == 0
    eggs = StockMove.objects.filter(
        location_id=world.store_a.pk, kind="sale_depletion", item__code="EGG"
    ).values_list("quantity", flat=True)
    assert sum(eggs, Decimal(0)) == Decimal("-2.000") + Decimal("-1.600")
    page.close()
