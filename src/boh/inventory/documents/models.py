"""Tables of inventory documents: transfers, waste entries and stocktakes.

The documents record what people asked for, counted and saw; every change of stock they
cause is a move posted through the ledger with source_type set to the document's kind.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from boh.catalog.models import Category, Item, StorageArea
from boh.core.numbers import (
    COST_DIGITS,
    COST_PLACES,
    QTY_DIGITS,
    QTY_PLACES,
    VALUE_DIGITS,
    VALUE_PLACES,
)
from boh.org.models import Location, Organization

__all__ = [
    "Stocktake",
    "StocktakeExpected",
    "StocktakeLine",
    "Transfer",
    "TransferLine",
    "TransferShipment",
    "WasteEntry",
]


def _qty(verbose: Any = None, **kwargs: Any) -> Any:
    return models.DecimalField(verbose, max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, **kwargs)


def _value(**kwargs: Any) -> Any:
    return models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, **kwargs)


def _cost(**kwargs: Any) -> Any:
    return models.DecimalField(max_digits=COST_DIGITS, decimal_places=COST_PLACES, **kwargs)


class Transfer(models.Model):
    """Stock sent from one location to another: requested, approved, shipped, received."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        SHIPPED = "shipped", _("Shipped")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    class Discrepancy(models.TextChoices):
        NONE = "none", _("None")
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    class Resolution(models.TextChoices):
        # The missing stock turned up at the destination after all.
        FOUND = "found", _("Found at the destination")
        # It never left the sending location.
        RETURNED = "returned", _("Still at the sending location")
        WRITTEN_OFF = "written_off", _("Lost in transit, written off")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    from_location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    discrepancy = models.CharField(
        _("discrepancy"), max_length=10, choices=Discrepancy.choices, default=Discrepancy.NONE
    )
    note = models.TextField(_("note"), blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by_user_id = models.BigIntegerField(null=True)
    requested_by_api_key_id = models.BigIntegerField(null=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by_user_id = models.BigIntegerField(null=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    shipped_by_user_id = models.BigIntegerField(null=True)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by_user_id = models.BigIntegerField(null=True)
    receive_note = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_user_id = models.BigIntegerField(null=True)
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by_user_id = models.BigIntegerField(null=True)

    class Meta:
        app_label = "inventory"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["organization", "status"], name="inv_transfer_org_status"),
            models.Index(fields=["from_location", "status"], name="inv_transfer_from_status"),
            models.Index(fields=["to_location", "status"], name="inv_transfer_to_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_location=F("to_location")), name="inv_transfer_two_locations"
            )
        ]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self) -> str:
        return f"TR-{self.pk}"


class TransferLine(models.Model):
    """One item of a transfer: asked for, shipped and received, in base units."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    # A lot the requester asked for; without one the sender ships earliest expiry first.
    lot = models.ForeignKey("inventory.Lot", null=True, blank=True, on_delete=models.PROTECT)
    requested_quantity = _qty(_("requested quantity"))
    entered_quantity = _qty()
    entered_unit = models.CharField(max_length=20)
    shipped_quantity = _qty(_("shipped quantity"), null=True, blank=True)
    received_quantity = _qty(_("received quantity"), null=True, blank=True)
    damaged_quantity = _qty(_("damaged quantity"), default=Decimal(0))
    short_quantity = _qty(_("short quantity"), default=Decimal(0))
    over_quantity = _qty(_("over quantity"), default=Decimal(0))

    class Meta:
        app_label = "inventory"
        ordering = ["transfer", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["transfer", "position"], name="inv_transfer_line_position"
            ),
            models.CheckConstraint(
                condition=Q(requested_quantity__gt=0), name="inv_transfer_line_qty_positive"
            ),
        ]
        verbose_name = _("transfer line")
        verbose_name_plural = _("transfer lines")

    def __str__(self) -> str:
        return f"TR-{self.transfer_id}/{self.position}"


class TransferShipment(models.Model):
    """The part of a line shipped from one lot, at the cost it left the sender."""

    line = models.ForeignKey(TransferLine, on_delete=models.CASCADE, related_name="shipments")
    lot = models.ForeignKey("inventory.Lot", null=True, blank=True, on_delete=models.PROTECT)
    quantity = _qty()
    unit_cost = _cost()
    value = _value()
    out_move_id = models.BigIntegerField()
    received_quantity = _qty(default=Decimal(0))
    damaged_quantity = _qty(default=Decimal(0))
    short_quantity = _qty(default=Decimal(0))
    over_quantity = _qty(default=Decimal(0))

    class Meta:
        app_label = "inventory"
        ordering = ["line", "id"]
        verbose_name = _("transfer shipment")
        verbose_name_plural = _("transfer shipments")

    def __str__(self) -> str:
        return f"{self.line}:{self.lot_id or '-'}"


class WasteEntry(models.Model):
    """Stock thrown away at a location, with the reason and, when taken, a photo."""

    class Reason(models.TextChoices):
        EXPIRED = "expired", _("Expired")
        SPOILED = "spoiled", _("Spoiled")
        OVERPRODUCED = "overproduced", _("Overproduced")
        DROPPED = "dropped", _("Dropped")
        RETURNED = "returned", _("Returned by guest")
        QUALITY = "quality", _("Quality")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey("inventory.Lot", null=True, blank=True, on_delete=models.PROTECT)
    quantity = _qty(_("quantity"))
    entered_quantity = _qty()
    entered_unit = models.CharField(max_length=20)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    override_note = models.TextField(blank=True)
    photo = models.FileField(_("photo"), upload_to="waste/%Y/%m/", blank=True, max_length=200)
    # Cost of the stock thrown away, as the ledger valued it (positive).
    value = _value(default=Decimal(0))
    happened_at = models.DateTimeField(_("time"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_user_id = models.BigIntegerField(null=True)
    created_by_api_key_id = models.BigIntegerField(null=True)
    created_by_name = models.CharField(max_length=150, blank=True)
    batch = models.UUIDField(null=True)

    class Meta:
        app_label = "inventory"
        ordering = ["-happened_at", "-id"]
        indexes = [
            models.Index(fields=["location", "happened_at"], name="inv_waste_loc_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inv_waste_qty_positive")
        ]
        verbose_name = _("waste entry")
        verbose_name_plural = _("waste entries")

    def __str__(self) -> str:
        return f"W-{self.pk}"


class Stocktake(models.Model):
    """A count of a location's stock, full or by storage area or category.

    Expected quantities are taken from the ledger as of snapshot_at; the adjustments are
    dated at that moment, so sales recorded while counting are not counted twice.
    """

    class Scope(models.TextChoices):
        FULL = "full", _("Full")
        AREAS = "areas", _("By storage area")
        CATEGORIES = "categories", _("By category")

    class Status(models.TextChoices):
        COUNTING = "counting", _("Counting")
        APPROVED = "approved", _("Approved")
        POSTED = "posted", _("Posted")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices)
    areas = models.ManyToManyField(StorageArea, blank=True, related_name="+")
    categories = models.ManyToManyField(Category, blank=True, related_name="+")
    blind = models.BooleanField(_("blind count"), default=False)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.COUNTING
    )
    snapshot_at = models.DateTimeField(_("snapshot time"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_user_id = models.BigIntegerField(null=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by_user_id = models.BigIntegerField(null=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by_user_id = models.BigIntegerField(null=True)
    batch = models.UUIDField(null=True)
    adjustment_value = _value(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "inventory"
        ordering = ["-snapshot_at", "-id"]
        indexes = [
            models.Index(fields=["location", "status"], name="inv_stocktake_loc_status"),
        ]
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")

    def __str__(self) -> str:
        return f"ST-{self.pk}"


class StocktakeExpected(models.Model):
    """Quantity and value of one item and lot in the ledger as of the snapshot time."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="expected")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey("inventory.Lot", null=True, blank=True, on_delete=models.PROTECT)
    # lot_id, or 0 without a lot: keeps (stocktake, item, lot) unique on every database.
    lot_key = models.BigIntegerField(default=0)
    quantity = _qty()
    value = _value()

    class Meta:
        app_label = "inventory"
        constraints = [
            models.UniqueConstraint(
                fields=["stocktake", "item", "lot_key"], name="inv_stocktake_expected_unique"
            )
        ]

    def __str__(self) -> str:
        return f"ST-{self.stocktake_id}:{self.item_id}:{self.lot_key}"


class StocktakeLine(models.Model):
    """What was counted of one item in one storage area (several areas add up)."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines")
    area = models.ForeignKey(StorageArea, null=True, blank=True, on_delete=models.PROTECT)
    # area_id, or 0 for items kept in no particular area.
    area_key = models.BigIntegerField(default=0)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    sort_key = models.PositiveIntegerField(default=0)
    counted_quantity = _qty(_("counted quantity"), null=True, blank=True)
    # What the counter typed, e.g. [{"quantity": "2", "unit": "case"}, ...].
    entries = models.JSONField(default=list, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    counted_by_user_id = models.BigIntegerField(null=True)
    counted_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        app_label = "inventory"
        ordering = ["stocktake", "area_key", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stocktake", "area_key", "item"], name="inv_stocktake_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(counted_quantity__isnull=True) | Q(counted_quantity__gte=0),
                name="inv_stocktake_line_count_not_negative",
            ),
        ]
        verbose_name = _("count line")
        verbose_name_plural = _("count lines")

    def __str__(self) -> str:
        return f"ST-{self.stocktake_id}:{self.area_key}:{self.item_id}"
