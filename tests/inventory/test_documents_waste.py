"""Waste log: any unit of the item, earliest expiry first, expired lots, photos, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boh.core.errors import BohError
from boh.inventory.documents import waste
from boh.inventory.documents.models import WasteEntry
from boh.inventory.models import MoveKind, StockMove
from boh.inventory.services import LotSpec, close_period, place_lot_on_hold, post_moves
from tests.conftest import World
from tests.inventory.test_documents_support import (  # noqa: F401
    Kitchen,
    english_fixture,
    kitchen_fixture,
    moves_of,
    on_hand,
    row_counts,
)

D = Decimal
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def test_given_jin_without_a_lot_when_wasting_then_lots_go_earliest_expiry_first(
    world: World, kitchen: Kitchen
) -> None:
    entry = waste.log_waste(
        world.actor,
        location_id=world.kitchen.pk,
        item_id=kitchen.beef.pk,
        quantity="7",
        unit="斤",
        reason="spoiled",
    )

    # 7 jin = 3,500 g: all 3,000 g of B1 (expires first), then 500 g of B2, at 0.0925.
    assert moves_of("waste", entry.pk) == [
        (MoveKind.WASTE, world.kitchen.pk, kitchen.b1.pk, "-3000.000", "-277.5000"),
        (MoveKind.WASTE, world.kitchen.pk, kitchen.b2.pk, "-500.000", "-46.2500"),
    ]
    entry.refresh_from_db()
    assert (entry.quantity, entry.entered_quantity, entry.entered_unit, entry.value) == (
        D("3500"),
        D("7"),
        "斤",
        D("323.75"),
    )
    assert (entry.reason, entry.created_by_user_id, entry.lot_id) == (
        "spoiled",
        world.owner.pk,
        None,
    )
    assert on_hand(world.kitchen, kitchen.beef, kitchen.b2) == D("4500")


def test_given_a_pack_unit_when_wasting_beer_then_it_is_converted_to_ml(
    world: World, kitchen: Kitchen
) -> None:
    entry = waste.log_waste(
        world.actor,
        location_id=world.kitchen.pk,
        item_id=kitchen.beer.pk,
        quantity="3",
        unit="bottle",
        reason="dropped",
    )

    assert moves_of("waste", entry.pk) == [
        (MoveKind.WASTE, world.kitchen.pk, None, "-1500.000", "-30.0000")
    ]


def _expired_lot(world: World, kitchen: Kitchen) -> int:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    move = post_moves(
        world.actor,
        [
            kitchen.receipt(
                world.kitchen,
                kitchen.beef,
                "1000",
                "0.05",
                LotSpec("B0", yesterday, received_date=yesterday - dt.timedelta(days=9)),
            )
        ],
        source_type="test",
        source_id="old",
    ).moves[0]
    assert move.lot_id is not None
    return move.lot_id


def test_given_an_expired_lot_when_wasting_it_then_the_entry_notes_the_override(
    world: World, kitchen: Kitchen
) -> None:
    expired = _expired_lot(world, kitchen)

    entry = waste.log_waste(
        world.actor,
        location_id=world.kitchen.pk,
        item_id=kitchen.beef.pk,
        lot_id=expired,
        quantity="1",
        unit="kg",
        reason="expired",
    )

    move = StockMove.objects.get(source_type="waste", source_id=str(entry.pk))
    assert (move.lot_id, move.quantity) == (expired, D("-1000"))
    assert entry.override_note.startswith("Lot B0 (Available, expiry ")
    assert entry.override_note.endswith(") thrown away: Expired.")
    assert on_hand(world.kitchen, kitchen.beef, kitchen.b1) == D("3000")


def test_given_expired_stock_and_no_lot_when_wasting_then_the_expired_lot_goes_first_with_a_note(
    world: World, kitchen: Kitchen
) -> None:
    expired = _expired_lot(world, kitchen)

    entry = waste.log_waste(
        world.actor,
        location_id=world.kitchen.pk,
        item_id=kitchen.beef.pk,
        quantity="1200",
        reason="expired",
    )

    moves = list(
        StockMove.objects.filter(source_type="waste", source_id=str(entry.pk)).order_by("id")
    )
    assert [(m.lot_id, m.quantity, m.override_note) for m in moves] == [
        (expired, D("-1000"), "Thrown away: Expired."),
        (kitchen.b1.pk, D("-200"), ""),
    ]
    assert entry.override_note == "Thrown away: Expired."


def test_given_a_lot_on_hold_when_wasting_it_then_it_is_allowed_with_a_note(
    world: World, kitchen: Kitchen
) -> None:
    place_lot_on_hold(world.actor, kitchen.b2.pk, note="smell")

    entry = waste.log_waste(
        world.actor,
        location_id=world.kitchen.pk,
        item_id=kitchen.beef.pk,
        lot_id=kitchen.b2.pk,
        quantity="200",
        reason="quality",
    )

    move = StockMove.objects.get(source_type="waste", source_id=str(entry.pk))
    assert (move.lot_id, move.quantity) == (kitchen.b2.pk, D("-200"))
    assert entry.override_note.startswith("Lot B2 (On hold, expiry ")


def test_given_a_photo_when_logging_waste_then_it_is_stored_under_waste(
    world: World, kitchen: Kitchen
) -> None:
    entry = waste.log_waste(
        world.actor,
        location_id=world.kitchen.pk,
        item_id=kitchen.beer.pk,
        quantity="500",
        reason="returned",
        photo=SimpleUploadedFile("IMG_1.PNG", PNG, content_type="image/png"),
    )

    assert entry.photo.name.startswith("waste/")
    assert entry.photo.name.endswith(".png")
    with entry.photo.open("rb") as stored:
        assert stored.read() == PNG


@pytest.mark.parametrize(
    ("photo", "code"),
    [
        (
            SimpleUploadedFile("a.png", b"#!/bin/sh\necho hi\n", content_type="image/png"),
            "photo_type",
        ),
        (
            SimpleUploadedFile(
                "b.jpg", b"\xff\xd8\xff" + b"\x00" * (8 * 1024 * 1024), content_type="image/jpeg"
            ),
            "photo_too_large",
        ),
    ],
)
def test_given_a_bad_photo_when_logging_waste_then_nothing_is_written(
    world: World, kitchen: Kitchen, photo: SimpleUploadedFile, code: str
) -> None:
    before = row_counts()

    with pytest.raises(BohError) as refused:
        waste.log_waste(
            world.actor,
            location_id=world.kitchen.pk,
            item_id=kitchen.beer.pk,
            quantity="500",
            reason="spoiled",
            photo=photo,
        )

    assert [(f.field, f.code) for f in refused.value.fields] == [("photo", code)]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"quantity": "0"}, "quantity", "not_positive"),
        ({"quantity": "-1"}, "quantity", "not_positive"),
        ({"unit": "barrel"}, "unit", "unknown_unit"),
        ({"reason": "stolen"}, "reason", "invalid_choice"),
        ({"lot_id": "b1"}, "lot_id", "lot_of_other_item"),
        ({"quantity": "99999"}, "quantity", "insufficient_stock"),
    ],
)
def test_given_bad_input_when_logging_waste_then_the_field_is_named_and_nothing_is_written(
    world: World, kitchen: Kitchen, values: dict[str, str], field: str, code: str
) -> None:
    item = kitchen.beef if values.pop("item", "") == "beef" else kitchen.beer
    lot_id = kitchen.b1.pk if values.pop("lot_id", "") == "b1" else None
    before = row_counts()

    with pytest.raises(BohError) as refused:
        waste.log_waste(
            world.actor,
            **{
                "location_id": world.kitchen.pk,
                "item_id": item.pk,
                "quantity": "1",
                "reason": "spoiled",
                "lot_id": lot_id,
                **values,
            },
        )

    assert [(f.field, f.code) for f in refused.value.fields][:1] == [(field, code)]
    assert row_counts() == before


def test_given_a_closed_period_when_backdating_waste_into_it_then_the_ledger_refusal_shows(
    world: World, kitchen: Kitchen
) -> None:
    last_week = timezone.now() - dt.timedelta(days=7)
    close_period(world.actor, closed_through=timezone.localdate() - dt.timedelta(days=2))
    before = row_counts()

    with pytest.raises(BohError) as refused:
        waste.log_waste(
            world.actor,
            location_id=world.kitchen.pk,
            item_id=kitchen.beer.pk,
            quantity="500",
            reason="spoiled",
            happened_at=last_week,
        )

    assert refused.value.code == "period_closed"
    assert [f.field for f in refused.value.fields] == ["happened_at"]
    assert row_counts() == before
    assert WasteEntry.objects.count() == 0


def test_given_store_staff_elsewhere_when_logging_waste_then_it_is_forbidden(
    world: World, kitchen: Kitchen
) -> None:
    staff = world.actor_for(world.user("store_staff", location_id=world.store_a.pk))
    before = row_counts()

    with pytest.raises(BohError) as refused:
        waste.log_waste(
            staff,
            location_id=world.kitchen.pk,
            item_id=kitchen.beer.pk,
            quantity="500",
            reason="spoiled",
        )

    assert refused.value.status == 403
    assert row_counts() == before
