"""The planning API: events, settings, weather, suggestions accepted over HTTP, errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F

from boh.planning.models import Event, ReplenishmentSetting, Suggestion, WeatherDay
from boh.purchasing.models import PurchaseOrder
from tests.conftest import ApiClient, World
from tests.planning.worlds import planned


@pytest.fixture
def admin_api(world: World) -> ApiClient:
    """An operations key whose calls ask for English answers."""
    api = ApiClient(world.api_key("operations"))
    api.headers["Accept-Language"] = "en"
    return api


def test_given_an_event_when_created_changed_and_deleted_over_the_api_then_the_calendar_follows(
    world: World, admin_api: ApiClient
) -> None:
    created = admin_api.post(
        "/planning/events",
        {
            "kind": "promotion",
            "name": "会员日",
            "start_date": "2026-06-18",
            "region_id": world.north.pk,
        },
    )
    event_id = created.json()["id"]
    changed = admin_api.patch(f"/planning/events/{event_id}", {"end_date": "2026-06-20"})
    listed = admin_api.get("/planning/events?date_from=2026-06-19")
    deleted = admin_api.delete(f"/planning/events/{event_id}")

    assert created.status_code == 201
    assert created.json() == {
        "id": event_id,
        "kind": "promotion",
        "name": "会员日",
        "start_date": "2026-06-18",
        "end_date": "2026-06-18",
        "note": "",
        "location_id": None,
        "region_id": world.north.pk,
    }
    assert (changed.status_code, changed.json()["end_date"]) == (200, "2026-06-20")
    assert [e["id"] for e in listed.json()["items"]] == [event_id]
    assert deleted.status_code == 204
    assert not Event.objects.filter(pk=event_id).exists()


def test_given_an_event_for_a_location_and_a_region_when_created_then_400_on_region(
    world: World, admin_api: ApiClient
) -> None:
    response = admin_api.post(
        "/planning/events",
        {
            "kind": "local_event",
            "name": "庙会",
            "start_date": "2026-02-20",
            "end_date": "2026-02-18",
            "location_id": world.store_a.pk,
            "region_id": world.north.pk,
        },
    )

    assert response.status_code == 400
    assert {(f["field"], f["code"]) for f in response.json()["fields"]} == {
        ("end_date", "dates_out_of_order"),
        ("region_id", "event_one_scope"),
    }
    assert not Event.objects.exists()


def test_given_a_service_level_of_100_when_set_then_a_clear_error_and_nothing_saved(
    world: World, admin_api: ApiClient
) -> None:
    response = admin_api.post("/planning/settings", {"service_level": "100"})

    assert response.status_code == 400
    assert response.json()["fields"] == [
        {
            "field": "service_level",
            "code": "invalid_service_level",
            "message": "A service level is above 0% and below 100%: no stock covers every day.",
        }
    ]
    assert not ReplenishmentSetting.objects.exists()


def test_given_weather_rows_when_imported_then_stored_and_a_bad_row_refuses_all(
    world: World, admin_api: ApiClient
) -> None:
    good = admin_api.post(
        "/planning/weather",
        {
            "rows": [
                {"location": "A01", "date": "2026-07-01", "temperature": "31.5", "rain_mm": "12"},
                {"region": "S", "date": "2026-07-01", "temperature": "29"},
            ]
        },
    )
    bad = admin_api.post(
        "/planning/weather",
        {
            "rows": [
                {"location": "A01", "date": "2026-07-02", "temperature": "30"},
                {"location": "ZZZ", "date": "2026-07-02", "temperature": "30"},
            ]
        },
    )

    assert (good.status_code, good.json()) == (200, {"rows": 2, "written": 2})
    assert list(
        WeatherDay.objects.order_by(F("region_id").asc(nulls_first=True)).values_list(
            "location_id", "region_id", "temperature", "rain_mm"
        )
    ) == [
        (world.store_a.pk, None, Decimal("31.5"), Decimal("12.0")),
        (None, world.south.pk, Decimal("29.0"), Decimal("0.0")),
    ]
    assert bad.status_code == 400
    assert [(f["field"], f["code"]) for f in bad.json()["fields"]] == [
        ("rows[1].location", "not_found")
    ]
    assert WeatherDay.objects.count() == 2


def test_given_a_suggestion_when_accepted_unchanged_over_the_api_then_a_draft_po(
    world: World, admin_api: ApiClient
) -> None:
    built = planned(world)
    suggestion = Suggestion.objects.get(location=world.store_a, run=built.run)
    detail = admin_api.get(f"/planning/suggestions/{suggestion.pk}")
    line = detail.json()["lines"][0]

    accepted = admin_api.post(f"/planning/suggestions/{suggestion.pk}/accept", {})
    again = admin_api.post(f"/planning/suggestions/{suggestion.pk}/accept", {})
    share = admin_api.get("/planning/acceptance")

    order = PurchaseOrder.objects.get(pk=accepted.json()["order_id"])
    assert line["item_code"] == "TOFU"
    assert line["explanation"]["short_before_delivery"] == "1500.000"
    assert line["warnings"] == [
        {
            "code": "short_before_delivery",
            "message": "Runs short before the delivery: consider a transfer.",
        }
    ]
    assert accepted.status_code == 201
    assert [(ol.quantity, ol.location_id) for ol in order.lines.all()] == [
        (Decimal(line["packs"]), world.store_a.pk)
    ]
    assert again.status_code == 409
    assert share.json() == {
        "decided": 1,
        "accepted": 1,
        "automatic": 0,
        "dismissed": 0,
        "lines": 1,
        "unchanged": 1,
        "unchanged_share": 1.0,
    }


def test_given_forecasts_when_listed_then_only_the_asked_store_and_dates(
    world: World, admin_api: ApiClient
) -> None:
    built = planned(world)
    first = built.run.first_date

    response = admin_api.get(
        f"/planning/forecasts?location_id={world.store_a.pk}&measure=item"
        f"&date_from={first.isoformat()}&date_to={(first + dt.timedelta(days=1)).isoformat()}"
    )

    rows = response.json()["items"]
    assert response.json()["count"] == 2
    assert [(r["location_id"], r["date"], round(r["p50"], 3)) for r in rows] == [
        (world.store_a.pk, first.isoformat(), 5.0),
        (world.store_a.pk, (first + dt.timedelta(days=1)).isoformat(), 5.0),
    ]
    assert all(r["p90"] >= r["p50"] for r in rows)


def test_given_a_store_staff_key_when_starting_a_run_then_403_and_nothing_queued(
    world: World,
) -> None:
    api = ApiClient(world.api_key("store_staff", location_id=world.store_a.pk))

    response = api.post("/planning/runs", {"horizon": 7})

    assert response.status_code == 403
