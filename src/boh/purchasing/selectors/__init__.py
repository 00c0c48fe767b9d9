"""Reads of the purchasing module, split by subject."""

from boh.purchasing.selectors.suppliers import (
    agreed_prices,
    delivery_terms,
    next_delivery_date,
    preferred_supplier_items,
    price_history,
    supplier,
    supplier_item,
    supplier_items,
    suppliers,
)

__all__ = [
    "agreed_prices",
    "delivery_terms",
    "next_delivery_date",
    "preferred_supplier_items",
    "price_history",
    "supplier",
    "supplier_item",
    "supplier_items",
    "suppliers",
]
