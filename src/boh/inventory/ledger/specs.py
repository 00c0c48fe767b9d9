"""What callers hand to post_moves, what it gives back, and the checked lines it works on."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from boh.catalog.models import Item
from boh.inventory.models import MoveKind, StockMove
from boh.org.models import Location

# Kinds that bring stock in, and must be posted with a positive quantity and a unit cost.
IN_KINDS = frozenset(
    {MoveKind.OPENING, MoveKind.RECEIPT, MoveKind.TRANSFER_IN, MoveKind.PRODUCTION_OUTPUT}
)
# Kinds that take stock out, posted with a negative quantity and valued by the ledger.
OUT_KINDS = frozenset(
    {
        MoveKind.SUPPLIER_RETURN,
        MoveKind.TRANSFER_OUT,
        MoveKind.PRODUCTION_CONSUMPTION,
        MoveKind.SALE_DEPLETION,
        MoveKind.WASTE,
    }
)
# Issues that use stock up: these never take a held, recalled or expired lot unless told to.
CONSUMING_KINDS = frozenset(
    {MoveKind.SALE_DEPLETION, MoveKind.PRODUCTION_CONSUMPTION, MoveKind.TRANSFER_OUT}
)
POSTABLE_KINDS = frozenset(k for k in MoveKind.values if k != MoveKind.REVALUATION)


@dataclass(frozen=True)
class LotSpec:
    """A lot to create with an incoming move (receipt, production output)."""

    code: str
    expiry_date: dt.date | None
    received_date: dt.date | None = None
    supplier_id: int | None = None
    supplier_lot_code: str = ""


@dataclass(frozen=True, init=False)
class MoveSpec:
    """One change of stock to post; quantity signed, in the item's base unit."""

    location_id: int
    item_id: int
    quantity: Decimal
    kind: str
    lot_id: int | None = None
    new_lot: LotSpec | None = None
    unit_cost: Decimal | None = None
    happened_at: dt.datetime | None = None
    reason: str = ""
    source_line: str = ""
    reverses_id: int | None = None
    allow_unavailable_lot: bool = False
    override_note: str = ""

    def __init__(
        self,
        location_id: int,
        item_id: int,
        quantity: Decimal,
        kind: str,
        lot_id: int | None = None,
        new_lot: LotSpec | None = None,
        unit_cost: Decimal | None = None,
        happened_at: dt.datetime | None = None,
        reason: str = "",
        source_line: str = "",
        reverses_id: int | None = None,
        allow_unavailable_lot: bool = False,
        override_note: str = "",
    ) -> None:
        # Posting builds tens of thousands of specs per batch: filling the instance dict
        # directly costs half of the frozen dataclass's field-by-field __setattr__.
        values = self.__dict__
        values["location_id"] = location_id
        values["item_id"] = item_id
        values["quantity"] = quantity
        values["kind"] = kind
        values["lot_id"] = lot_id
        values["new_lot"] = new_lot
        values["unit_cost"] = unit_cost
        values["happened_at"] = happened_at
        values["reason"] = reason
        values["source_line"] = source_line
        values["reverses_id"] = reverses_id
        values["allow_unavailable_lot"] = allow_unavailable_lot
        values["override_note"] = override_note


class MoveRows:
    """Written move rows, turned into StockMove objects only when someone looks at them."""

    def __init__(
        self,
        columns: tuple[str, ...],
        rows: list[tuple[Any, ...]],
        ids: list[int],
        python_values: dict[str, dict[Any, Any]],
    ) -> None:
        self.names = ("id", *columns)
        self.rows = rows
        self.ids = ids
        # Database forms of times and the batch id, mapped back to Python values.
        self.convert = [(columns.index(name), back) for name, back in python_values.items()]

    def build(self, index: int) -> StockMove:
        values = list(self.rows[index])
        for position, back in self.convert:
            values[position] = back[values[position]]
        return StockMove.from_db("default", self.names, (self.ids[index], *values))


class PostResult:
    """The batch id, the moves as posted (after FEFO splitting, in input order), and the
    ids of revaluation jobs the batch queued."""

    def __init__(
        self,
        batch: uuid.UUID,
        moves: MoveRows | list[StockMove],
        revaluation_job_ids: list[int] | None = None,
    ) -> None:
        self.batch = batch
        self._rows = moves if isinstance(moves, MoveRows) else None
        self._moves = moves if isinstance(moves, list) else None
        self.revaluation_job_ids = revaluation_job_ids or []

    @property
    def moves(self) -> list[StockMove]:
        if self._moves is None:
            assert self._rows is not None
            self._moves = [self._rows.build(i) for i in range(len(self._rows.ids))]
        return self._moves

    @property
    def move_ids(self) -> list[int]:
        """Ids of the posted moves, without building the objects."""
        if self._rows is not None:
            return list(self._rows.ids)
        return [m.pk for m in self.moves]

    def first_move(self) -> StockMove:
        if self._moves is not None:
            return self._moves[0]
        assert self._rows is not None
        return self._rows.build(0)

    @property
    def revaluations(self) -> list[StockMove]:
        """Value-only moves the batch wrote (negative-stock covers, backdating)."""
        return list(
            StockMove.objects.filter(batch=self.batch, kind=MoveKind.REVALUATION).order_by("id")
        )


@dataclass
class NewLot:
    """A lot the batch creates; `lot_id` is set once it is written."""

    item_id: int
    code: str
    expiry_date: dt.date | None
    received_date: dt.date | None
    supplier_id: int | None
    supplier_lot_code: str
    lot_id: int | None = None


@dataclass
class LotInfo:
    lot_id: int
    code: str
    expiry_date: dt.date | None
    received_date: dt.date | None
    status: str


@dataclass
class Line:
    """A checked move, before FEFO splitting and valuation."""

    index: int
    location: Location
    item: Item
    location_id: int
    item_id: int
    kind: str
    quantity: Decimal
    happened_at: dt.datetime
    local_date: dt.date
    lot: LotInfo | None = None
    new_lot: NewLot | None = None
    fixed_cost: Decimal | None = None
    fixed_value: Decimal | None = None
    reverses_id: int | None = None
    reason: str = ""
    source_line: str = ""
    override: bool = False
    override_note: str = ""
