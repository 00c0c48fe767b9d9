"""What every page view needs: a signed-in user acting inside one organization."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from boh.core.errors import BohError
from boh.org.access import Actor, active_organization, actor_for_user
from boh.org.auth import client_ip
from boh.org.models import User

View = Callable[..., HttpResponse]


def page(view: View) -> View:
    """Require a signed-in user, attach request.actor, and render BohError as an error page."""

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
        try:
            return view(request, *args, **kwargs)
        except BohError as exc:
            return render(request, "web/error.html", {"error": exc}, status=exc.status)

    return wrapper


def page_actor(request: HttpRequest) -> Actor:
    """The actor that @page attached to this request."""
    return request.actor  # type: ignore[attr-defined,no-any-return]
