"""Pages of the menu module: menu items, a dish with its recipe and cost, the recipe editor,
and the dishes whose cost moved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boh.catalog.models import Allergen, Item
from boh.catalog.units import number_text
from boh.core.errors import BohError
from boh.core.numbers import to_decimal
from boh.menu import costing, selectors, services
from boh.menu.allergens import allergens_of
from boh.menu.models import Channel, MenuItem
from boh.org import selectors as org_selectors
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.web.shell import htmx_target, page, page_actor, page_location

PAGE_SIZE = 50
BLANK_ROWS = 2
ALLERGEN_LABELS = dict(Allergen.choices)
CHANNEL_LABELS = dict(Channel.choices)


class MenuItemFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    category = forms.TypedChoiceField(
        label=gettext_lazy("Category"), coerce=int, empty_value=None, required=False
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", _("All categories"))] + [
            (str(c.pk), c.name) for c in selectors.menu_categories(actor)
        ]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("All kinds")), *MenuItem.Kind.choices]
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))]


@page
def menu_item_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    filters = MenuItemFilterForm(request.GET, actor=actor)
    filters.is_valid()
    chosen = filters.cleaned_data
    status = chosen.get("status")
    items = selectors.menu_items(
        actor,
        category_id=chosen.get("category"),
        kind=chosen.get("kind") or None,
        active=None if not status else status == "active",
        q=chosen.get("q") or None,
    )
    page_obj = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page_obj": page_obj}
    if htmx_target(request) == "menu-item-table":
        return render(request, "menu/_item_table.html", context)
    return render(request, "menu/items.html", context)


def _cost_location(request: HttpRequest, actor: Actor) -> Location | None:
    """The location costs are shown for: ?location_id=, else the one picked in the shell."""
    wanted = request.GET.get("location_id")
    if wanted is not None:
        if not wanted:
            return None
        try:
            return actor.get(Location.objects.all(), int(wanted), Perm.STOCK_VIEW, "id")
        except ValueError:
            return None
    location = page_location(request)
    return location if location and actor.can(Perm.STOCK_VIEW, location.pk) else None


def _day(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@page
def menu_item_detail(request: HttpRequest, menu_item_id: int) -> HttpResponse:
    actor = page_actor(request)
    menu_item = selectors.menu_item(actor, menu_item_id)
    today = selectors.business_today(actor.organization)
    on = _day(request.GET.get("on"), today)
    location = _cost_location(request, actor)
    can_see_costs = actor.can(Perm.STOCK_VIEW, location.pk if location else None)
    portion = None
    if can_see_costs:
        portion = costing.recipe_cost(
            actor.organization_id,
            menu_item,
            location_id=location.pk if location else None,
            on=on,
        )
    allergens = allergens_of(actor.organization_id, [menu_item.pk], on)[menu_item.pk]
    recipe = selectors.recipes(actor, menu_item_id=menu_item.pk).first()
    version = selectors.recipe_for(menu_item, on)
    context = {
        "menu_item": menu_item,
        "on": on,
        "today": today,
        "location": location,
        "locations": org_selectors.locations(actor, active=True),
        "can_see_costs": can_see_costs,
        "can_manage": actor.can(Perm.MENU_MANAGE),
        "portion": portion,
        "lines": _line_rows(version, portion),
        "allergens": [ALLERGEN_LABELS.get(code, code) for code in allergens],
        "version": version,
        "versions": list(selectors.recipe_versions(recipe)) if recipe else [],
        "prices": [
            {**vars(p), "channel_label": CHANNEL_LABELS.get(p.channel, p.channel)}
            for p in (portion.prices if portion else [])
        ],
        "price_rows": selectors.prices(actor, menu_item),
        "components": menu_item.components.select_related("component"),
        "groups": menu_item.modifier_groups.all(),
        "pos_codes": selectors.pos_codes(actor, menu_item_id=menu_item.pk),
    }
    return render(request, "menu/item_detail.html", context)


def _line_rows(version: Any, portion: costing.PortionCost | None) -> list[dict[str, Any]]:
    costs = {lc.line.pk: lc for lc in portion.lines} if portion else {}
    rows = []
    for line in version.lines.all() if version else []:
        line_cost = costs.get(line.pk)
        rows.append(
            {
                "line": line,
                "quantity": number_text(line.quantity),
                "base_quantity": number_text(line.base_quantity),
                "yield_pct": number_text(line.yield_pct),
                "trim_loss_pct": number_text(line.trim_loss_pct),
                "gross": number_text(line_cost.gross_quantity if line_cost else line.base_quantity),
                "cost": line_cost.cost if line_cost else None,
                "complete": line_cost.complete if line_cost else True,
            }
        )
    return rows


# The recipe editor


@dataclass
class EditorRow:
    index: int
    item_id: str = ""
    quantity: str = ""
    unit: str = ""
    yield_pct: str = "100"
    remove: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        return not (self.item_id or self.quantity.strip() or self.unit.strip())


def _posted_rows(request: HttpRequest) -> list[EditorRow]:
    indexes = sorted(
        {
            int(key.split("-")[1])
            for key in request.POST
            if key.startswith("line-") and key.split("-")[1].isdigit()
        }
    )[:300]
    return [
        EditorRow(
            index=n,
            item_id=request.POST.get(f"line-{n}-item", ""),
            quantity=request.POST.get(f"line-{n}-quantity", ""),
            unit=request.POST.get(f"line-{n}-unit", ""),
            yield_pct=request.POST.get(f"line-{n}-yield", "") or "100",
            remove=bool(request.POST.get(f"line-{n}-remove")),
        )
        for n in indexes
    ]


def _plain(value: Decimal) -> str:
    """A stored decimal as typed: 0.125, 2, 12.5."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _number(text: str) -> Decimal | str:
    try:
        return to_decimal(text.strip())
    except (InvalidOperation, ValueError):
        return text


def _editor_context(
    actor: Actor, menu_item: MenuItem, rows: list[EditorRow], **extra: Any
) -> dict[str, Any]:
    return {
        "menu_item": menu_item,
        "rows": rows,
        "next_index": max((r.index for r in rows), default=-1) + 1,
        "items": Item.objects.filter(organization=actor.organization, is_active=True).order_by(
            "code"
        ),
        **extra,
    }


@page
def recipe_edit(request: HttpRequest, menu_item_id: int) -> HttpResponse:
    actor = page_actor(request)
    menu_item = selectors.menu_item(actor, menu_item_id)
    actor.require(Perm.MENU_MANAGE)
    today = selectors.business_today(actor.organization)

    if request.method != "POST":
        current = selectors.recipe_for(menu_item, today)
        if current is None:
            current = (
                selectors.recipe_versions(recipe).first()
                if (recipe := selectors.recipes(actor, menu_item_id=menu_item.pk).first())
                else None
            )
        rows = [
            EditorRow(
                index=n,
                item_id=str(line.item_id),
                quantity=_plain(line.quantity),
                unit=line.unit,
                yield_pct=_plain(line.yield_pct),
            )
            for n, line in enumerate(current.lines.all() if current else [])
        ]
        rows += [EditorRow(index=len(rows) + n) for n in range(BLANK_ROWS)]
        start = today + dt.timedelta(days=1)
        context = _editor_context(
            actor, menu_item, rows, effective_from=start.isoformat(), note="", current=current
        )
        return render(request, "menu/recipe_edit.html", context)

    rows = _posted_rows(request)
    kept = [r for r in rows if not r.remove and not r.blank]
    effective_from = request.POST.get("effective_from", "")
    note = request.POST.get("note", "")
    lines = [
        {
            "item_id": int(r.item_id) if r.item_id.isdigit() else None,
            "quantity": _number(r.quantity),
            "unit": r.unit,
            "yield_pct": _number(r.yield_pct),
        }
        for r in kept
    ]
    try:
        services.define_recipe(
            actor,
            menu_item_id=menu_item.pk,
            effective_from=effective_from,
            lines=lines,
            note=note,
        )
    except BohError as exc:
        general = []
        for error in exc.fields or []:
            if error.field.startswith("lines["):
                position = int(error.field[6 : error.field.index("]")])
                if position < len(kept):
                    kept[position].errors.append(error.message)
                    continue
            general.append(error.message)
        if not exc.fields:
            general.append(str(exc.message))
        context = _editor_context(
            actor,
            menu_item,
            [r for r in rows if not r.remove],
            effective_from=effective_from,
            note=note,
            errors=general,
        )
        return render(request, "menu/recipe_edit.html", context, status=exc.status)
    messages.success(
        request,
        _("A new recipe version is in force from %(date)s.") % {"date": effective_from},
    )
    return redirect("menu:item_detail", menu_item_id=menu_item.pk)


@page
def recipe_line_row(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    actor.require(Perm.MENU_MANAGE)
    index = request.GET.get("index", "0")
    row = EditorRow(index=int(index) if index.isdigit() else 0)
    items = Item.objects.filter(organization=actor.organization, is_active=True).order_by("code")
    return render(
        request,
        "menu/_recipe_row.html",
        {"row": row, "items": items, "next_index": row.index + 1},
    )


# Cost movers


@page
def cost_movers(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    location = _cost_location(request, actor)
    actor.require(Perm.STOCK_VIEW, location.pk if location else None)
    try:
        days = min(max(int(request.GET.get("days", "7")), 1), 366)
    except ValueError:
        days = 7
    try:
        threshold = min(
            max(to_decimal(request.GET.get("threshold", "5")), Decimal(0)), Decimal(1000)
        )
    except (InvalidOperation, ValueError):
        threshold = Decimal(5)
    movers = costing.cost_movers(
        actor.organization_id,
        location_id=location.pk if location else None,
        days=days,
        threshold_pct=threshold,
        today=selectors.business_today(actor.organization),
    )
    context = {
        "movers": movers,
        "days": days,
        "threshold": threshold,
        "location": location,
        "locations": org_selectors.locations(actor, active=True),
    }
    return render(request, "menu/cost_movers.html", context)
