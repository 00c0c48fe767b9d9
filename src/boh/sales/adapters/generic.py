"""BOH's own file format: one row per ticket line, CSV or XLSX (see docs/imports.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from boh.sales.adapters.base import (
    FileTicket,
    Parsed,
    RowError,
    Target,
    csv_rows,
    flag,
    local_time,
    xlsx_rows,
)

REQUIRED = ("ticket_id", "closed_at", "pos_code", "quantity", "unit_price")
COLUMNS = (
    "ticket_id",
    "closed_at",
    "opened_at",
    "location",
    "channel",
    "covers",
    "pos_code",
    "name",
    "quantity",
    "unit_price",
    "discount",
    "modifiers",
    "refund",
    "voided",
    "ticket_voided",
    "refund_of",
)
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


def read_generic(content: bytes, target: Target, *, xlsx: bool = False) -> Parsed:
    """Tickets from a generic CSV or XLSX export, grouped by ticket_id in file order."""
    parsed = Parsed()
    by_id: dict[str, FileTicket] = {}
    zone = target.zone
    rows = xlsx_rows(content) if xlsx else csv_rows(content)
    for n, row in rows:
        parsed.rows += 1
        if n == 2:
            missing = [c for c in REQUIRED if c not in row]
            if missing:
                parsed.errors.append(
                    RowError(1, missing[0], "missing_column", _("This column is missing."))
                )
                return parsed
        bad = False
        ticket_id = row.get("ticket_id", "")
        if not ticket_id:
            parsed.errors.append(RowError(n, "ticket_id", "required", _("This field is required.")))
            continue
        closed = local_time(row.get("closed_at", ""), zone, TIME_FORMATS)
        if closed is None:
            parsed.errors.append(
                RowError(n, "closed_at", "invalid_datetime", _("Enter a date and time."))
            )
            bad = True
        opened = local_time(row.get("opened_at", ""), zone, TIME_FORMATS)
        flags: dict[str, bool] = {}
        for column in ("refund", "voided", "ticket_voided"):
            value = flag(row.get(column, ""))
            if value is None:
                parsed.errors.append(RowError(n, column, "invalid_boolean", _("Enter yes or no.")))
                bad = True
            flags[column] = bool(value)
        if bad:
            continue
        line: dict[str, Any] = {
            "pos_code": row.get("pos_code", ""),
            "quantity": row.get("quantity") or None,
            "unit_price": row.get("unit_price") or None,
        }
        for key in ("name", "discount"):
            if row.get(key):
                line[key] = row[key]
        if row.get("modifiers"):
            line["modifiers"] = [m.strip() for m in row["modifiers"].split("|") if m.strip()]
        if flags["refund"]:
            line["refund"] = True
        if flags["voided"]:
            line["voided"] = True
        found = by_id.get(ticket_id)
        if found is None:
            assert closed is not None
            ticket: dict[str, Any] = {
                "source": target.source,
                "external_id": ticket_id,
                "location_code": row.get("location") or target.location_code,
                "closed_at": closed.isoformat(),
                "lines": [],
            }
            if opened is not None:
                ticket["opened_at"] = opened.isoformat()
            if row.get("channel"):
                ticket["channel"] = row["channel"]
            if row.get("covers"):
                ticket["covers"] = _whole(row["covers"])
            if flags["ticket_voided"]:
                ticket["voided"] = True
            if row.get("refund_of"):
                ticket["refund_of"] = row["refund_of"]
            found = by_id[ticket_id] = FileTicket(ticket, n)
            parsed.tickets.append(found)
        found.ticket["lines"].append(line)
        found.line_rows.append(n)
    return parsed


def _whole(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text
