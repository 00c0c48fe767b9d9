"""The order-line export of a takeaway restaurant: one row per order and dish.

Columns: Order Number, Order Date (dd/mm/yyyy HH:MM, local time), Item Name (the POS code),
Quantity, Product Price (unit price), Total products (lines on the order; informational).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from boh.sales.adapters.base import FileTicket, Parsed, RowError, Target, csv_rows, local_time
from boh.sales.models import Channel

REQUIRED = ("Order Number", "Order Date", "Item Name", "Quantity", "Product Price")
TIME_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")


def read_takeaway(content: bytes, target: Target) -> Parsed:
    """Tickets from the takeaway export, lines grouped by Order Number in file order."""
    parsed = Parsed()
    by_id: dict[str, FileTicket] = {}
    for n, row in csv_rows(content):
        parsed.rows += 1
        if n == 2:
            missing = [c for c in REQUIRED if c not in row]
            if missing:
                parsed.errors.append(
                    RowError(1, missing[0], "missing_column", _("This column is missing."))
                )
                return parsed
        number = row.get("Order Number", "")
        if not number:
            parsed.errors.append(
                RowError(n, "Order Number", "required", _("This field is required."))
            )
            continue
        closed = local_time(row.get("Order Date", ""), target.zone, TIME_FORMATS)
        if closed is None:
            parsed.errors.append(
                RowError(
                    n, "Order Date", "invalid_datetime", _("Enter a date as dd/mm/yyyy HH:MM.")
                )
            )
            continue
        line: dict[str, Any] = {
            "pos_code": row.get("Item Name", ""),
            "quantity": row.get("Quantity") or None,
            "unit_price": row.get("Product Price") or None,
        }
        found = by_id.get(number)
        if found is None:
            ticket: dict[str, Any] = {
                "source": target.source,
                "external_id": number,
                "location_code": target.location_code,
                "closed_at": closed.isoformat(),
                "channel": Channel.TAKEAWAY,
                "lines": [],
            }
            found = by_id[number] = FileTicket(ticket, n)
            parsed.tickets.append(found)
        found.ticket["lines"].append(line)
        found.line_rows.append(n)
    return parsed
