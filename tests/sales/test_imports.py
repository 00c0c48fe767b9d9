"""Imports of POS exports: the takeaway export, BOH's generic CSV/XLSX, Square orders; jobs, CLI."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from openpyxl import Workbook

from boh.core.errors import BohError
from boh.core.models import Job
from boh.sales.models import DailySales, Ticket, TicketLine, UnmappedSale
from boh.sales.services.imports import import_sales, start_import
from boh.sales.tasks import run_import
from tests.conftest import World
from tests.sales.conftest import Shop

TAKEAWAY = """Order Number,Order Date,Item Name,Quantity,Product Price,Total products
16118,03/08/2019 20:25,Plain Papadum,2,0.8,6
16118,03/08/2019 20:25,King Prawn Balti,1,12.95,6
16118,03/08/2019 20:25,Garlic Naan,1,2.95,6
16118,03/08/2019 20:25,Mushroom Rice,1,3.95,6
16117,03/08/2019 20:17,Plain Naan,1,2.6,7
16117,03/08/2019 20:17,Plain Naan,3,2.6,7
16116,03/08/2019 01:30,Mint Sauce,1,0.5,1
"""


def stored_totals() -> tuple[int, int, Decimal, Decimal]:
    lines = TicketLine.objects.aggregate(q=Sum("quantity"), r=Sum("net_amount"))
    return Ticket.objects.count(), TicketLine.objects.count(), lines["q"], lines["r"]


def test_a_takeaway_export_reproduces_its_totals(world: World) -> None:
    # given a takeaway export of 3 orders and 7 rows (quantity 10, revenue 32.35)
    content = TAKEAWAY.encode()

    # when it is imported for store A
    report = import_sales(
        world.actor, content, file_format="takeaway", location_code="A01", source="takeaway"
    )

    # then the report and the stored tickets match the file exactly
    assert (report.rows, report.tickets, report.lines) == (7, 3, 7)
    assert (report.quantity, report.revenue) == (Decimal("10"), Decimal("32.35"))
    assert report.outcomes == {"created": 3, "amended": 0, "unchanged": 0, "rejected": 0}
    assert report.errors == []
    assert stored_totals() == (3, 7, Decimal("10.000"), Decimal("32.35"))
    facts = DailySales.objects.aggregate(n=Sum("tickets"), net=Sum("net_sales"))
    assert (facts["n"], facts["net"]) == (3, Decimal("32.35"))
    # the 01:30 order belongs to the day before (cut-off 04:00), and every line waits for a mapping
    assert str(Ticket.objects.get(external_id="16116").business_date) == "2019-08-02"
    assert set(Ticket.objects.values_list("channel", flat=True)) == {"takeaway"}
    assert report.waiting_lines == 7
    assert UnmappedSale.objects.filter(source="takeaway").count() == 6

    # when the same file is imported again, then nothing changes
    again = import_sales(
        world.actor, content, file_format="takeaway", location_code="A01", source="takeaway"
    )
    assert again.outcomes["unchanged"] == 3
    assert stored_totals() == (3, 7, Decimal("10.000"), Decimal("32.35"))


def test_rows_that_cannot_be_imported_are_reported_by_row(world: World) -> None:
    # given an export with a bad date (row 3) and a line without a quantity (row 5)
    content = (
        b"Order Number,Order Date,Item Name,Quantity,Product Price,Total products\n"
        b"1,03/08/2019 20:25,Naan,1,2.95,1\n"
        b"2,2019-08-03 25:99,Naan,1,2.95,1\n"
        b"3,03/08/2019 20:25,Naan,1,2.95,2\n"
        b"3,03/08/2019 20:25,Rice,,3.95,2\n"
    )

    # when it is imported
    report = import_sales(
        world.actor, content, file_format="takeaway", location_code="A01", source="takeaway"
    )

    # then the good order lands and each bad row is named
    assert [(e.row, e.field, e.code) for e in report.errors] == [
        (3, "Order Date", "invalid_datetime"),
        (5, "lines[1].quantity", "required"),
    ]
    assert report.outcomes == {"created": 1, "amended": 0, "unchanged": 0, "rejected": 1}
    assert list(Ticket.objects.values_list("external_id", flat=True)) == ["1"]


GENERIC_HEADER = [
    "ticket_id",
    "closed_at",
    "channel",
    "covers",
    "pos_code",
    "quantity",
    "unit_price",
    "discount",
    "modifiers",
    "refund",
    "refund_of",
]
GENERIC_ROWS: list[list[Any]] = [
    ["G-1", "2026-01-05 12:30", "dine_in", 2, "NOODLE", 2, "28.00", "6.00", "LARGE|NOCORI", "", ""],
    ["G-1", "2026-01-05 12:30", "dine_in", 2, "EGGS", 1, "12.00", "", "", "", ""],
    [
        "G-2",
        "2026-01-05T13:00:00+08:00",
        "takeaway",
        "",
        "NOODLE",
        -1,
        "28.00",
        "",
        "",
        "yes",
        "G-1",
    ],
]


def test_a_generic_csv_is_imported(world: World, shop: Shop) -> None:
    # given BOH's generic CSV with modifiers, a discount and a refund
    out = io.StringIO()
    out.write(",".join(GENERIC_HEADER) + "\n")
    for row in GENERIC_ROWS:
        out.write(",".join(str(v) for v in row) + "\n")

    # when it is imported
    report = import_sales(
        world.actor,
        out.getvalue().encode(),
        file_format="generic",
        location_code="A01",
        source="pos1",
    )

    # then both tickets land with their figures
    assert report.errors == []
    assert (report.tickets, report.lines, report.revenue) == (2, 3, Decimal("34.00"))
    g1 = Ticket.objects.get(external_id="G-1")
    assert (g1.covers, g1.net_sales, g1.waiting_lines) == (2, Decimal("62.00"), 0)
    g2 = Ticket.objects.get(external_id="G-2")
    assert (g2.channel, g2.refunds, g2.net_sales, g2.refund_of_id) == (
        "takeaway",
        Decimal("28.00"),
        Decimal("-28.00"),
        g1.pk,
    )


def test_a_generic_xlsx_is_imported(world: World, shop: Shop) -> None:
    # given the same rows in an XLSX workbook
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(GENERIC_HEADER)
    for row in GENERIC_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)

    # when it is imported, then it lands like the CSV
    report = import_sales(
        world.actor, buffer.getvalue(), file_format="generic", location_code="A01", source="pos1"
    )
    assert report.errors == []
    assert (report.tickets, report.lines, report.revenue) == (2, 3, Decimal("34.00"))


def test_square_orders_are_imported(world: World, shop: Shop) -> None:
    # given two Square orders: one completed with a modifier and a return, one canceled
    orders = {
        "orders": [
            {
                "id": "SQ1",
                "state": "COMPLETED",
                "version": 3,
                "created_at": "2026-01-05T04:00:00Z",
                "closed_at": "2026-01-05T04:20:00Z",
                "line_items": [
                    {
                        "catalog_object_id": "NOODLE",
                        "name": "Beef noodles",
                        "quantity": "2",
                        "base_price_money": {"amount": 2800, "currency": "CNY"},
                        "total_discount_money": {"amount": 500, "currency": "CNY"},
                        "modifiers": [{"catalog_object_id": "LARGE", "name": "Large"}],
                    }
                ],
                "returns": [
                    {
                        "return_line_items": [
                            {
                                "catalog_object_id": "NOODLE",
                                "quantity": "1",
                                "base_price_money": {"amount": 2800, "currency": "CNY"},
                            }
                        ]
                    }
                ],
                "tenders": [{"type": "CARD", "amount_money": {"amount": 2300, "currency": "CNY"}}],
                "fulfillments": [{"type": "PICKUP"}],
            },
            {
                "id": "SQ2",
                "state": "CANCELED",
                "closed_at": "2026-01-05T05:00:00Z",
                "line_items": [],
            },
            {"id": "SQ3", "state": "OPEN", "created_at": "2026-01-05T05:00:00Z"},
        ]
    }

    # when they are imported
    report = import_sales(
        world.actor,
        json.dumps(orders).encode(),
        file_format="square",
        location_code="A01",
        source="pos1",
    )

    # then the completed order is a takeaway ticket netting its return; the open one is reported
    sq1 = Ticket.objects.get(external_id="SQ1")
    assert (
        sq1.channel,
        sq1.revision,
        sq1.gross_sales,
        sq1.discounts,
        sq1.refunds,
        sq1.net_sales,
    ) == (
        "takeaway",
        3,
        Decimal("56.00"),
        Decimal("5.00"),
        Decimal("28.00"),
        Decimal("23.00"),
    )
    assert [(e.row, e.code) for e in report.errors] == [
        (2, "no_lines"),
        (3, "order_open"),
    ]


def test_an_unknown_format_or_location_is_refused(world: World) -> None:
    with pytest.raises(BohError) as caught:
        import_sales(world.actor, b"", file_format="dbf", location_code="A01", source="x")
    assert caught.value.code == "unknown_format"
    with pytest.raises(BohError) as caught:
        import_sales(world.actor, b"", file_format="takeaway", location_code="ZZ", source="x")
    assert caught.value.code == "unknown_location"


def test_an_import_runs_as_a_job_with_progress(world: World, settings: Any, tmp_path: Path) -> None:
    # given an uploaded takeaway export
    settings.MEDIA_ROOT = tmp_path
    job = start_import(
        world.actor,
        TAKEAWAY.encode(),
        file_format="takeaway",
        location_code="A01",
        source="takeaway",
        filename="orders.csv",
    )

    # when its job runs
    run_import(job.pk)

    # then the job is done, counted every ticket, and keeps the report
    job = Job.objects.get(pk=job.pk)
    assert (job.kind, job.status, job.total, job.done) == ("sales.import", "done", 3, 3)
    assert (job.result["tickets"], job.result["created"], job.result["revenue"]) == (3, 3, "32.35")
    assert Ticket.objects.count() == 3


def test_the_command_imports_a_file(world: World, tmp_path: Path) -> None:
    # given an export on disk
    path = tmp_path / "orders.csv"
    path.write_text(TAKEAWAY)
    out = io.StringIO()

    # when the command imports it
    call_command(
        "import_sales",
        str(path),
        "--format",
        "takeaway",
        "--location",
        "A01",
        "--source",
        "takeaway",
        "--no-progress",
        stdout=out,
    )

    # then it says what it did
    assert "3 tickets, 7 lines, quantity 10, revenue 32.35: 3 created" in out.getvalue()
    assert Ticket.objects.count() == 3


def test_the_command_fails_on_refused_rows(world: World, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("Order Number,Order Date,Item Name,Quantity,Product Price\n1,bad,Naan,1,2\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_sales",
            str(path),
            "--format",
            "takeaway",
            "--location",
            "A01",
            "--source",
            "takeaway",
            "--no-progress",
            stderr=err,
            stdout=io.StringIO(),
        )
    assert "row 2, Order Date" in err.getvalue()
