import pytest
from playwright.sync_api import sync_playwright
from tests.menu.test_costing import prices, standard_costs
from tests.conftest import PASSWORD

@pytest.mark.django_db(transaction=True)
def test_shot(live_server, kitchen):
    standard_costs(kitchen); prices(kitchen)
    kitchen.options(); kitchen.set_meal()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        from django.test import Client
        c = Client(); c.force_login(kitchen.world.owner)
        ctx = b.new_context(viewport={"width": 1280, "height": 1400}, locale="zh-CN", extra_http_headers={"Accept-Language": "zh-hans"})
        ctx.add_cookies([{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}])
        page = ctx.new_page()
        page.goto(live_server.url + f"/menu/items/{kitchen.noodles.pk}/?location_id=")
        page.screenshot(path="/tmp/menu-i18n/detail.png", full_page=True)
        page.goto(live_server.url + f"/menu/items/{kitchen.noodles.pk}/recipe/")
        page.click("#add-line")
        page.wait_for_timeout(500)
        page.screenshot(path="/tmp/menu-i18n/editor.png", full_page=True)
        page.goto(live_server.url + "/menu/")
        page.screenshot(path="/tmp/menu-i18n/list.png", full_page=True)
        b.close()
