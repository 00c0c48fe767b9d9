"""POS tickets and their versions, the unmapped-sales queue, and the daily sales facts.

A ticket is identified by (organization, source, external id). Each content the POS sent
for it is kept as a TicketVersion with its lines; the ticket row carries the current
version's figures. Rows here are written in bulk by `boh.sales.services` only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from boh.core.numbers import MONEY_DIGITS, MONEY_PLACES, QTY_DIGITS, QTY_PLACES
from boh.menu.models import MenuItem
from boh.org.models import Location, Organization

ZERO = Decimal(0)


def _money(label: Any = None) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=ZERO
    )


def _qty(label: Any = None) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, default=ZERO
    )


class Channel(models.TextChoices):
    """Where a ticket was sold."""

    DINE_IN = "dine_in", _("Dine-in")
    TAKEAWAY = "takeaway", _("Takeaway")
    MEITUAN = "delivery_meituan", _("Meituan delivery")
    ELEME = "delivery_eleme", _("Ele.me delivery")
    OTHER = "other", _("Other")


class TicketBatch(models.Model):
    """Tickets that arrived together (one API call or one chunk of an import), with outcomes."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"))
    tickets = models.PositiveIntegerField(_("tickets"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    amended = models.PositiveIntegerField(_("amended"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    posted_by_user_id = models.BigIntegerField(null=True, blank=True)
    posted_by_api_key_id = models.BigIntegerField(null=True, blank=True)
    job_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("ticket batch")
        verbose_name_plural = _("ticket batches")

    def __str__(self) -> str:
        return f"batch {self.pk}"


class Ticket(models.Model):
    """One POS order (账单), as its latest version says."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("POS source"), max_length=40)
    external_id = models.CharField(_("ticket number"), max_length=64)
    business_date = models.DateField(_("business date"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    covers = models.PositiveIntegerField(_("covers"), default=0)
    voided = models.BooleanField(_("voided"), default=False)
    # The POS's own revision counter, when it sends one: an older revision is ignored.
    revision = models.BigIntegerField(_("POS revision"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    content_hash = models.CharField(max_length=64)
    gross_sales = _money(_("gross sales"))
    discounts = _money(_("discounts"))
    refunds = _money(_("refunds"))
    net_sales = _money(_("net sales"))
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    waiting_lines = models.PositiveIntegerField(_("lines awaiting mapping"), default=0)
    # Sum of the payments the POS sent; None when it sent none.
    paid = models.DecimalField(
        _("paid"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True
    )
    # The earlier ticket whose sale this ticket's refund lines take back, when the POS says.
    refund_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("refund of"),
    )
    created_at = models.DateTimeField(_("received at"))
    updated_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["-closed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source", "external_id"], name="sales_ticket_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["location", "business_date"], name="sales_ticket_day"),
            models.Index(fields=["organization", "closed_at"], name="sales_ticket_closed"),
        ]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"

    @property
    def payment_difference(self) -> Decimal | None:
        """Payments less net sales; None when the POS sent no payments."""
        return None if self.paid is None else self.paid - self.net_sales


class TicketVersion(models.Model):
    """One content the POS sent for a ticket; an amendment adds a version, none is changed."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    batch = models.ForeignKey(TicketBatch, on_delete=models.PROTECT, related_name="versions")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    business_date = models.DateField(_("business date"))
    content_hash = models.CharField(max_length=64)
    # The ticket as checked: times in UTC, numbers as plain decimal strings.
    content = models.JSONField(default=dict)
    # Ledger source ids (source_type "pos_ticket") under which this version's depletion was
    # posted; its moves carry source_line "v<version id>".
    posted_in = models.JSONField(default=list)
    received_at = models.DateTimeField(_("received at"))
    superseded_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        ordering = ["ticket", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "number"], name="sales_version_unique"),
        ]
        verbose_name = _("ticket version")
        verbose_name_plural = _("ticket versions")

    def __str__(self) -> str:
        return f"{self.ticket_id} v{self.number}"


class TicketPayment(models.Model):
    """One payment of one ticket version: how it was paid (the tender) and how much."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="all_payments")
    version = models.ForeignKey(TicketVersion, on_delete=models.PROTECT, related_name="payments")
    line_no = models.PositiveIntegerField(_("line"))
    tender = models.CharField(_("tender"), max_length=40)
    amount = _money(_("amount"))

    class Meta:
        ordering = ["version", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["version", "line_no"], name="sales_payment_unique"),
        ]
        verbose_name = _("ticket payment")
        verbose_name_plural = _("ticket payments")

    def __str__(self) -> str:
        return f"{self.version_id}:{self.line_no} {self.tender} {self.amount}"


class LineState(models.TextChoices):
    POSTED = "posted", _("Depleted")
    WAITING = "waiting", _("Awaiting mapping")
    VOID = "void", _("Voided")
    REPLACED = "replaced", _("Replaced by a later version")


class TicketLine(models.Model):
    """One line of one ticket version: a menu item (as the POS codes it), how many, at what."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="all_lines")
    version = models.ForeignKey(TicketVersion, on_delete=models.PROTECT, related_name="lines")
    line_no = models.PositiveIntegerField(_("line"))
    pos_code = models.CharField(_("POS code"), max_length=64)
    name = models.CharField(_("name on the ticket"), max_length=200, blank=True)
    menu_item = models.ForeignKey(
        MenuItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    modifier_codes = models.JSONField(_("modifiers"), default=list, blank=True)
    option_ids = models.JSONField(default=list, blank=True)
    # Set-meal parts sent by the POS: [{"pos_code", "quantity", "modifiers", "menu_item_id",
    # "option_ids"}]; None when the set meal's defined components apply.
    components = models.JSONField(null=True, blank=True)
    quantity = _qty(_("quantity"))
    unit_price = _money(_("unit price"))
    discount = _money(_("discount"))
    net_amount = _money(_("net amount"))
    refund = models.BooleanField(_("refund"), default=False)
    voided = models.BooleanField(_("voided"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=LineState.choices)

    class Meta:
        ordering = ["version", "line_no"]
        indexes = [
            models.Index(fields=["state", "ticket"], name="sales_line_state"),
        ]
        verbose_name = _("ticket line")
        verbose_name_plural = _("ticket lines")

    def __str__(self) -> str:
        return f"{self.version_id}:{self.line_no} {self.pos_code} x{self.quantity}"


class UnmappedKind(models.TextChoices):
    LINE = "line", _("Menu item")
    MODIFIER = "modifier", _("Modifier")


class UnmappedSale(models.Model):
    """A POS code with no mapping, and the sold lines waiting for it to be mapped."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("POS source"), max_length=40)
    code = models.CharField(_("POS code"), max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=UnmappedKind.choices)
    # A name the POS gave the code, to help whoever maps it.
    name = models.CharField(_("name on the ticket"), max_length=200, blank=True)
    lines = models.IntegerField(_("lines waiting"), default=0)
    quantity = _qty(_("quantity waiting"))
    revenue = _money(_("revenue waiting"))
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    resolved_at = models.DateTimeField(_("mapped at"), null=True, blank=True)
    pos_code_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-revenue", "source", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source", "code", "kind"], name="sales_unmapped_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "lines"], name="sales_unmapped_open"),
        ]
        verbose_name = _("unmapped sale")
        verbose_name_plural = _("unmapped sales")

    def __str__(self) -> str:
        return f"{self.source}:{self.code} ({self.kind})"


class UnmappedLine(models.Model):
    """A ticket line waiting for one of its codes to be mapped."""

    unmapped = models.ForeignKey(UnmappedSale, on_delete=models.CASCADE, related_name="waiting")
    line = models.ForeignKey(TicketLine, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unmapped", "line"], name="sales_unmapped_line_unique"),
        ]
        indexes = [models.Index(fields=["line"], name="sales_unmapped_line")]

    def __str__(self) -> str:
        return f"{self.unmapped_id}:{self.line_id}"


class DailySales(models.Model):
    """Sales of one location on one business date, per channel and local hour (a fact row).

    Kept by ingestion in the same transaction as the tickets, as deltas; the daily total of
    a location is the sum of its rows.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    business_date = models.DateField(_("business date"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    hour = models.PositiveSmallIntegerField(_("hour"))
    tickets = models.IntegerField(_("tickets"), default=0)
    covers = models.IntegerField(_("covers"), default=0)
    gross_sales = _money(_("gross sales"))
    discounts = _money(_("discounts"))
    refunds = _money(_("refunds"))
    net_sales = _money(_("net sales"))

    class Meta:
        ordering = ["location", "business_date", "channel", "hour"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "business_date", "channel", "hour"],
                name="sales_daily_unique",
            ),
            models.CheckConstraint(condition=Q(hour__lte=23), name="sales_daily_hour_range"),
        ]
        indexes = [models.Index(fields=["organization", "business_date"], name="sales_daily_org")]
        verbose_name = _("daily sales")
        verbose_name_plural = _("daily sales")

    def __str__(self) -> str:
        return f"{self.location_id}:{self.business_date}:{self.channel}:{self.hour}"


class DailyItemSales(models.Model):
    """Quantity sold and net revenue of one menu item at one location on one business date."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    business_date = models.DateField(_("business date"))
    menu_item = models.ForeignKey(MenuItem, on_delete=models.PROTECT, related_name="+")
    quantity = _qty(_("quantity"))
    net_sales = _money(_("net sales"))

    class Meta:
        ordering = ["location", "business_date", "menu_item"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "business_date", "menu_item"], name="sales_daily_item_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "business_date"], name="sales_daily_item_org"),
            models.Index(fields=["menu_item", "business_date"], name="sales_daily_item_item"),
        ]
        verbose_name = _("daily item sales")
        verbose_name_plural = _("daily item sales")

    def __str__(self) -> str:
        return f"{self.location_id}:{self.business_date}:{self.menu_item_id}"


class DailyTenderSales(models.Model):
    """Payments taken at one location on one business date by one tender (a fact row).

    Kept by ingestion as deltas, in the same transaction as the tickets; an amended ticket
    takes its old payments away and adds its new ones.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    business_date = models.DateField(_("business date"))
    tender = models.CharField(_("tender"), max_length=40)
    payments = models.IntegerField(_("payments"), default=0)
    amount = _money(_("amount"))

    class Meta:
        ordering = ["location", "business_date", "tender"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "business_date", "tender"], name="sales_daily_tender_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "business_date"], name="sales_daily_tender_org"),
        ]
        verbose_name = _("daily tender sales")
        verbose_name_plural = _("daily tender sales")

    def __str__(self) -> str:
        return f"{self.location_id}:{self.business_date}:{self.tender}"
