"""Daily sales facts, kept as deltas in the transaction that changes the tickets.

A ticket adds its figures to the row of its (location, business date, channel, hour);
an amendment takes the old version's figures away and adds the new ones; a line mapped
late adds its menu item's quantity and revenue. Sums are rounded to the column's scale in
the statement, so SQLite (which adds numerics as floats) stays exact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from boh.core.numbers import MONEY_PLACES, QTY_PLACES
from boh.sales.models import DailyItemSales, DailySales, DailyTenderSales
from boh.sales.services import rows

ZERO = Decimal(0)
_DAILY = DailySales._meta.db_table
_ITEMS = DailyItemSales._meta.db_table
_TENDERS = DailyTenderSales._meta.db_table


def _add(table: str, column: str, places: int) -> str:
    return f"{column} = ROUND({table}.{column} + excluded.{column}, {places})"


UPSERT_DAILY = (
    f"INSERT INTO {_DAILY} (organization_id, location_id, business_date, channel, hour, "  # noqa: S608
    "tickets, covers, gross_sales, discounts, refunds, net_sales) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (location_id, business_date, channel, hour) DO UPDATE SET "
    f"tickets = {_DAILY}.tickets + excluded.tickets, "
    f"covers = {_DAILY}.covers + excluded.covers, "
    + ", ".join(
        _add(_DAILY, c, MONEY_PLACES) for c in ("gross_sales", "discounts", "refunds", "net_sales")
    )
)
UPSERT_ITEMS = (
    f"INSERT INTO {_ITEMS} (organization_id, location_id, business_date, menu_item_id, "  # noqa: S608
    "quantity, net_sales) VALUES (%s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (location_id, business_date, menu_item_id) DO UPDATE SET "
    f"{_add(_ITEMS, 'quantity', QTY_PLACES)}, {_add(_ITEMS, 'net_sales', MONEY_PLACES)}"
)

UPSERT_TENDERS = (
    f"INSERT INTO {_TENDERS} (organization_id, location_id, business_date, tender, "  # noqa: S608
    "payments, amount) VALUES (%s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (location_id, business_date, tender) DO UPDATE SET "
    f"payments = {_TENDERS}.payments + excluded.payments, "
    f"{_add(_TENDERS, 'amount', MONEY_PLACES)}"
)

DayKey = tuple[int, dt.date, str, int]
ItemKey = tuple[int, dt.date, int]
TenderKey = tuple[int, dt.date, str]


@dataclass
class FactDeltas:
    """Changes to the fact rows that one write makes, summed per row before writing."""

    daily: dict[DayKey, list[Decimal]] = field(default_factory=dict)
    items: dict[ItemKey, list[Decimal]] = field(default_factory=dict)
    tenders: dict[TenderKey, list[Decimal]] = field(default_factory=dict)

    def ticket(
        self,
        sign: int,
        location_id: int,
        business_date: dt.date,
        channel: str,
        hour: int,
        *,
        voided: bool,
        covers: int,
        gross: Decimal,
        discounts: Decimal,
        refunds: Decimal,
        net: Decimal,
    ) -> None:
        """Add (sign 1) or take away (sign -1) one ticket's figures."""
        key = (location_id, business_date, channel, hour)
        row = self.daily.get(key)
        if row is None:
            row = self.daily[key] = [ZERO, ZERO, ZERO, ZERO, ZERO, ZERO]
        if not voided:
            row[0] += sign
            row[1] += sign * covers
        row[2] += sign * gross
        row[3] += sign * discounts
        row[4] += sign * refunds
        row[5] += sign * net

    def item(
        self,
        sign: int,
        location_id: int,
        business_date: dt.date,
        menu_item_id: int,
        quantity: Decimal,
        net: Decimal,
    ) -> None:
        """Add or take away one line's quantity and revenue of a menu item."""
        key = (location_id, business_date, menu_item_id)
        row = self.items.get(key)
        if row is None:
            row = self.items[key] = [ZERO, ZERO]
        row[0] += sign * quantity
        row[1] += sign * net

    def payment(
        self, sign: int, location_id: int, business_date: dt.date, tender: str, amount: Decimal
    ) -> None:
        """Add or take away one payment of a tender."""
        key = (location_id, business_date, tender)
        row = self.tenders.get(key)
        if row is None:
            row = self.tenders[key] = [ZERO, ZERO]
        row[0] += sign
        row[1] += sign * amount

    def write(self, organization_id: int) -> None:
        """Upsert every changed row: three statements, whatever the number of tickets."""
        daily = [
            (
                organization_id,
                location_id,
                rows.db_date(day),
                channel,
                hour,
                int(v[0]),
                int(v[1]),
                v[2],
                v[3],
                v[4],
                v[5],
            )
            for (location_id, day, channel, hour), v in self.daily.items()
            if any(v)
        ]
        items = [
            (organization_id, location_id, rows.db_date(day), menu_item_id, v[0], v[1])
            for (location_id, day, menu_item_id), v in self.items.items()
            if any(v)
        ]
        tenders = [
            (organization_id, location_id, rows.db_date(day), tender, int(v[0]), v[1])
            for (location_id, day, tender), v in self.tenders.items()
            if any(v)
        ]
        rows.execute_many(UPSERT_DAILY, daily)
        rows.execute_many(UPSERT_ITEMS, items)
        rows.execute_many(UPSERT_TENDERS, tenders)
