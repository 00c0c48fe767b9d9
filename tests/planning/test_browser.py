"""Suggested transfers on the suggestions page in a real browser: request one, reject one."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect

from boh.inventory.documents.models import Transfer
from boh.planning.models import TransferSuggestion
from tests.conftest import World
from tests.planning.worlds import planned


@pytest.mark.browser
def test_given_a_suggested_transfer_when_requested_in_the_browser_then_its_transfer_is_linked(
    live_server: object, transactional_db: None, world: World, browser: Browser
) -> None:
    suggestion = planned(world).transfers[0]
    session = Client()
    session.force_login(world.owner)
    base = str(live_server)

    context = browser.new_context(locale="en-US")
    context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base}]
    )
    page = context.new_page()
    page.goto(f"{base}/planning/suggestions/")
    row = page.locator(f"#transfer-{suggestion.pk}")
    expect(row).to_contain_text("1500 g")

    row.get_by_role("button", name="Reject").click()
    expect(page.locator("body")).to_contain_text("This field is required.")
    row.get_by_role("button", name="Request transfer").click()

    transfer = Transfer.objects.get()
    expect(page.locator("body")).to_contain_text(f"Transfer TR-{transfer.pk} requested")
    expect(page.locator(f"#decided-{suggestion.pk}")).to_contain_text(f"TR-{transfer.pk}")
    expect(page.locator(f"#transfer-{suggestion.pk}")).to_have_count(0)

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.transfer_id) == (
        TransferSuggestion.Status.ACCEPTED,
        transfer.pk,
    )
