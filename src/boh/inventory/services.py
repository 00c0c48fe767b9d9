"""Writes of the inventory module: the stock ledger and its lots.

Every change of stock goes through `post_moves`; see boh.inventory.ledger.
"""

from boh.inventory.ledger.lots import (
    close_period,
    mark_expired_lots,
    place_lot_on_hold,
    recall_lot,
    release_lot,
)
from boh.inventory.ledger.posting import EVENT_POSTED, post_moves, reverse_moves
from boh.inventory.ledger.specs import LotSpec, MoveSpec, PostResult

__all__ = [
    "EVENT_POSTED",
    "LotSpec",
    "MoveSpec",
    "PostResult",
    "close_period",
    "mark_expired_lots",
    "place_lot_on_hold",
    "post_moves",
    "recall_lot",
    "release_lot",
    "reverse_moves",
]
