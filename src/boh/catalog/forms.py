"""Forms of the catalog pages: they parse what a person typed; services decide what is valid."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django import forms
from django.utils.translation import gettext_lazy as _

from boh.catalog.models import Allergen, BaseUnit, Category, Item, Pack
from boh.catalog.units import UnitChoice
from boh.core.errors import BohError

T = TypeVar("T")


class CatalogForm(forms.Form):
    """A form that hands its values to a service and shows the service's refusal in place."""

    template_name = "web/_form.html"
    error_css_class = "has-error"
    required_css_class = "required"
    # The HTTP status to render the form with: 400, or the service's, after a refusal.
    http_status = 200

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def submit(self, action: Callable[[dict[str, Any]], T]) -> T | None:
        """Call action with the parsed values; on a refusal, show it on the form and return None."""
        if not self.is_valid():
            self.http_status = 400
            return None
        try:
            return action(dict(self.cleaned_data))
        except BohError as exc:
            for error in exc.fields:
                self.add_error(error.field if error.field in self.fields else None, error.message)
            if not exc.fields:
                self.add_error(None, str(exc.message))
            self.http_status = exc.status
            return None


def _id_field(label: Any, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, empty_value=None, required=required)


def category_choices(categories: Iterable[Category], blank: str) -> list[tuple[str, str]]:
    """Categories as select options, indented by depth so the tree shows."""
    return [("", blank)] + [
        (str(c.pk), "\u3000" * (c.path.count("/") - 2) + f"{c.name} ({c.code})") for c in categories
    ]


class ItemFilterForm(CatalogForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=64)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    category = _id_field(_("Category"))
    storage = forms.ChoiceField(label=_("Storage"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
    )

    def __init__(self, *args: Any, categories: Iterable[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A barcode scanner types the code and presses Enter: keep the field ready for it.
        self.fields["q"].widget.attrs.update(
            placeholder=_("Name, code, pinyin or scan a barcode"),
            type="search",
            autocomplete="off",
            autofocus=True,
            enterkeyhint="search",
        )
        self.fields["kind"].choices = [("", _("All kinds")), *Item.Kind.choices]  # type: ignore[attr-defined]
        self.fields["storage"].choices = [("", _("Any storage")), *Item.Storage.choices]  # type: ignore[attr-defined]
        self.fields["category"].choices = category_choices(categories, str(_("All categories")))  # type: ignore[attr-defined]


class ItemForm(CatalogForm):
    code = forms.CharField(label=_("Code"))
    name = forms.CharField(label=_("Name"), help_text=_("Pinyin initials are made from it."))
    name_en = forms.CharField(label=_("English name"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Item.Kind.choices)
    category_id = _id_field(_("Category"))
    base_unit = forms.ChoiceField(
        label=_("Base unit"),
        choices=BaseUnit.choices,
        help_text=_("Stock is kept in this unit; it cannot change once the item has packs."),
    )
    storage = forms.ChoiceField(label=_("Storage condition"), choices=Item.Storage.choices)
    shelf_life_days = forms.IntegerField(
        label=_("Shelf life (days after receipt)"), required=False, min_value=0
    )
    shelf_life_open_days = forms.IntegerField(
        label=_("Shelf life (days after opening or preparation)"), required=False, min_value=0
    )
    lot_tracked = forms.BooleanField(label=_("Lot-tracked"), required=False)
    allergens = forms.MultipleChoiceField(
        label=_("Allergens"),
        required=False,
        choices=Allergen.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: Any, categories: Iterable[Category], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category_id"].choices = category_choices(categories, str(_("No category")))  # type: ignore[attr-defined]
        if not editing:
            del self.fields["is_active"]


class PackForm(CatalogForm):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example case, bottle."))
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example 箱, 瓶."))
    quantity = forms.DecimalField(label=_("Holds"), min_value=0)
    unit = forms.ChoiceField(label=_("Of"))

    def __init__(self, *args: Any, units: Iterable[UnitChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.label) for u in units]  # type: ignore[attr-defined]
        self.fields["quantity"].widget.attrs.update(inputmode="decimal")


class BarcodeForm(CatalogForm):
    code = forms.CharField(label=_("Barcode"), max_length=64)
    pack_id = _id_field(_("Pack"))

    def __init__(self, *args: Any, packs: Iterable[Pack], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autocomplete="off", inputmode="numeric", enterkeyhint="done"
        )
        self.fields["pack_id"].choices = [("", _("The item itself"))] + [  # type: ignore[attr-defined]
            (str(p.pk), f"{p.name} ({p.code})") for p in packs
        ]


class CategoryForm(CatalogForm):
    code = forms.CharField(label=_("Code"))
    name = forms.CharField(label=_("Name"))
    name_en = forms.CharField(label=_("English name"), required=False)
    parent_id = _id_field(_("Parent category"))
    expiry_alert_days = forms.IntegerField(
        label=_("Expiry alert days"),
        required=False,
        min_value=0,
        max_value=365,
        help_text=_("Warn this many days before a lot expires."),
    )

    def __init__(self, *args: Any, categories: Iterable[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent_id"].choices = category_choices(categories, str(_("None (top level)")))  # type: ignore[attr-defined]


class StorageAreaForm(CatalogForm):
    code = forms.CharField(label=_("Code"))
    name = forms.CharField(label=_("Name"), help_text=_("For example 冷库, 冻库, 干货区."))
    name_en = forms.CharField(label=_("English name"), required=False)
