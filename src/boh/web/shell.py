"""What every page view needs: a signed-in user acting inside one organization."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from boh.core.errors import BohError
from boh.org import selectors
from boh.org.access import Actor, active_organization, actor_for_user
from boh.org.auth import client_ip
from boh.org.models import Location, User

View = Callable[..., HttpResponse]

_UNSET = object()


def page(view: View) -> View:
    """Require a signed-in user, attach request.actor, and render BohError as an error page.

    Pages render in the organization's time zone. For htmx requests a refusal comes back as
    a short message aimed at the page's message area instead of a whole error page.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            org = active_organization(user, request.session.get("org_id"))
        except BohError as exc:
            logout(request)
            return render(request, "web/error.html", {"error": exc}, status=exc.status)
        request.actor = actor_for_user(user, org, client_ip(request))  # type: ignore[attr-defined]
        with timezone.override(org.time_zone):
            try:
                return view(request, *args, **kwargs)
            except BohError as exc:
                return error_response(request, exc)

    return wrapper


def page_actor(request: HttpRequest) -> Actor:
    """The actor that @page attached to this request."""
    return request.actor  # type: ignore[attr-defined]


def page_location(request: HttpRequest) -> Location | None:
    """The location picked in the switcher, while it is active and still in the actor's reach."""
    cached = getattr(request, "_boh_location", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    location = None
    wanted = request.session.get("location_id")
    if wanted:
        location = selectors.locations(page_actor(request), active=True).filter(pk=wanted).first()
    request._boh_location = location  # type: ignore[attr-defined]
    return location


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted form data on a POST, None otherwise (so a form stays unbound on GET)."""
    return request.POST if request.method == "POST" else None


def is_htmx(request: HttpRequest) -> bool:
    """The request came from htmx (django-htmx's middleware sets request.htmx)."""
    return bool(getattr(request, "htmx", False))


def htmx_target(request: HttpRequest) -> str | None:
    """The id of the element an htmx request will swap, None for a plain request."""
    if not is_htmx(request):
        return None
    return request.headers.get("HX-Target") or None


def error_response(request: HttpRequest, exc: BohError) -> HttpResponse:
    """A refusal as a page, or for htmx as a message swapped into the page's message area."""
    if is_htmx(request):
        response = render(request, "web/_flash_error.html", {"error": exc}, status=exc.status)
        response["HX-Retarget"] = "#flash"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "web/error.html", {"error": exc}, status=exc.status)


def refused(request: HttpRequest, exc: BohError, fallback: str) -> HttpResponse:
    """A refused button action: a message on the page it came from (htmx: in place).

    A permission refusal or a missing record gets the error page, as on any other request.
    """
    if is_htmx(request) or exc.status in {401, 403, 404}:
        return error_response(request, exc)
    messages.error(request, str(exc.message))
    return redirect(safe_next(request, fallback))


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` parameter when it points into this site, else fallback."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback
