"""The stock ledger: lots, immutable stock moves, balances kept with them, closed periods.

A StockMove is never changed or deleted; a correction is a reversing move that points to
the original, and a change of value without a change of quantity is a "revaluation" move
(quantity 0) that points to the move it corrects. Balance (per location, item and lot)
and ItemBalance (per location and item, with the moving-average cost) are written in the
same transaction as the moves, only by `boh.inventory.services.post_moves`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from boh.catalog.models import Item
from boh.core.numbers import (
    COST_DIGITS,
    COST_PLACES,
    QTY_DIGITS,
    QTY_PLACES,
    VALUE_DIGITS,
    VALUE_PLACES,
)
from boh.org.models import Location, Organization

ZERO = Decimal(0)


class MoveKind(models.TextChoices):
    OPENING = "opening", _("Opening stock")
    RECEIPT = "receipt", _("Receipt")
    SUPPLIER_RETURN = "supplier_return", _("Return to supplier")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    PRODUCTION_CONSUMPTION = "production_consumption", _("Production consumption")
    PRODUCTION_OUTPUT = "production_output", _("Production output")
    SALE_DEPLETION = "sale_depletion", _("Sales depletion")
    WASTE = "waste", _("Waste")
    COUNT_ADJUSTMENT = "count_adjustment", _("Count adjustment")
    REVALUATION = "revaluation", _("Revaluation")


class LotStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ON_HOLD = "on_hold", _("On hold")
    EXPIRED = "expired", _("Expired")
    RECALLED = "recalled", _("Recalled")


class Lot(models.Model):
    """Stock of one item received or made together, with one expiry date."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(_("lot code"), max_length=64)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    received_date = models.DateField(_("received date"), null=True, blank=True)
    # Purchasing is a higher module: the supplier is referenced by id only.
    supplier_id = models.BigIntegerField(_("supplier"), null=True, blank=True)
    supplier_lot_code = models.CharField(_("supplier lot code"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LotStatus.choices, default=LotStatus.AVAILABLE
    )
    status_note = models.CharField(_("status note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "expiry_date", "received_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="inventory_lot_code_unique")
        ]
        indexes = [
            models.Index(
                fields=["organization", "status", "expiry_date"], name="inventory_lot_status"
            )
        ]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")

    def __str__(self) -> str:
        return self.code


class StockMoveQuerySet(models.QuerySet["StockMove"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("stock moves are never changed; post a reversing move")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("stock moves are never deleted; post a reversing move")


class StockMove(models.Model):
    """One signed change of stock of an item at a location, in base units; never edited."""

    # The composite indexes in Meta lead with these columns; single ones would only slow writes.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(
        Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=24, choices=MoveKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES)
    unit_cost = models.DecimalField(
        _("unit cost"), max_digits=COST_DIGITS, decimal_places=COST_PLACES
    )
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    # True when the poster gave the unit cost (a receipt's price); False when the ledger
    # valued the move at the current cost, so a backdated move may revalue it.
    cost_fixed = models.BooleanField(default=False)
    happened_at = models.DateTimeField(_("happened at"))
    posted_at = models.DateTimeField(_("posted at"))
    posted_by_user_id = models.BigIntegerField(null=True, blank=True)
    posted_by_api_key_id = models.BigIntegerField(null=True, blank=True)
    batch = models.UUIDField(db_index=True)
    source_type = models.CharField(_("source type"), max_length=40)
    source_id = models.CharField(_("source"), max_length=64)
    source_line = models.CharField(max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    reverses = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
        db_index=False,
    )
    # Set on revaluation moves: the move whose value this one corrects.
    revalues = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revaluations",
        db_index=False,
    )
    flagged = models.BooleanField(_("flagged"), default=False)
    override_note = models.TextField(_("override note"), blank=True)

    objects = StockMoveQuerySet.as_manager()

    class Meta:
        ordering = ["happened_at", "id"]
        indexes = [
            models.Index(
                fields=["location", "item", "happened_at", "id"], name="inventory_move_timeline"
            ),
            models.Index(
                fields=["organization", "source_type", "source_id"], name="inventory_move_source"
            ),
            models.Index(fields=["organization", "happened_at"], name="inventory_move_org_time"),
            # Most moves have no lot, reverse nothing and revalue nothing: indexing only the
            # rows that do keeps every sale's dozens of moves cheaper to write.
            models.Index(
                fields=["lot", "location"],
                name="inventory_move_lot",
                condition=Q(lot__isnull=False),
            ),
            models.Index(
                fields=["reverses"],
                name="inventory_move_reverses",
                condition=Q(reverses__isnull=False),
            ),
            models.Index(
                fields=["revalues"],
                name="inventory_move_revalues",
                condition=Q(revalues__isnull=False),
            ),
        ]
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} of {self.item_id} at {self.location_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise PermissionError("stock moves are written only by inventory.services.post_moves")

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("stock moves are never deleted; post a reversing move")


class Balance(models.Model):
    """On hand of one item (and lot) at one location, kept with the moves that change it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # lot_id, or 0 for stock without a lot: one row per (location, item, lot) on every database.
    lot_key = models.BigIntegerField(default=0)
    quantity = models.DecimalField(max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, default=ZERO)
    value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, default=ZERO)
    last_move_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["location", "item", "lot_key"], name="inventory_balance_unique"
            ),
            models.CheckConstraint(
                condition=Q(lot__isnull=True, lot_key=0) | Q(lot_key=models.F("lot")),
                name="inventory_balance_lot_key",
            ),
        ]
        verbose_name = _("balance")
        verbose_name_plural = _("balances")

    def __str__(self) -> str:
        return f"{self.location_id}:{self.item_id}:{self.lot_key} = {self.quantity}"


class ItemBalance(models.Model):
    """On hand, value and moving-average cost of one item at one location (all lots)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, default=ZERO)
    value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, default=ZERO)
    # Average cost while stock is on hand; the last known cost once it runs out.
    unit_cost = models.DecimalField(
        max_digits=COST_DIGITS, decimal_places=COST_PLACES, default=ZERO
    )
    # Latest business time of any move: a move before it is backdated.
    last_move_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["location", "item"], name="inventory_item_balance_unique"
            )
        ]
        verbose_name = _("item balance")
        verbose_name_plural = _("item balances")

    def __str__(self) -> str:
        return f"{self.location_id}:{self.item_id} = {self.quantity}"


class PendingRevaluation(models.Model):
    """A backdated move whose later moves (of one location and item) await revaluation."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    # Replay starts at the earliest backdated point: (happened_at, move id).
    from_at = models.DateTimeField()
    from_move_id = models.BigIntegerField()
    job_id = models.BigIntegerField(null=True)
    requested_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "item"], name="inventory_pending_reval")
        ]

    def __str__(self) -> str:
        return f"{self.location_id}:{self.item_id} from {self.from_at}"


class ClosedPeriod(models.Model):
    """Stock books closed through a date, for the whole organization or one location."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_through = models.DateField(_("closed through"))
    closed_at = models.DateTimeField(auto_now_add=True)
    closed_by_user_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-closed_through"]
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")

    def __str__(self) -> str:
        return f"{self.location_id or '*'} through {self.closed_through}"


from boh.inventory.documents.models import *  # noqa: E402,F403
