"""Planning tables: what forecasts learn from (events, weather, store attributes), forecast
runs and their values, ingredient demand, prep lists, replenishment settings and suggestions.

Forecast values are floats, the one place where BOH stores them: they are estimates, not
amounts. Everything that turns into an order (ingredient demand, suggested quantities) is
an exact Decimal.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from boh.catalog.models import FACTOR_DIGITS, FACTOR_PLACES, Category, Item
from boh.core.numbers import (
    COST_DIGITS,
    COST_PLACES,
    MONEY_DIGITS,
    MONEY_PLACES,
    QTY_DIGITS,
    QTY_PLACES,
)
from boh.inventory.models import Lot
from boh.menu.models import MenuItem
from boh.org.models import Location, Organization, Region
from boh.purchasing.models import PurchaseOrder, Supplier, SupplierItem

PCT_DIGITS, PCT_PLACES = 5, 2
WEATHER_DIGITS, WEATHER_PLACES = 5, 1


class Measure(models.TextChoices):
    """What a forecast series counts."""

    ITEM = "item", _("Menu item quantity")
    COVERS = "covers", _("Covers")
    NET_SALES = "net_sales", _("Net sales")


class LocationProfile(models.Model):
    """Attributes of a store that forecasts learn from and similar stores are found by."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.OneToOneField(
        Location, on_delete=models.CASCADE, related_name="planning_profile"
    )
    store_format = models.CharField(_("format"), max_length=40, blank=True)
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    # Public holidays of this country shape the store's demand; empty: the organization's.
    country = models.CharField(_("holiday calendar"), max_length=2, blank=True)

    class Meta:
        ordering = ["location"]
        verbose_name = _("store profile")
        verbose_name_plural = _("store profiles")

    def __str__(self) -> str:
        return f"profile of {self.location_id}"


class Event(models.Model):
    """A promotion, local event or closure on the calendar of a location, a region or all."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion", _("Promotion")
        LOCAL_EVENT = "local_event", _("Local event")
        CLOSURE = "closure", _("Closed")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(location__isnull=True) | Q(region__isnull=True),
                name="planning_event_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="planning_event_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["organization", "start_date"])]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.name} {self.start_date}..{self.end_date}"


class WeatherDay(models.Model):
    """Observed or forecast weather of one day, for a location or a region."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(_("date"))
    temperature = models.DecimalField(
        _("temperature (°C)"), max_digits=WEATHER_DIGITS, decimal_places=WEATHER_PLACES
    )
    rain_mm = models.DecimalField(
        _("rain (mm)"),
        max_digits=WEATHER_DIGITS,
        decimal_places=WEATHER_PLACES,
        default=Decimal(0),
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(location__isnull=True) ^ Q(region__isnull=True),
                name="planning_weather_one_place",
            ),
            models.UniqueConstraint(
                fields=["organization", "location", "region", "date"],
                name="planning_weather_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(rain_mm__gte=0), name="planning_rain_not_negative"),
        ]
        verbose_name = _("weather")
        verbose_name_plural = _("weather")

    def __str__(self) -> str:
        return f"{self.date} {self.temperature}°C {self.rain_mm} mm"


class SoldOutDay(models.Model):
    """A day a menu item sold out at a location: that day's sales understate its demand."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    menu_item = models.ForeignKey(MenuItem, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "location", "menu_item"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "menu_item", "date"], name="planning_sold_out_unique"
            )
        ]
        verbose_name = _("sold-out day")
        verbose_name_plural = _("sold-out days")

    def __str__(self) -> str:
        return f"{self.location_id}:{self.menu_item_id} sold out {self.date}"


class ForecastRun(models.Model):
    """One forecast of every series of an organization (or of one location) from one day."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly")
        ON_DEMAND = "on_demand", _("On demand")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.ON_DEMAND)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    model = models.CharField(_("model"), max_length=40, blank=True)
    parameters = models.JSONField(default=dict)
    history_start = models.DateField(null=True, blank=True)
    history_end = models.DateField(null=True, blank=True)
    first_date = models.DateField(_("first forecast day"))
    horizon = models.PositiveSmallIntegerField(_("horizon (days)"))
    series_count = models.PositiveIntegerField(default=0)
    # Backtest per series group: {"item": {"gbm": wape, "baseline": wape, "chosen": "gbm"}}.
    backtest = models.JSONField(default=dict)
    # [{"code": ..., "message": ..., "location_id": ...}], shown with the run.
    warnings = models.JSONField(default=list)
    # Accuracy against actual sales over the days of the horizon that have passed.
    wape = models.FloatField(null=True, blank=True)
    bias = models.FloatField(null=True, blank=True)
    scored_through = models.DateField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["organization", "first_date"])]
        verbose_name = _("forecast run")
        verbose_name_plural = _("forecast runs")

    def __str__(self) -> str:
        return f"forecast #{self.pk} from {self.first_date}"


class ForecastValue(models.Model):
    """The median (P50) and 90th percentile (P90) forecast of one series on one day."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="values")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    menu_item = models.ForeignKey(
        MenuItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    measure = models.CharField(max_length=10, choices=Measure.choices, default=Measure.ITEM)
    date = models.DateField(_("date"))
    p50 = models.FloatField(_("P50"))
    p90 = models.FloatField(_("P90"))
    # The series had no history of its own: borrowed from similar stores.
    borrowed = models.BooleanField(default=False)

    class Meta:
        ordering = ["location", "measure", "menu_item", "date"]
        indexes = [
            models.Index(fields=["organization", "location", "date"]),
            models.Index(fields=["run", "location", "menu_item"]),
        ]
        verbose_name = _("forecast value")
        verbose_name_plural = _("forecast values")

    def __str__(self) -> str:
        return f"{self.location_id}:{self.measure}:{self.menu_item_id} {self.date} {self.p50:.1f}"


class ForecastScore(models.Model):
    """How one series of a run compared with actual sales over the days that have passed."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="scores")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    menu_item = models.ForeignKey(
        MenuItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    measure = models.CharField(max_length=10, choices=Measure.choices, default=Measure.ITEM)
    days = models.PositiveSmallIntegerField()
    forecast_total = models.FloatField()
    actual_total = models.FloatField()
    abs_error_total = models.FloatField()

    class Meta:
        ordering = ["run", "location", "measure", "menu_item"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "location", "measure", "menu_item"],
                name="planning_score_unique",
                nulls_distinct=False,
            )
        ]
        verbose_name = _("forecast score")
        verbose_name_plural = _("forecast scores")

    def __str__(self) -> str:
        return f"{self.run_id}:{self.location_id}:{self.menu_item_id}"


class IngredientDemand(models.Model):
    """Forecast use of an item at a location on a day, from dishes or from production."""

    class Source(models.TextChoices):
        SALES = "sales", _("Dishes sold")
        PRODUCTION = "production", _("Production")

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="demand")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.SALES)
    quantity = models.DecimalField(_("quantity"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES)
    # Standard deviation of the day's use, from the dishes' P50-P90 spread.
    sigma = models.DecimalField(max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, default=0)

    class Meta:
        ordering = ["location", "item", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "location", "item", "date", "source"],
                name="planning_demand_unique",
            )
        ]
        verbose_name = _("ingredient demand")
        verbose_name_plural = _("ingredient demand")

    def __str__(self) -> str:
        return f"{self.location_id}:{self.item_id} {self.date} {self.quantity}"


class PrepLine(models.Model):
    """One line of a central kitchen's prep list: a prepared item to make on a day."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="prep_lines")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("production date"))
    quantity = models.DecimalField(_("quantity"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES)
    # Base quantity per store supplied: {"<location id>": "<quantity>"}.
    for_locations = models.JSONField(default=dict)

    class Meta:
        ordering = ["date", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "location", "item", "date"], name="planning_prep_unique"
            )
        ]
        verbose_name = _("prep list line")
        verbose_name_plural = _("prep list lines")

    def __str__(self) -> str:
        return f"{self.location_id}:{self.item_id} {self.date} {self.quantity}"


class ReplenishmentSetting(models.Model):
    """Service level and automatic ordering for an item class (category), a supplier, or
    (neither) the whole organization. The most specific setting wins."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    service_level = models.DecimalField(
        _("service level %"), max_digits=PCT_DIGITS, decimal_places=PCT_PLACES, null=True
    )
    auto_approve = models.BooleanField(_("order automatically"), default=False)
    max_order_value = models.DecimalField(
        _("highest automatic order value"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )
    max_line_packs = models.DecimalField(
        _("most packs per automatic line"),
        max_digits=QTY_DIGITS,
        decimal_places=QTY_PLACES,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["supplier", "category", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "category", "supplier"],
                name="planning_setting_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(service_level__isnull=True)
                | (Q(service_level__gt=0) & Q(service_level__lt=100)),
                name="planning_service_level_range",
            ),
        ]
        verbose_name = _("replenishment setting")
        verbose_name_plural = _("replenishment settings")

    def __str__(self) -> str:
        return f"{self.supplier_id}/{self.category_id}: {self.service_level}%"


class Suggestion(models.Model):
    """A suggested order to one supplier (or, without one, items nobody supplies) for one
    location, for the first delivery an order placed today can make."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        AUTO_APPROVED = "auto", _("Approved automatically")
        DISMISSED = "dismissed", _("Dismissed")
        SUPERSEDED = "superseded", _("Replaced by a newer suggestion")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(
        ForecastRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    order_date = models.DateField(_("order date"))
    delivery_date = models.DateField(_("delivery"))
    following_delivery = models.DateField(_("next delivery after it"))
    cutoff_at = models.DateTimeField(_("order cut-off"), null=True, blank=True)
    total = models.DecimalField(
        _("total"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal(0)
    )
    min_order_value = models.DecimalField(
        _("minimum order value"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal(0),
    )
    # [{"code": ..., "message": ...}]: below the minimum, no delivery days, no supplier.
    warnings = models.JSONField(default=list)
    purchase_order = models.ForeignKey(
        PurchaseOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-order_date", "location", "supplier", "-id"]
        indexes = [models.Index(fields=["organization", "status", "order_date"])]
        verbose_name = _("suggested order")
        verbose_name_plural = _("suggested orders")

    def __str__(self) -> str:
        return f"suggestion #{self.pk} {self.location_id}/{self.supplier_id} {self.order_date}"


class SuggestionLine(models.Model):
    """A suggested quantity of one item, with every number that explains it."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    supplier_item = models.ForeignKey(
        SupplierItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    packs = models.DecimalField(
        _("packs"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, null=True, blank=True
    )
    pack_factor = models.DecimalField(
        max_digits=FACTOR_DIGITS, decimal_places=FACTOR_PLACES, null=True, blank=True
    )
    quantity = models.DecimalField(
        _("quantity in base unit"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES
    )
    unit_price = models.DecimalField(
        _("price per pack"),
        max_digits=COST_DIGITS,
        decimal_places=COST_PLACES,
        null=True,
        blank=True,
    )
    amount = models.DecimalField(
        _("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True
    )
    explanation = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    # What staff ordered: None until the suggestion is accepted.
    accepted_packs = models.DecimalField(
        _("packs ordered"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, null=True, blank=True
    )
    edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["suggestion", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "item"], name="planning_suggestion_item_unique"
            )
        ]
        verbose_name = _("suggested line")
        verbose_name_plural = _("suggested lines")

    def __str__(self) -> str:
        return f"{self.suggestion_id}:{self.item_id} {self.packs}"


class TransferSuggestion(models.Model):
    """Stock that would expire unused at one store, suggested to a nearby store running short.

    Accepting it requests a transfer (boh.inventory.documents.transfers) of that lot, which
    the sending store approves and ships as any other; rejecting it records why.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Replaced by a newer suggestion")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(
        ForecastRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    to_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES)
    expiry_date = models.DateField(_("expiry date"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    # The transfer requested when the suggestion was accepted.
    transfer = models.ForeignKey(
        "inventory.Transfer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expiry_date", "id"]
        indexes = [models.Index(fields=["organization", "status"])]
        verbose_name = _("suggested transfer")
        verbose_name_plural = _("suggested transfers")

    def __str__(self) -> str:
        return f"{self.from_location_id}->{self.to_location_id}:{self.item_id} {self.quantity}"
