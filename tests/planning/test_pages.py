"""Planning pages: forecasts with accuracy, events, weather import, suggestions accepted or
edited into a purchase order, settings, the kitchen's prep list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from boh.inventory.documents.models import Transfer
from boh.planning.models import Event, ReplenishmentSetting, Suggestion, WeatherDay
from boh.purchasing.models import PurchaseOrder
from tests.conftest import World
from tests.planning.worlds import planned


def client_for(world: World, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(world.owner)
    return client


def test_given_a_run_when_opening_forecasts_then_the_store_grid_and_runs_show(
    world: World,
) -> None:
    built = planned(world)

    response = client_for(world).get(f"/planning/?location_id={world.store_a.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="forecast-grid"' in html
    assert "麻婆豆腐" in html
    assert f"<td>{built.run.pk}</td>" in html
    # the new store borrowed its forecast, and the page says so
    assert "A三店 has no sales history" in html


def test_given_an_event_form_when_posted_then_it_is_on_the_calendar(world: World) -> None:
    client = client_for(world)

    response = client.post(
        "/planning/events/",
        {
            "kind": "closure",
            "name": "装修",
            "start_date": "2026-08-01",
            "end_date": "2026-08-03",
            "location_id": str(world.store_b.pk),
        },
    )
    listed = client.get("/planning/events/?from=2026-07-01").content.decode()

    event = Event.objects.get()
    assert response.status_code == 302
    assert (event.kind, event.location, event.end_date) == (
        "closure",
        world.store_b,
        dt.date(2026, 8, 3),
    )
    assert "装修" in listed


def test_given_a_weather_csv_when_uploaded_then_imported(world: World) -> None:
    csv = "location,region,date,temperature,rain_mm\nA01,,2026-07-01,33.2,0\n,N,2026-07-01,30,5.5\n"

    response = client_for(world).post(
        "/planning/weather/",
        {"file": SimpleUploadedFile("w.csv", csv.encode(), content_type="text/csv")},
    )

    assert response.status_code == 302
    assert WeatherDay.objects.count() == 2


def test_given_a_bad_weather_csv_when_uploaded_then_the_rows_at_fault_show(world: World) -> None:
    csv = "location,region,date,temperature\nA01,,2026-13-01,33\n"

    response = client_for(world).post(
        "/planning/weather/",
        {"file": SimpleUploadedFile("w.csv", csv.encode(), content_type="text/csv")},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "rows[0].date: Enter a date as YYYY-MM-DD." in html
    assert not WeatherDay.objects.exists()


def test_given_a_suggestion_when_edited_on_its_page_then_a_po_with_the_edit(world: World) -> None:
    built = planned(world)
    suggestion = Suggestion.objects.get(location=world.store_a, run=built.run)
    line = suggestion.lines.get()
    client = client_for(world)

    page = client.get(f"/planning/suggestions/{suggestion.pk}/").content.decode()
    response = client.post(f"/planning/suggestions/{suggestion.pk}/", {f"packs-{line.pk}": "3"})

    line.refresh_from_db()
    order = PurchaseOrder.objects.get()
    assert "Short before the delivery (not ordered for)" in page
    assert "1500.000" in page
    assert response.status_code == 302
    assert response["Location"] == f"/purchasing/orders/{order.pk}/"
    assert [ol.quantity for ol in order.lines.all()] == [Decimal("3.000")]
    assert (line.accepted_packs, line.edited) == (Decimal("3.000"), True)


def test_given_open_suggestions_when_listing_then_they_and_the_transfer_show(
    world: World,
) -> None:
    planned(world)

    html = client_for(world).get("/planning/suggestions/").content.decode()

    assert 'id="suggestions"' in html
    assert "豆制品厂" in html
    assert "A三店" in html and "1500" in html


def test_given_a_service_level_of_100_on_the_settings_page_then_the_error_shows(
    world: World,
) -> None:
    response = client_for(world).post("/planning/settings/", {"service_level": "100"})

    assert response.status_code == 200
    assert "below 100%" in response.content.decode()
    assert not ReplenishmentSetting.objects.exists()


def test_given_chinese_when_opening_suggestions_then_the_page_is_in_chinese(world: World) -> None:
    html = client_for(world, "zh-hans").get("/planning/suggestions/").content.decode()

    assert "建议订单" in html
    assert "建议调拨" in html


def test_given_a_suggested_transfer_when_requested_on_the_page_then_a_transfer_and_its_link(
    world: World,
) -> None:
    suggestion = planned(world).transfers[0]
    client = client_for(world)
    before = client.get("/planning/suggestions/").content.decode()

    response = client.post(
        f"/planning/suggestions/transfers/{suggestion.pk}/", {"action": "accept", "reason": ""}
    )

    transfer = Transfer.objects.get()
    after = client.get("/planning/suggestions/").content.decode()
    assert f'id="transfer-{suggestion.pk}"' in before and "Request transfer" in before
    assert (response.status_code, response["Location"]) == (302, "/planning/suggestions/")
    assert f"Transfer TR-{transfer.pk} requested from the suggestion." in after
    assert f'id="transfer-{suggestion.pk}"' not in after
    assert f'href="/inventory/transfers/{transfer.pk}/">TR-{transfer.pk}</a>' in after


def test_given_a_suggested_transfer_when_rejected_on_the_page_then_a_reason_is_required(
    world: World,
) -> None:
    suggestion = planned(world).transfers[0]
    client = client_for(world)

    blank = client.post(
        f"/planning/suggestions/transfers/{suggestion.pk}/",
        {"action": "reject", "reason": ""},
        follow=True,
    )
    rejected = client.post(
        f"/planning/suggestions/transfers/{suggestion.pk}/",
        {"action": "reject", "reason": "店里周末要用"},
        follow=True,
    )

    suggestion.refresh_from_db()
    assert "This field is required." in blank.content.decode()
    assert "The suggested transfer was rejected." in rejected.content.decode()
    assert "店里周末要用" in rejected.content.decode()
    assert (suggestion.status, suggestion.reason) == ("rejected", "店里周末要用")
    assert not Transfer.objects.exists()
