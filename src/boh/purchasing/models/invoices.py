"""Supplier invoices (增值税发票), the three-way match, its exceptions, payables and credits."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from boh.core.numbers import (
    COST_DIGITS,
    COST_PLACES,
    MONEY_DIGITS,
    MONEY_PLACES,
    QTY_DIGITS,
    QTY_PLACES,
)
from boh.org.models import Organization
from boh.purchasing.models.orders import OrderLine, PurchaseOrder
from boh.purchasing.models.receiving import SupplierReturn
from boh.purchasing.models.suppliers import Supplier, SupplierItem


class InvoiceKind(models.TextChoices):
    SPECIAL = "special", _("Special VAT invoice (专票)")
    ORDINARY = "ordinary", _("Ordinary VAT invoice (普票)")


class TaxRate(models.TextChoices):
    R13 = "13", _("13%")
    R9 = "9", _("9%")
    R6 = "6", _("6%")
    R3 = "3", _("3%")
    R1 = "1", _("1%")
    R0 = "0", _("0%")
    EXEMPT = "exempt", _("Exempt")


TAX_RATE_PERCENT = {
    TaxRate.R13: Decimal(13),
    TaxRate.R9: Decimal(9),
    TaxRate.R6: Decimal(6),
    TaxRate.R3: Decimal(3),
    TaxRate.R1: Decimal(1),
    TaxRate.R0: Decimal(0),
    TaxRate.EXEMPT: Decimal(0),
}


class ExceptionReason(models.TextChoices):
    PRICE_ABOVE_ORDER = "price_above_order", _("Price above the order")
    BILLED_MORE_THAN_RECEIVED = "billed_more_than_received", _("Billed more than received")
    ITEM_NEVER_ORDERED = "item_never_ordered", _("Item never ordered")
    TOTAL_ABOVE_EXPECTED = "total_above_expected", _("Total above what was received")


class Resolution(models.TextChoices):
    CREDIT_NOTE = "credit_note", _("Credit note from the supplier")
    PRICE_CHANGE = "price_change", _("Price change approved")
    REJECTED = "rejected", _("Invoice rejected")


class Invoice(models.Model):
    """A supplier's bill: header totals that must add up to its lines, to the fen."""

    class Status(models.TextChoices):
        EXCEPTION = "exception", _("Exceptions to resolve")
        MATCHED = "matched", _("Matched")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="invoices")
    order = models.ForeignKey(
        PurchaseOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(_("invoice number"), max_length=40)
    invoice_code = models.CharField(_("invoice code"), max_length=12, blank=True)
    kind = models.CharField(_("invoice type"), max_length=10, choices=InvoiceKind.choices)
    invoice_date = models.DateField(_("invoice date"))
    supplier_tax_id = models.CharField(_("seller tax id"), max_length=18)
    buyer_tax_id = models.CharField(_("buyer tax id"), max_length=18)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    net_total = models.DecimalField(
        _("net total"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    tax_total = models.DecimalField(
        _("tax total"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    gross_total = models.DecimalField(
        _("gross total"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.EXCEPTION)
    matched_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-invoice_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "supplier", "number"],
                name="purchasing_invoice_number_unique",
            )
        ]
        verbose_name = _("supplier invoice")
        verbose_name_plural = _("supplier invoices")

    def __str__(self) -> str:
        return self.number


class InvoiceLine(models.Model):
    """A billed quantity at a net unit price, with its tax rate and tax rounded to the fen."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    supplier_item = models.ForeignKey(
        SupplierItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity (packs)"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES
    )
    unit_price = models.DecimalField(
        _("net price per pack"), max_digits=COST_DIGITS, decimal_places=COST_PLACES
    )
    net_amount = models.DecimalField(
        _("net amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    tax_rate = models.CharField(_("tax rate"), max_length=6, choices=TaxRate.choices)
    tax_amount = models.DecimalField(_("tax"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    order_line = models.ForeignKey(
        OrderLine, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_lines"
    )

    class Meta:
        ordering = ["invoice", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "line_no"], name="purchasing_invoice_line_no_unique"
            )
        ]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.line_no}"

    @property
    def gross_amount(self) -> Decimal:
        return self.net_amount + self.tax_amount


class MatchException(models.Model):
    """An invoice line that does not match its order or receipts, waiting for a decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="exceptions")
    invoice_line = models.ForeignKey(
        InvoiceLine, null=True, blank=True, on_delete=models.CASCADE, related_name="exceptions"
    )
    reason = models.CharField(_("reason"), max_length=30, choices=ExceptionReason.choices)
    expected = models.DecimalField(max_digits=COST_DIGITS, decimal_places=COST_PLACES)
    actual = models.DecimalField(max_digits=COST_DIGITS, decimal_places=COST_PLACES)
    # What the difference is worth: excess quantity x price, or excess price x quantity.
    amount = models.DecimalField(
        _("difference"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["organization", "status"])]
        verbose_name = _("match exception")
        verbose_name_plural = _("match exceptions")

    def __str__(self) -> str:
        return f"{self.invoice_id}:{self.reason}"


class Payable(models.Model):
    """Money owed to a supplier for a matched invoice, due by its payment terms."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAID = "paid", _("Paid")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="payable")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="payables")
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    due_date = models.DateField(_("due date"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("payable")
        verbose_name_plural = _("payables")

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.amount} due {self.due_date}"


class CreditRequest(models.Model):
    """Money the supplier owes back: for goods returned or an invoice overcharge."""

    class Status(models.TextChoices):
        OPEN = "open", _("Requested")
        CREDITED = "credited", _("Credited")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="credits")
    supplier_return = models.OneToOneField(
        SupplierReturn, null=True, blank=True, on_delete=models.PROTECT, related_name="credit"
    )
    match_exception = models.OneToOneField(
        MatchException, null=True, blank=True, on_delete=models.PROTECT, related_name="credit"
    )
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reference = models.CharField(_("credit note number"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("credit request")
        verbose_name_plural = _("credit requests")

    def __str__(self) -> str:
        return f"{self.supplier_id}: {self.amount}"
