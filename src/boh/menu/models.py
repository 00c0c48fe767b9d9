"""Menu items, prices, POS codes, modifiers, combos, recipes and recipe cost snapshots."""

from __future__ import annotations

from decimal import Decimal

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
    VALUE_DIGITS,
    VALUE_PLACES,
)
from boh.org.models import Location, Organization, code_validator

# Yield of a recipe line in percent: 85 means 100 g bought gives 85 g usable.
YIELD_DIGITS, YIELD_PLACES = 7, 3
MULTIPLIER_DIGITS, MULTIPLIER_PLACES = 9, 4
PORTION = "portion"


def at_location(location_id: int | None) -> Q:
    """Rows of one location, or (None) the rows that apply to every location."""
    if location_id is None:
        return Q(location__isnull=True)
    return Q(location_id=location_id)


class Channel(models.TextChoices):
    """Where a sale is made; each channel may have its own price."""

    DINE_IN = "dine_in", _("Dine-in")
    TAKEAWAY = "takeaway", _("Takeaway")
    MEITUAN = "meituan", _("Meituan delivery")
    ELEME = "eleme", _("Ele.me delivery")
    OWN_DELIVERY = "own_delivery", _("Own delivery")


class MenuCategory(models.Model):
    """A section of the menu (hot pot bases, cold dishes, drinks), optionally nested."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="menu_categories"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="menu_category_code_unique"
            )
        ]
        verbose_name = _("menu category")
        verbose_name_plural = _("menu categories")

    def __str__(self) -> str:
        return self.name


class ModifierGroup(models.Model):
    """A set of options offered together: size, spice level, add-ons, removals."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="modifier_groups"
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    min_choices = models.PositiveSmallIntegerField(_("minimum choices"), default=0)
    max_choices = models.PositiveSmallIntegerField(_("maximum choices"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="menu_modifier_group_code_unique"
            )
        ]
        verbose_name = _("modifier group")
        verbose_name_plural = _("modifier groups")

    def __str__(self) -> str:
        return self.name


class MenuItem(models.Model):
    """What the POS sells (菜品): a dish, or a set meal made of other menu items."""

    class Kind(models.TextChoices):
        DISH = "dish", _("Dish")
        COMBO = "combo", _("Set meal")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="menu_items"
    )
    category = models.ForeignKey(
        MenuCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DISH)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    modifier_groups: models.ManyToManyField[ModifierGroup, MenuItemModifierGroup] = (
        models.ManyToManyField(
            ModifierGroup, through="MenuItemModifierGroup", related_name="menu_items", blank=True
        )
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="menu_item_code_unique")
        ]
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MenuItemModifierGroup(models.Model):
    """A modifier group offered on a menu item."""

    menu_item = models.ForeignKey(MenuItem, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(ModifierGroup, on_delete=models.CASCADE, related_name="+")
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["menu_item", "group"], name="menu_item_group_unique")
        ]

    def __str__(self) -> str:
        return f"{self.menu_item_id}:{self.group_id}"


class ModifierOption(models.Model):
    """One choice of a modifier group, with its price change and recipe change.

    The recipe change is a multiplier of the base recipe (large = 1.5) and/or delta lines
    that add or remove ingredient quantities (add-on beef +80 g, no coriander -5 g).
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(ModifierGroup, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    price_delta = models.DecimalField(
        _("price change"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal(0),
    )
    recipe_multiplier = models.DecimalField(
        _("recipe multiplier"),
        max_digits=MULTIPLIER_DIGITS,
        decimal_places=MULTIPLIER_PLACES,
        null=True,
        blank=True,
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="menu_option_code_unique"),
            models.CheckConstraint(
                condition=Q(recipe_multiplier__isnull=True) | Q(recipe_multiplier__gt=0),
                name="menu_option_multiplier_positive",
            ),
        ]
        verbose_name = _("modifier option")
        verbose_name_plural = _("modifier options")

    def __str__(self) -> str:
        return self.name


class QuantityLine(models.Model):
    """An item quantity as entered (quantity + unit) and in base units, with a yield."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        _("quantity"), max_digits=FACTOR_DIGITS, decimal_places=FACTOR_PLACES
    )
    unit = models.CharField(_("unit"), max_length=20)
    # Net quantity in the item's base unit; what is needed is base_quantity / (yield_pct / 100).
    base_quantity = models.DecimalField(
        _("quantity in base unit"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES
    )
    yield_pct = models.DecimalField(
        _("yield %"),
        max_digits=YIELD_DIGITS,
        decimal_places=YIELD_PLACES,
        default=Decimal(100),
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def trim_loss_pct(self) -> Decimal:
        return Decimal(100) - self.yield_pct

    @property
    def gross_base_quantity(self) -> Decimal:
        """Base quantity to take from stock to end up with the net quantity."""
        return self.base_quantity * 100 / self.yield_pct


class ModifierOptionLine(QuantityLine):
    """A signed change of one ingredient when the option is chosen."""

    option = models.ForeignKey(ModifierOption, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(yield_pct__gt=0), name="menu_option_line_yield_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option_id}:{self.item_id} {self.base_quantity}"


class ComboComponent(models.Model):
    """A menu item inside a set meal (套餐), with how many of it one set contains."""

    combo = models.ForeignKey(MenuItem, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(MenuItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        _("quantity"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, default=Decimal(1)
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["combo", "component"], name="menu_combo_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="menu_combo_qty_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.combo_id}:{self.component_id} x{self.quantity}"


class MenuPrice(models.Model):
    """A menu item's price on one channel, at one location or (location empty) everywhere.

    In force on a date: effective_from <= date and (no effective_to or date <= effective_to);
    a location's own row beats the default row, and among rows the latest start wins.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    menu_item = models.ForeignKey(MenuItem, on_delete=models.CASCADE, related_name="prices")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    price = models.DecimalField(_("price"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    class Meta:
        ordering = ["menu_item", "channel", "location", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["menu_item", "location", "channel", "effective_from"],
                name="menu_price_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="menu_price_not_negative"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="menu_price_dates_ordered",
            ),
        ]
        verbose_name = _("menu price")
        verbose_name_plural = _("menu prices")

    def __str__(self) -> str:
        return f"{self.menu_item_id}:{self.channel}:{self.price}"


class PosCode(models.Model):
    """A code a POS system sends (PLU, SKU, platform id) for a menu item or a modifier option."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("POS source"), max_length=40, validators=[code_validator])
    code = models.CharField(_("POS code"), max_length=64)
    menu_item = models.ForeignKey(
        MenuItem, null=True, blank=True, on_delete=models.CASCADE, related_name="pos_codes"
    )
    option = models.ForeignKey(
        ModifierOption, null=True, blank=True, on_delete=models.CASCADE, related_name="pos_codes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source", "code"], name="menu_pos_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(menu_item__isnull=False, option__isnull=True)
                | Q(menu_item__isnull=True, option__isnull=False),
                name="menu_pos_code_one_target",
            ),
        ]
        verbose_name = _("POS code")
        verbose_name_plural = _("POS codes")

    def __str__(self) -> str:
        return f"{self.source}:{self.code}"


class Recipe(models.Model):
    """The bill of materials of a menu item or of a prepared item, in dated versions.

    For a prepared item, explode_when_sold decides what selling a dish that uses it
    depletes: False (default) depletes the prepared item itself, which is stocked where it
    is made and received (a central kitchen's broth); True depletes its ingredients
    through this recipe (a sauce mixed to order in the store).
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    menu_item = models.OneToOneField(
        MenuItem, null=True, blank=True, on_delete=models.CASCADE, related_name="recipe"
    )
    item = models.OneToOneField(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="recipe"
    )
    explode_when_sold = models.BooleanField(_("explode when sold"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(menu_item__isnull=False, item__isnull=True)
                | Q(menu_item__isnull=True, item__isnull=False),
                name="menu_recipe_one_output",
            ),
        ]
        verbose_name = _("recipe")
        verbose_name_plural = _("recipes")

    def __str__(self) -> str:
        if self.menu_item_id:
            return f"recipe of menu item {self.menu_item_id}"
        return f"recipe of item {self.item_id}"


class RecipeVersion(models.Model):
    """The recipe in force from effective_from until the next version's date.

    The lines make yield_base_quantity of the output: portions of a menu item, or base
    units of a prepared item (a 20 L broth batch yields 20000 ml).
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField(_("effective from"))
    yield_quantity = models.DecimalField(
        _("yield"), max_digits=FACTOR_DIGITS, decimal_places=FACTOR_PLACES, default=Decimal(1)
    )
    yield_unit = models.CharField(_("yield unit"), max_length=20, default=PORTION)
    yield_base_quantity = models.DecimalField(
        _("yield in base unit"),
        max_digits=QTY_DIGITS,
        decimal_places=QTY_PLACES,
        default=Decimal(1),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_user_id = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["recipe", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipe", "effective_from"], name="menu_recipe_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(yield_base_quantity__gt=0), name="menu_recipe_yield_positive"
            ),
        ]
        verbose_name = _("recipe version")
        verbose_name_plural = _("recipe versions")

    def __str__(self) -> str:
        return f"{self.recipe_id} from {self.effective_from}"


class RecipeLine(QuantityLine):
    """One ingredient, packaging or prepared item of a recipe version."""

    version = models.ForeignKey(RecipeVersion, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_quantity__gt=0), name="menu_recipe_line_qty_positive"
            ),
            models.CheckConstraint(
                condition=Q(yield_pct__gt=0), name="menu_recipe_line_yield_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}:{self.item_id} {self.base_quantity}"


class MenuSettings(models.Model):
    """An organization's choices for recipe costing."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="menu_settings"
    )
    # A name registered in boh.menu.costing.COST_BASES ("average"; "last_purchase" once
    # purchasing registers it).
    cost_basis = models.CharField(_("cost basis"), max_length=20, default="average")

    class Meta:
        verbose_name = _("menu settings")
        verbose_name_plural = _("menu settings")

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.cost_basis}"


class StandardCost(models.Model):
    """An item's planned cost per base unit, used where no current cost is known."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="standard_cost")
    unit_cost = models.DecimalField(
        _("standard cost per base unit"), max_digits=COST_DIGITS, decimal_places=COST_PLACES
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0), name="menu_standard_cost_not_negative"
            ),
        ]
        verbose_name = _("standard cost")
        verbose_name_plural = _("standard costs")

    def __str__(self) -> str:
        return f"{self.item_id}:{self.unit_cost}"


class RecipeCostSnapshot(models.Model):
    """A menu item's portion cost on one day at one location (empty: standard costs).

    contributions maps each depleted item id to its share of the cost, so a change of the
    portion cost can be traced to the ingredient that moved it.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    menu_item = models.ForeignKey(MenuItem, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_on = models.DateField(_("date"))
    version = models.ForeignKey(
        RecipeVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cost = models.DecimalField(
        _("portion cost"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    complete = models.BooleanField(default=True)
    contributions = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["menu_item", "location", "taken_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["menu_item", "location", "taken_on"],
                name="menu_cost_snapshot_unique",
                nulls_distinct=False,
            ),
        ]
        indexes = [models.Index(fields=["organization", "taken_on"])]
        verbose_name = _("recipe cost snapshot")
        verbose_name_plural = _("recipe cost snapshots")

    def __str__(self) -> str:
        return f"{self.menu_item_id}@{self.location_id}:{self.taken_on} {self.cost}"
