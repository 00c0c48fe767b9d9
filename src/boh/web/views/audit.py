"""The audit trail: every change of a record, or every change made by one user."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from boh.org import selectors
from boh.web.audit import describe, record_types
from boh.web.forms import AuditFilterForm
from boh.web.shell import htmx_target, page, page_actor

PAGE_SIZE = 50


@page
def audit_trail(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    filters = AuditFilterForm(request.GET, types=record_types())
    filters.is_valid()
    chosen = filters.cleaned_data
    entries = selectors.audit_trail(
        actor,
        object_type=chosen.get("object_type") or None,
        object_id=chosen.get("object_id") or None,
        user_id=chosen.get("user"),
    )
    page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "rows": [describe(entry) for entry in page_obj.object_list],
        "record": bool(chosen.get("object_type") and chosen.get("object_id")),
        "by_user": chosen.get("user"),
    }
    if htmx_target(request) == "audit-table":
        return render(request, "web/org/_audit_table.html", context)
    return render(request, "web/org/audit.html", context)
