"""API key pages: list, create (the key is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boh.core.errors import BohError
from boh.org import selectors, services
from boh.org.models import ApiKey
from boh.org.roles import Perm
from boh.web.forms import ApiKeyForm
from boh.web.shell import is_htmx, page, page_actor, posted, refused

PAGE_SIZE = 50


@page
def api_key_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    page_obj = Paginator(selectors.api_keys(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/org/api_keys.html", {"page_obj": page_obj})


@page
def api_key_create(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    actor.require(Perm.API_KEYS_MANAGE)
    form = ApiKeyForm(posted(request), actor=actor)
    created = posted(request) and form.submit(lambda v: services.create_api_key(actor, **v))
    if not created:
        return render(request, "web/org/api_key_form.html", {"form": form}, status=form.http_status)
    key, raw = created
    # The raw key exists only in this response: not stored, not cached, not redirected.
    response = render(request, "web/org/api_key_created.html", {"key": key, "raw": raw}, status=201)
    add_never_cache_headers(response)
    return response


@require_POST
@page
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    actor = page_actor(request)
    key = actor.get(ApiKey.objects.all(), key_id, Perm.API_KEYS_MANAGE)
    try:
        services.revoke_api_key(actor, key)
    except BohError as exc:
        return refused(request, exc, reverse("web:api_keys"))
    if is_htmx(request):
        return render(request, "web/org/_api_key_row.html", {"key": key})
    messages.success(request, _("API key %(name)s was revoked.") % {"name": key.name})
    return redirect("web:api_keys")
