"""Deliveries received at a location, and goods sent back to the supplier."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from boh.catalog.models import FACTOR_DIGITS, FACTOR_PLACES, Item
from boh.core.numbers import (
    COST_DIGITS,
    COST_PLACES,
    MONEY_DIGITS,
    MONEY_PLACES,
    QTY_DIGITS,
    QTY_PLACES,
)
from boh.inventory.documents.models import Transfer
from boh.org.models import Location, Organization
from boh.purchasing.models.orders import OrderLine, PurchaseOrder
from boh.purchasing.models.suppliers import TEMP_DIGITS, TEMP_PLACES, Supplier, SupplierItem


class RejectReason(models.TextChoices):
    QUALITY = "quality", _("Quality")
    TEMPERATURE = "temperature", _("Temperature")
    DAMAGED = "damaged", _("Damaged")
    WRONG_ITEM = "wrong_item", _("Wrong item")


class Receipt(models.Model):
    """One delivery at one location, against an order or without one; posted once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being received")
        POSTED = "posted", _("Posted")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=30, blank=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="receipts")
    order = models.ForeignKey(
        PurchaseOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    # An internal order arrives as a transfer from the supplying location; posting the
    # receipt receives that transfer instead of posting receipt moves of its own.
    transfer = models.ForeignKey(
        Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    delivery_note = models.CharField(_("delivery note number"), max_length=60, blank=True)
    received_at = models.DateTimeField(_("received at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(null=True, blank=True)
    move_batch = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.number or f"GR#{self.pk}"


class ReceiptLine(models.Model):
    """What came of one supplier item: delivered, rejected (with a reason), at which price."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    order_line = models.ForeignKey(
        OrderLine, null=True, blank=True, on_delete=models.PROTECT, related_name="receipt_lines"
    )
    # Delivered in place of the order line's supplier item.
    is_substitute = models.BooleanField(_("substitute"), default=False)
    supplier_item = models.ForeignKey(SupplierItem, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    delivered_quantity = models.DecimalField(
        _("delivered (packs)"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES
    )
    rejected_quantity = models.DecimalField(
        _("rejected (packs)"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, default=0
    )
    reject_reason = models.CharField(
        _("reject reason"), max_length=20, choices=RejectReason.choices, blank=True
    )
    pack_factor = models.DecimalField(max_digits=FACTOR_DIGITS, decimal_places=FACTOR_PLACES)
    unit_price = models.DecimalField(
        _("price per pack as delivered"), max_digits=COST_DIGITS, decimal_places=COST_PLACES
    )
    agreed_price = models.DecimalField(
        _("agreed price per pack"),
        max_digits=COST_DIGITS,
        decimal_places=COST_PLACES,
        null=True,
        blank=True,
    )
    temperature = models.DecimalField(
        _("temperature (°C)"),
        max_digits=TEMP_DIGITS,
        decimal_places=TEMP_PLACES,
        null=True,
        blank=True,
    )
    temperature_out_of_range = models.BooleanField(default=False)
    lot_code = models.CharField(_("lot code"), max_length=60, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    lot_id = models.BigIntegerField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["receipt", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt", "line_no"], name="purchasing_receipt_line_no_unique"
            )
        ]
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")

    def __str__(self) -> str:
        return f"{self.receipt_id}/{self.line_no}"

    @property
    def accepted_quantity(self) -> Decimal:
        return self.delivered_quantity - self.rejected_quantity


class SupplierReturn(models.Model):
    """Goods sent back to a supplier from a location's stock, with a credit request."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=30, blank=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="returns")
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="returns"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=RejectReason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    returned_at = models.DateTimeField(_("returned at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    move_batch = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-returned_at", "-id"]
        verbose_name = _("return to supplier")
        verbose_name_plural = _("returns to supplier")

    def __str__(self) -> str:
        return self.number or f"RT#{self.pk}"


class ReturnLine(models.Model):
    """Packs of one supplier item sent back, valued at the price paid."""

    supplier_return = models.ForeignKey(
        SupplierReturn, on_delete=models.CASCADE, related_name="lines"
    )
    supplier_item = models.ForeignKey(SupplierItem, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=QTY_DIGITS, decimal_places=QTY_PLACES)
    pack_factor = models.DecimalField(max_digits=FACTOR_DIGITS, decimal_places=FACTOR_PLACES)
    unit_price = models.DecimalField(max_digits=COST_DIGITS, decimal_places=COST_PLACES)
    amount = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    lot_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["supplier_return", "id"]
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")

    def __str__(self) -> str:
        return f"{self.supplier_return_id}:{self.supplier_item_id}"
