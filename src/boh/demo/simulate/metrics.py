"""The figures of a run, per policy and store, from a twin's running totals.

- waste %: value of stock thrown away / value of purchases;
- lost sales: value (net of discounts) of the lines guests ordered that could not be served;
- days on hand: average stock value at the end of a day / average daily cost of actual use;
- food cost %: (opening stock + purchases - closing stock) / net sales served;
- AvT %: (actual use - theoretical use by recipe), valued, / net sales;
- WAPE: sum |forecast use - use the guests asked for| / sum of that use, each item valued
  at its cost, over every store-day (par's forecast is last month's average);
- auto-replenishment: share of suggested lines a person would not have to look at (only
  for the system; a par order is written by hand).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from boh.core.numbers import round_money
from boh.demo.simulate.twin import StoreBook

NANO = Decimal(10) ** 9
FIGURES = (
    "purchases",
    "waste",
    "waste_pct",
    "lost_sales",
    "lost_pct",
    "net_sales",
    "days_on_hand",
    "food_cost_pct",
    "avt_pct",
    "wape",
    "bias",
    "order_lines",
    "auto_rate",
)


def _ratio(part: Decimal, whole: Decimal, scale: int = 100) -> float | None:
    if not whole:
        return None
    return round(float(part / whole) * scale, 2 if scale == 100 else 4)


def figures(books: list[StoreBook], *, automatic: bool) -> dict[str, Any]:
    """The report's figures for a set of stores (one store, or the whole chain)."""
    money = Decimal(0)
    purchases = sum((Decimal(b.purchases_nano) for b in books), money) / NANO
    waste = sum((Decimal(b.waste_nano) for b in books), money) / NANO
    used = sum((Decimal(b.used_nano) for b in books), money) / NANO
    theoretical = sum((Decimal(b.theoretical_nano) for b in books), money) / NANO
    opening = sum((Decimal(b.opening_nano) for b in books), money) / NANO
    ending = sum((Decimal(b.ending_nano) for b in books), money) / NANO
    sales = Decimal(sum(b.sales_fen for b in books)) / 100
    lost = Decimal(sum(b.lost_fen for b in books)) / 100
    days = max(b.days for b in books) if books else 0
    stock_days = sum((Decimal(b.stock_nano_days) for b in books), money) / NANO
    average_stock = stock_days / days if days else Decimal(0)
    daily_use = used / days if days else Decimal(0)
    error = Decimal(sum(b.forecast_error_nano for b in books))
    actual = Decimal(sum(b.forecast_actual_nano for b in books))
    lines = sum(b.order_lines for b in books)
    unchanged = sum(b.unchanged_lines for b in books)
    return {
        "purchases": str(round_money(purchases)),
        "waste": str(round_money(waste)),
        "waste_pct": _ratio(waste, purchases),
        "lost_sales": str(round_money(lost)),
        "lost_pct": _ratio(lost, lost + sales),
        "net_sales": str(round_money(sales)),
        "days_on_hand": round(float(average_stock / daily_use), 2) if daily_use else None,
        "food_cost_pct": _ratio(opening + purchases - ending, sales),
        "avt_pct": _ratio(used - theoretical, sales),
        "wape": _ratio(error, actual, scale=1),
        "bias": _ratio(Decimal(sum(b.forecast_bias_nano for b in books)), actual, scale=1),
        "order_lines": lines,
        "auto_rate": _ratio(Decimal(unchanged), Decimal(lines)) if automatic else None,
    }
