"""The sales API: ingestion with per-ticket results, tickets, the queue, reports, imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

from boh.core.models import Job
from boh.sales.models import Ticket
from tests.conftest import ApiClient, World
from tests.sales.conftest import Shop, sale, ticket
from tests.sales.test_imports import TAKEAWAY
from tests.sales.test_reports import local_day


def test_posting_tickets_reports_each_outcome(world: World, shop: Shop) -> None:
    # given an integration key and a batch with one good and one bad ticket
    api = ApiClient(world.api_key("integration"))
    bad = ticket(world.store_a, sale(price="-1"))
    body = {"tickets": [ticket(world.store_a, external_id="API-1"), bad]}

    # when it is posted twice
    first = api.post("/sales/tickets", body, **{"Accept-Language": "en"})
    second = api.post("/sales/tickets", body)

    # then the first creates one and refuses one, naming the field; the second changes nothing
    assert first.status_code == 200
    data = first.json()
    assert (data["created"], data["rejected"]) == (1, 1)
    assert data["results"][1]["errors"] == [
        {
            "field": "tickets[1].lines[0].unit_price",
            "code": "negative_price",
            "message": "The price cannot be negative; a refund has a negative quantity.",
        }
    ]
    assert (second.json()["unchanged"], second.json()["batch_id"]) == (1, None)
    assert Ticket.objects.count() == 1


def test_a_batch_over_the_limit_gets_413(world: World) -> None:
    api = ApiClient(world.api_key("integration"))
    body = {"tickets": [ticket(world.store_a) for _ in range(501)]}
    response = api.post("/sales/tickets", body)
    assert response.status_code == 413
    assert response.json()["code"] == "batch_too_large"


def test_a_key_without_ingest_permission_is_refused(world: World) -> None:
    api = ApiClient(world.api_key("auditor"))
    response = api.post("/sales/tickets", {"tickets": [ticket(world.store_a)]})
    assert response.status_code == 403


def test_tickets_are_listed_and_shown_with_versions(world: World, shop: Shop) -> None:
    # given a ticket amended once
    raw = ticket(world.store_a, sale(quantity=2), external_id="API-2")
    api = ApiClient(world.api_key("integration"))
    api.post("/sales/tickets", {"tickets": [raw]})
    api.post("/sales/tickets", {"tickets": [{**raw, "lines": [sale(quantity=1)]}]})
    reader = ApiClient(world.api_key("auditor"))

    # when it is listed and shown
    listed = reader.get(f"/sales/tickets?location_id={world.store_a.pk}").json()
    shown = reader.get(f"/sales/tickets/{listed['items'][0]['id']}").json()

    # then it shows the current lines and both versions
    assert listed["count"] == 1
    assert (shown["external_id"], shown["version"], shown["net_sales"]) == ("API-2", 2, "28.00")
    assert [(line["pos_code"], line["quantity"]) for line in shown["lines"]] == [
        ("NOODLE", "1.000")
    ]
    assert [v["number"] for v in shown["versions"]] == [2, 1]


def test_the_queue_is_listed_and_mapped(world: World, shop: Shop) -> None:
    # given a line waiting for code XEGG
    ApiClient(world.api_key("integration")).post(
        "/sales/tickets", {"tickets": [ticket(world.store_a, sale("XEGG", quantity=2))]}
    )
    api = ApiClient(world.api_key("operations"))

    # when the queue is read, and the code mapped to the egg dish
    queue = api.get("/sales/unmapped").json()
    row_id = queue["items"][0]["id"]
    detail = api.get(f"/sales/unmapped/{row_id}").json()
    summary = api.get("/sales/unmapped/summary").json()
    mapped = api.post(f"/sales/unmapped/{row_id}/map", {"menu_item_id": shop.eggs.pk})

    # then the queue showed the code and its waiting line, and mapping depleted it
    assert [(r["code"], r["lines"], r["revenue"]) for r in queue["items"]] == [("XEGG", 1, "56.00")]
    assert [w["pos_code"] for w in detail["waiting"]] == ["XEGG"]
    assert summary == {"codes": 1, "lines": 1, "revenue": "56.00"}
    assert mapped.status_code == 200
    assert (mapped.json()["depleted_lines"], mapped.json()["moves"]) == (1, 1)
    assert api.get("/sales/unmapped").json()["count"] == 0


def test_reports_over_the_api(world: World, shop: Shop) -> None:
    # given two tickets sold yesterday
    ApiClient(world.api_key("integration")).post(
        "/sales/tickets",
        {"tickets": [ticket(world.store_a, sale(quantity=2)), ticket(world.store_a, sale())]},
    )
    api = ApiClient(world.api_key("operations"))
    day = local_day(1).isoformat()
    period = f"date_from={day}&date_to={day}&location_id={world.store_a.pk}"

    # when the daily sales, AvT and menu engineering are read
    daily = api.get(f"/sales/daily?{period}")
    avt = api.get(f"/sales/avt?{period}")
    engineering = api.get(f"/sales/menu-engineering?{period}")

    # then each answers with the period's figures
    assert daily.status_code == 200
    total = daily.json()["total"]
    assert (total["tickets"], total["net_sales"], total["average_check"]) == (2, "84.00", "42.00")
    assert avt.status_code == 200
    beef = next(i for i in avt.json()["items"] if i["code"] == "BEEF")
    assert beef["theoretical"] == {"quantity": "600.000", "value": "0.0000"}
    assert engineering.status_code == 200
    assert [i["code"] for i in engineering.json()["items"]] == ["M01"]


def test_a_reversed_period_is_a_400(world: World) -> None:
    api = ApiClient(world.api_key("operations"))
    response = api.get(f"/sales/daily?date_from={local_day(1)}&date_to={local_day(3)}")
    assert (response.status_code, response.json()["code"]) == (400, "bad_period")


def test_an_import_is_started_and_followed(world: World, settings: Any, tmp_path: Path) -> None:
    # given a signed-in owner and a takeaway export
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(world.owner)

    # when it is uploaded
    with open(tmp_path / "orders.csv", "w") as handle:
        handle.write(TAKEAWAY)
    with open(tmp_path / "orders.csv", "rb") as handle:
        response = client.post(
            "/api/v1/sales/imports",
            {"file": handle, "format": "takeaway", "location_code": "A01", "source": "takeaway"},
        )

    # then a job is queued, and can be followed
    assert response.status_code == 202
    job_id = response.json()["job_id"]
    followed = client.get(f"/api/v1/sales/imports/{job_id}").json()
    assert (followed["kind"], followed["status"]) == ("sales.import", "queued")
    assert Job.objects.get(pk=job_id).params["location_code"] == "A01"
