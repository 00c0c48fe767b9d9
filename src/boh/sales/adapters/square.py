"""Orders from the Square Orders API (a JSON file of `{"orders": [...]}` as SearchOrders
answers, or a plain list of orders).

An order becomes a ticket: its id is the ticket number, closed_at (or updated_at) its
time; line items are lines coded by catalog_object_id (or their name), with their
modifiers; return line items are refund lines (of the order named by the return's
source_order_id, when it is another order); a CANCELED order is a voided ticket; orders
still OPEN are skipped and reported. Money comes in the currency's smallest unit.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from boh.sales.adapters.base import FileTicket, Parsed, RowError, Target, unreadable
from boh.sales.models import Channel

# Currencies without minor units (ISO 4217 exponent 0) that Square handles.
ZERO_DECIMAL = frozenset({"JPY", "KRW", "CLP", "ISK", "VND"})
FULFILMENT_CHANNELS = {
    "PICKUP": Channel.TAKEAWAY,
    "DELIVERY": Channel.OTHER,
    "SHIPMENT": Channel.OTHER,
}


def _money(value: Any) -> str | None:
    if not isinstance(value, dict) or value.get("amount") is None:
        return None
    amount = Decimal(int(value["amount"]))
    places = 0 if str(value.get("currency", "")).upper() in ZERO_DECIMAL else 2
    return format(amount.scaleb(-places), "f")


def _code(entry: dict[str, Any]) -> str:
    return str(entry.get("catalog_object_id") or entry.get("name") or "")


def read_square(content: bytes, target: Target) -> Parsed:
    """Tickets from Square orders; row numbers are the orders' positions (1 = first)."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise unreadable(exc) from None
    orders = data.get("orders") if isinstance(data, dict) else data
    parsed = Parsed()
    if not isinstance(orders, list):
        parsed.errors.append(RowError(0, "orders", "invalid_list", _("Give a list of orders.")))
        return parsed
    for n, order in enumerate(orders, start=1):
        parsed.rows += 1
        if not isinstance(order, dict) or not order.get("id"):
            parsed.errors.append(RowError(n, "id", "required", _("This field is required.")))
            continue
        state = str(order.get("state", "COMPLETED")).upper()
        if state == "OPEN":
            parsed.errors.append(
                RowError(
                    n, "state", "order_open", _("The order is still open; send it once closed.")
                )
            )
            continue
        closed = order.get("closed_at") or order.get("updated_at") or order.get("created_at")
        lines: list[dict[str, Any]] = []
        for item in order.get("line_items") or []:
            line: dict[str, Any] = {
                "pos_code": _code(item),
                "name": str(item.get("name") or "")[:200],
                "quantity": item.get("quantity"),
                "unit_price": _money(item.get("base_price_money")),
            }
            discount = _money(item.get("total_discount_money"))
            if discount and Decimal(discount):
                line["discount"] = discount
            modifiers = [_code(m) for m in item.get("modifiers") or [] if _code(m)]
            if modifiers:
                line["modifiers"] = modifiers
            lines.append(line)
        refund_of = ""
        for refund in order.get("returns") or []:
            source_order = str(refund.get("source_order_id") or "")[:64]
            if source_order and source_order != order["id"]:
                refund_of = refund_of or source_order
            for item in refund.get("return_line_items") or []:
                quantity = item.get("quantity")
                lines.append(
                    {
                        "pos_code": _code(item),
                        "name": str(item.get("name") or "")[:200],
                        "quantity": f"-{quantity}" if quantity is not None else None,
                        "unit_price": _money(item.get("base_price_money")),
                        "refund": True,
                    }
                )
        fulfilment: dict[str, Any] = next(iter(order.get("fulfillments") or []), {})
        channel = FULFILMENT_CHANNELS.get(str(fulfilment.get("type", "")).upper(), Channel.DINE_IN)
        ticket: dict[str, Any] = {
            "source": target.source,
            "external_id": str(order["id"])[:64],
            "location_code": target.location_code,
            "closed_at": closed,
            "opened_at": order.get("created_at"),
            "channel": channel,
            "lines": lines,
            "payments": [
                {
                    "tender": str(t.get("type") or "OTHER")[:40],
                    "amount": _money(t.get("amount_money")),
                }
                for t in order.get("tenders") or []
            ],
        }
        if refund_of:
            ticket["refund_of"] = refund_of
        if state == "CANCELED":
            ticket["voided"] = True
        if isinstance(order.get("version"), int):
            ticket["revision"] = order["version"]
        parsed.tickets.append(FileTicket(ticket, n, [n] * len(lines)))
    return parsed
