"""Suppliers, their contacts and delivery terms per location, supplier items and prices."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from boh.catalog.models import FACTOR_DIGITS, FACTOR_PLACES, Item, Pack
from boh.core.numbers import (
    COST_DIGITS,
    COST_PLACES,
    MONEY_DIGITS,
    MONEY_PLACES,
    QTY_DIGITS,
    QTY_PLACES,
)
from boh.org.models import Location, Organization, code_validator

PCT_DIGITS, PCT_PLACES = 7, 2
TEMP_DIGITS, TEMP_PLACES = 5, 1


class PaymentTerms(models.TextChoices):
    NET = "net", _("Net days after the invoice date")
    MONTH_END = "month_end", _("Days after the end of the invoice month")


class Supplier(models.Model):
    """A company that sells to the organization, or one of its own locations (internal)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # 统一社会信用代码: 18 characters with a check character.
    tax_id = models.CharField(_("tax id"), max_length=18, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    payment_terms = models.CharField(
        _("payment terms"), max_length=10, choices=PaymentTerms.choices, default=PaymentTerms.NET
    )
    payment_days = models.PositiveSmallIntegerField(_("payment days"), default=30)
    email = models.EmailField(_("order email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    # A central kitchen or warehouse supplying the other locations: its orders become transfers.
    internal_location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    over_receipt_tolerance_pct = models.DecimalField(
        _("over-receipt tolerance %"),
        max_digits=PCT_DIGITS,
        decimal_places=PCT_PLACES,
        null=True,
        blank=True,
        help_text=_("Empty: the organization's setting applies."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="purchasing_supplier_code_unique"
            )
        ]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_internal(self) -> bool:
        return self.internal_location_id is not None


class SupplierContact(models.Model):
    """A person to call or write to at a supplier."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["supplier", "-is_primary", "id"]
        verbose_name = _("supplier contact")
        verbose_name_plural = _("supplier contacts")

    def __str__(self) -> str:
        return self.name


class SupplierLocation(models.Model):
    """When and how a supplier delivers to one location."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="locations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    # Weekdays of delivery, 0 = Monday.
    delivery_weekdays = models.JSONField(_("delivery weekdays"), default=list)
    cutoff_time = models.TimeField(_("order cut-off time"), null=True, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=1)
    min_order_value = models.DecimalField(
        _("minimum order value"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal(0),
    )

    class Meta:
        ordering = ["supplier", "location"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "location"], name="purchasing_supplier_location_unique"
            )
        ]
        verbose_name = _("delivery terms")
        verbose_name_plural = _("delivery terms")

    def __str__(self) -> str:
        return f"{self.supplier_id}@{self.location_id}"


class SupplierItem(models.Model):
    """An item as one supplier sells it: their code, their pack and its exact size."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    supplier_code = models.CharField(_("supplier's code"), max_length=60)
    pack = models.ForeignKey(
        Pack, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The unit orders and prices are given in ("CTN"), its label ("10 x 1 kg") and exact size.
    pack_code = models.CharField(_("order unit"), max_length=20)
    pack_label = models.CharField(_("pack"), max_length=100, blank=True)
    pack_factor = models.DecimalField(
        _("pack size in base units"), max_digits=FACTOR_DIGITS, decimal_places=FACTOR_PLACES
    )
    moq = models.DecimalField(
        _("minimum order quantity (packs)"),
        max_digits=QTY_DIGITS,
        decimal_places=QTY_PLACES,
        default=Decimal(0),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["supplier", "supplier_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "supplier_code"], name="purchasing_supplier_item_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(pack_factor__gt=0), name="purchasing_supplier_item_factor_positive"
            ),
        ]
        verbose_name = _("supplier item")
        verbose_name_plural = _("supplier items")

    def __str__(self) -> str:
        return f"{self.supplier_code} {self.pack_label or self.pack_code}"


class SupplierPrice(models.Model):
    """An agreed price per pack from a date; the history is every row, never edited."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered")
        INVOICE = "invoice", _("Approved price change on an invoice")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier_item = models.ForeignKey(SupplierItem, on_delete=models.CASCADE, related_name="prices")
    price = models.DecimalField(
        _("price per pack"), max_digits=COST_DIGITS, decimal_places=COST_PLACES
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by_user_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["supplier_item", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier_item", "valid_from"], name="purchasing_price_from_unique"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="purchasing_price_not_negative"),
        ]
        verbose_name = _("supplier price")
        verbose_name_plural = _("supplier prices")

    def __str__(self) -> str:
        return f"{self.supplier_item_id}: {self.price} from {self.valid_from}"


class PreferredSupplier(models.Model):
    """Which supplier item a location (or, without one, every location) orders an item as."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    supplier_item = models.ForeignKey(SupplierItem, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "item", "location"],
                name="purchasing_preferred_unique",
                nulls_distinct=False,
            )
        ]
        verbose_name = _("preferred supplier")
        verbose_name_plural = _("preferred suppliers")

    def __str__(self) -> str:
        return f"{self.item_id}@{self.location_id}: {self.supplier_item_id}"


class PurchasingSettings(models.Model):
    """An organization's tolerances for receiving and invoice matching."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+")
    over_receipt_tolerance_pct = models.DecimalField(
        _("over-receipt tolerance %"),
        max_digits=PCT_DIGITS,
        decimal_places=PCT_PLACES,
        default=Decimal(0),
    )
    chilled_max_temp = models.DecimalField(
        _("highest chilled temperature (°C)"),
        max_digits=TEMP_DIGITS,
        decimal_places=TEMP_PLACES,
        default=Decimal("5.0"),
    )
    frozen_max_temp = models.DecimalField(
        _("highest frozen temperature (°C)"),
        max_digits=TEMP_DIGITS,
        decimal_places=TEMP_PLACES,
        default=Decimal("-18.0"),
    )
    match_qty_tolerance = models.DecimalField(
        _("match quantity tolerance (packs)"),
        max_digits=QTY_DIGITS,
        decimal_places=QTY_PLACES,
        default=Decimal(0),
    )
    match_price_tolerance_pct = models.DecimalField(
        _("match unit price tolerance %"),
        max_digits=PCT_DIGITS,
        decimal_places=PCT_PLACES,
        default=Decimal(0),
    )
    match_amount_tolerance = models.DecimalField(
        _("match total amount tolerance"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal("0.00"),
    )

    class Meta:
        verbose_name = _("purchasing settings")
        verbose_name_plural = _("purchasing settings")

    def __str__(self) -> str:
        return f"purchasing settings {self.organization_id}"
