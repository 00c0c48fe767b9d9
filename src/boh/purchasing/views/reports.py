"""Purchasing reports: scorecard, spend, price variance, open and overdue orders."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.numbers import ZERO
from boh.purchasing import selectors
from boh.purchasing.selectors.reports import SPEND_GROUPS
from boh.purchasing.views.common import paged, parse_date
from boh.web.shell import page, page_actor


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    date_to = parse_date(request.GET.get("date_to")) or timezone.localdate()
    date_from = parse_date(request.GET.get("date_from")) or date_to - dt.timedelta(days=30)
    return date_from, date_to


@page
def scorecard(request: HttpRequest) -> HttpResponse:
    """Supplier scorecard over a period, ranked."""
    date_from, date_to = _period(request)
    actor = page_actor(request)
    return render(
        request,
        "purchasing/scorecard.html",
        {
            "rows": selectors.supplier_scorecard(actor, date_from, date_to),
            "variance": selectors.price_variance(actor, date_from, date_to)[:20],
            "overdue": selectors.open_orders(actor, overdue_only=True)[:20],
            "date_from": date_from,
            "date_to": date_to,
        },
    )


@page
def spend_report(request: HttpRequest) -> HttpResponse:
    """What was received and what it cost, by supplier, category, location or month."""
    date_from, date_to = _period(request)
    by = request.GET.get("by", "supplier")
    if by not in {*SPEND_GROUPS, "month"}:
        by = "supplier"
    rows = selectors.spend(page_actor(request), date_from, date_to, by=by)
    groups = [
        ("supplier", _("Supplier")),
        ("category", _("Category")),
        ("location", _("Location")),
        ("month", _("Month")),
    ]
    return render(
        request,
        "purchasing/report_spend.html",
        {
            "rows": rows,
            "total": sum((r.amount for r in rows), ZERO),
            "by": by,
            "groups": groups,
            "date_from": date_from,
            "date_to": date_to,
        },
    )


@page
def price_variance_report(request: HttpRequest) -> HttpResponse:
    """Purchase price variance by item and supplier over a period."""
    date_from, date_to = _period(request)
    rows = selectors.price_variance(page_actor(request), date_from, date_to)
    return render(
        request,
        "purchasing/report_variance.html",
        {
            "rows": rows,
            "total": sum((r.variance for r in rows), ZERO),
            "date_from": date_from,
            "date_to": date_to,
        },
    )


@page
def open_orders_report(request: HttpRequest) -> HttpResponse:
    """Orders approved or sent and not yet fully received; overdue ones flagged."""
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.open_orders(page_actor(request), overdue_only=overdue)
    return render(
        request,
        "purchasing/report_open.html",
        {"page_obj": paged(request, qs), "overdue": overdue, "today": timezone.localdate()},
    )
