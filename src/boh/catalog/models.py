"""Items, their categories, units and packs, barcodes, storage areas and stock levels."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from boh.core.numbers import QTY_DIGITS, QTY_PLACES
from boh.org.models import Location, Organization, code_validator


class Dimension(models.TextChoices):
    MASS = "mass", _("Mass")
    VOLUME = "volume", _("Volume")
    COUNT = "count", _("Count")


class BaseUnit(models.TextChoices):
    """The unit an item's stock is kept in."""

    GRAM = "g", _("gram (g)")
    MILLILITRE = "ml", _("millilitre (ml)")
    EACH = "each", _("each")


BASE_UNIT_DIMENSION = {
    BaseUnit.GRAM: Dimension.MASS,
    BaseUnit.MILLILITRE: Dimension.VOLUME,
    BaseUnit.EACH: Dimension.COUNT,
}

# Exact size of a pack or unit in base units: up to 12 digits before and 6 after the point.
FACTOR_DIGITS, FACTOR_PLACES = 18, 6


class Allergen(models.TextChoices):
    """The 14 major allergens that must be declared, and "other" for anything else."""

    CEREALS_GLUTEN = "gluten", _("Cereals containing gluten")
    CRUSTACEANS = "crustaceans", _("Crustaceans")
    EGGS = "eggs", _("Eggs")
    FISH = "fish", _("Fish")
    PEANUTS = "peanuts", _("Peanuts")
    SOYBEANS = "soybeans", _("Soybeans")
    MILK = "milk", _("Milk")
    TREE_NUTS = "tree_nuts", _("Tree nuts")
    CELERY = "celery", _("Celery")
    MUSTARD = "mustard", _("Mustard")
    SESAME = "sesame", _("Sesame")
    SULPHITES = "sulphites", _("Sulphur dioxide and sulphites")
    LUPIN = "lupin", _("Lupin")
    MOLLUSCS = "molluscs", _("Molluscs")
    OTHER = "other", _("Other allergen")


class Category(models.Model):
    """A node of the item category tree (meat > beef > sliced beef)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="item_categories"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # "/3/17/42/": ids from the root down to this node, for subtree queries without recursion.
    path = models.CharField(max_length=500, db_index=True, editable=False)
    expiry_alert_days = models.PositiveSmallIntegerField(
        _("expiry alert days"),
        null=True,
        blank=True,
        help_text=_("Warn this many days before a lot expires; inherited when empty."),
    )

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="catalog_category_code_unique"
            )
        ]
        verbose_name = _("item category")
        verbose_name_plural = _("item categories")

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """Anything stocked: ingredient, packaging, consumable, prepared item or merchandise."""

    class Kind(models.TextChoices):
        INGREDIENT = "ingredient", _("Ingredient")
        PACKAGING = "packaging", _("Packaging")
        CONSUMABLE = "consumable", _("Consumable")
        PREPARED = "prepared", _("Prepared item")
        MERCHANDISE = "merchandise", _("Merchandise")

    class Storage(models.TextChoices):
        AMBIENT = "ambient", _("Ambient")
        CHILLED = "chilled", _("Chilled")
        FROZEN = "frozen", _("Frozen")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # Initials of the Chinese name in pinyin ("niu rou juan" -> "nrj"), for quick search.
    pinyin = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INGREDIENT)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    base_unit = models.CharField(_("base unit"), max_length=8, choices=BaseUnit.choices)
    storage = models.CharField(
        _("storage condition"), max_length=10, choices=Storage.choices, default=Storage.AMBIENT
    )
    shelf_life_days = models.PositiveIntegerField(
        _("shelf life (days after receipt)"), null=True, blank=True
    )
    shelf_life_open_days = models.PositiveIntegerField(
        _("shelf life (days after opening or preparation)"), null=True, blank=True
    )
    lot_tracked = models.BooleanField(_("lot-tracked"), default=False)
    # Codes of Allergen, in the order of Allergen's choices.
    allergens = models.JSONField(_("allergens"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="catalog_item_code_unique"
            )
        ]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def dimension(self) -> str:
        return BASE_UNIT_DIMENSION[BaseUnit(self.base_unit)]


class Pack(models.Model):
    """An item's purchase or counting unit with an exact size in base units.

    "bottle" = 750 ml; "case" = 12 bottles = 9000 ml; "tray" = 30 each.
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="packs")
    code = models.CharField(_("code"), max_length=20, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    factor = models.DecimalField(
        _("size in base units"), max_digits=FACTOR_DIGITS, decimal_places=FACTOR_PLACES
    )
    # How the pack is described: 12 x <inner pack>, for labels such as "12 x 750 ml".
    inner_pack = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inner_count = models.DecimalField(
        max_digits=FACTOR_DIGITS, decimal_places=FACTOR_PLACES, null=True, blank=True
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["item", "factor"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="catalog_pack_code_unique"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="catalog_pack_factor_positive"),
            models.CheckConstraint(
                condition=Q(inner_count__isnull=True) | Q(inner_count__gt=0),
                name="catalog_pack_inner_count_positive",
            ),
        ]
        verbose_name = _("pack")
        verbose_name_plural = _("packs")

    def __str__(self) -> str:
        return self.name


class Barcode(models.Model):
    """A GTIN or in-house code that identifies an item, or one of its packs, when scanned."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="barcodes")
    pack = models.ForeignKey(Pack, null=True, blank=True, on_delete=models.CASCADE)
    code = models.CharField(_("barcode"), max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="catalog_barcode_unique")
        ]
        verbose_name = _("barcode")
        verbose_name_plural = _("barcodes")

    def __str__(self) -> str:
        return self.code


class StorageArea(models.Model):
    """A place inside a location (walk-in cooler, freezer, dry store), in walking order."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="storage_areas")
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(_("walking order"), default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["location", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "code"], name="catalog_storage_area_code_unique"
            )
        ]
        verbose_name = _("storage area")
        verbose_name_plural = _("storage areas")

    def __str__(self) -> str:
        return self.name


class StockLevel(models.Model):
    """Par, minimum and maximum of one item at one location, in base units."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="stock_levels")
    storage_area = models.ForeignKey(
        StorageArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    par = models.DecimalField(
        _("par level"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, default=Decimal(0)
    )
    minimum = models.DecimalField(
        _("minimum"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, default=Decimal(0)
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, null=True, blank=True
    )
    count_order = models.PositiveIntegerField(_("order on count sheet"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "item"], name="catalog_stock_level_unique"),
            models.CheckConstraint(
                condition=Q(minimum__gte=0) & Q(minimum__lte=F("par")),
                name="catalog_stock_level_min_le_par",
            ),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(par__lte=F("maximum")),
                name="catalog_stock_level_par_le_max",
            ),
        ]
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")

    def __str__(self) -> str:
        return f"{self.location_id}:{self.item_id}"
