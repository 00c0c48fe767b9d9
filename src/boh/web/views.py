"""Shell pages: sign in and out, and the home dashboard."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from boh.core.errors import BohError
from boh.org.auth import sign_in


def login_view(request: HttpRequest) -> HttpResponse:
    error = None
    status = 200
    if request.method == "POST":
        try:
            user = sign_in(
                request, request.POST.get("username", ""), request.POST.get("password", "")
            )
        except BohError as exc:
            error, status = exc.message, exc.status
        else:
            login(request, user)
            return redirect("web:home")
    return render(request, "web/login.html", {"error": error}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")
