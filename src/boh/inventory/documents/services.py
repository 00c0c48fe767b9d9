"""Every write of inventory documents, by subject: transfers, waste and stocktakes."""

from boh.inventory.documents.stocktakes import (
    approve_stocktake,
    cancel_stocktake,
    count_item,
    post_stocktake,
    reopen_stocktake,
    set_count,
    set_counts,
    start_stocktake,
)
from boh.inventory.documents.transfers import (
    approve_transfer,
    cancel_transfer,
    create_transfer,
    delete_transfer,
    receive_transfer,
    resolve_transfer,
    ship_transfer,
    update_transfer,
)
from boh.inventory.documents.waste import attach_waste_photo, log_waste, log_waste_lines

__all__ = [
    "approve_stocktake",
    "approve_transfer",
    "attach_waste_photo",
    "cancel_stocktake",
    "cancel_transfer",
    "count_item",
    "create_transfer",
    "delete_transfer",
    "log_waste",
    "log_waste_lines",
    "post_stocktake",
    "receive_transfer",
    "reopen_stocktake",
    "resolve_transfer",
    "set_count",
    "set_counts",
    "ship_transfer",
    "start_stocktake",
    "update_transfer",
]
