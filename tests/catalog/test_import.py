"""Bulk item import: all rows or none, with a row-by-row error report; the command around it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from boh.catalog import services
from boh.catalog.models import Item, Pack
from boh.core.models import AuditEntry
from tests.conftest import World

HEADER = (
    "code",
    "name",
    "name_en",
    "category_code",
    "base_unit",
    "kind",
    "storage",
    "shelf_life_days",
    "lot_tracked",
    "packs",
)


def _rows(*lines: tuple[str, ...]) -> list[dict[str, str]]:
    return [dict(zip(HEADER, line, strict=True)) for line in lines]


GOOD = _rows(
    (
        "WINE01",
        "红酒",
        "House red",
        "DRINK",
        "ml",
        "merchandise",
        "ambient",
        "",
        "no",
        "case=12x750ml;bottle=750ml",
    ),
    ("FLOUR01", "面粉", "Flour", "", "g", "ingredient", "ambient", "365", "yes", "bag=25kg"),
    ("EGG01", "鸡蛋", "Eggs", "", "each", "", "chilled", "30", "1", "case=12xtray;tray=30"),
)


@pytest.fixture
def drinks(world: World) -> None:
    services.create_category(world.actor, code="DRINK", name="酒水")


def test_given_good_rows_when_imported_then_items_and_packs_exist_with_exact_sizes(
    world: World, drinks: None
) -> None:
    seen: list[tuple[str, int]] = []

    report = services.import_items(world.actor, GOOD, progress=lambda p, n: seen.append((p, n)))

    assert (report.ok, report.rows, report.created, report.errors) == (True, 3, 3, [])
    wine = Item.objects.get(code="WINE01")
    assert (wine.pinyin, wine.category.code, wine.kind) == ("hj", "DRINK", "merchandise")
    packs = {p.code: p for p in wine.packs.all()}
    assert (packs["bottle"].factor, packs["case"].factor) == (Decimal("750"), Decimal("9000"))
    assert (packs["case"].inner_pack_id, packs["case"].inner_count) == (packs["bottle"].pk, 12)
    eggs = Item.objects.get(code="EGG01")
    assert eggs.packs.get(code="case").factor == Decimal("360")
    assert eggs.kind == "ingredient" and eggs.lot_tracked is True
    assert Item.objects.get(code="FLOUR01").packs.get(code="bag").factor == Decimal("25000")
    assert AuditEntry.objects.filter(object_type="catalog.item", verb="imported").count() == 3
    assert seen == [("check", 1)] * 3 + [("write", 1)] * 3


def test_given_one_bad_row_among_good_ones_when_imported_then_nothing_is_written(
    world: World, drinks: None
) -> None:
    # given
    services.create_item(world.actor, code="TAKEN", name="已有", base_unit="g")
    rows = [
        *GOOD,
        *_rows(
            ("", "无码", "", "", "g", "", "", "", "", ""),
            ("X2", "坏单位", "", "NOPE", "kg", "", "", "abc", "maybe", ""),
            ("X3", "坏包装", "", "", "ml", "", "", "", "", "case=12xcrate;box=0ml;kg=1000g;jar"),
            ("WINE01", "重复", "", "", "ml", "", "", "", "", ""),
            ("taken", "已占用", "", "", "g", "", "", "", "", ""),
            ("X4", "错维度", "", "", "ml", "", "", "", "", "bag=25kg"),
            ("X5", "环", "", "", "ml", "", "", "", "", "a=2xb;b=3xa"),
        ),
    ]

    # when
    report = services.import_items(world.actor, rows)

    # then
    assert not report.ok
    assert report.created == 0
    assert [(e.line, e.field, e.code) for e in report.errors] == [
        (5, "code", "required"),
        (6, "category_code", "not_found"),
        (6, "base_unit", "invalid_choice"),
        (6, "shelf_life_days", "invalid_integer"),
        (6, "lot_tracked", "invalid_boolean"),
        (7, "packs", "invalid_code"),
        (7, "packs", "invalid_pack"),
        (7, "packs", "not_positive"),
        (7, "packs", "unknown_unit"),
        (8, "code", "duplicate_code"),
        (9, "code", "duplicate_code"),
        (10, "packs", "unit_dimension_mismatch"),
        (11, "packs", "pack_cycle"),
        (11, "packs", "pack_cycle"),
    ]
    assert report.errors[8].message == "case: 坏包装 has no unit or pack called 'crate'."
    assert report.errors[9].message == "This code is also on line 2."
    assert list(Item.objects.values_list("code", flat=True)) == ["TAKEN"]
    assert not Pack.objects.exists()


def test_given_a_header_without_base_unit_when_imported_then_the_column_is_reported(
    world: World,
) -> None:
    report = services.import_items(world.actor, [{"code": "A", "name": "甲", "colour": "red"}])

    assert [(e.line, e.field, e.code) for e in report.errors] == [
        (1, "base_unit", "missing_column"),
        (1, "colour", "unknown_column"),
    ]
    assert not Item.objects.exists()


def test_given_a_csv_file_when_the_command_runs_then_items_are_imported(
    world: World, drinks: None, tmp_path: Path
) -> None:
    path = tmp_path / "items.csv"
    path.write_text(
        "\ufeffcode,name,name_en,category_code,base_unit,kind,storage,shelf_life_days,lot_tracked,packs\n"
        'WINE01,红酒,House red,DRINK,ml,merchandise,ambient,,no,"case=12x750ml;bottle=750ml"\n',
        encoding="utf-8",
    )

    call_command("import_items", str(path), "--org", world.org.code, "--no-progress")

    assert Item.objects.get(code="WINE01").packs.get(code="case").factor == Decimal("9000")


def test_given_a_bad_csv_file_when_the_command_runs_then_it_fails_listing_lines(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "items.csv"
    path.write_text("code,name,base_unit\nA1,甲,g\nA2,乙,litre\n", encoding="utf-8")

    with pytest.raises(CommandError) as failed:
        call_command("import_items", str(path), "--org", world.org.code, "--no-progress")

    assert str(failed.value) == "1 errors in 2 rows; nothing was imported."
    assert "line 3, base_unit: 'litre' is not one of the allowed values. [invalid_choice]" in (
        capsys.readouterr().err
    )
    assert not Item.objects.exists()
