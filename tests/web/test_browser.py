"""The shell in a real browser: sign in, switch language, htmx actions, a phone screen."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from boh.org import services
from boh.org.models import ApiKey, User
from tests.conftest import PASSWORD, World

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_given_the_owner_when_signing_in_and_choosing_chinese_then_the_shell_is_chinese(
    world: World, live_server: Any, browser: Browser
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    base = live_server.url

    _sign_in(page, base, "acme-owner")
    expect(page.locator("main h1")).to_have_text("Dashboard")

    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state("networkidle")

    expect(page.locator("main h1")).to_have_text("仪表盘")
    expect(page.locator(".kpi-placeholder").first).to_have_text("暂无数据")
    expect(page.locator(".sidenav")).to_contain_text("审计日志")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert User.objects.get(pk=world.owner.pk).language == "zh-hans"
    assert page.evaluate("typeof htmx") == "object"
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "screenshot-dashboard.png"), full_page=True)
    page.close()


def test_given_an_api_key_when_revoking_it_in_place_then_htmx_sends_the_csrf_token(
    world: World, live_server: Any, browser: Browser
) -> None:
    from playwright.sync_api import expect

    key, _raw = services.create_api_key(world.actor, name="POS", role="integration")
    page = browser.new_page(locale="en-US")
    page.on("dialog", lambda dialog: dialog.accept())
    _sign_in(page, live_server.url, "acme-owner")
    page.goto(f"{live_server.url}/org/api-keys/")

    page.click(f"#api-key-{key.pk} button[type=submit]")

    expect(page.locator(f"#api-key-{key.pk}")).to_contain_text("Revoked")
    assert page.url == f"{live_server.url}/org/api-keys/"
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    page.close()


def test_given_a_phone_when_opening_the_menu_then_links_are_large_enough_to_tap(
    world: World, live_server: Any, browser: Browser
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-hans"},
    )
    page = context.new_page()
    _sign_in(page, live_server.url, "acme-owner")
    expect(page.locator("main h1")).to_have_text("仪表盘")
    assert page.evaluate("document.documentElement.scrollWidth") == 375
    expect(page.locator(".sidenav")).not_to_be_in_viewport()
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "screenshot-phone.png"))

    page.click("label.nav-button")

    expect(page.locator(".sidenav")).to_be_in_viewport()
    links = page.eval_on_selector_all(
        ".sidenav .nav-section a",
        "links => links.map(a => [a.getAttribute('href'), a.getBoundingClientRect().height])",
    )
    assert {"/", "/org/regions/", "/org/locations/", "/org/users/", "/org/audit/"} <= {
        href for href, _height in links
    }
    assert min(height for _href, height in links) >= 44
    page.click(".sidenav a[href='/org/locations/']")
    expect(page.locator("main h1")).to_have_text("网点")
    context.close()
