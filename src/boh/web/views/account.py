"""Signing in and out, the password, the language, and which organization and location."""

from __future__ import annotations

from contextlib import suppress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from boh.core.errors import BohError, not_found
from boh.org import selectors, services
from boh.org.access import organizations_of
from boh.org.auth import sign_in
from boh.org.models import User
from boh.web.forms import LoginForm, PasswordChangeForm, show_refusal
from boh.web.shell import page, page_actor, safe_next


def _remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_in(request, form.cleaned_data["username"], form.cleaned_data["password"])
        except BohError as exc:
            form.add_error(None, str(exc.message))
            status = exc.status
        else:
            login(request, user)
            response = redirect(safe_next(request, reverse("web:home")))
            if user.language:
                translation.activate(user.language)
                _remember_language(response, user.language)
            return response
    elif request.method == "POST":
        status = 400
    context = {"form": form, "next": safe_next(request, "")}
    return render(request, "web/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


@page
def password_change(request: HttpRequest) -> HttpResponse:
    user = page_actor(request).user
    assert user is not None
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.change_password(
                    user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password"],
                )
            except BohError as exc:
                show_refusal(form, exc)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password was changed."))
                return redirect("web:home")
    return render(request, "web/password.html", {"form": form}, status=status)


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, also remembered on the signed-in user's account."""
    chosen = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User) and user.is_authenticated and chosen:
        # An unknown language is ignored here, as Django's switch ignores it.
        with suppress(BohError):
            services.set_language(user, chosen)
    return set_language(request)


@require_POST
@page
def switch_organization(request: HttpRequest) -> HttpResponse:
    user = page_actor(request).user
    assert user is not None
    wanted = request.POST.get("org_id") or ""
    org = organizations_of(user).filter(pk=wanted if wanted.isdigit() else 0).first()
    if org is None:
        raise not_found(_("Not found."))
    request.session["org_id"] = org.pk
    request.session.pop("location_id", None)
    return redirect("web:home")


@require_POST
@page
def switch_location(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("location_id") or ""
    if not wanted:
        request.session.pop("location_id", None)
    else:
        location = (
            selectors.locations(page_actor(request), active=True)
            .filter(pk=wanted if wanted.isdigit() else 0)
            .first()
        )
        if location is None:
            raise not_found(_("Not found."))
        request.session["location_id"] = location.pk
    return redirect(safe_next(request, reverse("web:home")))
