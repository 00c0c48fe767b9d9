"""API shapes of the menu module."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from boh.core.schemas import ObjId, StrictSchema
from boh.menu.models import MenuItem, ModifierOption


class MenuCategoryOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    parent_id: int | None
    sort_order: int
    is_active: bool


class MenuCategoryIn(StrictSchema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    parent_id: ObjId | None = None
    sort_order: int = Field(0, ge=0, le=1_000_000)


class MenuCategoryPatch(StrictSchema):
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    parent_id: ObjId | None = None
    sort_order: int | None = Field(None, ge=0, le=1_000_000)
    is_active: bool | None = None


class MenuComponentIn(StrictSchema):
    menu_item_id: ObjId
    quantity: Decimal = Field(Decimal(1), gt=0, max_digits=18, decimal_places=3)


class MenuComponentOut(Schema):
    menu_item_id: int
    quantity: Decimal


class MenuItemOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    menu_category_id: int | None
    sort_order: int
    is_active: bool
    modifier_group_ids: list[int]
    components: list[MenuComponentOut]

    @staticmethod
    def resolve_menu_category_id(obj: MenuItem) -> int | None:
        return obj.category_id

    @staticmethod
    def resolve_modifier_group_ids(obj: MenuItem) -> list[int]:
        return [g.pk for g in obj.modifier_groups.all()]

    @staticmethod
    def resolve_components(obj: MenuItem) -> list[dict[str, object]]:
        return [
            {"menu_item_id": c.component_id, "quantity": c.quantity} for c in obj.components.all()
        ]


class MenuItemIn(StrictSchema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    kind: str = Field("dish", max_length=10)
    menu_category_id: ObjId | None = None
    sort_order: int = Field(0, ge=0, le=1_000_000)
    modifier_group_ids: list[ObjId] = Field(default_factory=list, max_length=100)
    components: list[MenuComponentIn] = Field(default_factory=list, max_length=100)


class MenuItemPatch(StrictSchema):
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    kind: str | None = Field(None, max_length=10)
    menu_category_id: ObjId | None = None
    sort_order: int | None = Field(None, ge=0, le=1_000_000)
    is_active: bool | None = None
    modifier_group_ids: list[ObjId] | None = Field(None, max_length=100)
    components: list[MenuComponentIn] | None = Field(None, max_length=100)


class MenuPriceOut(Schema):
    id: int
    menu_item_id: int
    location_id: int | None
    channel: str
    price: Decimal
    effective_from: date
    effective_to: date | None


class MenuPriceIn(StrictSchema):
    channel: str = Field(..., max_length=20)
    price: Decimal = Field(..., max_digits=18, decimal_places=2)
    effective_from: date
    effective_to: date | None = None
    location_id: ObjId | None = None


class MenuPricePatch(StrictSchema):
    price: Decimal | None = Field(None, max_digits=18, decimal_places=2)
    effective_from: date | None = None
    effective_to: date | None = None


class MenuPosCodeOut(Schema):
    id: int
    source: str
    code: str
    menu_item_id: int | None
    option_id: int | None


class MenuPosCodeIn(StrictSchema):
    source: str = Field(..., max_length=40)
    code: str = Field(..., max_length=64)
    menu_item_id: ObjId | None = None
    option_id: ObjId | None = None


class MenuModifierGroupOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    min_choices: int
    max_choices: int | None
    sort_order: int
    is_active: bool


class MenuModifierGroupIn(StrictSchema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    min_choices: int = Field(0, ge=0, le=100)
    max_choices: int | None = Field(None, ge=1, le=100)
    sort_order: int = Field(0, ge=0, le=1_000_000)


class MenuModifierGroupPatch(StrictSchema):
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    min_choices: int | None = Field(None, ge=0, le=100)
    max_choices: int | None = Field(None, ge=1, le=100)
    sort_order: int | None = Field(None, ge=0, le=1_000_000)
    is_active: bool | None = None


class MenuLineIn(StrictSchema):
    item_id: ObjId
    quantity: Decimal = Field(..., max_digits=21, decimal_places=6)
    unit: str = Field(..., min_length=1, max_length=20)
    yield_pct: Decimal = Field(Decimal(100), max_digits=7, decimal_places=3)


class MenuLineOut(Schema):
    id: int
    item_id: int
    quantity: Decimal
    unit: str
    base_quantity: Decimal
    yield_pct: Decimal


class MenuOptionOut(Schema):
    id: int
    group_id: int
    code: str
    name: str
    name_en: str
    price_delta: Decimal
    recipe_multiplier: Decimal | None
    sort_order: int
    is_active: bool
    lines: list[MenuLineOut]

    @staticmethod
    def resolve_lines(obj: ModifierOption) -> list[object]:
        return list(obj.lines.all())


class MenuOptionIn(StrictSchema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    price_delta: Decimal = Field(Decimal(0), max_digits=18, decimal_places=2)
    recipe_multiplier: Decimal | None = Field(None, gt=0, max_digits=9, decimal_places=4)
    lines: list[MenuLineIn] = Field(default_factory=list, max_length=200)
    sort_order: int = Field(0, ge=0, le=1_000_000)


class MenuOptionPatch(StrictSchema):
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    price_delta: Decimal | None = Field(None, max_digits=18, decimal_places=2)
    recipe_multiplier: Decimal | None = Field(None, gt=0, max_digits=9, decimal_places=4)
    lines: list[MenuLineIn] | None = Field(None, max_length=200)
    sort_order: int | None = Field(None, ge=0, le=1_000_000)
    is_active: bool | None = None


class MenuRecipeOut(Schema):
    id: int
    menu_item_id: int | None
    item_id: int | None
    explode_when_sold: bool


class MenuRecipeIn(StrictSchema):
    menu_item_id: ObjId | None = None
    item_id: ObjId | None = None
    explode_when_sold: bool = False


class MenuRecipePatch(StrictSchema):
    explode_when_sold: bool


class MenuVersionOut(Schema):
    id: int
    recipe_id: int
    effective_from: date
    yield_quantity: Decimal
    yield_unit: str
    yield_base_quantity: Decimal
    note: str
    created_at: datetime
    lines: list[MenuLineOut]

    @staticmethod
    def resolve_lines(obj: object) -> list[object]:
        return list(obj.lines.all())  # type: ignore[attr-defined]


class MenuVersionIn(StrictSchema):
    effective_from: date
    yield_quantity: Decimal = Field(Decimal(1), gt=0, max_digits=18, decimal_places=6)
    yield_unit: str | None = Field(None, max_length=20)
    note: str = Field("", max_length=500)
    lines: list[MenuLineIn] = Field(..., min_length=1, max_length=200)


class MenuLineCostOut(Schema):
    line_id: int
    item_id: int
    item_code: str
    item_name: str
    quantity: Decimal
    unit: str
    base_quantity: Decimal
    yield_pct: Decimal
    gross_quantity: Decimal
    cost: Decimal
    complete: bool


class MenuPriceCostOut(Schema):
    channel: str
    location_id: int | None
    price: Decimal
    food_cost_pct: Decimal | None
    margin: Decimal


class MenuCostOut(Schema):
    menu_item_id: int
    location_id: int | None
    on: date
    version_id: int | None
    cost: Decimal
    complete: bool
    missing_item_ids: list[int]
    lines: list[MenuLineCostOut]
    prices: list[MenuPriceCostOut]
    allergens: list[str]


class MenuCostQuery(Schema):
    location_id: ObjId | None = None
    on: date | None = None


class MenuAllergensOut(Schema):
    menu_item_id: int
    on: date
    allergens: list[str]


class MenuCostMoverOut(Schema):
    menu_item_id: int
    code: str
    name: str
    location_id: int | None
    old_on: date
    new_on: date
    old_cost: Decimal
    new_cost: Decimal
    change: Decimal
    change_pct: Decimal | None
    item_id: int | None
    item_code: str
    item_name: str
    item_old_cost: Decimal
    item_new_cost: Decimal


class MenuCostMoverQuery(Schema):
    days: int = Field(7, ge=1, le=366)
    threshold: Decimal = Field(Decimal(5), ge=0, le=100_000, max_digits=9, decimal_places=2)
    location_id: ObjId | None = None


class MenuSettingsOut(Schema):
    cost_basis: str
    cost_bases: list[str]


class MenuSettingsPatch(StrictSchema):
    cost_basis: str = Field(..., max_length=20)


class MenuStandardCostOut(Schema):
    item_id: int
    unit_cost: Decimal
    updated_at: datetime


class MenuStandardCostIn(StrictSchema):
    item_id: ObjId
    unit_cost: Decimal | None = Field(..., ge=0, max_digits=20, decimal_places=6)
    unit: str | None = Field(None, max_length=20)


class MenuSoldLineIn(StrictSchema):
    menu_item_id: ObjId
    quantity: Decimal = Field(Decimal(1), max_digits=18, decimal_places=3)
    option_ids: list[ObjId] = Field(default_factory=list, max_length=50)
    components: list[MenuSoldComponentIn] | None = Field(None, max_length=50)


class MenuSoldComponentIn(StrictSchema):
    menu_item_id: ObjId
    quantity: Decimal = Field(Decimal(1), max_digits=18, decimal_places=3)
    option_ids: list[ObjId] = Field(default_factory=list, max_length=50)


class MenuExplodeIn(StrictSchema):
    business_date: date
    lines: list[MenuSoldLineIn] = Field(..., min_length=1, max_length=10_000)


class MenuExplodedItemOut(Schema):
    item_id: int
    quantity: Decimal


class MenuExplodeOut(Schema):
    items: list[MenuExplodedItemOut]
    without_recipe: list[int]


MenuSoldLineIn.model_rebuild()
