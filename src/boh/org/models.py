"""Organizations (tenants), their region tree, locations, users, role grants and API keys."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from boh.org.roles import Role

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    _("Use letters, digits, '.', '_' and '-' only, starting with a letter or digit."),
)
TIME_ZONES = sorted(zoneinfo.available_timezones())


class NegativeStock(models.TextChoices):
    REFUSE = "refuse", _("Refuse")
    ALLOW_AND_FLAG = "allow", _("Allow and flag for review")


class Valuation(models.TextChoices):
    MOVING_AVERAGE = "average", _("Moving weighted average")
    FIFO = "fifo", _("FIFO by lot")


class Organization(models.Model):
    """A restaurant group: the tenant. Nothing of one organization is visible to another."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    country = models.CharField(_("country"), max_length=2, default="CN")
    negative_stock = models.CharField(
        _("negative stock"), max_length=10, choices=NegativeStock.choices, default="refuse"
    )
    valuation = models.CharField(
        _("valuation"), max_length=10, choices=Valuation.choices, default="average"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A node of an organization's geography: country, city, district, as deep as needed."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="regions")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # "/3/17/42/": ids from the root down to this node, for subtree queries without recursion.
    path = models.CharField(max_length=500, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="org_region_code_unique")
        ]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A store, central kitchen, warehouse or office."""

    class Kind(models.TextChoices):
        STORE = "store", _("Store")
        CENTRAL_KITCHEN = "central_kitchen", _("Central kitchen")
        WAREHOUSE = "warehouse", _("Warehouse")
        OFFICE = "office", _("Office")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="locations"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="locations"
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STORE)
    address = models.CharField(_("address"), max_length=500, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    day_cutoff_hour = models.PositiveSmallIntegerField(
        _("business day cut-off hour"),
        default=4,
        validators=[MaxValueValidator(12)],
        help_text=_("Sales before this hour belong to the previous business date."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="org_location_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(day_cutoff_hour__lte=12), name="org_location_cutoff_range"
            ),
        ]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class User(AbstractUser):
    """A person who signs in. Organizations and roles come from memberships."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    default_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """A role granted to a user in an organization: for all of it, a region, or one location."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(location__isnull=True),
                name="org_membership_one_scope",
            ),
            models.UniqueConstraint(
                fields=["organization", "user", "role", "region", "location"],
                name="org_membership_unique",
                nulls_distinct=False,
            ),
        ]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"

    @property
    def scope_label(self) -> str:
        if self.location_id:
            return str(self.location)
        if self.region_id:
            return str(self.region)
        return str(_("Whole organization"))


class ApiKey(models.Model):
    """A key for another system. Only a hash is stored; the key is shown once at creation."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
