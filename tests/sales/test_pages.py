"""Sales pages: tickets, the unmapped queue and its mapping form, daily sales, AvT, menu
engineering."""

from __future__ import annotations

from django.test import Client

from boh.sales.models import TicketLine, UnmappedSale
from boh.sales.services import ingest_tickets
from tests.conftest import World
from tests.sales.conftest import Shop, sale, ticket
from tests.sales.test_reports import local_day


def signed_in(world: World, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(world.owner)
    return client


def test_ticket_list_and_detail(world: World, shop: Shop) -> None:
    # given a ticket with a line awaiting mapping
    result = ingest_tickets(
        world.actor, [ticket(world.store_a, sale(), sale("NEWDISH"), external_id="P-1")]
    )
    client = signed_in(world)

    # when the list and the ticket are opened
    listed = client.get("/sales/tickets/", {"q": "P-1"})
    shown = client.get(f"/sales/tickets/{result.outcomes[0].ticket_id}/")

    # then both show the ticket, its lines and its waiting line
    assert listed.status_code == 200
    assert "P-1" in listed.text and "1 line awaits mapping" in listed.text
    assert shown.status_code == 200
    assert "NEWDISH" in shown.text and "Awaiting mapping" in shown.text


def test_the_queue_page_maps_a_code(world: World, shop: Shop) -> None:
    # given a line waiting for XEGG
    ingest_tickets(world.actor, [ticket(world.store_a, sale("XEGG", quantity=2))])
    row = UnmappedSale.objects.get()
    client = signed_in(world)

    # when the queue is opened and the code mapped to the egg dish through its form
    page = client.get("/sales/unmapped/")
    detail = client.get(f"/sales/unmapped/{row.pk}/")
    mapped = client.post(f"/sales/unmapped/{row.pk}/map/", {"target": shop.eggs.pk}, follow=True)

    # then the queue listed it, and mapping depleted the waiting line
    assert page.status_code == 200 and "XEGG" in page.text
    assert detail.status_code == 200
    assert mapped.status_code == 200
    assert "XEGG is mapped: 1 waiting lines depleted, 0 still waiting." in mapped.text
    assert TicketLine.objects.get().state == "posted"


def test_report_pages(world: World, shop: Shop) -> None:
    # given sales yesterday at store A
    ingest_tickets(world.actor, [ticket(world.store_a, sale(quantity=2), sale("EGGS"))])
    client = signed_in(world)
    day = local_day(1).isoformat()
    period = {"location": world.store_a.pk, "date_from": day, "date_to": day}

    # when the daily sales, AvT and menu engineering pages are opened
    daily = client.get("/sales/", period)
    avt = client.get("/sales/avt/", period)
    engineering = client.get("/sales/menu-engineering/", period)

    # then each shows the period's figures
    assert daily.status_code == 200 and "¥84.00" in daily.text
    assert avt.status_code == 200 and "BEEF" in avt.text
    assert engineering.status_code == 200 and "M01" in engineering.text


def test_pages_answer_in_chinese(world: World, shop: Shop) -> None:
    client = signed_in(world, "zh-hans")
    response = client.get("/sales/unmapped/")
    assert response.status_code == 200
    assert "未映射" in response.text
