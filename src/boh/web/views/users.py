"""User pages: list, create with a first role, edit, and role grants added or revoked."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boh.core.errors import BohError
from boh.org import selectors, services
from boh.org.access import Actor
from boh.org.models import Membership, User
from boh.org.roles import Perm
from boh.web.forms import GrantForm, UserCreateForm, UserEditForm
from boh.web.shell import htmx_target, is_htmx, page, page_actor, posted, refused

PAGE_SIZE = 50


@page
def user_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    users = selectors.members(actor)
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    page_obj = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    grants: dict[int, list[Membership]] = defaultdict(list)
    for grant in selectors.role_grants(actor).filter(user__in=list(page_obj.object_list)):
        grants[grant.user_id].append(grant)
    rows = [(user, grants[user.pk]) for user in page_obj.object_list]
    context = {"page_obj": page_obj, "rows": rows, "q": query}
    if htmx_target(request) == "user-table":
        return render(request, "web/org/_user_table.html", context)
    return render(request, "web/org/users.html", context)


@page
def user_create(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    actor.require(Perm.USERS_MANAGE)
    form = UserCreateForm(posted(request), actor=actor)
    if posted(request) and (user := form.submit(lambda v: services.create_user(actor, **v))):
        messages.success(request, _("User %(name)s was created.") % {"name": user})
        return redirect("web:user_detail", user_id=user.pk)
    return render(request, "web/org/user_form.html", {"form": form}, status=form.http_status)


def _user_page(
    request: HttpRequest,
    actor: Actor,
    user: User,
    form: UserEditForm | None = None,
    grant_form: GrantForm | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = {
        "display_name": user.display_name,
        "email": user.email,
        "language": user.language,
        "is_active": user.is_active,
    }
    context = {
        "member": user,
        "form": form or UserEditForm(initial=initial),
        "grant_form": grant_form or GrantForm(actor=actor),
        "grants": selectors.role_grants(actor, user),
        "can_audit": actor.can(Perm.AUDIT_VIEW),
    }
    return render(request, "web/org/user_detail.html", context, status=status)


@page
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = page_actor(request)
    user = selectors.member(actor, user_id)
    if not posted(request):
        return _user_page(request, actor, user)
    form = UserEditForm(posted(request))
    if form.submit(lambda v: services.update_user(actor, user, **v)):
        messages.success(request, _("User %(name)s was saved.") % {"name": user})
        return redirect("web:user_detail", user_id=user.pk)
    return _user_page(request, actor, user, form=form, status=form.http_status)


@require_POST
@page
def grant_add(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = page_actor(request)
    user = selectors.member(actor, user_id)
    form = GrantForm(posted(request), actor=actor)
    if form.submit(lambda v: services.grant_role(actor, user, **v)):
        messages.success(request, _("The role was granted."))
        return redirect("web:user_detail", user_id=user.pk)
    return _user_page(request, actor, user, grant_form=form, status=form.http_status)


@require_POST
@page
def grant_revoke(request: HttpRequest, user_id: int, grant_id: int) -> HttpResponse:
    actor = page_actor(request)
    user = selectors.member(actor, user_id)
    grant = actor.get(Membership.objects.filter(user=user), grant_id, Perm.USERS_MANAGE)
    back = reverse("web:user_detail", args=[user.pk])
    try:
        services.revoke_role(actor, grant)
    except BohError as exc:
        return refused(request, exc, back)
    if is_htmx(request):
        return HttpResponse("")
    messages.success(request, _("The role was revoked."))
    return redirect(back)
