"""The stock ledger over HTTP: posting in any unit, reading on hand, moves and lots."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.utils import timezone

from boh.catalog import services as catalog
from boh.inventory.models import StockMove
from tests.conftest import ApiClient
from tests.inventory.conftest import Pantry, receive

D = Decimal


def test_given_a_receipt_in_packs_when_posted_then_stored_in_base_units(pantry: Pantry) -> None:
    w = pantry.world
    catalog.create_pack(w.actor, pantry.oil, code="drum", name="桶", quantity=5, unit="l")
    api = ApiClient(w.api_key("integration"))

    response = api.post(
        "/inventory/moves",
        {
            "source_type": "po_receipt",
            "source_id": "PO-1",
            "moves": [
                {
                    "location_id": w.store_a.pk,
                    "item_id": pantry.oil.pk,
                    "kind": "receipt",
                    "quantity": "2",
                    "unit": "drum",
                    "unit_cost": "60",
                },
                {
                    "location_id": w.store_a.pk,
                    "item_id": pantry.rice.pk,
                    "kind": "receipt",
                    "quantity": "3",
                    "unit": "斤",
                    "unit_cost": "2.5",
                },
            ],
        },
    )

    assert response.status_code == 201, response.json()
    moves = response.json()["moves"]
    assert [(m["quantity"], m["unit_cost"], m["value"]) for m in moves] == [
        ("10000.000", "0.012000", "120.0000"),
        ("1500.000", "0.005000", "7.5000"),
    ]


def test_given_bad_units_and_foreign_ids_when_posting_then_fields_are_named(pantry: Pantry) -> None:
    w = pantry.world
    api = ApiClient(w.api_key("integration"))

    bad_unit = api.post(
        "/inventory/moves",
        {
            "source_type": "x",
            "source_id": "1",
            "moves": [
                {
                    "location_id": w.store_a.pk,
                    "item_id": pantry.oil.pk,
                    "kind": "receipt",
                    "quantity": "1",
                    "unit": "kg",
                    "unit_cost": "1",
                }
            ],
        },
    )
    missing = api.post(
        "/inventory/moves",
        {
            "source_type": "x",
            "source_id": "1",
            "moves": [
                {
                    "location_id": w.store_a.pk,
                    "item_id": 999999,
                    "kind": "receipt",
                    "quantity": "1",
                    "unit_cost": "1",
                }
            ],
        },
        **{"Accept-Language": "en"},
    )

    assert bad_unit.status_code == 400
    assert bad_unit.json()["fields"][0]["field"] == "moves[0].unit"
    assert missing.status_code == 400
    assert missing.json()["fields"][0] == {
        "field": "moves[0].item_id",
        "code": "not_found",
        "message": "No such item.",
    }
    assert not StockMove.objects.exists()


def test_given_stock_when_reading_on_hand_and_moves_then_paginated_and_filtered(
    pantry: Pantry,
) -> None:
    w = pantry.world
    receive(w.actor, w.store_a, pantry.oil, "100", "0.02")
    receive(w.actor, w.store_a, pantry.rice, "500", "0.004")
    receive(w.actor, w.store_b, pantry.rice, "7", "0.004")
    api = ApiClient(w.api_key("auditor"))

    on_hand = api.get(f"/inventory/on-hand?location_id={w.store_a.pk}&page_size=1")
    moves = api.get(f"/inventory/moves?location_id={w.store_a.pk}&item_id={pantry.rice.pk}")
    yesterday = urlencode({"to": (timezone.now() - dt.timedelta(days=1)).isoformat()})
    none_yet = api.get(f"/inventory/moves?{yesterday}")

    assert on_hand.status_code == 200
    body = on_hand.json()
    assert (body["count"], [r["item_code"] for r in body["items"]]) == (2, ["OIL"])
    assert [(m["kind"], m["quantity"]) for m in moves.json()["items"]] == [("receipt", "500.000")]
    assert none_yet.json()["count"] == 0


def test_given_a_move_when_reversed_over_http_then_the_opposite_is_posted(pantry: Pantry) -> None:
    w = pantry.world
    move = receive(w.actor, w.store_a, pantry.oil, "100", "0.02").moves[0]
    api = ApiClient(w.api_key("operations"))

    response = api.post(f"/inventory/moves/{move.pk}/reverse", {"reason": "wrong_item"})

    assert response.status_code == 201
    undo = response.json()["moves"][0]
    assert (undo["quantity"], undo["value"], undo["reverses_id"], undo["source_id"]) == (
        "-100.000",
        "-2.0000",
        move.pk,
        str(move.pk),
    )


def test_given_a_lot_when_held_released_and_recalled_then_traceability_is_returned(
    pantry: Pantry,
) -> None:
    w = pantry.world
    lot_id = (
        receive(
            w.actor,
            w.store_a,
            pantry.beef,
            "1000",
            "0.1",
            lot="B7",
            expiry=timezone.localdate() + dt.timedelta(days=1),
        )
        .moves[0]
        .lot_id
    )
    api = ApiClient(w.api_key("operations"))
    api.post(
        "/inventory/moves",
        {
            "source_type": "pos_ticket",
            "source_id": "T1",
            "moves": [
                {
                    "location_id": w.store_a.pk,
                    "item_id": pantry.beef.pk,
                    "kind": "sale_depletion",
                    "quantity": "-0.3",
                    "unit": "kg",
                }
            ],
        },
    )

    held = api.post(f"/inventory/lots/{lot_id}/hold", {"note": "supplier warning"})
    released = api.post(f"/inventory/lots/{lot_id}/release", {})
    recalled = api.post(f"/inventory/lots/{lot_id}/recall", {"note": "recall notice 12"})
    alerts = api.get(f"/inventory/expiry-alerts?location_id={w.store_a.pk}")

    assert (held.json()["status"], held.json()["status_note"]) == ("on_hold", "supplier warning")
    assert released.json()["status"] == "available"
    trace = recalled.json()
    assert trace["lot"]["status"] == "recalled"
    assert [(r["location_code"], r["quantity"]) for r in trace["on_hand"]] == [("A01", "700.000")]
    assert [(r["kind"], r["source_id"], r["quantity"]) for r in trace["consumed"]] == [
        ("sale_depletion", "T1", "-300.000")
    ]
    assert [(a["lot_code"], a["days_left"]) for a in alerts.json()["expiring"]] == [("B7", 1)]
