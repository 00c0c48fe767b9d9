"""Pages of the sales module: tickets, the unmapped queue with its mapping form, daily sales,
the AvT report and menu engineering."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from boh.core.errors import BohError
from boh.menu.models import ModifierOption
from boh.menu.selectors import business_today, menu_items
from boh.org import selectors as org_selectors
from boh.org.access import Actor
from boh.org.roles import Perm
from boh.sales import reports, selectors
from boh.sales.models import Channel, UnmappedKind
from boh.sales.services import map_pos_code
from boh.web.shell import htmx_target, page, page_actor, page_location, refused

PAGE_SIZE = 50
DEFAULT_DAYS = 7


def _locations(actor: Actor) -> list[tuple[str, str]]:
    reach = actor.reach(Perm.SALES_VIEW)
    found = org_selectors.locations(actor, active=None)
    if reach is not None:
        found = found.filter(pk__in=reach)
    return [(str(loc.pk), f"{loc.code} {loc.name}") for loc in found]


class PeriodForm(forms.Form):
    """A location and a period of business dates (yesterday and the 6 days before, unless told)."""

    location = forms.TypedChoiceField(
        label=gettext_lazy("Location"), coerce=int, empty_value=None, required=False
    )
    date_from = forms.DateField(label=gettext_lazy("From"), required=False)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False)

    def __init__(self, *args: Any, actor: Actor, all_locations: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["location"]
        assert isinstance(field, forms.ChoiceField)
        choices = _locations(actor)
        field.choices = ([("", _("All locations"))] if all_locations else []) + choices
        for name in ("date_from", "date_to"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})

    def period(self, request: HttpRequest, actor: Actor) -> tuple[int | None, dt.date, dt.date]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        yesterday = business_today(actor.organization) - dt.timedelta(days=1)
        date_to = data.get("date_to") or yesterday
        date_from = data.get("date_from") or date_to - dt.timedelta(days=DEFAULT_DAYS - 1)
        location_id = data.get("location")
        if location_id is None and "location" not in self.data:
            picked = page_location(request)
            location_id = picked.pk if picked else None
        return location_id, date_from, date_to


class TicketFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Ticket number"), required=False, max_length=64)
    location = forms.TypedChoiceField(
        label=gettext_lazy("Location"), coerce=int, empty_value=None, required=False
    )
    business_date = forms.DateField(label=gettext_lazy("Business date"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)
    waiting = forms.ChoiceField(label=gettext_lazy("Mapping"), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        location = self.fields["location"]
        assert isinstance(location, forms.ChoiceField)
        location.choices = [("", _("All locations")), *_locations(actor)]
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = [("", _("All channels")), *Channel.choices]
        waiting = self.fields["waiting"]
        assert isinstance(waiting, forms.ChoiceField)
        waiting.choices = [
            ("", _("All")),
            ("yes", _("Lines awaiting mapping")),
            ("no", _("Fully mapped")),
        ]
        self.fields["business_date"].widget = forms.DateInput(attrs={"type": "date"})


@page
def ticket_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    filters = TicketFilterForm(request.GET, actor=actor)
    filters.is_valid()
    chosen = filters.cleaned_data
    waiting = chosen.get("waiting")
    found = selectors.tickets(
        actor,
        location_id=chosen.get("location"),
        business_date=chosen.get("business_date"),
        channel=chosen.get("channel") or None,
        waiting=None if not waiting else waiting == "yes",
        q=chosen.get("q") or None,
    )
    page_obj = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page_obj": page_obj, "currency": actor.organization.currency}
    if htmx_target(request) == "ticket-table":
        return render(request, "sales/_ticket_table.html", context)
    return render(request, "sales/tickets.html", context)


@page
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    actor = page_actor(request)
    ticket = selectors.ticket(actor, ticket_id)
    return render(
        request,
        "sales/ticket_detail.html",
        {
            "ticket": ticket,
            "lines": selectors.ticket_lines(ticket),
            "payments": selectors.ticket_payments(ticket),
            "versions": selectors.ticket_versions(ticket),
            "currency": actor.organization.currency,
        },
    )


def _option_choices(actor: Actor) -> list[tuple[int, str]]:
    options = (
        actor.scope(ModifierOption.objects.select_related("group"), Perm.CATALOG_VIEW)
        .filter(is_active=True)
        .order_by("group__sort_order", "group__code", "sort_order", "code")
    )
    return [(o.pk, f"{o.group.name} · {o.name}") for o in options]


@page
def unmapped_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    rows = selectors.unmapped_sales(actor)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    can_map = actor.can(Perm.MENU_MANAGE)
    context = {
        "page_obj": page_obj,
        "summary": selectors.unmapped_summary(actor),
        "can_map": can_map,
        "menu_items": [(m.pk, f"{m.code} {m.name}") for m in menu_items(actor, active=True)]
        if can_map
        else [],
        "options": _option_choices(actor) if can_map else [],
        "line_kind": UnmappedKind.LINE,
        "currency": actor.organization.currency,
    }
    return render(request, "sales/unmapped.html", context)


@page
def unmapped_detail(request: HttpRequest, unmapped_id: int) -> HttpResponse:
    actor = page_actor(request)
    row = selectors.unmapped_sale(actor, unmapped_id)
    lines = selectors.waiting_lines(actor, row)[:200]
    return render(
        request,
        "sales/unmapped_detail.html",
        {"row": row, "lines": lines, "currency": actor.organization.currency},
    )


@page
@require_POST
def unmapped_map(request: HttpRequest, unmapped_id: int) -> HttpResponse:
    actor = page_actor(request)
    row = selectors.unmapped_sale(actor, unmapped_id)
    fallback = reverse("sales:unmapped")
    target = request.POST.get("target", "")
    menu_item_id = option_id = None
    try:
        if row.kind == UnmappedKind.LINE:
            menu_item_id = int(target)
        else:
            option_id = int(target)
    except ValueError:
        messages.error(request, _("Choose what this code sells."))
        return redirect(fallback)
    try:
        result = map_pos_code(
            actor,
            source=row.source,
            code=row.code,
            menu_item_id=menu_item_id,
            option_id=option_id,
        )
    except BohError as exc:
        return refused(request, exc, fallback)
    messages.success(
        request,
        _("%(code)s is mapped: %(lines)d waiting lines depleted, %(left)d still waiting.")
        % {"code": row.code, "lines": result.depleted_lines, "left": result.still_waiting},
    )
    return redirect(fallback)


@page
def daily_sales(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    form = PeriodForm(request.GET, actor=actor)
    location_id, date_from, date_to = form.period(request, actor)
    report = selectors.sales_report(
        actor, date_from=date_from, date_to=date_to, location_id=location_id
    )
    channels = dict(Channel.choices)
    return render(
        request,
        "sales/daily.html",
        {
            "form": form,
            "report": report,
            "channels": [(channels.get(k, k), v) for k, v in report.channels.items()],
            "currency": actor.organization.currency,
        },
    )


def _report_location(request: HttpRequest, actor: Actor, form: PeriodForm) -> int | None:
    location_id, _from, _to = form.period(request, actor)
    if location_id is None:
        choices = _locations(actor)
        return int(choices[0][0]) if choices else None
    return location_id


@page
def avt(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    form = PeriodForm(request.GET, actor=actor, all_locations=False)
    _location, date_from, date_to = form.period(request, actor)
    location_id = _report_location(request, actor, form)
    report = (
        reports.avt_report(actor, location_id=location_id, date_from=date_from, date_to=date_to)
        if location_id is not None
        else None
    )
    return render(
        request,
        "sales/avt.html",
        {"form": form, "report": report, "currency": actor.organization.currency},
    )


@page
def menu_engineering(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    form = PeriodForm(request.GET, actor=actor, all_locations=False)
    _location, date_from, date_to = form.period(request, actor)
    location_id = _report_location(request, actor, form)
    result = (
        reports.menu_engineering(
            actor, location_id=location_id, date_from=date_from, date_to=date_to
        )
        if location_id is not None
        else None
    )
    classes = [
        (reports.STAR, _("Stars"), _("Popular and profitable: keep them as they are.")),
        (
            reports.PLOWHORSE,
            _("Plowhorses"),
            _("Popular, low margin: review the price or portion."),
        ),
        (reports.PUZZLE, _("Puzzles"), _("Profitable, rarely ordered: promote or reposition.")),
        (reports.DOG, _("Dogs"), _("Neither: consider taking them off the menu.")),
    ]
    return render(
        request,
        "sales/menu_engineering.html",
        {
            "form": form,
            "result": result,
            "classes": [
                (key, title, hint, result.of(key) if result else []) for key, title, hint in classes
            ],
            "uncosted": [i for i in result.items if not i.klass] if result else [],
            "currency": actor.organization.currency,
        },
    )
