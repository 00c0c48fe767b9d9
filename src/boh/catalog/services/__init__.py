"""Writes of the catalog module: categories, items, packs, barcodes, storage areas, stock levels.

Split by subject: items.py (categories, items, barcodes), packs.py, locations.py
(storage areas and stock levels at a location) and imports.py (bulk item import).
"""

from boh.catalog.services.common import can_manage_location, pinyin_initials
from boh.catalog.services.imports import ImportReport, RowError, import_items
from boh.catalog.services.items import (
    add_barcode,
    base_unit_locked,
    create_category,
    create_item,
    delete_category,
    delete_item,
    is_valid_gtin,
    remove_barcode,
    update_category,
    update_item,
)
from boh.catalog.services.locations import (
    create_stock_level,
    create_stock_levels,
    create_storage_area,
    delete_stock_level,
    delete_storage_area,
    reorder_storage_areas,
    update_stock_level,
    update_storage_area,
)
from boh.catalog.services.packs import create_pack, delete_pack, update_pack

__all__ = [
    "ImportReport",
    "RowError",
    "add_barcode",
    "base_unit_locked",
    "can_manage_location",
    "create_category",
    "create_item",
    "create_pack",
    "create_stock_level",
    "create_stock_levels",
    "create_storage_area",
    "delete_category",
    "delete_item",
    "delete_pack",
    "delete_stock_level",
    "delete_storage_area",
    "import_items",
    "is_valid_gtin",
    "pinyin_initials",
    "remove_barcode",
    "reorder_storage_areas",
    "update_category",
    "update_item",
    "update_pack",
    "update_stock_level",
    "update_storage_area",
]
