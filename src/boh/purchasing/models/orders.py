"""Purchase orders and their lines, store requisitions, and approval limits."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
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
from boh.org.models import Location, Organization
from boh.org.roles import Role
from boh.purchasing.models.suppliers import Supplier, SupplierItem


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")
    PARTLY_RECEIVED = "partly_received", _("Partly received")
    RECEIVED = "received", _("Received")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class OrderSource(models.TextChoices):
    MANUAL = "manual", _("By hand")
    GUIDE = "guide", _("Order guide")
    REQUISITIONS = "requisitions", _("Consolidated requisitions")
    SUGGESTION = "suggestion", _("Replenishment suggestion")


class ApprovalRule(models.Model):
    """Up to which order total a role may approve, at one location or (without one) anywhere."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    max_amount = models.DecimalField(
        _("highest order total"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )

    class Meta:
        ordering = ["role", "location"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "role", "location"],
                name="purchasing_approval_rule_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(max_amount__gte=0), name="purchasing_approval_rule_not_negative"
            ),
        ]
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")

    def __str__(self) -> str:
        return f"{self.role}@{self.location_id}: {self.max_amount}"


class PurchaseOrder(models.Model):
    """An order to one supplier, delivered to one location or split across several."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=30, blank=True)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="orders")
    # The delivery location; empty on a consolidated order, whose lines name theirs.
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_consolidated = models.BooleanField(_("consolidated"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    source = models.CharField(max_length=20, choices=OrderSource.choices, default="manual")
    expected_date = models.DateField(_("expected delivery"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    total = models.DecimalField(
        _("total"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal(0)
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.CharField(max_length=300, blank=True)
    sent_copy = models.FileField(upload_to="purchasing/orders/%Y/%m/", blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    # The inventory transfers (one per delivery location) an internal order became when the
    # supplying location shipped it.
    transfer_ids = models.JSONField(default=list, blank=True)
    closed_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "status"])]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")

    def __str__(self) -> str:
        return self.number or f"PO#{self.pk}"


class OrderLine(models.Model):
    """A quantity of packs of one supplier item for one delivery location."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    supplier_item = models.ForeignKey(SupplierItem, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        _("quantity (packs)"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES
    )
    pack_factor = models.DecimalField(max_digits=FACTOR_DIGITS, decimal_places=FACTOR_PLACES)
    unit_price = models.DecimalField(
        _("price per pack"), max_digits=COST_DIGITS, decimal_places=COST_PLACES
    )
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    received_quantity = models.DecimalField(
        _("received (packs)"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, default=0
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["order", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="purchasing_line_no_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="purchasing_line_qty_positive"
            ),
        ]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_no}"

    @property
    def open_quantity(self) -> Decimal:
        return max(Decimal(0), self.quantity - self.received_quantity)


class Requisition(models.Model):
    """A location's request for items, consolidated by head office into supplier orders."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CONSOLIDATED = "consolidated", _("Ordered")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=30, blank=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")

    def __str__(self) -> str:
        return self.number or f"RQ#{self.pk}"


class RequisitionLine(models.Model):
    """A quantity of an item, in base units, and optionally the supplier item wanted."""

    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=QTY_DIGITS, decimal_places=QTY_PLACES)
    supplier_item = models.ForeignKey(
        SupplierItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order_line = models.ForeignKey(
        OrderLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="requested_by"
    )

    class Meta:
        ordering = ["requisition", "id"]
        verbose_name = _("requisition line")
        verbose_name_plural = _("requisition lines")

    def __str__(self) -> str:
        return f"{self.requisition_id}:{self.item_id}"
